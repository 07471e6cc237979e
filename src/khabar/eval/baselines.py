"""Baseline summaries: lead, word-overlap TextRank and random sentences.

Each baseline is a sentence *order* (best first). :func:`take` turns an
order into its first ``k`` sentences; :func:`fill` turns it into exactly
``n`` words (whole sentences in that order, the last one cut), which is how
every baseline is compared with khabar at equal length (``@eq``): ROUGE
rewards longer output, so a baseline longer than khabar is cut and a
shorter one gets its next-best sentences. Picks are always shown in the
article's order and keep the ids of the sentences they came from.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from .. import lang
from ..lang.tokens import WORD_PATTERN
from ..models import Sentence

# The word pattern of khabar.lang.count_words (its fast path), as spans, so
# that a text cut to n words counts exactly n words there.
_WORD = WORD_PATTERN

# TextRank as published (Mihalcea and Tarau 2004): damping 0.85, iterate to
# a fixed point.
DAMPING = 0.85
MAX_ITERATIONS = 100
TOLERANCE = 1e-7


@dataclass(frozen=True, slots=True)
class Pick:
    """One summary unit: its text and the article sentence ids it came from."""

    text: str
    ids: tuple[int, ...]


def count_words(text: str) -> int:
    """Words as :func:`khabar.lang.count_words` counts them."""
    return lang.count_words(text)


def cut_words(text: str, n: int) -> str:
    """``text`` up to the end of its ``n``-th word (all of it when shorter)."""
    if n <= 0:
        return ""
    end = None
    for i, match in enumerate(_WORD.finditer(text)):
        if i + 1 == n:
            end = match.end()
            break
    return text if end is None else text[:end]


def lead_order(sentences: Sequence[Sentence]) -> list[int]:
    """Sentences in article order."""
    return list(range(len(sentences)))


def random_order(sentences: Sequence[Sentence], seed: int, key: str = "") -> list[int]:
    """A shuffled order, the same for the same ``seed`` and ``key`` (the document id)."""
    rng = random.Random(seed * 1_000_003 + zlib.crc32(key.encode("utf-8")))
    order = list(range(len(sentences)))
    rng.shuffle(order)
    return order


def _bags(sentences: Sequence[Sentence], language: str) -> list[set[str]]:
    """Stemmed content words of each sentence, with khabar's tokenizer and stemmer."""
    code = lang.rules_language(language)
    return [{lang.stem(w, code) for w in lang.content_words(s.text, code)} for s in sentences]


def overlap_similarity(a: set[str], b: set[str]) -> float:
    """TextRank's sentence similarity: shared words over the sum of log lengths."""
    shared = len(a & b)
    if not shared:
        return 0.0
    norm = math.log(len(a)) + math.log(len(b))
    # Two one-word sentences have log length 0: their shared word is full overlap.
    return shared / norm if norm > 0 else float(shared)


def textrank_scores(sentences: Sequence[Sentence], language: str) -> list[float]:
    """PageRank over the word-overlap graph of the sentences."""
    n = len(sentences)
    if n == 0:
        return []
    bags = _bags(sentences, language)
    weights = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            weights[i][j] = weights[j][i] = overlap_similarity(bags[i], bags[j])
    out = [sum(row) for row in weights]
    rank = [1.0 / n] * n
    for _ in range(MAX_ITERATIONS):
        new = [
            (1 - DAMPING) / n
            + DAMPING * sum(weights[j][i] / out[j] * rank[j] for j in range(n) if out[j])
            for i in range(n)
        ]
        done = max(abs(x - y) for x, y in zip(new, rank, strict=True)) < TOLERANCE
        rank = new
        if done:
            break
    return rank


def textrank_order(sentences: Sequence[Sentence], language: str) -> list[int]:
    """Sentences by TextRank score, best first (earlier sentence on a tie)."""
    scores = textrank_scores(sentences, language)
    return sorted(range(len(sentences)), key=lambda i: (-scores[i], i))


def take(order: Sequence[int], sentences: Sequence[Sentence], k: int) -> list[Pick]:
    """The first ``k`` sentences of ``order``, in article order."""
    chosen = sorted(order[: max(k, 0)])
    return [Pick(sentences[i].text, (sentences[i].id,)) for i in chosen]


def fill(order: Sequence[int], sentences: Sequence[Sentence], words: int) -> list[Pick]:
    """Exactly ``words`` words (fewer only when the article is shorter).

    Whole sentences in ``order``; the one that overflows is cut to what is
    left. Shown in article order.
    """
    left = words
    chosen: list[tuple[int, str]] = []
    for i in order:
        if left <= 0:
            break
        text = sentences[i].text
        size = count_words(text)
        if size == 0:
            continue
        if size > left:
            text = cut_words(text, left)
            size = left
        chosen.append((i, text))
        left -= size
    chosen.sort()
    return [Pick(text, (sentences[i].id,)) for i, text in chosen]


def pick_words(picks: Sequence[Pick]) -> int:
    """Words in all of ``picks``."""
    return sum(count_words(p.text) for p in picks)
