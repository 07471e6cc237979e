"""Indian languages built from data files alone: Punjabi, Gujarati, Odia,
Assamese, Tamil, Telugu, Kannada, Malayalam and Urdu.

Each has a row in ``data/languages.tsv`` (name, script, stemmer) and its own
``<code>.stopwords.txt`` and ``<code>.abbreviations.txt``. They get the
language-neutral behaviour of every later stage: sentences, tokens,
centrality, verification and tags work as for any language; Hindi's
compression frames and English-name lists do not apply.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache

import regex

from ..errors import ConfigError, LanguageError
from ._data import read_lines, read_list
from .base import Language, snowball, stopwords_with_iso

_CLUSTER = regex.compile(r"\X")
_VIRAMAS = "\u094d\u09cd\u0a4d\u0acd\u0b4d\u0bcd\u0c4d\u0ccd\u0d4d"


@cache
def _rows() -> dict[str, tuple[str, ...]]:
    """code -> (name, script, stemmer, initials, full stop) from ``data/languages.tsv``."""
    rows: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(read_lines("languages.tsv", lower=False), 1):
        parts = line.split()
        if len(parts) != 6:
            raise ConfigError(f"languages.tsv entry {number}: expected code, name, script, "
                              "stemmer, initials, full stop")
        rows[parts[0]] = tuple(parts[1:])
    return rows


def indic_codes() -> tuple[str, ...]:
    """Codes of the languages this module builds, in file order."""
    return tuple(_rows())


def build_indic(code: str) -> Language:
    """Build the :class:`Language` for ``code`` from its row and data files.

    Raises:
        LanguageError: ``code`` has no row in ``data/languages.tsv``.
    """
    row = _rows().get(code)
    if row is None:
        raise LanguageError(f"no language data for {code!r}", reason="unsupported_language")
    name, script, stemmer, initials, full_stop = row
    return Language(
        code=code,
        name=name,
        script=script,
        stopwords=stopwords_with_iso(code, f"{code}.stopwords.txt"),
        abbreviations=read_list(f"{code}.abbreviations.txt") | read_list("en.abbreviations.txt"),
        initials=_letters(script) if initials == "letters" else frozenset(),
        stemmer=_stemmer(stemmer),
        full_stop=full_stop,
    )


# First code point of each script's Unicode block (128 code points each).
_BLOCKS = {"Deva": 0x0900, "Beng": 0x0980, "Guru": 0x0A00, "Gujr": 0x0A80, "Orya": 0x0B00,
           "Taml": 0x0B80, "Telu": 0x0C00, "Knda": 0x0C80, "Mlym": 0x0D00}


def _letters(script: str) -> frozenset[str]:
    """Every one-letter syllable of ``script``: a vowel, or a consonant alone
    or with one vowel sign (the spellings of initials such as "மு", "க")."""
    start = _BLOCKS.get(script)
    if start is None:
        return frozenset()
    chars = [chr(c) for c in range(start, start + 0x80)]
    letters = [c for c in chars if unicodedata.category(c) == "Lo"]
    signs = [c for c in chars if unicodedata.category(c) in ("Mc", "Mn") and not _VIRAMA.match(c)]
    out = set(letters)
    out.update(c + s for c in letters for s in signs)
    return frozenset(unicodedata.normalize("NFC", x) for x in out)


_VIRAMA = regex.compile(f"[{_VIRAMAS}]")


def _stemmer(spec: str) -> Callable[[str], str]:
    """The stem function a ``languages.tsv`` stemmer column names."""
    kind, _, arg = spec.partition(":")
    if kind == "snowball" and arg:
        return snowball(arg)
    if kind == "prefix" and arg.isdigit():
        return _prefix(int(arg))
    if kind == "none":
        return str
    raise ConfigError(f"languages.tsv: unknown stemmer {spec!r}")


def _prefix(n: int) -> Callable[[str], str]:
    """The first ``n`` grapheme clusters of a word that has as many, the last
    without its vowel signs and joiners.

    Case endings start inside the last syllable of the stem ("ಬೆಂಗಳೂರು",
    "ಬೆಂಗಳೂರಿನಲ್ಲಿ" both give "ಬೆಂಗಳೂರ"), so that syllable keeps only its
    consonants. Shorter words stay whole.
    """

    def _stem(word: str) -> str:
        clusters = _CLUSTER.findall(word)
        if len(clusters) < n:
            return word
        last = _VOWEL_SIGNS.sub("", clusters[n - 1]) or clusters[n - 1]
        return "".join(clusters[: n - 1]) + last

    return _stem


# Dependent vowel signs, anusvara/visarga-like signs and joiners: what an
# ending changes in the last syllable of a stem (viramas are kept: "ద్").
_VOWEL_SIGNS = regex.compile(rf"[\p{{Mc}}\p{{Mn}}\u200c\u200d--[{_VIRAMAS}]]", regex.V1)
