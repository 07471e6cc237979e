"""Scoring neighbours against labels, and the plain TF-IDF peer they are scored beside.

Shared by ``khabar eval related`` (:mod:`.related`): precision@k by label
agreement, per label, the majority-class floor, and 1-NN / k-NN-vote
accuracy for topic labelling.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import regex

K = 5
_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def plain_tokens(text: str) -> list[str]:
    """Lower-cased runs of letters, marks and digits: no stopwords, no stems."""
    return _TOKEN.findall(text.lower())


class TfidfBaseline:
    """A plain TF-IDF cosine over stored texts (the peer of khabar's index)."""

    def __init__(self, texts: Sequence[str]) -> None:
        import numpy as np
        import scipy.sparse as sp

        self._np = np
        self.vocab: dict[str, int] = {}
        counts = [Counter(plain_tokens(t)) for t in texts]
        for c in counts:
            for term in c:
                self.vocab.setdefault(term, len(self.vocab))
        df = np.zeros(max(1, len(self.vocab)))
        for c in counts:
            df[[self.vocab[t] for t in c]] += 1
        self.idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
        rows = [self._row(c) for c in counts]
        self.matrix = sp.vstack(rows).tocsr() if rows else sp.csr_matrix((0, len(df)))

    def _row(self, counts: Counter[str]) -> Any:
        import scipy.sparse as sp

        np = self._np
        cols = np.asarray([self.vocab[t] for t in counts if t in self.vocab], dtype=np.int64)
        tf = np.asarray([n for t, n in counts.items() if t in self.vocab], dtype=np.float64)
        data = tf * self.idf[cols] if len(cols) else tf
        norm = float(np.sqrt((data * data).sum())) or 1.0
        return sp.csr_matrix((data / norm, cols, [0, len(cols)]), shape=(1, len(self.idf)))

    def nearest(self, text: str, k: int, exclude: int | None = None) -> list[int]:
        """Rows of the ``k`` stored texts most similar to ``text``, best first."""
        np = self._np
        sims = np.asarray((self.matrix @ self._row(Counter(plain_tokens(text))).T).todense())
        sims = sims.ravel()
        if exclude is not None:
            sims[exclude] = -np.inf
        k = min(k, len(sims) - (exclude is not None))
        if k <= 0:
            return []
        top = np.argpartition(-sims, k - 1)[:k]
        return [int(i) for i in top[np.argsort(-sims[top], kind="stable")]]


def _hits(labels: Sequence[str], found: Sequence[Sequence[int]], i: int, k: int) -> int:
    """How many of query ``i``'s first ``k`` answers carry its label."""
    return sum(labels[j] == labels[i] for j in found[i][:k])


def precision_at_k(labels: Sequence[str], found: Sequence[Sequence[int]], k: int = K,
                   queries: Sequence[int] | None = None) -> float:
    """Mean share of each query's ``k`` answers that carry the query's label.

    A query answered with fewer than ``k`` stories is charged the missing ones.
    ``queries`` limits the mean to those query indices (default: every one).
    """
    rows = range(len(found)) if queries is None else queries
    n = len(labels) if queries is None else len(queries)
    hits = sum(_hits(labels, found, i, k) for i in rows)
    return hits / (k * n) if n else 0.0


def precision_by_label(labels: Sequence[str], found: Sequence[Sequence[int]],
                       k: int = K) -> dict[str, float]:
    """:func:`precision_at_k` of the queries of each label, labels by frequency.

    The overall figure hides which categories mix: on BBC Hindi,
    ``international`` (a section, not a topic) is the one that drags.
    """
    hits: Counter[str] = Counter()
    for i in range(len(found)):
        hits[labels[i]] += _hits(labels, found, i, k)
    return {label: round(hits[label] / (k * n), 4) for label, n in Counter(labels).most_common()}


def majority_share(labels: Sequence[str]) -> tuple[str, float]:
    """The most frequent label and its share (the floor a ranker must clear)."""
    label, n = Counter(labels).most_common(1)[0]
    return label, n / len(labels)


def vote(labels: Sequence[str]) -> str | None:
    """The most frequent label among ranked neighbours; a tie goes to the better ranked."""
    if not labels:
        return None
    counts = Counter(labels)
    best = max(counts.values())
    return next(label for label in labels if counts[label] == best)


def knn_accuracy(gold: Sequence[str], train: Sequence[str],
                 found: Sequence[Sequence[int]]) -> tuple[float, float]:
    """1-NN and 5-NN-majority accuracy."""
    one = sum(bool(f) and train[f[0]] == g for g, f in zip(gold, found, strict=True))
    five = sum(vote([train[j] for j in f[:K]]) == g for g, f in zip(gold, found, strict=True))
    n = len(gold) or 1
    return round(one / n, 4), round(five / n, 4)
