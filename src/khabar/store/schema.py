"""Schema migrations: numbered SQL steps per dialect, applied in order and recorded.

Steps live in ``migrations/<dialect>/NNNN_name.sql``. A backend applies the
steps whose number is not yet in its ``schema_migrations`` table, inside one
transaction that first takes the database's write lock, so two processes
opening a fresh database at once apply each step exactly once.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass
from importlib import resources

import regex

from ..errors import StoreError

_STEP_NAME = regex.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

CREATE_MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered schema step."""

    version: int
    name: str
    sql: str


@functools.cache
def migrations(dialect: str) -> tuple[Migration, ...]:
    """The steps for ``dialect`` ("sqlite" or "postgres"), in order."""
    folder = resources.files("khabar.store").joinpath("migrations", dialect)
    steps: list[Migration] = []
    for entry in folder.iterdir():
        match = _STEP_NAME.match(entry.name)
        if match:
            sql = entry.read_text(encoding="utf-8")
            steps.append(Migration(int(match.group(1)), match.group(2), sql))
    steps.sort(key=lambda m: m.version)
    versions = [m.version for m in steps]
    if len(set(versions)) != len(versions) or not steps:
        raise StoreError(f"broken migration folder for {dialect}: {versions}")
    return tuple(steps)


def pending(dialect: str, applied: set[int]) -> list[Migration]:
    """The steps not yet applied; refuses a database made by a newer khabar."""
    steps = migrations(dialect)
    known = {m.version for m in steps}
    newer = sorted(applied - known)
    if newer:
        raise StoreError(
            f"the database has schema step {newer[-1]}, newer than this khabar knows "
            f"(up to {max(known)}): upgrade khabar",
            reason="schema_too_new",
        )
    return [m for m in steps if m.version not in applied]


def sqlite_statements(sql: str) -> list[str]:
    """Split a SQLite script into statements, keeping ``;`` inside strings and triggers."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise StoreError("a SQLite migration ends inside a statement")
    return statements
