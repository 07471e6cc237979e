"""Nepali: snowball's Nepali stemmer; our own stopword list (stopwords-iso has none)."""

from __future__ import annotations

from ._data import read_list
from .base import Language, snowball, stopwords_with_iso


def build() -> Language:
    """Build the Nepali :class:`Language` from its data files."""
    return Language(
        code="ne",
        name="Nepali",
        script="Deva",
        stopwords=stopwords_with_iso("ne", "ne.stopwords.txt"),
        abbreviations=read_list("ne.abbreviations.txt")
        | read_list("hi.abbreviations.txt")
        | read_list("en.abbreviations.txt"),
        initials=read_list("deva.initials.txt"),
        markers=read_list("ne.markers.txt"),
        stemmer=snowball("nepali"),
    )
