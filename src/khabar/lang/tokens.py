"""Word tokens, word counts and reading time, safe for Indic scripts.

Tokens are built from whole extended grapheme clusters (``\\X``), so a vowel
sign, virama, nukta or joiner never ends up cut from its consonant: "पुतिन",
"नॉर्थ" and "क्‍या" are one token each. Hyphens split ("किम-जोंग" is two
tokens: the halves are words a reader searches for on their own); numbers
keep their decimal point and digit grouping ("3.5", "2,000", "1,00,000").
"""

from __future__ import annotations

import math

import regex

from ..errors import ConfigError
from .base import get_language
from .normalize import normalize

# A cluster that starts with a word character (letter, mark, digit). Marks only
# start a cluster at the start of a text or after a control character.
_W = r"(?:(?=[\p{L}\p{M}\p{N}])\X)"
_D = r"(?:(?=\p{N})\X)"
_L = r"(?:(?=\p{L})\X)"
# Either a token or exactly one other cluster: the scan then always restarts on a
# cluster boundary, which a plain search for the token pattern would not do.
_SCAN = regex.compile(
    rf"(?P<tok>{_D}+(?:[.,:]{_D}+)+(?!{_W})"  # 3.5, 2,000, 10:30
    rf"|{_W}(?:(?=[\p{{L}}\p{{M}}\p{{N}}\u200c\u200d])\X)*(?:'{_L}+)*)"  # words, don't
    r"|\X",
    regex.DOTALL,
)
_HAS_ALNUM = regex.compile(r"[\p{L}\p{N}]")

# The same tokens, spelled per character instead of per cluster: about three
# times faster, and equal to the cluster scan on any text in which every
# cluster is one base letter or digit followed by its marks and joiners, which
# is what ordinary Indic and English text is. ``_ODD_CLUSTERS`` finds the texts
# where that does not hold (a mark or joiner after a digit, a space or a sign;
# extenders and prepends that are not marks, such as emoji skin tones); those
# take the cluster scan. tests/lang/test_lang_properties.py checks the two agree.
WORD_PATTERN = regex.compile(
    r"(?P<tok>\p{N}+(?:[.,:]\p{N}+)+(?![\p{L}\p{M}\p{N}])"
    r"|[\p{L}\p{N}][\p{L}\p{M}\p{N}\u200c\u200d]*(?:'\p{L}[\p{L}\p{M}\u200c\u200d]*)*)"
)
_ODD_CLUSTERS = regex.compile(
    r"(?V1)(?:^|(?<=[^\p{L}\p{M}\u200c\u200d]))[\p{M}\u200c\u200d]"
    r"|[\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=Prepend}"
    r"\p{Grapheme_Cluster_Break=SpacingMark}\p{Grapheme_Cluster_Break=ZWJ}"
    r"--\p{M}--[\u200c\u200d]]"
)


def _tokenize_clusters(text: str) -> list[str]:
    """Tokens by the grapheme-cluster scan: the definition :func:`tokenize` keeps."""
    return [m.group("tok") for m in _SCAN.finditer(text) if m.group("tok")]


def tokenize(text: str) -> list[str]:
    """Split ``text`` into word tokens, dropping punctuation and spaces.

    A token is a run of letters, combining marks and digits (with ZWJ/ZWNJ
    inside words kept), an English-style apostrophe suffix ("don't"), or a
    number with internal ``.``, ``,`` or ``:``. Tokens are unions of whole
    grapheme clusters. Case is kept. Pass :func:`normalize`-d text for stable
    results across sources.
    """
    if _ODD_CLUSTERS.search(text) is not None:
        return _tokenize_clusters(text)
    return WORD_PATTERN.findall(text)


def count_words(text: str) -> int:
    """Number of tokens of ``text`` that hold at least one letter or digit."""
    if _ODD_CLUSTERS.search(text) is None:
        return len(WORD_PATTERN.findall(text))  # a fast token starts with a letter or digit
    return sum(1 for token in tokenize(text) if _HAS_ALNUM.search(token))


def reading_time(word_count: int, wpm: int = 200) -> int:
    """Minutes to read ``word_count`` words at ``wpm`` words a minute, at least 1.

    ``ceil(words / wpm)``, which matches NDTV's "Read Time: 2 mins" for a
    335-word body at 200 wpm.

    Raises:
        ConfigError: ``wpm`` is not a positive number.
    """
    if wpm <= 0:
        raise ConfigError(f"words per minute must be positive, got {wpm}")
    return max(1, math.ceil(max(0, word_count) / wpm))


def content_words(text: str, lang: str) -> list[str]:
    """Lowercased tokens of ``normalize(text)`` that are not stopwords of ``lang``.

    Tokens without any letter or digit (a lone mark) are dropped too.

    Raises:
        LanguageError: ``lang`` is not supported.
    """
    stop = get_language(lang).stopwords
    words = (token.lower() for token in tokenize(normalize(text)))
    return [w for w in words if w not in stop and _HAS_ALNUM.search(w)]
