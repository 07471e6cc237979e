"""Marathi: Hindi's Devanagari machinery with Marathi data and a suffix stripper.

Snowball has no Marathi stemmer, so ``mr.suffixes.txt`` lists the case and
plural endings a light stemmer removes.
"""

from __future__ import annotations

from ._data import read_list
from .base import Language, stopwords_with_iso, suffix_stripper


def build() -> Language:
    """Build the Marathi :class:`Language` from its data files."""
    return Language(
        code="mr",
        name="Marathi",
        script="Deva",
        stopwords=stopwords_with_iso("mr", "mr.stopwords.txt"),
        abbreviations=read_list("mr.abbreviations.txt")
        | read_list("hi.abbreviations.txt")
        | read_list("en.abbreviations.txt"),
        initials=read_list("deva.initials.txt"),
        markers=read_list("mr.markers.txt"),
        full_stop=".",
        stemmer=suffix_stripper("mr.suffixes.txt"),
    )
