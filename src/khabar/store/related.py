"""The related-story index behind :meth:`Store.related`: the SQL both backends share.

Each store object keeps an in-process :class:`~khabar.enrich.overlap.OverlapIndex`
of every stored story's terms and tags, built on the first call and synced
from the tables whenever the store's generation moves.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InputError, StoreError
from .base import TERMS_VERSION, StoredBrief, article_terms, split_terms
from .core import _CHUNK, SQLCore, valid_id

if TYPE_CHECKING:  # enrich loads its language data on import: only when related() runs
    from ..enrich.overlap import OverlapIndex

# Shared tags count this much per share of the query's tags (the word score of
# a story against itself is 1); overlap.TAG_WEIGHT, calibrated there.
RELATED_TAG_WEIGHT = 0.2
# Articles read per query while building the related-story index: bounds the
# term strings held at once (about 2 KB an article).
RELATED_BUILD_BATCH = 5000
# How many brief ids below the highest one seen each sync of the related-story
# index reads again: on PostgreSQL a transaction can commit after a later one,
# so its briefs land below ids already seen.
RELATED_SYNC_MARGIN = 1000
# How often (seconds) the index compares a checksum of all articles with its
# own, and rebuilds on a mismatch: the backstop for a commit later than the margin.
RELATED_FULL_CHECK_S = 60.0
# Share of the embedding cosine in a story's score when both stories have a
# vector (khabar vectors). On the 344 BBC Hindi articles (khabar eval related,
# rows khabar-store and khabar-store-e5) precision@5 was 0.723 on words and
# tags alone, and 0.741 / 0.748 / 0.747 / 0.737 at weights 0.3 / 0.5 / 0.7 / 0.8.
RELATED_VECTOR_WEIGHT = 0.5
# Times the cosine of two stories' home and foreign mentions (the desk);
# overlap.DESK_WEIGHT, calibrated there.
RELATED_DESK_WEIGHT = 0.05
# A word score this high is the same story retold (a copy with chrome added,
# a new headline, the tail cut), not a related one: never returned. On the
# 344 BBC Hindi articles no two distinct stories scored above 0.33; of the
# 1,932 near copies `khabar eval dedup` generates from them, every one scored
# at least 0.62 against its source in both directions (truncation to 70%:
# 0.67 and up; a syndicated copy, headline, chrome and truncation at once:
# 0.655). Stories written to one template (daily market reports) can score
# this high too, and are taken for copies.
RELATED_NEAR_DUPLICATE = 0.6
# The most dimensions a stored vector may have (e5-small has 384).
MAX_VECTOR_DIMS = 4096


@dataclass
class _RelatedState:
    """The related-story index of one store object, and how far it has read."""

    index: OverlapIndex
    generation: int
    max_brief: int  # the highest brief id put
    brief_sum: int  # sum of the put articles' brief ids, for the checksum
    checked: float  # monotonic time of the last checksum
    max_vector: int = 0  # the highest article_vectors id read


def _tags_by_article(pairs: Iterable[Any]) -> dict[int, list[int]]:
    """``(article_id, tag_id)`` rows as article id -> its tag ids."""
    tags: dict[int, list[int]] = {}
    for aid, tag in pairs:
        tags.setdefault(int(aid), []).append(int(tag))
    return tags


class RelatedStore(SQLCore):
    """Articles and briefs (:class:`SQLCore`) plus the related-story index."""

    def related(self, article_id: int, *, k: int = 5) -> list[StoredBrief]:
        """Stories related to an article, best first.

        Related stories computed by the enrich step (:meth:`set_related`) win;
        without them, every stored story is ranked by shared words, weighted
        by idf (stemmed content words of headline, standfirst, bullets and
        the body's most frequent words: :func:`~khabar.store.base.article_terms`),
        plus shared tags, ties to the newer id. When the story has a vector
        (:meth:`set_vectors`, written by ``khabar vectors``), the 1,000
        stories with the best such score
        (:data:`~khabar.enrich.overlap.VECTOR_SHORTLIST`) are ranked by half
        that and half the cosine of their vectors (:data:`RELATED_VECTOR_WEIGHT`;
        a story without a vector counts the mean cosine,
        :data:`~khabar.enrich.overlap.NEUTRAL_COSINE`). Copies of the same
        body, and edited copies (a word score of :data:`RELATED_NEAR_DUPLICATE`
        or more), are never returned. The ranking runs on an in-process index
        of the stored terms (:class:`khabar.enrich.overlap.OverlapIndex`),
        built on the first call and brought up to date from the briefs written
        since, whenever the store's generation moved.
        """
        if k < 1 or not valid_id(article_id):
            return []
        with self._reading() as conn:
            stored = conn.execute(
                self._q(
                    "SELECT target_id FROM related_links WHERE article_id = ? AND kind = 'computed'"
                    " AND target_id IS NOT NULL ORDER BY position LIMIT ?"
                ),
                (article_id, k),
            ).fetchall()
            if stored:
                return self._by_ids(conn, [int(r[0]) for r in stored])
            with self._related_lock():
                index = self._related_index(conn)
                top = index.top(
                    article_id,
                    k,
                    tag_weight=RELATED_TAG_WEIGHT,
                    vector_weight=RELATED_VECTOR_WEIGHT,
                    near_duplicate=RELATED_NEAR_DUPLICATE,
                    desk_weight=RELATED_DESK_WEIGHT,
                )
            return self._by_ids(conn, [i for i, _ in top])

    def warm_up(self) -> None:
        """Build the related-story index now, so that no reader's first page waits for it.

        At 100,000 briefs the build takes several seconds; ``khabar serve``
        calls this in a background thread as it starts.
        """
        with self._reading() as conn, self._related_lock():
            self._related_index(conn)

    def _related_lock(self) -> threading.Lock:
        lock: threading.Lock = self.__dict__.setdefault("_related_mutex", threading.Lock())
        return lock

    def _related_index(self, conn: Any) -> OverlapIndex:
        """The related-story index, synced with the database (call with the lock held)."""
        # The generation is read before the rows: rows newer than it are only
        # read again at the next sync, never missed.
        generation = int(
            conn.execute("SELECT generation FROM store_state WHERE id = 1").fetchone()[0]
        )
        state: _RelatedState | None = self.__dict__.get("_related_state")
        now = time.monotonic()
        if state is None:
            state = self.__dict__["_related_state"] = self._related_build(conn, generation, now)
            return state.index
        if generation != state.generation:
            self._related_sync(conn, state)
            self._vector_sync(conn, state, max(0, state.max_vector - RELATED_SYNC_MARGIN))
            state.generation = generation
        if now - state.checked > RELATED_FULL_CHECK_S:
            row = conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(brief_id), 0) FROM articles"
                " WHERE brief_id IS NOT NULL"
            ).fetchone()
            if (int(row[0]), int(row[1])) != (len(state.index), state.brief_sum):
                state = self.__dict__["_related_state"] = self._related_build(conn, generation, now)
            newest = conn.execute("SELECT COALESCE(MAX(id), 0) FROM article_vectors").fetchone()
            if int(newest[0]) > state.max_vector:
                self._vector_sync(conn, state, 0)
            state.checked = now
        return state.index

    def _related_build(self, conn: Any, generation: int, now: float) -> _RelatedState:
        from ..enrich.overlap import OverlapIndex

        state = _RelatedState(OverlapIndex(), generation, 0, 0, now)
        tags = _tags_by_article(conn.execute("SELECT article_id, tag_id FROM article_tags"))
        last = 0
        while True:
            rows = conn.execute(
                self._q(
                    "SELECT id, brief_id, content_hash, terms, terms_version FROM articles"
                    " WHERE brief_id IS NOT NULL AND id > ? ORDER BY id LIMIT ?"
                ),
                (last, RELATED_BUILD_BATCH),
            ).fetchall()
            if not rows:
                self._vector_sync(conn, state, 0)
                return state
            self._related_put(conn, state, rows, tags)
            last = int(rows[-1][0])

    def _related_sync(self, conn: Any, state: _RelatedState) -> None:
        """Put the articles whose brief changed since the last sync."""
        index = state.index
        floor = max(0, state.max_brief - RELATED_SYNC_MARGIN)
        fresh = conn.execute(
            self._q("SELECT article_id, id FROM briefs WHERE id > ?"), (floor,)
        ).fetchall()
        changed = list(
            dict.fromkeys(int(a) for a, b in fresh if (index.version(int(a)) or 0) < int(b))
        )
        for start in range(0, len(changed), _CHUNK):
            chunk = changed[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = conn.execute(
                self._q(
                    "SELECT id, brief_id, content_hash, terms, terms_version FROM articles"
                    f" WHERE id IN ({marks}) AND brief_id IS NOT NULL"
                ),
                chunk,
            ).fetchall()
            tags = _tags_by_article(conn.execute(
                self._q(
                    f"SELECT article_id, tag_id FROM article_tags WHERE article_id IN ({marks})"
                ),
                chunk,
            ))
            self._related_put(conn, state, rows, tags)

    def _related_put(
        self, conn: Any, state: _RelatedState, rows: Sequence[Any], tags: dict[int, list[int]]
    ) -> None:
        terms = self._current_terms(conn, rows, save=True)
        for aid, brief_id, content_hash, *_ in rows:
            aid, brief_id = int(aid), int(brief_id)
            state.brief_sum += brief_id - (state.index.version(aid) or 0)
            text = terms.get(aid, "")  # "": its brief vanished since the rows were read
            words, desk = split_terms(text)
            state.index.put(aid, words, tags.get(aid, ()), content_hash, brief_id, desk)
            state.max_brief = max(state.max_brief, brief_id)

    def _current_terms(self, conn: Any, rows: Sequence[Any], *, save: bool) -> dict[int, str]:
        """Article id -> terms of ``(id, brief_id, hash, terms, terms_version)`` rows.

        Terms missing (stored before schema step 3) or of another
        :data:`~khabar.store.base.TERMS_VERSION` are recomputed from the
        stored brief; with ``save`` they are written back, so that only the
        first index build after an upgrade pays for them.
        """
        out = {int(r[0]): r[3] for r in rows if r[3] is not None and r[4] == TERMS_VERSION}
        stale = {int(r[0]): int(r[1]) for r in rows if int(r[0]) not in out}
        updates: list[tuple[str, int, int, int]] = []
        for old in self._by_ids(conn, list(stale)):
            out[old.article_id] = article_terms(old.data)
            if old.brief_id == stale[old.article_id]:
                updates.append(
                    (out[old.article_id], TERMS_VERSION, old.article_id, old.brief_id)
                )
        if save and updates:
            # Only while the brief is still the one the terms came from; a
            # store that cannot be written (read-only file) still serves them.
            with contextlib.suppress(StoreError), self._writing() as writer:
                writer.cursor().executemany(
                    self._q(
                        "UPDATE articles SET terms = ?, terms_version = ?"
                        " WHERE id = ? AND brief_id = ?"
                    ),
                    updates,
                )
        return out

    def _related_exact(self, article_id: int, *, k: int = 5) -> list[int]:
        """What the related-story index ranks first, by a plain scan of every article.

        The reference the index is tested against; no computed links, no index.
        """
        from ..enrich.overlap import VECTOR_SHORTLIST, blend, desk_cosine, idf_weight, pair_score

        with self._reading() as conn:
            rows = conn.execute(
                "SELECT id, brief_id, content_hash, terms, terms_version FROM articles"
                " WHERE brief_id IS NOT NULL"
            ).fetchall()
            tag_rows = conn.execute("SELECT article_id, tag_id FROM article_tags").fetchall()
            current = self._current_terms(conn, rows, save=False)
        tags: dict[int, set[int]] = {}
        for aid, tag in tag_rows:
            tags.setdefault(int(aid), set()).add(int(tag))
        stories: dict[int, tuple[Any, set[str]]] = {}
        desks: dict[int, tuple[int, int]] = {}
        for r in rows:
            words, desks[int(r[0])] = split_terms(current.get(int(r[0]), ""))
            stories[int(r[0])] = (r[2], set(words))
        if article_id not in stories:
            return []
        my_desk = desks[article_id]
        df: Counter[str] = Counter()
        for _, theirs in stories.values():
            df.update(theirs)
        weight = {t: idf_weight(len(stories), df[t]) for t in df}
        vectors = self._vectors_exact()
        if article_id not in vectors:
            vectors = {}
        my_hash, mine = stories[article_id]
        my_weight = sum(weight[t] for t in mine)
        my_tags = tags.get(article_id, set())
        scored: list[tuple[float, int]] = []
        for other, (content_hash, theirs) in stories.items():
            if other == article_id or content_hash == my_hash:
                continue
            shared = sum(weight[t] for t in mine & theirs)
            word = pair_score(shared, my_weight, len(mine), len(theirs), 0, 0)
            if word >= RELATED_NEAR_DUPLICATE:
                continue  # an edited copy of the story, not a related one
            score = pair_score(
                shared,
                my_weight,
                len(mine),
                len(theirs),
                len(my_tags & tags.get(other, set())),
                len(my_tags),
                RELATED_TAG_WEIGHT,
            )
            if RELATED_DESK_WEIGHT > 0:
                score += RELATED_DESK_WEIGHT * desk_cosine(my_desk, desks[other])
            if score > 0 or vectors:
                scored.append((score, other))
        if vectors:
            import numpy as np

            mine_vec = vectors[article_id] / np.float32(np.linalg.norm(vectors[article_id]))
            if len(scored) > VECTOR_SHORTLIST:
                edge = sorted((sc for sc, _ in scored), reverse=True)[VECTOR_SHORTLIST - 1]
                scored = [(sc, o) for sc, o in scored if sc >= edge]
            scored = [
                (float(blend(sc, _cosine(vectors.get(o), mine_vec), RELATED_VECTOR_WEIGHT)), o)
                for sc, o in scored
            ]
        scored.sort(key=lambda s: (-s[0], -s[1]))
        return [i for _, i in scored[:k]]

    def _vector_sync(self, conn: Any, state: _RelatedState, floor: int) -> None:
        """Give the index the vectors written after ``floor`` (article_vectors ids).

        Only vectors of the brief the index holds are used: one of an older
        brief was made from text the story no longer has. Ids are read
        first and vectors only for the rows the index lacks, so the margin
        re-read after each write costs little.
        """
        index = state.index
        while True:
            rows = conn.execute(
                self._q(
                    "SELECT id, article_id, brief_id FROM article_vectors"
                    " WHERE id > ? ORDER BY id LIMIT ?"
                ),
                (floor, RELATED_BUILD_BATCH),
            ).fetchall()
            if not rows:
                return
            need = [
                int(vid)
                for vid, aid, brief_id in rows
                if index.version(int(aid)) == int(brief_id)
                and (int(vid) > state.max_vector or not index.has_vector(int(aid)))
            ]
            for start in range(0, len(need), _CHUNK):
                chunk = need[start : start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                for aid, blob in conn.execute(
                    self._q(
                        f"SELECT article_id, vector FROM article_vectors WHERE id IN ({marks})"
                    ),
                    chunk,
                ):
                    vector = decode_vector(blob)
                    if vector is not None:
                        with contextlib.suppress(ValueError):  # another model's length
                            index.set_vector(int(aid), vector)
            state.max_vector = max(state.max_vector, int(rows[-1][0]))
            floor = int(rows[-1][0])

    def set_vectors(self, items: Iterable[tuple[int, int, Sequence[float]]], *, model: str) -> int:
        """Store ``(article_id, brief_id, vector)`` embeddings; how many were written.

        A vector is kept only while ``brief_id`` is still the article's
        brief (one made from an older text is skipped). Vectors are stored
        as float16, normalised; :meth:`related` uses them from its next call.

        Raises:
            InputError: a vector is empty, longer than :data:`MAX_VECTOR_DIMS`,
                zero or not finite (``reason="bad_vector"``).
        """
        rows = [(int(a), int(b), encode_vector(v)) for a, b, v in items]
        if not rows:
            return 0
        written = 0
        with self._writing() as conn:
            for article_id, brief_id, blob in rows:
                current = conn.execute(
                    self._q("SELECT 1 FROM articles WHERE id = ? AND brief_id = ?"),
                    (article_id, brief_id),
                ).fetchone()
                if current is None:
                    continue
                conn.execute(
                    self._q("DELETE FROM article_vectors WHERE article_id = ?"), (article_id,)
                )
                conn.execute(
                    self._q(
                        "INSERT INTO article_vectors (article_id, brief_id, model, vector)"
                        " VALUES (?, ?, ?, ?)"
                    ),
                    (article_id, brief_id, model, blob),
                )
                written += 1
            if written:
                self._bump(conn)
        return written

    def vector_backlog(self, *, model: str, limit: int = 100) -> list[StoredBrief]:
        """Stored briefs that have no ``model`` vector of their current brief, by article id."""
        if limit < 1:
            return []
        with self._reading() as conn:
            found = conn.execute(
                self._q(
                    "SELECT a.id FROM articles a LEFT JOIN article_vectors v"
                    " ON v.article_id = a.id AND v.brief_id = a.brief_id AND v.model = ?"
                    " WHERE a.brief_id IS NOT NULL AND v.id IS NULL ORDER BY a.id LIMIT ?"
                ),
                (model, limit),
            ).fetchall()
            return self._by_ids(conn, [int(r[0]) for r in found])

    def vectors_of(self, article_ids: Sequence[int]) -> dict[int, Any]:
        """Article id -> the vector of its current brief (float32), for those that have one."""
        out: dict[int, Any] = {}
        ids = [int(i) for i in article_ids if valid_id(i)]
        with self._reading() as conn:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                out |= self._current_vectors(conn, f" WHERE v.article_id IN ({marks})", chunk)
        return out

    def _vectors_exact(self) -> dict[int, Any]:
        """Article id -> its current brief's vector, read by a plain scan (for tests)."""
        with self._reading() as conn:
            return self._current_vectors(conn, " ORDER BY v.article_id", ())

    def _current_vectors(self, conn: Any, rest: str, params: Sequence[Any]) -> dict[int, Any]:
        """Article id -> decoded vector of its current brief, for the rows ``rest`` selects."""
        rows = conn.execute(
            self._q(
                "SELECT v.article_id, v.vector FROM article_vectors v"
                " JOIN articles a ON a.id = v.article_id AND a.brief_id = v.brief_id" + rest
            ),
            params,
        )
        out = {int(aid): decode_vector(blob) for aid, blob in rows}
        return {aid: vec for aid, vec in out.items() if vec is not None}


def _cosine(vector: Any, unit_query: Any) -> float:
    """Cosine with a normalised query vector, as the index computes it (neutral without one)."""
    from ..enrich.overlap import NEUTRAL_COSINE

    if vector is None:
        return NEUTRAL_COSINE
    import numpy as np

    return float(vector / np.float32(np.linalg.norm(vector)) @ unit_query)


def encode_vector(vector: Sequence[float] | Any) -> bytes:
    """A vector as stored: L2-normalised float16, little-endian.

    Raises:
        InputError: empty, too long, zero or not finite (``reason="bad_vector"``).
    """
    import numpy as np

    try:
        vec = np.asarray(vector, dtype=np.float64).ravel()
    except (TypeError, ValueError) as exc:
        raise InputError(f"a vector must be numbers: {exc}", reason="bad_vector") from exc
    norm = float(np.linalg.norm(vec)) if len(vec) else 0.0
    if not 0 < len(vec) <= MAX_VECTOR_DIMS or not math.isfinite(norm) or norm == 0:
        raise InputError(
            f"a vector must have 1-{MAX_VECTOR_DIMS} finite numbers, not all zero",
            reason="bad_vector",
        )
    return (vec / norm).astype("<f2").tobytes()


def decode_vector(blob: Any) -> Any:
    """A stored vector as float32 (None when the bytes are not float16 values)."""
    import numpy as np

    data = bytes(blob)
    if not data or len(data) % 2:
        return None
    vec = np.frombuffer(data, dtype="<f2").astype(np.float32)
    return vec if bool(np.isfinite(vec).all()) and vec.any() else None
