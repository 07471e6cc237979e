"""Language layer: normalisation, sentences, tokens, stopwords, stems, detection.

Supports Hindi (``hi``), Marathi (``mr``), Nepali (``ne``), Bengali (``bn``)
and English (``en``). Every function is pure; language data files are read
on first use and cached.
"""

from __future__ import annotations

from .base import SUPPORTED_LANGUAGES, Language, get_language, rules_language, stem, stopwords
from .detect import Detection, detect
from .normalize import normalize
from .segment import sentence_spans, split_sentences
from .tokens import content_words, count_words, reading_time, tokenize

__all__ = [
    "SUPPORTED_LANGUAGES",
    "Detection",
    "Language",
    "content_words",
    "count_words",
    "detect",
    "get_language",
    "normalize",
    "reading_time",
    "rules_language",
    "sentence_spans",
    "split_sentences",
    "stem",
    "stopwords",
    "tokenize",
]
