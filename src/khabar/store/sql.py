"""Clusters, computed related links and feedback: the SQL both backends share.

On top of :mod:`.related` (the related-story index) and :mod:`.core` (articles and briefs).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import InputError
from .base import (
    check_feedback,
    check_limit,
    utcnow,
)
from .core import _CHUNK, valid_id
from .related import RelatedStore


class SQLStore(RelatedStore):
    """The whole store, minus the backend hooks that SQLiteStore and PostgresStore add."""

    def set_related(self, article_id: int, related: Sequence[int | tuple[int, float]]) -> None:
        """Replace the computed related stories of an article (ids best first, or (id, score))."""
        with self._writing() as conn:
            conn.execute(
                self._q("DELETE FROM related_links WHERE article_id = ? AND kind = 'computed'"),
                (article_id,),
            )
            for pos, item in enumerate(related):
                target, score = item if isinstance(item, tuple) else (item, None)
                conn.execute(
                    self._q(
                        "INSERT INTO related_links (article_id, kind, position, target_id, score)"
                        " SELECT ?, 'computed', ?, id, ? FROM articles WHERE id = ?"
                    ),
                    (article_id, pos, score, int(target)),
                )
            self._bump(conn)

    def set_clusters(self, groups: Iterable[Any], *, scope: Iterable[int] | None = None) -> int:
        """Replace the clusters of ``scope`` (default: every cluster); return how many were stored.

        Each group is a sequence of article ids with the representative first,
        or an object with ``representative`` and ``members`` (like
        :class:`khabar.enrich.clusters.StoryCluster`, whose ids are strings of
        article ids), optionally with a ``label``. Unknown ids are skipped.

        With ``scope`` (the article ids that were clustered), only those
        articles leave their old clusters: a cluster of older stories that
        the run did not see stays, and one left with a single member goes.
        """
        prepared: list[tuple[list[int], str | None]] = []
        for group in groups:
            members = getattr(group, "members", group)
            rep = getattr(group, "representative", None)
            try:
                ids = [int(m) for m in members]
                if rep is not None:
                    ids = [int(rep), *(i for i in ids if i != int(rep))]
            except (TypeError, ValueError) as exc:
                raise InputError(
                    "cluster members must be article ids", reason="bad_cluster"
                ) from exc
            prepared.append((list(dict.fromkeys(ids)), getattr(group, "label", None)))
        now, stored = utcnow(), 0
        with self._writing() as conn:
            if scope is None:
                conn.execute("DELETE FROM cluster_members")
                conn.execute("DELETE FROM clusters")
            else:  # a member of a new group leaves its old cluster too: one cluster each
                leaving = [*scope, *(i for ids, _ in prepared for i in ids)]
                self._leave_clusters(conn, [i for i in dict.fromkeys(leaving) if valid_id(i)])
            for ids, label in prepared:
                known = set(self._existing(conn, ids))
                ids = [i for i in ids if i in known]
                if not ids:
                    continue
                cluster_id = conn.execute(
                    self._q(
                        "INSERT INTO clusters (representative_id, label, created_at)"
                        " VALUES (?, ?, ?) RETURNING id"
                    ),
                    (ids[0], label, now),
                ).fetchone()[0]
                for pos, aid in enumerate(ids):
                    conn.execute(
                        self._q(
                            "INSERT INTO cluster_members (cluster_id, article_id, position)"
                            " VALUES (?, ?, ?)"
                        ),
                        (cluster_id, aid, pos),
                    )
                stored += 1
            self._bump(conn)
        return stored

    def add_feedback(
        self, brief_id: int, *, useful: bool, reason: str | None = None, text: str | None = None
    ) -> int:
        """Record a reader's verdict on a summary; return the feedback id once committed.

        Raises:
            InputError: unknown brief (reason ``not_found``), unknown reason or text too long.
        """
        reason, text = check_feedback(reason, text)
        if not valid_id(brief_id):
            raise InputError(f"no brief with id {brief_id}", reason="not_found")
        with self._writing() as conn:
            if conn.execute(self._q("SELECT 1 FROM briefs WHERE id = ?"), (brief_id,)).fetchone():
                row = conn.execute(
                    self._q(
                        "INSERT INTO feedback (brief_id, useful, reason, text, created_at)"
                        " VALUES (?, ?, ?, ?, ?) RETURNING id"
                    ),
                    (brief_id, bool(useful), reason, text, utcnow()),
                ).fetchone()
                return int(row[0])
        raise InputError(f"no brief with id {brief_id}", reason="not_found")

    def clusters(self, *, limit: int = 50, min_size: int = 2) -> list[dict[str, Any]]:
        """Stored clusters, largest first: ``{id, label, size, representative, members}``.

        ``members`` lists every brief of the cluster, the representative first.
        """
        with self._reading() as conn:
            rows = conn.execute(
                self._q(
                    "SELECT c.id, c.label, COUNT(*) AS n FROM clusters c"
                    " JOIN cluster_members m ON m.cluster_id = c.id GROUP BY c.id, c.label"
                    " HAVING COUNT(*) >= ? ORDER BY n DESC, c.id LIMIT ?"
                ),
                (min_size, check_limit(limit)),
            ).fetchall()
            return self._expand_clusters(conn, [(int(r[0]), r[1]) for r in rows])

    def cluster_of(self, article_id: int) -> dict[str, Any] | None:
        """The cluster an article belongs to (same shape as :meth:`clusters`), or None."""
        if not valid_id(article_id):
            return None
        with self._reading() as conn:
            row = conn.execute(
                self._q(
                    "SELECT c.id, c.label FROM clusters c JOIN cluster_members m"
                    " ON m.cluster_id = c.id WHERE m.article_id = ? ORDER BY c.id LIMIT 1"
                ),
                (article_id,),
            ).fetchone()
            found = self._expand_clusters(conn, [(int(row[0]), row[1])]) if row else []
        return found[0] if found else None

    def feedback_stats(self) -> list[dict[str, Any]]:
        """Feedback per summarizer version, every version that made a brief included.

        Each item: ``{summarizer, name, version, briefs, total, useful,
        not_useful, useful_rate, reasons}``; ``useful_rate`` is None without feedback.
        """
        with self._reading() as conn:
            versions = conn.execute(
                "SELECT summarizer, summarizer_version, COUNT(*) FROM briefs"
                " GROUP BY summarizer, summarizer_version"
            ).fetchall()
            votes = conn.execute(
                "SELECT b.summarizer, b.summarizer_version, f.useful, f.reason, COUNT(*)"
                " FROM feedback f JOIN briefs b ON b.id = f.brief_id"
                " GROUP BY b.summarizer, b.summarizer_version, f.useful, f.reason"
            ).fetchall()
        stats: dict[tuple[str, str], dict[str, Any]] = {}
        for name, version, n in versions:
            stats[(name, version)] = {
                "summarizer": f"{name}/{version}" if version else name,
                "name": name,
                "version": version,
                "briefs": int(n),
                "total": 0,
                "useful": 0,
                "not_useful": 0,
                "useful_rate": None,
                "reasons": {},
            }
        for name, version, useful, reason, n in votes:
            entry = stats[(name, version)]
            entry["total"] += int(n)
            entry["useful" if useful else "not_useful"] += int(n)
            if reason:
                entry["reasons"][reason] = entry["reasons"].get(reason, 0) + int(n)
        for entry in stats.values():
            if entry["total"]:
                entry["useful_rate"] = round(entry["useful"] / entry["total"], 4)
        return sorted(stats.values(), key=lambda e: (-e["total"], e["summarizer"]))

    def _leave_clusters(self, conn: Any, ids: Sequence[int]) -> None:
        """Take ``ids`` out of their clusters; drop clusters left with one member."""
        touched: set[int] = set()
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = conn.execute(
                self._q(f"SELECT DISTINCT cluster_id FROM cluster_members"
                        f" WHERE article_id IN ({marks})"),
                chunk,
            ).fetchall()
            touched.update(int(r[0]) for r in rows)
            conn.execute(
                self._q(f"DELETE FROM cluster_members WHERE article_id IN ({marks})"), chunk
            )
        for cluster_id in sorted(touched):
            left = conn.execute(
                self._q("SELECT article_id FROM cluster_members WHERE cluster_id = ?"
                        " ORDER BY position"),
                (cluster_id,),
            ).fetchall()
            if len(left) < 2:
                conn.execute(self._q("DELETE FROM cluster_members WHERE cluster_id = ?"),
                             (cluster_id,))
                conn.execute(self._q("DELETE FROM clusters WHERE id = ?"), (cluster_id,))
            else:  # its representative may have left: the next member stands for it
                conn.execute(self._q("UPDATE clusters SET representative_id = ? WHERE id = ?"),
                             (int(left[0][0]), cluster_id))

    def _existing(self, conn: Any, ids: Sequence[int]) -> list[int]:
        out: list[int] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = conn.execute(
                self._q(f"SELECT id FROM articles WHERE id IN ({marks})"), chunk
            ).fetchall()
            out += [int(r[0]) for r in rows]
        return out

    def _expand_clusters(
        self, conn: Any, clusters: Sequence[tuple[int, str | None]]
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for cluster_id, label in clusters:
            rows = conn.execute(
                self._q(
                    "SELECT article_id FROM cluster_members WHERE cluster_id = ? ORDER BY position"
                ),
                (cluster_id,),
            ).fetchall()
            members = self._by_ids(conn, [int(r[0]) for r in rows])
            if members:
                out.append(
                    {
                        "id": cluster_id,
                        "label": label,
                        "size": len(members),
                        "representative": members[0],
                        "members": members,
                    }
                )
        return out
