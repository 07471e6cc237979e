"""``khabar ingest`` end to end: a real subprocess, the demo corpus, a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from storekit import pg_schema

from khabar.store import open_store

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "khabar" / "demo" / "pages"


def _ingest(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["KHABAR_EMBED"] = "off"  # the store is under test, not the embedding model
    env.pop("KHABAR_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "khabar", "ingest", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def _statuses(out: str) -> list[str]:
    return [line.split("\t")[0] for line in out.splitlines() if line.strip()]


def test_ingest_demo_corpus_into_sqlite(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'data' / 'khabar.db'}"
    first = _ingest(str(DEMO), "--db", db)
    assert first.returncode == 0, first.stderr
    assert _statuses(first.stdout) == ["stored"] * 10
    assert "10 stored" in first.stderr

    again = _ingest(str(DEMO), "--db", db)
    assert again.returncode == 0, again.stderr
    assert _statuses(again.stdout) == ["unchanged"] * 10

    store = open_store(db)
    try:
        assert store.count() == 10
        assert store.search("रेपो"), "the RBI stories are searchable in Hindi"
        assert len(store.list_briefs(limit=100).items) == 10
    finally:
        store.close()


def test_ingest_reports_bad_pages_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_text("")
    db = f"sqlite:///{tmp_path / 'khabar.db'}"
    page = DEMO / "08-ranji-trophy-final-vidarbha.txt"
    result = _ingest(
        str(page), str(tmp_path / "empty.html"), str(tmp_path / "missing.txt"), "--db", db
    )
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert _statuses(result.stdout) == ["stored", "error", "error"]
    assert "empty" in lines[1] and "not_found" in lines[2]
    assert "Traceback" not in result.stderr


def test_ingest_bad_database_url_is_one_line(tmp_path: Path) -> None:
    result = _ingest(str(DEMO / "01-mumbai-baarish-red-alert.html"), "--db", "mysql://x@y/z")
    assert result.returncode == 2
    assert result.stderr.startswith("khabar: error:") and "Traceback" not in result.stderr


def test_ingest_into_postgres() -> None:
    with pg_schema() as url:
        result = _ingest(str(DEMO / "07-rbi-repo-rate-5-pratishat.txt"), "--db", url)
        assert result.returncode == 0, result.stderr
        assert _statuses(result.stdout) == ["stored"]
        store = open_store(url)
        try:
            assert store.count() == 1 and store.search("रेपो")
        finally:
            store.close()
