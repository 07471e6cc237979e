"""Sentence splitting for Hindi-first news text.

We write our own rather than use indic-nlp-library: its ``sentence_split``
does not end a Hindi sentence at ".", yet NDTV Hindi and BBC Hindi end most
sentences with "." rather than "।" ("...रुपये है. श्री. मोदी..." stays one
sentence there). The rules, in order:

* a newline always ends a sentence (paragraphs, list items, headlines);
* "।", "॥" and Urdu's "۔" always end one;
* "?", "!" and "؟" end one unless a Latin letter, digit or URL character follows
  without a space ("Yahoo!News", "?id=3");
* an ellipsis ("...", "…") never does by itself: headlines use it as a pause;
* "." ends one unless it closes an abbreviation ("डॉ.", "Mr.", "U.S."),
  an initial ("ए.पी.जे. अब्दुल कलाम", "J. K. Rowling"), stands before a number
  ("No. 10", ``data/numbering.txt``), sits inside a number
  or a name ("3.5", "NDTV.in"), or is followed by a lowercase Latin letter.

Closing quotes and brackets right after a terminator stay with its sentence.
"""

from __future__ import annotations

import regex

from ._data import read_list
from .base import Language, get_language

# A run of terminators plus the closing quotes/brackets glued to it.
# "۔" and "؟" are Urdu's full stop and question mark.
_TERMINATOR = regex.compile(r"(?P<run>[.?!।॥…۔؟]+)(?P<close>[\"'”’)\]»]*)|\n")
_OPENERS = "\"'“‘([«"
_CLOSERS = "\"'”’)]»"
_STRAIGHT_QUOTES = "\"'"
# Openers that never close: after "थे." with no space, "(" or "“" starts a sentence.
_ONLY_OPENERS = "“‘([«"
_BRAHMIC = (r"\p{Devanagari}\p{Bengali}\p{Gurmukhi}\p{Gujarati}\p{Oriya}\p{Tamil}\p{Telugu}"
            r"\p{Kannada}\p{Malayalam}")
_INDIC_LETTER = regex.compile(rf"[[{_BRAHMIC}]&&\p{{L}}]", regex.V1)
# The last character of an Indic word: a letter or a vowel sign.
_INDIC_WORD_END = regex.compile(rf"[[{_BRAHMIC}]&&[\p{{L}}\p{{M}}]]", regex.V1)
_LATIN_LOWER = regex.compile(r"[\p{Ll}&&\p{Latin}]", regex.V1)
_QUERY_CHAR = regex.compile(r"[\p{Latin}\p{N}=&/_%-]")
_SINGLE_LATIN = regex.compile(r"\p{Latin}")
_CLUSTER = regex.compile(r"\X")


def sentence_spans(text: str, lang: str = "hi") -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans that together cover every character.

    ``"".join(text[a:b] for a, b in spans) == text``. Whitespace after a
    sentence belongs to its span (leading whitespace to the first span), so for
    any text with a non-space character the spans match
    :func:`split_sentences` one to one::

        [text[a:b].strip() for a, b in sentence_spans(text)] == split_sentences(text)

    A whitespace-only text gives one span; an empty text none. Offsets are
    into ``text`` as given: normalize first if you want normalized sentences.

    Raises:
        LanguageError: ``lang`` is not supported.
    """
    language = get_language(lang)
    n = len(text)
    cuts: list[int] = []
    for match in _TERMINATOR.finditer(text):
        if match.group() == "\n" or _ends_sentence(text, match, language):
            cut = match.end()
            close = match.group("close") or ""
            if close and not close.strip(_STRAIGHT_QUOTES) and cut < n and not text[cut].isspace():
                # "है.'दि रिसर्च प्रोजेक्ट' की": a straight quote glued to both
                # sentences opens the next one (a closing one is followed by a space).
                cut = match.start("close")
            cuts.append(_skip_space(text, cut))
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in cuts:
        if cut <= start:
            continue
        if text[start:cut].strip():
            spans.append((start, cut))
            start = cut
        # else: whitespace only, so keep ``start`` and let it join the next sentence
    if start < n:
        if spans and not text[start:].strip():
            spans[-1] = (spans[-1][0], n)
        else:
            spans.append((start, n))
    return spans


def split_sentences(text: str, lang: str = "hi") -> list[str]:
    """Split ``text`` into stripped, non-empty sentences (see :func:`sentence_spans`).

    >>> split_sentences("डॉ. शर्मा ने कहा कि दर 3.5 प्रतिशत है. यह अच्छा है।")
    ['डॉ. शर्मा ने कहा कि दर 3.5 प्रतिशत है.', 'यह अच्छा है।']

    Raises:
        LanguageError: ``lang`` is not supported.
    """
    sentences = (text[a:b].strip() for a, b in sentence_spans(text, lang))
    return [s for s in sentences if s]


def _skip_space(text: str, i: int) -> int:
    """Index of the first non-space character at or after ``i``."""
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i


def _ends_sentence(text: str, match: regex.Match[str], language: Language) -> bool:
    """Whether the terminator run in ``match`` ends a sentence."""
    run = match.group("run")
    if "।" in run or "॥" in run or "۔" in run:
        return True
    end = match.end()
    nxt = text[end] if end < len(text) else ""
    if "?" in run or "!" in run or "؟" in run:
        return not (nxt and not match.group("close") and _QUERY_CHAR.match(nxt))
    if "…" in run or len(run) > 1:
        return False
    return _period_ends(text, match.start(), end, nxt, language)


def _period_ends(text: str, dot: int, end: int, nxt: str, language: Language) -> bool:
    """Whether the single "." at ``dot`` ends a sentence."""
    word = _word_before(text, dot)
    if not nxt or nxt.isspace():
        if _is_abbreviation(word, language):
            return False
        following = _next_char_on_line(text, end)
        if following.isdigit() and _numbers_follow(word):
            return False
        if following and _is_initial(word, language) and following.isalpha():
            return False
        return not (following and _LATIN_LOWER.match(following))
    # No space after the dot: "3.5", "NDTV.in", "U.S." stay whole; only a dot
    # squeezed between two Indic words ("है.लेकिन", "थे.(हुमा") is a typo'd
    # sentence end (BBC Hindi's cleaned texts lost their line breaks so).
    prev = text[dot - 1] if dot else ""
    if nxt in _ONLY_OPENERS and end + 1 < len(text):
        nxt = text[end + 1]
    if nxt.isdigit() and _INDIC_WORD_END.match(prev):
        # "जाएंगे.16 मई से ..." (BBC Hindi): an Indic word, then a figure; not
        # "रु.500" or "नं.5", which close an abbreviation.
        return not (_is_abbreviation(word, language) or _numbers_follow(word))
    return bool(
        _INDIC_LETTER.match(nxt)
        and prev
        and not prev.isdigit()
        and not _SINGLE_LATIN.match(prev)
        and not _is_abbreviation(word, language)
        and not _is_initial(word, language)
    )


def _word_before(text: str, dot: int) -> str:
    """The whitespace-delimited word that ends right before ``dot``, quotes removed.

    In tokenized text (CNN/DM's "whose No . 10") the dot stands apart from
    its word: the word before the space is the one it closes.
    """
    if dot >= 2 and text[dot - 1] == " " and not text[dot - 2].isspace():
        dot -= 1
    start = dot
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:dot].lstrip(_OPENERS).rstrip(_CLOSERS)


def _next_char_on_line(text: str, i: int) -> str:
    """First non-space character after ``i`` before the next newline, or ""."""
    n = len(text)
    while i < n and text[i].isspace():
        if text[i] == "\n":
            return ""
        i += 1
    return text[i] if i < n else ""


def _is_abbreviation(word: str, language: Language) -> bool:
    """Whether ``word`` + "." is a listed abbreviation."""
    return bool(word) and (word.lower() + ".") in language.abbreviations


def _numbers_follow(word: str) -> bool:
    """Whether ``word`` + "." is a numbering abbreviation ("No. 10", ``numbering.txt``)."""
    return bool(word) and (word.lower() + ".") in read_list("numbering.txt")


def _is_initial(word: str, language: Language) -> bool:
    """Whether ``word`` is an initial or dotted initials ("J", "ए.पी.जे", "U.S")."""
    if not word:
        return False
    pieces = word.split(".")
    if len(pieces) == 1:
        piece = pieces[0]
        return (len(piece) == 1 and piece.isupper()) or piece.lower() in language.initials
    return all(
        piece
        and (piece.lower() in language.initials or len(_CLUSTER.findall(piece)) == 1)
        and not any(ch.isdigit() for ch in piece)
        for piece in pieces
    )
