"""The production backend: PostgreSQL through psycopg 3 (the ``[postgres]`` extra).

Connections come from a ``psycopg_pool`` pool when that package is installed,
else from one shared connection behind a lock. Every connection runs in
autocommit mode; writes open an explicit transaction, so a failed write never
leaves a connection idle in a transaction. Hindi search uses the ``simple``
text-search configuration over khabar's own tokens.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

from ..errors import MissingDependencyError, StoreError
from .base import SEARCH_WINDOW, utcnow
from .schema import CREATE_MIGRATIONS_TABLE, pending
from .sql import SQLStore

# Enough for FastAPI's threadpool to read in parallel without exhausting
# max_connections (100 by default) when a few processes share a server.
POOL_MAX_SIZE = 8
CONNECT_TIMEOUT_S = 5
# A connection idle longer than this (pooled, or the single one) is checked
# before it is used. One the server dropped (a restart, an admin, an idle
# timeout) is then replaced instead of failing a reader's request. Checking at
# every use cost about 100 us a call here (a loopback round trip;
# store.count() 216-267 -> 331-346 us); a connection in steady use is not checked.
CHECK_IDLE_S = 1.0
# Connections remembered for that; past this many (replaced connections leave
# their entries), the memory is cleared and each is checked once more.
_LAST_USED_MAX = 64
# An arbitrary constant: the advisory lock that serialises concurrent migrators.
_MIGRATION_LOCK = 0x6B686162  # "khab"


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise MissingDependencyError("psycopg", "postgres") from exc
    return psycopg


def _answers(conn: Any) -> bool:
    """Whether the server still answers on ``conn`` (an empty query: one round trip)."""
    try:
        conn.execute("")
    except _psycopg().Error:
        return False
    return True


def _where(url: str) -> str:
    """host/dbname of a URL, without the password, for error messages."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        info = conninfo_to_dict(url)
        return f"postgresql://{info.get('host', 'localhost')}/{info.get('dbname', '')}"
    except Exception:  # a malformed URL: say so without echoing secrets
        return "postgresql://<unparsable URL>"


def _error(exc: Exception, where: str) -> StoreError:
    """A one-line StoreError with a reason the web layer maps (locked/full/unavailable)."""
    from psycopg import errors

    if isinstance(exc, errors.DiskFull | errors.OutOfMemory):
        reason = "full"
    elif isinstance(
        exc, errors.LockNotAvailable | errors.DeadlockDetected | errors.SerializationFailure
    ):
        reason = "locked"
    elif isinstance(exc, errors.IntegrityError):
        reason = "integrity"
    elif isinstance(exc, errors.OperationalError | errors.InterfaceError):
        reason = "unavailable"
    else:
        reason = "store_error" if isinstance(exc, errors.Error) else "unavailable"
    text = str(exc).strip().splitlines()
    return StoreError(
        f"PostgreSQL store error: {text[0] if text else type(exc).__name__}",
        source=where,
        reason=reason,
    )


class PostgresStore(SQLStore):
    """A store in a PostgreSQL database (schema from the URL's ``search_path``)."""

    dialect = "postgres"
    _placeholder = "%s"
    _for_update = " FOR UPDATE"
    # A deadlock, a serialization failure or a dropped connection passes: the
    # pool replaces a broken connection, the single connection reconnects.
    _write_retry_delays = (0.05, 0.5)

    def __init__(self, url: str, *, pool: bool | None = None) -> None:
        psycopg = _psycopg()
        self.url = url
        self._where = _where(url)
        self._lock = threading.RLock()
        self._closed = False
        self._pool: Any = None
        self._conn: Any = None
        self._catch: tuple[type[Exception], ...] = (psycopg.Error,)
        self._last_used: dict[int, float] = {}  # id(connection) -> monotonic time
        try:
            first = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except (psycopg.Error, ValueError) as exc:
            lines = str(exc).strip().splitlines() or [type(exc).__name__]
            raise StoreError(
                f"cannot connect to PostgreSQL: {lines[0]}",
                source=self._where,
                reason="unavailable",
            ) from exc
        try:
            self._migrate(first)
        except psycopg.Error as exc:
            first.close()
            raise _error(exc, self._where) from exc
        except BaseException:
            first.close()
            raise
        use_pool = pool if pool is not None else self._pool_available()
        if use_pool:
            first.close()
            from psycopg_pool import ConnectionPool, PoolTimeout

            self._catch = (psycopg.Error, PoolTimeout)
            self._pool = ConnectionPool(
                url,
                min_size=1,
                max_size=POOL_MAX_SIZE,
                kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S},
                timeout=30.0,
                check=self._check,
                open=True,
            )
        else:
            self._conn = first

    def _idle(self, conn: Any) -> bool:
        return time.monotonic() - self._last_used.get(id(conn), 0.0) > CHECK_IDLE_S

    def _used(self, conn: Any) -> None:
        if len(self._last_used) > _LAST_USED_MAX:
            self._last_used.clear()
        self._last_used[id(conn)] = time.monotonic()

    def _check(self, conn: Any) -> None:
        """The pool's check: a connection idle past :data:`CHECK_IDLE_S` must answer."""
        if self._idle(conn) and not _answers(conn):
            raise _psycopg().OperationalError("the server dropped the connection")

    @staticmethod
    def _pool_available() -> bool:
        try:
            import psycopg_pool  # noqa: F401
        except ImportError:
            return False
        return True

    def _migrate(self, conn: Any) -> None:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute(CREATE_MIGRATIONS_TABLE)
            applied = {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}
            for step in pending("postgres", applied):
                # No parameters: psycopg sends the whole step as one simple query.
                conn.execute(step.sql)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                    (step.version, step.name, utcnow()),
                )

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        if self._closed:
            raise StoreError("the store is closed", source=self._where, reason="closed")
        if self._pool is not None:
            with self._pool.connection() as conn:
                try:
                    yield conn
                finally:
                    self._used(conn)
        else:
            with self._lock:
                conn = self._conn
                if conn.broken or conn.closed or (self._idle(conn) and not _answers(conn)):
                    # The server or the network dropped it (a restart, an
                    # idle timeout): one new connection, not a dead store.
                    self._conn = conn = _psycopg().connect(
                        self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S
                    )
                try:
                    yield conn
                finally:
                    self._used(conn)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Any]:
        try:
            with self._connection() as conn:
                yield conn
        except self._catch as exc:
            raise _error(exc, self._where) from exc

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Any]:
        try:
            with self._connection() as conn, conn.transaction():
                yield conn
        except self._catch as exc:
            raise _error(exc, self._where) from exc

    def _json_in(self, data: dict[str, Any]) -> Any:
        from psycopg.types.json import Jsonb

        return Jsonb(data)

    def _json_out(self, value: Any) -> dict[str, Any]:
        if isinstance(value, str | bytes):
            import json

            loaded: dict[str, Any] = json.loads(value)
            return loaded
        return dict(value)

    def _index(self, conn: Any, article_id: int, document: str) -> None:
        conn.execute(
            "UPDATE articles SET search_doc = to_tsvector('simple', %s) WHERE id = %s",
            (document, article_id),
        )

    def _search_ids(self, conn: Any, tokens: list[str], limit: int, *, any_word: bool) -> list[int]:
        # plainto_tsquery parses plain words (no tsquery operators from users);
        # || joins one query per word into an OR.
        if any_word:
            query = " || ".join(["plainto_tsquery('simple', %s)"] * len(tokens))
            params: list[Any] = list(tokens)
        else:
            query, params = "plainto_tsquery('simple', %s)", [" ".join(tokens)]
        rows = conn.execute(
            "SELECT id FROM (SELECT a.id, ts_rank(a.search_doc, q.query) AS score"
            f" FROM articles a CROSS JOIN (SELECT {query} AS query) q"
            " WHERE a.search_doc @@ q.query ORDER BY a.id DESC LIMIT %s) newest"
            " ORDER BY score DESC, id DESC LIMIT %s",
            (*params, SEARCH_WINDOW, limit),
        ).fetchall()
        return [int(r[0]) for r in rows]

    def close(self) -> None:
        """Close the pool or connection; later calls raise :class:`StoreError`."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._pool is not None:
                self._pool.close()
            if self._conn is not None:
                self._conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
