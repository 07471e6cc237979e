"""TF-IDF vectors over stemmed Hindi content words, for related stories and clusters."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from .. import lang
from ..errors import LanguageError
from ._text import is_word


def terms(text: str, language: str = "hi") -> Counter[str]:
    """Counts of stemmed content words (numbers dropped: they tie unrelated stories)."""
    try:
        words = lang.content_words(text, language)
        stemmed = [lang.stem(w, language) for w in words if is_word(w)]
    except LanguageError:
        words = lang.content_words(text, "hi")
        stemmed = [w for w in words if is_word(w)]
    return Counter(stemmed)


def weigh(counts: Mapping[str, int], idf: Mapping[str, float]) -> dict[str, float]:
    """Sublinear tf times idf, L2-normalised; terms without an idf are dropped."""
    vec = {t: (1.0 + math.log(n)) * idf[t] for t, n in counts.items() if t in idf and n > 0}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def idf_table(df: Mapping[str, int], n_docs: int, min_df: int = 1) -> dict[str, float]:
    """Smoothed inverse document frequencies of terms seen in at least ``min_df`` docs."""
    return {t: math.log((n_docs + 1) / (d + 1)) + 1.0 for t, d in df.items() if d >= min_df}


def sparse_matrix(
    rows: Iterable[Mapping[str, int]], vocab: dict[str, int], idf: Mapping[str, float]
) -> Any:
    """A row-normalised scipy CSR matrix of TF-IDF rows; ``vocab`` grows as needed."""
    import numpy as np
    import scipy.sparse as sp

    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for counts in rows:
        for term, weight in weigh(counts, idf).items():
            indices.append(vocab.setdefault(term, len(vocab)))
            data.append(weight)
        indptr.append(len(indices))
    shape = (len(indptr) - 1, max(1, len(vocab)))
    return sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices), np.asarray(indptr)), shape=shape
    )
