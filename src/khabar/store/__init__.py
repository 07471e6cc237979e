"""Store: briefs, tags, related stories, clusters and reader feedback, in SQLite or PostgreSQL.

>>> from khabar.store import open_store
>>> store = open_store("sqlite:///:memory:")
>>> store.count()
0
>>> store.close()
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import StoreError
from .base import FEEDBACK_REASONS, BriefPage, Store, StoredBrief, UpsertStatus
from .sqlite import SQLiteStore, default_path

#: Environment variable naming the database when no URL is given.
DB_ENV = "KHABAR_DB"


def open_store(url: str | None = None) -> Store:
    """Open (and migrate) the store at ``url``.

    Args:
        url: ``None`` for ``$KHABAR_DB``, else a SQLite file in the user's data
            directory (``$KHABAR_DATA_DIR/khabar.db`` or
            ``~/.local/share/khabar/khabar.db``); ``"sqlite:///abs/path.db"``,
            ``"sqlite:///:memory:"``, a plain file path, or
            ``"postgresql://user:pw@host:5432/db"`` (needs ``khabar[postgres]``;
            add ``?options=-csearch_path%3Dmyschema`` to use another schema).

    Raises:
        StoreError: the database cannot be opened or migrated (one-line message).
        MissingDependencyError: a PostgreSQL URL without psycopg installed.
    """
    if url is None:
        url = os.environ.get(DB_ENV) or None
    if url is None:
        return SQLiteStore(default_path())
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(url)
    if url.startswith("sqlite://"):
        path = url.removeprefix("sqlite://")
        if path in ("", "/", "/:memory:", ":memory:"):
            return SQLiteStore(":memory:") if path.endswith(":memory:") else _bad(url)
        return SQLiteStore(Path(path))
    if "://" in url:
        return _bad(url)
    return SQLiteStore(Path(url).expanduser())


def _bad(url: str) -> Store:
    scheme = url.split("://", 1)[0]
    raise StoreError(
        f"unsupported database URL scheme {scheme!r}: use sqlite:///path.db or postgresql://...",
        reason="bad_url",
    )


__all__ = [
    "DB_ENV",
    "FEEDBACK_REASONS",
    "BriefPage",
    "Store",
    "StoredBrief",
    "UpsertStatus",
    "open_store",
]
