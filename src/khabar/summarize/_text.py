"""Fast word helpers for the summarizer's hot loops, consistent with :mod:`khabar.lang`.

:func:`khabar.lang.tokenize` walks grapheme clusters and the snowball
stemmer is pure Python: right for one text, too slow when every sentence
of every article is tokenized and stemmed several times (they cost ~15 of
the 20 ms per BBC Hindi article before these helpers). The pattern below
gives the same tokens on normalized text (letters, marks, digits and the
joiners inside a word; numbers keep ``.``/``,``/``:`` between digits), and
stems are cached per process.
"""

from __future__ import annotations

from functools import cache

from .. import lang
from .._memo import short_memo
from ..lang.tokens import WORD_PATTERN

# The tokenizer's own pattern: bullets, sources and the verifier count words
# exactly as lang.tokenize does on ordinary text.
_WORD = WORD_PATTERN


def words(text: str) -> list[str]:
    """The word tokens of ``text`` (already normalized), case kept."""
    # Tokens start with a letter or digit, so a stray mark is never a word.
    return _WORD.findall(text)


def first_word(text: str) -> str:
    """The first word token of ``text``, lowercased; ``""`` when it has none.

    Both "does this open with a pronoun?" checks read it, so a quote mark or
    comma before the word, or an English clitic after it ("He's"), is read
    the same way by compression and by selection.
    """
    found = _WORD.search(text)
    return found.group().lower() if found else ""


def count(text: str) -> int:
    """Number of words, as :func:`khabar.lang.count_words` counts them."""
    return len(words(text))


# Memo sizes: Hindi news vocabulary is ~50k forms; sentences recur between
# compression and verification of the same article, not beyond.
STEM_MEMO = 262_144
NORMALIZE_MEMO = 4_096


# Longer "words" (a hostile page's run of letters) are stemmed but not kept.
STEM_MAX_CHARS = 100


@cache
def _stem_table(language: str) -> dict[str, str]:
    """Lowercased word -> its stem; filled as met, up to ``STEM_MEMO`` words."""
    return {}


def stem(word: str, language: str) -> str:
    """:func:`khabar.lang.stem`, cached: news vocabulary repeats across sentences.

    A plain dict lookup, not ``short_memo``'s wrapper around ``lru_cache``:
    the summarizer and the verifier stem every word of every sentence they
    read, so the hit path is what counts.
    """
    table = _stem_table(language)
    found = table.get(word)
    if found is None:
        found = lang.stem(word, language)
        if len(word) <= STEM_MAX_CHARS and len(table) < STEM_MEMO:
            table[word] = found
    return found


@short_memo(maxsize=NORMALIZE_MEMO, max_chars=5000)
def normalize(text: str) -> str:
    """:func:`khabar.lang.normalize`, cached: a chosen sentence is normalized twice."""
    return lang.normalize(text)


@cache
def _token_table(language: str) -> dict[str, str]:
    """Token (as written) -> its stem, or ``""`` for a stopword; filled as met."""
    return {}


def content_stems(text: str, language: str) -> list[str]:
    """Stems of the lowercased non-stopword words of ``text``."""
    table = _token_table(language)
    stop = lang.stopwords(language)
    out: list[str] = []
    for token in _WORD.findall(text):
        found = table.get(token)
        if found is None:
            low = token.lower()
            found = "" if low in stop else stem(low, language)
            if len(table) < STEM_MEMO:
                table[token] = found
        if found:
            out.append(found)
    return out
