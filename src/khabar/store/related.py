"""The related-story index behind :meth:`Store.related`: the SQL both backends share.

Each store object keeps an in-process :class:`~khabar.enrich.overlap.OverlapIndex`
of every stored story's terms and tags, built on the first call and synced
from the tables whenever the store's generation moves.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from .base import TERMS_VERSION, StoredBrief, article_terms
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


@dataclass
class _RelatedState:
    """The related-story index of one store object, and how far it has read."""

    index: OverlapIndex
    generation: int
    max_brief: int  # the highest brief id put
    brief_sum: int  # sum of the put articles' brief ids, for the checksum
    checked: float  # monotonic time of the last checksum


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
        plus shared tags, ties to the newer id. Copies of the same body are never
        returned. The ranking runs on an in-process index of the stored terms
        (:class:`khabar.enrich.overlap.OverlapIndex`), built on the first call
        and brought up to date from the briefs written since, whenever the
        store's generation moved.
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
                top = index.top(article_id, k, tag_weight=RELATED_TAG_WEIGHT)
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
            state.generation = generation
        if now - state.checked > RELATED_FULL_CHECK_S:
            row = conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(brief_id), 0) FROM articles"
                " WHERE brief_id IS NOT NULL"
            ).fetchone()
            if (int(row[0]), int(row[1])) != (len(state.index), state.brief_sum):
                state = self.__dict__["_related_state"] = self._related_build(conn, generation, now)
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
            state.index.put(aid, text.split(), tags.get(aid, ()), content_hash, brief_id)
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
        from ..enrich.overlap import idf_weight, pair_score

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
        stories = {int(r[0]): (r[2], set(current.get(int(r[0]), "").split())) for r in rows}
        if article_id not in stories:
            return []
        df: Counter[str] = Counter()
        for _, theirs in stories.values():
            df.update(theirs)
        weight = {t: idf_weight(len(stories), df[t]) for t in df}
        my_hash, mine = stories[article_id]
        my_weight = sum(weight[t] for t in mine)
        my_tags = tags.get(article_id, set())
        scored: list[tuple[float, int]] = []
        for other, (content_hash, theirs) in stories.items():
            if other == article_id or content_hash == my_hash:
                continue
            score = pair_score(
                sum(weight[t] for t in mine & theirs),
                my_weight,
                len(mine),
                len(theirs),
                len(my_tags & tags.get(other, set())),
                len(my_tags),
                RELATED_TAG_WEIGHT,
            )
            if score > 0:
                scored.append((score, other))
        scored.sort(key=lambda s: (-s[0], -s[1]))
        return [i for _, i in scored[:k]]
