"""How a sentence reads as a bullet on its own, away from its article.

A bullet is shown alone, so the summarizer asks of each candidate: does it
open with a word that points back to a sentence the reader will not see
("इससे ...", "It ..."), does it continue someone's quotation without the
speaker, is it mostly quotation, is it a note about the article rather
than news in it ("Editor's note", "डिस्क्लेमर")? Cut short, did it keep its
news (:func:`stops_before_its_news`)? Does it state the same figure as
another in mostly the same words (:func:`same_fact`)? The word lists are
data (``data/anaphors.<lang>.txt``, ``data/not-bullets.<lang>.txt``,
``data/announcers.<lang>.txt``, ``data/time-words.<lang>.txt``); the
weights these answers get are the summarizer's (:mod:`.extractive`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import regex

from ..models import Sentence
from . import _text
from ._data import phrases, words_and_suffixes

# A quotation is taken to run on for at most this many sentences after the one
# that opens it (:func:`inside_quotes`): BBC Hindi's cleaned texts are one
# paragraph each and often lose a closing quote.
QUOTE_SPAN = 3


def inside_quotes(sentences: Sequence[Sentence]) -> frozenset[int]:
    """Ids of sentences that continue a quotation opened by an earlier sentence.

    "उन्होंने कहा, "मैं लौट आया हूं. फिल्मों में वापसी कर रहा हूं ..."": the
    second sentence is someone's words with no one to say them. Double quotes
    only (a single quote also marks titles, and an apostrophe is one), counted
    within a paragraph.
    """
    # BBC Hindi writes a double quote as '' at both ends; tokenized English
    # (the English dev sets) opens one with `` and closes it with ''.
    tokenized = any("``" in s.text for s in sentences)
    inside: set[int] = set()
    paragraph, opened = -1, -1  # the id of the sentence that opened the quote
    for s in sentences:
        if s.paragraph != paragraph:
            paragraph, opened = s.paragraph, -1
        if opened >= 0 and s.id - opened > QUOTE_SPAN:
            opened = -1  # a lost closing quote must not hang over the whole text
        text = s.text.replace("``", "“").replace("''", "”") if tokenized else s.text
        text = text.replace("''", '"').lstrip()
        if opened >= 0 and text[:1] in '"”':
            opened, text = -1, text[1:]  # the quote closes as this sentence opens
        if opened >= 0:
            inside.add(s.id)
        for ch in text:
            if ch == '"':
                opened = -1 if opened >= 0 else s.id
            elif ch == "“":
                opened = s.id
            elif ch == "”":
                opened = -1
    return frozenset(inside)


def leans_back(text: str, language: str) -> bool:
    """Whether ``text`` opens with a word that points back (``anaphors.<lang>.txt``)."""
    return _text.first_word(text) in _anaphors(language)


def not_a_bullet(text: str, language: str) -> bool:
    """Whether ``text`` opens as a note about the article ("Editor's note:",
    "डिस्क्लेमर"; ``data/not-bullets.<lang>.txt``), never a bullet."""
    return text.lstrip().lower().startswith(_not_bullets(language))


# A sentence that is mostly a list of names ("महेंद्र सिंह धोनी, वीरेंदर सहवाग, ...
# और भुवनेश्वर कुमार.", a team sheet) says nothing as a bullet: at least
# LIST_ITEMS items between commas (and a last "और"/"and"), and LIST_SHARE of
# its words in items of at most LIST_ITEM_WORDS words. A sentence that only
# names places inside a statement ("... दिल्ली, चेन्नई, कोलकाता, मुंबई ... के
# हवाई अड्डों पर ही उपलब्ध है.") keeps most of its words outside the items.
# On BBC Hindi 4 of 1,028 bullets were team sheets.
LIST_ITEMS = 5
LIST_ITEM_WORDS = 3
LIST_SHARE = 0.6
_LIST_SPLIT = regex.compile(r",|\s(?:और|एवं|तथा|and|&)\s|[;।॥.?!…]")


def reads_as_list(text: str) -> bool:
    """Whether ``text`` is mostly a list of short items (a team sheet): no bullet."""
    if text.count(",") < LIST_ITEMS - 2:
        return False
    items = [_text.count(part) for part in _LIST_SPLIT.split(text)]
    items = [n for n in items if n]
    total = sum(items)
    short = sum(n for n in items if n <= LIST_ITEM_WORDS)
    return len(items) >= LIST_ITEMS and total > 0 and short >= LIST_SHARE * total


def stops_before_its_news(text: str, language: str) -> bool:
    """Whether a bullet cut short ("…") lost what it was saying.

    It ends on a word that announces what the cut removed ("... ने बयान जारी
    कर कहा गया है कि…", "X told reporters that…"; ``data/announcers.<lang>.txt``),
    or, in a language with verb lists, it holds no verb at all: a frame
    ("... शिव नारायण सिंह ने जिले के कक्षा एक से…") or a bare list of places
    and figures, or none after its last announcing word ("... ने कहा कि अगर
    बिल्डर ... नहीं…"). Such a bullet says nothing; the caller passes it over.
    """
    body = text.rstrip().removesuffix("…").rstrip(" ,;:-–—'\"")
    words = [w.lower() for w in _text.words(body)]
    announcers = _announcers(language)
    if not words or words[-1] in announcers:
        return True
    verbs, endings = _verb_forms(language)
    if not verbs:
        return False
    # What was announced must keep a verb: "... फैसला सुनाते हुए कहा कि अगर बिल्डर
    # तय समय पर फ्लैट का कब्जा नहीं…" (a demo page's lead) kept the frame and
    # lost the ruling.
    last = max((i for i, w in enumerate(words) if w in announcers), default=-1)
    said = words[last + 1 :]
    return not any(w in verbs or w.endswith(endings) for w in said)


# Two sentences that state the same figure and share this share of their words
# (Jaccard) report one fact: "17 और लोग संक्रमित पाए गए" beside "17 और लोगों में
# पुष्टि हुई" (0.29). On 600 hindi-covid-news stories and the BBC Hindi articles
# 71 of 2,716 bullet pairs shared a figure; at 0.17 and over they were repeats
# but for a few that add to the figure ("2361 ... निकाले गए" beside "2361 में से
# 617 अस्पताल में"), below it different facts.
SAME_FACT_JACCARD = 0.17
# A figure: digits standing alone, not glued to letters ("कोविड-19", "F-16",
# "GJ-121"), nor a clock time ("09:20"); grouping commas are dropped.
_FIGURE = regex.compile(
    r"(?<![\p{L}\p{M}\p{N}\-/.,:])(\p{Nd}+(?:[,.]\p{Nd}+)*)(?![\p{L}\p{M}\p{N}\-/:]|[.,]\p{Nd})"
    r"\s*([\p{L}\p{M}]*)"
)
_YEARS = range(1900, 2100)


def figures(text: str, language: str) -> frozenset[str]:
    """The figures a sentence states: standalone numbers, not times, dates or years."""
    skip = _time_words(language)
    out: set[str] = set()
    for m in _FIGURE.finditer(text):
        if m.group(2).lower() in skip:
            continue
        number = m.group(1).replace(",", "")
        if number.isdigit() and int(number) in _YEARS:
            continue
        out.add(number)
    return frozenset(out)


def same_fact(a: str, b: str, language: str) -> bool:
    """Whether two sentences state one figure in mostly the same words (see SAME_FACT_JACCARD)."""
    if not figures(a, language) & figures(b, language):
        return False
    wa = {w.lower() for w in _text.words(a)}
    wb = {w.lower() for w in _text.words(b)}
    return len(wa & wb) >= SAME_FACT_JACCARD * len(wa | wb)


@cache
def _time_words(language: str) -> frozenset[str]:
    return frozenset(p.lower() for p in phrases("time-words", language))


@cache
def _announcers(language: str) -> frozenset[str]:
    return frozenset(p.lower() for p in phrases("announcers", language))


@cache
def _verb_forms(language: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Verb forms (clause_ends and verb-forms lists) and verb endings ("-ाया")."""
    return words_and_suffixes("clause_ends", "verb-forms", language=language)


@cache
def _not_bullets(language: str) -> tuple[str, ...]:
    return tuple(p.lower() for p in phrases("not-bullets", language))


@cache
def _anaphors(language: str) -> frozenset[str]:
    return frozenset(p.lower() for p in phrases("anaphors", language))


_QUOTED = regex.compile(r"[\"“”]([^\"“”]*)[\"“”]")


def quoted_share(text: str) -> float:
    """Share of the sentence's characters inside double quotes."""
    inside = sum(len(m.group(1)) for m in _QUOTED.finditer(text))
    return inside / max(len(text), 1)
