"""The :class:`Language` record and the registry that builds one per code."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import regex

from ..errors import LanguageError
from ._data import read_lines, read_list
from .normalize import normalize

SUPPORTED_LANGUAGES: tuple[str, ...] = (
    "hi", "mr", "ne", "bn", "en", "pa", "gu", "or", "as", "ta", "te", "kn", "ml", "ur",
)
# Languages with a module of their own (a stemmer, markers, initials); the
# others are built by :mod:`khabar.lang.indic` from ``data/languages.tsv``.
_OWN_MODULES = frozenset({"hi", "mr", "ne", "bn", "en"})


@dataclass(frozen=True, slots=True)
class Language:
    """Everything khabar knows about one language, built lazily from data files.

    ``markers`` are words frequent in this language and rare in its script
    neighbours (used by :func:`khabar.lang.detect`); ``initials`` are the
    spelled-out letter names ("ए", "पी", "जे") that, followed by a full stop,
    abbreviate a name rather than end a sentence; ``full_stop`` is the mark
    that ends a sentence written without one ("।", ".", Urdu's "۔").
    """

    code: str
    name: str
    script: str
    stopwords: frozenset[str]
    abbreviations: frozenset[str]
    initials: frozenset[str] = frozenset()
    markers: frozenset[str] = frozenset()
    stemmer: Callable[[str], str] = field(default=str, repr=False, compare=False)
    full_stop: str = "।"

    def stem(self, word: str) -> str:
        """Stem of ``word`` (normalized, lowercased); the word itself when nothing applies."""
        word = normalize(word).lower()
        return self.stemmer(word) or word


@cache
def get_language(code: str) -> Language:
    """Return the :class:`Language` for ``code`` (one of :data:`SUPPORTED_LANGUAGES`).

    Data files are read on the first call for each code and cached after.

    Raises:
        LanguageError: ``code`` is not a supported language.
    """
    if code not in SUPPORTED_LANGUAGES:
        raise LanguageError(
            f"unsupported language {code!r}; khabar supports {', '.join(SUPPORTED_LANGUAGES)}",
            reason="unsupported_language",
        )
    if code not in _OWN_MODULES:
        from .indic import build_indic

        return build_indic(code)
    module = importlib.import_module(f"{__package__}.{code}")
    build: Callable[[], Language] = module.build
    return build()


def rules_language(code: str) -> str:
    """The language whose rules process text labelled ``code``: itself if supported, else Hindi.

    Pages labelled "und" or with an unsupported code still need sentences and
    tokens; Hindi's Devanagari rules are the least surprising default here.
    """
    return code if code in SUPPORTED_LANGUAGES else "hi"


def stopwords(lang: str) -> frozenset[str]:
    """Lowercased, normalized stopwords of ``lang``.

    Raises:
        LanguageError: ``lang`` is not supported.
    """
    return get_language(lang).stopwords


def stem(word: str, lang: str) -> str:
    """Stem ``word`` with the stemmer of ``lang`` (snowball or a light suffix stripper).

    Raises:
        LanguageError: ``lang`` is not supported.
    """
    return get_language(lang).stem(word)


def stopwords_with_iso(lang: str, own_file: str) -> frozenset[str]:
    """Our curated list merged with stopwords-iso's list, where it has ``lang``."""
    import stopwordsiso

    own = read_list(own_file)
    if not stopwordsiso.has_lang(lang):
        return own
    iso = frozenset(normalize(w).lower() for w in stopwordsiso.stopwords(lang))
    return own | iso


def snowball(algorithm: str) -> Callable[[str], str]:
    """A thread-safe stem function for a snowballstemmer algorithm."""
    import snowballstemmer

    # Snowball stemmers keep the word being stemmed on the instance, so
    # threads (the web server) must not share one.
    local = threading.local()

    def _stem(word: str) -> str:
        stemmer = getattr(local, "stemmer", None)
        if stemmer is None:
            stemmer = local.stemmer = snowballstemmer.stemmer(algorithm)
        result: str = stemmer.stemWord(word)
        return result

    return _stem


_CLUSTER = regex.compile(r"\X")


def suffix_stripper(suffix_file: str, min_stem: int = 2) -> Callable[[str], str]:
    """A light stemmer removing the longest listed suffix, keeping ``min_stem`` clusters."""

    def _stem(word: str) -> str:
        # Longest first, so "দের" wins over "র".
        for suffix in _suffixes(suffix_file):
            if word.endswith(suffix):
                rest = word[: -len(suffix)]
                if len(_CLUSTER.findall(rest)) >= min_stem and _clean_stem(rest):
                    return rest
        return word

    return _stem


@cache
def _suffixes(suffix_file: str) -> tuple[str, ...]:
    """Suffixes of ``suffix_file``, longest first."""
    return tuple(sorted(read_lines(suffix_file), key=len, reverse=True))


# Every Brahmic virama and nukta Unicode has.
_DANGLING = (
    "\u094d", "\u09cd", "\u0a4d", "\u0acd", "\u0b4d", "\u0bcd", "\u0c4d", "\u0ccd", "\u0d4d",
    "\u093c", "\u09bc", "\u0a3c", "\u0abc", "\u0b3c", "\u0cbc",
)


def _clean_stem(rest: str) -> bool:
    """False when stripping would leave a dangling virama or nukta on the stem."""
    return not rest.endswith(_DANGLING)
