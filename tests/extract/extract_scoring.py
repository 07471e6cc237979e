"""Scoring helpers shared by the extraction tests."""

from __future__ import annotations

from collections import Counter

import regex

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def word_f1(predicted: str, gold: str) -> float:
    """Bag-of-words F1 between two texts (case-folded, punctuation ignored)."""
    p = Counter(t.casefold() for t in _TOKEN.findall(predicted))
    g = Counter(t.casefold() for t in _TOKEN.findall(gold))
    common = sum((p & g).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)
