"""The embedded default: one SQLite file in WAL mode, one writer, many readers.

Writes share one connection behind a lock (SQLite allows one writer at a
time anyway, and waiting on a Python lock beats retrying ``SQLITE_BUSY``);
each reading thread gets its own connection, so FastAPI's threadpool reads
in parallel with a write. An in-memory database has no second connection to
read from, so it uses the writer connection for everything.

Reading the generation (the web page cache's key, read on every page
request) is a query, ~15 us. Beside the database lies ``<file>-gen``, eight
bytes that every writer in any process overwrites with random bytes right
after committing a change to the generation; :meth:`SQLiteStore.generation`
reads those eight bytes (~2 us) and queries only when they changed, or when
its last query is older than :data:`GENERATION_RECHECK_S`, which bounds how
long a change can go unseen if a writer died between its commit and the
hint, or could not write the hint (another user, a read-only directory).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import StoreError
from .base import SEARCH_WINDOW, utcnow
from .schema import CREATE_MIGRATIONS_TABLE, pending, sqlite_statements
from .sql import SQLStore

# How long a connection waits for another process's write lock before failing.
BUSY_TIMEOUT_MS = 5000
# The longest generation() trusts an unchanged change hint without a query.
GENERATION_RECHECK_S = 0.1
HINT_SUFFIX = "-gen"


def default_path(env: dict[str, str] | None = None) -> Path:
    """``$KHABAR_DATA_DIR/khabar.db``, else ``$XDG_DATA_HOME`` or ``~/.local/share``."""
    env = dict(os.environ) if env is None else env
    if env.get("KHABAR_DATA_DIR"):
        return Path(env["KHABAR_DATA_DIR"]) / "khabar.db"
    base = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "khabar" / "khabar.db"


def _reason(exc: sqlite3.Error) -> str:
    """A short reason the web layer can map (locked/full/unavailable -> 503)."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "locked"
    if "full" in text:
        return "full"
    if isinstance(exc, sqlite3.IntegrityError):
        return "integrity"
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError):
        return "unavailable"
    return "store_error"


def _error(exc: sqlite3.Error, where: str) -> StoreError:
    first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return StoreError(f"SQLite store error: {first_line}", source=where, reason=_reason(exc))


class SQLiteStore(SQLStore):
    """A store in one SQLite file (or in memory with ``":memory:"``)."""

    dialect = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._memory = self.path == ":memory:"
        self._lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._closed = False
        self._hint: int | None = None
        self._bumped = False
        # (hint bytes, generation, monotonic time of the query)
        self._seen: tuple[bytes, int, float] | None = None
        if not self._memory:
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the data directory: {exc.strerror}",
                    source=self.path,
                    reason="unavailable",
                ) from exc
        try:
            self._writer = self._connect()
            if not self._memory:
                mode = self._writer.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise StoreError(f"cannot switch {self.path} to WAL mode", reason="unavailable")
            self._migrate()
        except sqlite3.Error as exc:
            raise _error(exc, self.path) from exc
        if not self._memory:
            try:
                self._hint = os.open(
                    self.path + HINT_SUFFIX, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644
                )
            except OSError:  # no hint: generation() queries every time
                self._hint = None

    def _connect(self) -> sqlite3.Connection:
        """A connection in autocommit mode: transactions are explicit ``BEGIN``s."""
        conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys=ON")
        # FULL syncs the WAL on every commit: acknowledged feedback survives a power cut.
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    def _migrate(self) -> None:
        conn = self._writer
        with self._lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(CREATE_MIGRATIONS_TABLE)
                applied = {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}
                for step in pending("sqlite", applied):
                    for statement in sqlite_statements(step.sql):
                        conn.execute(statement)
                    conn.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at)"
                        " VALUES (?, ?, ?)",
                        (step.version, step.name, utcnow()),
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the store is closed", source=self.path, reason="closed")

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Any]:
        self._check_open()
        with self._lock:
            conn = self._writer
            self._bumped = False
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise _error(exc, self.path) from exc
            if self._bumped:
                self._touch_hint()

    def _bump(self, conn: Any) -> None:
        super()._bump(conn)
        self._bumped = True

    def _touch_hint(self) -> None:
        """Tell readers in every process that the generation moved (after the COMMIT)."""
        if self._hint is not None:
            with contextlib.suppress(OSError):  # readers still re-query within the bound
                os.pwrite(self._hint, os.urandom(8), 0)

    def generation(self) -> int:
        """The stored generation; see the module docstring for the change hint.

        The hint is read before the query, so a commit that lands between the
        two changes the hint again and is seen on the next call.
        """
        self._check_open()
        if self._hint is None:
            return super().generation()
        try:
            hint = os.pread(self._hint, 8, 0)
        except OSError:
            return super().generation()
        now = time.monotonic()
        seen = self._seen
        if seen is not None and seen[0] == hint and now - seen[2] < GENERATION_RECHECK_S:
            return seen[1]
        value = super().generation()
        self._seen = (hint, value, now)
        return value

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Any]:
        self._check_open()
        try:
            if self._memory:
                with self._lock:
                    yield self._writer
                return
            conn = getattr(self._local, "conn", None)
            if conn is None:
                conn = self._connect()
                conn.execute("PRAGMA query_only=1")
                self._local.conn = conn
                with self._lock:
                    self._readers.append(conn)
            yield conn
        except sqlite3.Error as exc:
            raise _error(exc, self.path) from exc

    def _json_in(self, data: dict[str, Any]) -> Any:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def _json_out(self, value: Any) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(value)
        return loaded

    def _index(self, conn: Any, article_id: int, document: str) -> None:
        conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
        conn.execute("INSERT INTO articles_fts (rowid, doc) VALUES (?, ?)", (article_id, document))

    def _search_ids(self, conn: Any, tokens: list[str], limit: int, *, any_word: bool) -> list[int]:
        # Each token as an FTS5 string ("" escapes "): no operator or column
        # syntax from the user reaches the query parser.
        phrases = ['"' + t.replace('"', '""') + '"' for t in tokens]
        match = (" OR " if any_word else " ").join(phrases)
        rows = conn.execute(
            "SELECT rowid FROM (SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT ?) ORDER BY rank, rowid DESC LIMIT ?",
            (match, SEARCH_WINDOW, limit),
        ).fetchall()
        return [int(r[0]) for r in rows]

    def close(self) -> None:
        """Close every connection; later calls raise :class:`StoreError`."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for conn in [*self._readers, self._writer]:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._readers.clear()
            if self._hint is not None:
                os.close(self._hint)
                self._hint = None

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
