"""English: snowball's English (Porter 2) stemmer and stopwords-iso plus ours."""

from __future__ import annotations

from ._data import read_list
from .base import Language, snowball, stopwords_with_iso


def build() -> Language:
    """Build the English :class:`Language` from its data files."""
    return Language(
        code="en",
        name="English",
        script="Latn",
        stopwords=stopwords_with_iso("en", "en.stopwords.txt"),
        abbreviations=read_list("en.abbreviations.txt"),
        initials=frozenset(),
        markers=read_list("en.markers.txt"),
        full_stop=".",
        stemmer=snowball("english"),
    )


def romanized_hindi_markers() -> frozenset[str]:
    """Words that mark Hindi typed in Latin letters ("hai", "nahi", "mein")."""
    return read_list("hi-latn.markers.txt")
