"""The core SQL both backends share; a backend supplies connections, JSON and full-text search.

Queries are written once with ``?`` placeholders; :meth:`SQLStore._q`
rewrites them for drivers that use ``%s``. Writes go through
:meth:`SQLStore._writing` (one transaction, the backend's write lock held),
reads through :meth:`SQLStore._reading`.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from .. import __version__
from ..errors import StoreError
from ..models import Brief
from .base import (
    MAX_QUERY_TOKENS,
    TERMS_VERSION,
    BriefPage,
    StoredBrief,
    UpsertStatus,
    article_terms,
    check_date,
    check_limit,
    decode_cursor,
    encode_cursor,
    search_document,
    search_tokens,
    source_of,
    split_summarizer,
    utcnow,
)

_COLUMNS = "a.id, a.brief_id, a.url, a.content_hash, a.revision, a.created_at, a.updated_at, b.data"
_FROM = "FROM articles a JOIN briefs b ON b.id = a.brief_id"
# Ids per IN (...) list: well under SQLite's variable limit.
_CHUNK = 500
# Store errors that pass: a deadlock or serialization failure ("locked"), a
# connection the server or the network dropped ("unavailable").
_PASSING = frozenset({"locked", "unavailable"})
T = TypeVar("T")


def valid_id(value: object) -> bool:
    """True for an int both databases can hold as a row id (1 .. 2**63 - 1)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


class SQLCore:
    """Articles and briefs: writing, reading, listing, searching; backends implement the hooks."""

    dialect = "sql"
    _placeholder = "?"
    _for_update = ""
    # Seconds to wait before each new try of an upsert that failed for a reason
    # that passes (:data:`_PASSING`); none by default. An upsert is idempotent,
    # so a try whose commit went through but whose answer was lost is
    # "unchanged" the next time, never a second copy.
    _write_retry_delays: tuple[float, ...] = ()

    # -- writing -----------------------------------------------------------

    def upsert_brief(self, brief: Brief, *, url: str | None = None) -> StoredBrief:
        """Store ``brief`` idempotently; see :meth:`upsert` for the rules."""
        return self.upsert(brief, url=url)[0]

    def upsert(self, brief: Brief, *, url: str | None = None) -> tuple[StoredBrief, UpsertStatus]:
        """Store ``brief`` and say what happened.

        The article is identified by its canonical URL (``brief.article.
        canonical_url``, else ``url``); a page without any URL is identified
        by its content hash. The same content and summary again is
        ``"unchanged"``; a new body is ``"updated"`` (revision + 1); the same
        body with a different summary (a new summarizer) is ``"rebriefed"``.
        Every brief is kept, so feedback stays tied to what readers saw.
        """

        def write() -> tuple[StoredBrief, UpsertStatus]:
            with self._writing() as conn:
                result = self._upsert_in(conn, brief, url)
                if result[1] != "unchanged":
                    self._bump(conn)
                return result

        return self._retrying(write)

    def upsert_many(
        self, items: Iterable[Brief | tuple[Brief, str | None]]
    ) -> list[tuple[StoredBrief, UpsertStatus]]:
        """:meth:`upsert` many briefs (or ``(brief, url)`` pairs) in one transaction.

        One commit instead of one per page: the batch loader's fast path.
        All or nothing: an error rolls the whole batch back.
        """
        pairs = [item if isinstance(item, tuple) else (item, None) for item in items]

        def write() -> list[tuple[StoredBrief, UpsertStatus]]:
            out: list[tuple[StoredBrief, UpsertStatus]] = []
            with self._writing() as conn:
                for brief, url in pairs:
                    out.append(self._upsert_in(conn, brief, url))
                if any(status != "unchanged" for _, status in out):
                    self._bump(conn)
            return out

        return self._retrying(write)

    def _retrying(self, write: Callable[[], T]) -> T:
        """``write()``, tried again after each of :attr:`_write_retry_delays` while it fails
        for a reason that passes; the last failure is raised."""
        for delay in self._write_retry_delays:
            try:
                return write()
            except StoreError as exc:
                if exc.reason not in _PASSING:
                    raise
            time.sleep(delay)
        return write()

    def _bump(self, conn: Any) -> None:
        """Advance the content generation; the last statement before COMMIT.

        Last, because on PostgreSQL the row lock it takes serialises writers
        until they commit: taken at the end, it is held for microseconds.
        """
        conn.execute("UPDATE store_state SET generation = generation + 1 WHERE id = 1")

    def _find(self, conn: Any, page_url: str | None, content_hash: str) -> Any:
        """(id, content_hash, revision, brief_id) of the stored article, locked, or None."""
        if page_url is None:
            sql = (
                "SELECT id, content_hash, revision, brief_id FROM articles"
                f" WHERE content_hash = ? ORDER BY id LIMIT 1{self._for_update}"
            )
            return conn.execute(self._q(sql), (content_hash,)).fetchone()
        sql = (
            "SELECT id, content_hash, revision, brief_id FROM articles"
            f" WHERE url_key = ?{self._for_update}"
        )
        return conn.execute(self._q(sql), (page_url,)).fetchone()

    def _upsert_in(
        self, conn: Any, brief: Brief, url: str | None
    ) -> tuple[StoredBrief, UpsertStatus]:
        page_url = (brief.article.canonical_url or url or "").strip() or None
        content_hash = brief.article.content_hash
        data = brief.to_dict()
        now = utcnow()
        row = self._find(conn, page_url, content_hash)
        article_id = None
        if row is None:
            # DO NOTHING: a concurrent writer (PostgreSQL) may have stored the
            # same page since the lookup; then this becomes an update of it.
            found = conn.execute(
                self._q(
                    "INSERT INTO articles (url_key, url, content_hash, title, language, source,"
                    " published, revision, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)"
                    " ON CONFLICT (url_key) DO NOTHING RETURNING id"
                ),
                (
                    page_url or f"sha256:{content_hash}",
                    page_url,
                    content_hash,
                    brief.title,
                    brief.article.language,
                    source_of(brief, page_url),
                    (brief.article.date or now)[:10],
                    now,
                    now,
                ),
            ).fetchone()
            if found is None:
                row = self._find(conn, page_url, content_hash)
            else:
                article_id = found[0]
        status: UpsertStatus
        if article_id is not None:
            revision, status = 1, "stored"
        else:
            article_id, old_hash, revision, old_brief = row
            old = conn.execute(
                self._q("SELECT data FROM briefs WHERE id = ?"), (old_brief,)
            ).fetchone()
            if old_hash == content_hash and old and self._json_out(old[0]) == data:
                status = "unchanged"
            else:
                status = "rebriefed" if old_hash == content_hash else "updated"
                revision += status == "updated"
        if status != "unchanged":
            self._write_brief(conn, article_id, revision, brief, data, now, status)
        stored = self._fetch_one(conn, "a.id = ?", (article_id,))
        assert stored is not None  # written in this transaction
        return stored, status

    def _write_brief(
        self,
        conn: Any,
        article_id: int,
        revision: int,
        brief: Brief,
        data: dict[str, Any],
        now: str,
        status: UpsertStatus,
    ) -> None:
        """Insert the brief and its bullets; refresh the article's tags, links and index."""
        name, version = split_summarizer(brief.summarizer)
        brief_id = conn.execute(
            self._q(
                "INSERT INTO briefs (article_id, revision, content_hash, summarizer,"
                " summarizer_version, khabar_version, data, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
            ),
            (
                article_id,
                revision,
                brief.article.content_hash,
                name,
                version,
                __version__,
                self._json_in(data),
                now,
            ),
        ).fetchone()[0]
        for pos, bullet in enumerate(brief.bullets):
            conn.execute(
                self._q(
                    "INSERT INTO bullets (brief_id, position, text, source_sentences, support)"
                    " VALUES (?, ?, ?, ?, ?)"
                ),
                (
                    brief_id,
                    pos,
                    bullet.text,
                    json.dumps(list(bullet.source_sentences)),
                    float(bullet.support),
                ),
            )
        terms = article_terms(data)
        if status == "stored":
            conn.execute(
                self._q(
                    "UPDATE articles SET brief_id = ?, terms = ?, terms_version = ? WHERE id = ?"
                ),
                (brief_id, terms, TERMS_VERSION, article_id),
            )
        else:
            conn.execute(
                self._q(
                    "UPDATE articles SET brief_id = ?, revision = ?, content_hash = ?, title = ?,"
                    " language = ?, published = COALESCE(?, published), updated_at = ?,"
                    " terms = ?, terms_version = ? WHERE id = ?"
                ),
                (
                    brief_id,
                    revision,
                    brief.article.content_hash,
                    brief.title,
                    brief.article.language,
                    (brief.article.date or "")[:10] or None,
                    now,
                    terms,
                    TERMS_VERSION,
                    article_id,
                ),
            )
            conn.execute(self._q("DELETE FROM article_tags WHERE article_id = ?"), (article_id,))
            conn.execute(
                self._q("DELETE FROM related_links WHERE article_id = ? AND kind = 'publisher'"),
                (article_id,),
            )
        for pos, tag in enumerate(brief.tags):
            conn.execute(
                self._q(
                    "INSERT INTO tags (slug, name, english) VALUES (?, ?, ?)"
                    " ON CONFLICT (slug) DO NOTHING"
                ),
                (tag.slug, tag.name, tag.english),
            )
            conn.execute(
                self._q(
                    "INSERT INTO article_tags (article_id, tag_id, position, source)"
                    " SELECT ?, id, ?, ? FROM tags WHERE slug = ?"
                    " ON CONFLICT (article_id, tag_id) DO NOTHING"
                ),
                (article_id, pos, tag.source, tag.slug),
            )
        for pos, link in enumerate(brief.article.related_links):
            conn.execute(
                self._q(
                    "INSERT INTO related_links (article_id, kind, position, target)"
                    " VALUES (?, 'publisher', ?, ?)"
                ),
                (article_id, pos, link),
            )
        self._index(conn, article_id, search_document(data))

    # -- reading -----------------------------------------------------------

    def get(self, article_id: int) -> StoredBrief | None:
        """The article with this id and its current brief, or None."""
        if not valid_id(article_id):
            return None
        with self._reading() as conn:
            return self._fetch_one(conn, "a.id = ?", (article_id,))

    def get_by_url(self, url: str) -> StoredBrief | None:
        """The article stored under this URL, or None."""
        with self._reading() as conn:
            return self._fetch_one(conn, "a.url = ?", (url.strip(),))

    def get_brief(self, brief_id: int) -> StoredBrief | None:
        """The article of a brief id, with that (possibly older) brief as ``data``."""
        if not valid_id(brief_id):
            return None
        with self._reading() as conn:
            row = conn.execute(
                self._q(
                    "SELECT a.id, b.id, a.url, b.content_hash, b.revision, a.created_at,"
                    " b.created_at, b.data FROM briefs b JOIN articles a ON a.id = b.article_id"
                    " WHERE b.id = ?"
                ),
                (brief_id,),
            ).fetchone()
        return self._stored(row) if row else None

    def list_briefs(
        self,
        *,
        cursor: str | None = None,
        limit: int = 20,
        tag: str | None = None,
        language: str | None = None,
        source: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> BriefPage:
        """Briefs newest first (by article date, then id), ``limit`` at a time.

        Pagination is by keyset, so page 1,000 costs what page 1 costs.

        Raises:
            InputError: a forged cursor, a bad date or a limit below 1.
        """
        limit = check_limit(limit)
        where: list[str] = []
        params: list[Any] = []
        if cursor:
            published, last_id = decode_cursor(cursor)
            # A row-value comparison, not "p < ? OR (p = ? AND id < ?)": both
            # databases turn it into one range scan of the feed index, so page
            # 1,000 costs what page 1 costs (benchmarks/store_pagination.py).
            where.append("(a.published, a.id) < (?, ?)")
            params += [published, last_id]
        if tag:
            # The two planners want different spellings of the same filter.
            # PostgreSQL, given the tag's id first, walks the feed index and
            # probes each row (5 ms on 100,000 briefs) where EXISTS-with-join
            # made it sort every tagged row (258 ms); SQLite is the other way
            # round (0.8 ms with EXISTS, 22 ms with IN on 20,000 briefs).
            if self.dialect == "postgres":
                where.append(
                    "a.id IN (SELECT t.article_id FROM article_tags t"
                    " WHERE t.tag_id = (SELECT g.id FROM tags g WHERE g.slug = ?))"
                )
            else:
                where.append(
                    "EXISTS (SELECT 1 FROM article_tags t JOIN tags g ON g.id = t.tag_id"
                    " WHERE t.article_id = a.id AND g.slug = ?)"
                )
            params.append(tag)
        for column, value in (("language", language), ("source", source)):
            if value:
                where.append(f"a.{column} = ?")
                params.append(value)
        if (start := check_date(date_from, "date_from")) is not None:
            where.append("a.published >= ?")
            params.append(start)
        if (end := check_date(date_to, "date_to")) is not None:
            where.append("a.published <= ?")
            params.append(end)
        sql = f"SELECT {_COLUMNS}, a.published {_FROM}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.published DESC, a.id DESC LIMIT ?"
        with self._reading() as conn:
            rows = conn.execute(self._q(sql), (*params, limit + 1)).fetchall()
        items = [self._stored(r[:8]) for r in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            next_cursor = encode_cursor(last[8], last[0])
        return BriefPage(items=items, next_cursor=next_cursor)

    def search(self, query: str, *, limit: int = 20) -> list[StoredBrief]:
        """Articles holding every word of ``query`` (whole words, NFC), best match first.

        A query with no word in it (only punctuation or a lone matra) finds nothing.
        """
        limit = check_limit(limit)
        tokens = search_tokens(query)[:MAX_QUERY_TOKENS]
        if not tokens:
            return []
        with self._reading() as conn:
            ids = self._search_ids(conn, tokens, limit, any_word=False)
            return self._by_ids(conn, ids)

    def by_tag(self, slug: str, *, limit: int = 20) -> list[StoredBrief]:
        """The newest briefs with this tag."""
        return self.list_briefs(tag=slug, limit=limit).items

    def tags(self, *, limit: int = 100) -> list[tuple[str, str, str, int]]:
        """Tags by use: (name, english, slug, number of articles)."""
        with self._reading() as conn:
            rows = conn.execute(
                self._q(
                    "SELECT g.name, g.english, g.slug, COUNT(*) AS n FROM tags g"
                    " JOIN article_tags t ON t.tag_id = g.id"
                    " GROUP BY g.id, g.name, g.english, g.slug ORDER BY n DESC, g.slug LIMIT ?"
                ),
                (check_limit(limit),),
            ).fetchall()
        return [(r[0], r[1], r[2], int(r[3])) for r in rows]

    def generation(self) -> int:
        """A number that grows whenever stored content a page shows changes, in any process.

        New and updated briefs, related stories and clusters advance it;
        feedback does not. Caches of rendered pages key on it.
        """
        with self._reading() as conn:
            row = conn.execute("SELECT generation FROM store_state WHERE id = 1").fetchone()
        return int(row[0])

    def count(self) -> int:
        """Number of stored articles."""
        with self._reading() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    # -- shared helpers ------------------------------------------------------

    def _q(self, sql: str) -> str:
        """The query in the driver's placeholder style."""
        return sql if self._placeholder == "?" else sql.replace("?", self._placeholder)

    def _stored(self, row: Sequence[Any]) -> StoredBrief:
        """A StoredBrief from (id, brief_id, url, hash, revision, created, updated, data)."""
        return StoredBrief(
            article_id=int(row[0]),
            brief_id=int(row[1]),
            url=row[2],
            content_hash=row[3],
            revision=int(row[4]),
            created_at=row[5],
            updated_at=row[6],
            data=self._json_out(row[7]),
        )

    def _fetch_one(self, conn: Any, where: str, params: Sequence[Any]) -> StoredBrief | None:
        row = conn.execute(self._q(f"SELECT {_COLUMNS} {_FROM} WHERE {where}"), params).fetchone()
        return self._stored(row) if row else None

    def _by_ids(self, conn: Any, ids: Sequence[int]) -> list[StoredBrief]:
        """Stored briefs for ``ids``, in the order given; unknown ids dropped."""
        found: dict[int, StoredBrief] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = conn.execute(
                self._q(f"SELECT {_COLUMNS} {_FROM} WHERE a.id IN ({marks})"), chunk
            ).fetchall()
            found.update((int(r[0]), self._stored(r)) for r in rows)
        return [found[i] for i in ids if i in found]

    # -- backend hooks -------------------------------------------------------

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Any]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Any]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield

    def _json_in(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _json_out(self, value: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _index(self, conn: Any, article_id: int, document: str) -> None:
        """Make the article findable by the words of ``document``."""
        raise NotImplementedError

    def _search_ids(self, conn: Any, tokens: list[str], limit: int, *, any_word: bool) -> list[int]:
        """Article ids matching all (or any) ``tokens``, best first."""
        raise NotImplementedError
