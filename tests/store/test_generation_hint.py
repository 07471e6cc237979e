"""SQLite's change hint: generation() skips its query only while no writer has committed.

``GENERATION_RECHECK_S`` is raised to an hour in most tests, so that nothing
but the hint can reveal a change: a test passes or fails the same way on a
slow machine.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from storekit import make_brief

from khabar.errors import StoreError
from khabar.store import open_store
from khabar.store import sqlite as sqlite_store
from khabar.store.sqlite import HINT_SUFFIX, SQLiteStore

BODY = ["दिल्ली में आज तेज बारिश हुई.", "कई सड़कों पर पानी भर गया."]
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "hint.db"


@pytest.fixture
def reader(db: Path) -> Iterator[SQLiteStore]:
    store = open_store(f"sqlite:///{db}")
    assert isinstance(store, SQLiteStore)
    yield store
    store.close()


@pytest.fixture
def no_recheck(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_store, "GENERATION_RECHECK_S", 3600.0)


def _raw_bump(db: Path) -> None:
    """A commit that moves the generation without touching the hint (not a khabar writer)."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("UPDATE store_state SET generation = generation + 1 WHERE id = 1")
    finally:
        conn.close()


def test_hint_changes_with_the_generation_only(db: Path, reader: SQLiteStore) -> None:
    hint = Path(f"{db}{HINT_SUFFIX}")
    seen = [hint.read_bytes()]

    def moved() -> bool:
        seen.append(hint.read_bytes())
        return seen[-1] != seen[-2]

    stored = reader.upsert_brief(make_brief("बारिश", BODY, url="https://e.in/h1"))
    assert moved()
    reader.upsert(make_brief("बारिश", BODY, url="https://e.in/h1"))  # unchanged
    assert not moved()
    reader.add_feedback(stored.brief_id, useful=True)
    assert not moved()
    reader.set_related(stored.article_id, [])
    assert moved()


@pytest.mark.usefixtures("no_recheck")
def test_another_process_is_seen_at_once(db: Path, reader: SQLiteStore) -> None:
    before = reader.generation()
    _raw_bump(db)
    assert reader.generation() == before  # no hint: the cached value stands
    script = (
        "import sys; sys.path[:0] = [sys.argv[2], sys.argv[3]]\n"
        "from storekit import make_brief\n"
        "from khabar.store import open_store\n"
        "s = open_store('sqlite:///' + sys.argv[1])\n"
        "s.upsert_brief(make_brief('नई खबर', ['एक वाक्य.', 'दो.'], url='https://e.in/p'))\n"
        "s.close()\n"
    )
    here = str(Path(__file__).parent)
    subprocess.run([sys.executable, "-c", script, str(db), str(SRC), here], check=True, timeout=120)
    assert reader.generation() == before + 2  # the raw bump and the ingest


def test_unchanged_hint_is_rechecked_within_the_bound(db: Path, reader: SQLiteStore) -> None:
    before = reader.generation()
    _raw_bump(db)
    time.sleep(sqlite_store.GENERATION_RECHECK_S + 0.02)
    assert reader.generation() == before + 1


@pytest.mark.usefixtures("no_recheck")
def test_without_a_hint_file_every_call_queries(db: Path) -> None:
    Path(f"{db}{HINT_SUFFIX}").mkdir(parents=True)  # cannot be opened as a file
    store = open_store(f"sqlite:///{db}")
    try:
        before = store.generation()
        _raw_bump(db)
        assert store.generation() == before + 1
    finally:
        store.close()


def test_closed_store_does_not_answer_from_the_hint(reader: SQLiteStore) -> None:
    reader.generation()
    reader.close()
    with pytest.raises(StoreError):
        reader.generation()
