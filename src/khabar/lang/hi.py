"""Hindi: snowball's Hindi stemmer, stopwords-iso plus our postpositions list."""

from __future__ import annotations

from ._data import read_list
from .base import Language, snowball, stopwords_with_iso


def build() -> Language:
    """Build the Hindi :class:`Language` from its data files."""
    return Language(
        code="hi",
        name="Hindi",
        script="Deva",
        stopwords=stopwords_with_iso("hi", "hi.stopwords.txt"),
        abbreviations=read_list("hi.abbreviations.txt") | read_list("en.abbreviations.txt"),
        initials=read_list("deva.initials.txt"),
        markers=read_list("hi.markers.txt"),
        stemmer=snowball("hindi"),
    )
