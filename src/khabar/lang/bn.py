"""Bengali: stopwords-iso plus ours, and a suffix stripper (snowball has no Bengali)."""

from __future__ import annotations

from ._data import read_list
from .base import Language, stopwords_with_iso, suffix_stripper


def build() -> Language:
    """Build the Bengali :class:`Language` from its data files."""
    return Language(
        code="bn",
        name="Bengali",
        script="Beng",
        stopwords=stopwords_with_iso("bn", "bn.stopwords.txt"),
        abbreviations=read_list("bn.abbreviations.txt") | read_list("en.abbreviations.txt"),
        initials=read_list("bn.initials.txt"),
        markers=frozenset(),
        stemmer=suffix_stripper("bn.suffixes.txt"),
    )
