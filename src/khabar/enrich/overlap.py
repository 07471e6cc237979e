"""Stored stories ranked by shared words and tags: the store's related-story index.

Exact over every stored story (no candidate cap), and cheap per lookup:
posting lists make a query cost the postings of its own terms
(``benchmarks/enrich_scale.py related-sqlite``: p50 2.5 ms at 100,000 briefs).
Pure: the store feeds it (:meth:`khabar.store.Store.related`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


class OverlapIndex:
    """Stored stories ranked by shared words and shared tags, exactly, over every story.

    What :meth:`khabar.store.Store.related` ranks by: the Jaccard overlap of
    two stories' term sets plus ``tag_weight`` times the share of the query's
    tags the other story also has. Posting lists (term -> rows) make a lookup
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
        self._cache: tuple[Any, Any, Any, Any] | None = None

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
        self, id: int, terms: Iterable[str], tags: Iterable[object], group: str, version: int = 0
    ) -> None:
        """Store (or replace) a story: its terms, tag keys and content hash ``group``."""
        old = self._row.get(id)
        if old is not None:
            self._alive[old] = 0
        self._cache = None
        term_ids = sorted({self._intern(self._vocab, self._postings, t) for t in terms})
        tag_ids = sorted({self._intern(self._tag_vocab, self._tag_postings, t) for t in tags})
        self._append(id, term_ids, tag_ids, _group_key(group), version)
        if len(self._ids) > COMPACT_MIN_ROWS and self.dead_share > COMPACT_DEAD_SHARE:
            self._compact()

    def _intern(self, vocab: dict[Any, int], postings: list[Any], key: object) -> int:
        j = vocab.get(key)
        if j is None:
            j = vocab[key] = len(postings)
            postings.append(self._array("i"))
        return j

    def _append(
        self, id: int, term_ids: Sequence[int], tag_ids: Sequence[int], key: int, version: int
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
        for id, term_ids, tag_ids, key, version in live:
            self._append(id, term_ids, tag_ids, key, version)

    def top(
        self, id: int, k: int, *, tag_weight: float = 0.5, exclude: Iterable[int] = ()
    ) -> list[tuple[int, float]]:
        """The ``k`` best (id, score) for a stored story, best first (ties: larger id first).

        The story itself, stories with its content hash and ids in ``exclude``
        are left out, as are stories with a score of 0.
        """
        import numpy as np

        me = self._row.get(id)
        if me is None or k < 1:
            return []
        n = len(self._ids)
        mine = self._row_terms[self._term_start[me] : self._term_start[me + 1]]
        my_tags = self._row_tags[self._tag_start[me] : self._tag_start[me + 1]]
        overlap = self._hits(np, self._postings, mine, self._dense_terms, n)
        shared = self._hits(np, self._tag_postings, my_tags, self._dense_tags, n)
        sizes, alive, groups, ids = self._columns(np)
        union = sizes + float(self._sizes[me]) - overlap
        # Same operations, in the same order, as the plain loop in the store's
        # exact path, so both give bit-equal scores and the same ties.
        score = np.divide(overlap, union, out=np.zeros(n), where=union > 0)
        score += tag_weight * shared / max(1, len(my_tags))
        keep = (score > 0) & alive
        keep &= groups != self._groups[me]
        keep[me] = False
        for other in exclude:
            row = self._row.get(other)
            if row is not None:
                keep[row] = False
        cand = np.flatnonzero(keep)
        if not len(cand):
            return []
        if len(cand) > k:
            # Everything tied with the k-th best stays in, so ties break by id.
            kth = np.partition(score[cand], len(cand) - k)[len(cand) - k]
            cand = cand[score[cand] >= kth]
        found = ids[cand]
        order = np.lexsort((-found, -score[cand]))[:k]
        return [(int(found[i]), float(score[cand[i]])) for i in order]

    def _columns(self, np: Any) -> tuple[Any, Any, Any, Any]:
        """Per-row sizes, liveness, content keys and ids as numpy arrays, kept until a put."""
        if self._cache is None or len(self._cache[0]) != len(self._ids):
            self._cache = (
                np.frombuffer(self._sizes, dtype=np.int32).astype(np.float64),
                np.frombuffer(self._alive, dtype=np.uint8).astype(bool),
                np.frombuffer(self._groups, dtype=np.int64).copy(),
                np.frombuffer(self._ids, dtype=np.int64).copy(),
            )
        return self._cache

    def _hits(
        self, np: Any, postings: list[Any], keys: Sequence[int], dense: dict[int, Any], n: int
    ) -> Any:
        """How many of the keys' posting lists each row appears in, as float64.

        Long posting lists (a word in an eighth of all stories) are added as
        cached 0/1 row masks: adding 100,000 bytes beats gathering and
        counting 60,000 row numbers (synthetic 100,000-brief store: see
        benchmarks/enrich_scale.py related-pg).
        """
        total = np.zeros(n, dtype=np.int32)
        short = []
        for j in keys:
            rows = postings[j]
            if len(rows) >= DENSE_MIN_ROWS and len(rows) * DENSE_SHARE >= n:
                mask, done = dense.get(j, (np.zeros(0, dtype=np.uint8), 0))
                if len(mask) < n:
                    mask = np.concatenate([mask, np.zeros(n - len(mask), dtype=np.uint8)])
                if len(rows) > done:
                    mask[np.frombuffer(rows, dtype=np.int32)[done:]] = 1
                dense[j] = (mask, len(rows))
                total += mask
            elif len(rows):
                short.append(np.frombuffer(rows, dtype=np.int32))
        if short:
            total += np.bincount(np.concatenate(short), minlength=n).astype(np.int32)
        return total.astype(np.float64)


# A posting list this long (and covering at least 1/DENSE_SHARE of the rows) is
# also kept as a row mask of one byte per row: at most DENSE_SHARE times the
# mean terms per story masks, about 20 MB at 100,000 stories in the worst case.
DENSE_MIN_ROWS = 4096
DENSE_SHARE = 8
# Calibrated on nothing: a memory/time trade. Compacting copies every live row
# (about 1 s at 100,000 stories), so it waits until a quarter of rows are dead.
COMPACT_DEAD_SHARE = 0.25
COMPACT_MIN_ROWS = 1000


def _group_key(group: str) -> int:
    """A 63-bit key of a content hash (khabar's are 16 hex digits)."""
    try:
        return int(group[:15], 16) if group else -1
    except ValueError:
        import hashlib

        return int.from_bytes(hashlib.sha256(group.encode()).digest()[:7], "big")
