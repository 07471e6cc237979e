"""SIGKILL ``khabar ingest`` at seeded random moments, re-run it: every page stored exactly once.

For each trial a forked child runs the real CLI (``khabar.cli.main``) over
the demo pages into a fresh database and is killed after a random delay
(from 0 to the length of a full run). Then:

* every page the killed run acknowledged (printed ``stored``) is in the store;
* a re-run completes, and the store holds exactly the reference set: one
  article per page, revision 1, with the same brief as an uninterrupted run.

Forking (rather than starting ``python -m khabar``) keeps a trial under a
second: the parent has already imported khabar and its models.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))

from storekit import BACKENDS, store_url

from khabar.cli import main as cli_main
from khabar.demo import demo_pages
from khabar.store import open_store
from khabar.store.postgres import PostgresStore

# The normal suite: 10 trials per backend on 6 pages (about a minute). The
# figures in docs/reliability.md: KHABAR_KILL_TRIALS=20 KHABAR_KILL_PAGES=10.
TRIALS = int(os.environ.get("KHABAR_KILL_TRIALS", "10"))
PAGES = int(os.environ.get("KHABAR_KILL_PAGES", "6"))


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pages")
    every = demo_pages()
    for page in (every[::2] + every[1::2])[:PAGES]:  # HTML and scraped-text pages both
        (out / page.file).write_bytes(page.read_bytes())
    return out


def _ingest_in_child(pages: Path, url: str, log: Path) -> int:
    """Fork a child that runs ``khabar ingest``; its stdout goes to ``log``, stderr beside it."""
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 1
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            err = os.open(_err(log), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(err, 2)
            sys.stdout = os.fdopen(1, "w", buffering=1, encoding="utf-8")
            code = cli_main(["ingest", str(pages), "--db", url, "--embed", "off"])
        finally:
            os._exit(code)
    return pid


def _err(log: Path) -> Path:
    return log.with_suffix(".err")


def _logs(*logs: Path) -> str:
    """What the children printed, and the threads the parent forked them with: for a failure."""
    parts = [f"parent threads: {[t.name for t in threading.enumerate()]}"]
    for log in logs:
        for path in (log, _err(log)):
            if path.exists():
                parts.append(f"--- {path.name}\n{path.read_text('utf-8', 'replace')}")
    return "\n".join(parts)


def _wait(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _bullets(data: dict[str, Any]) -> list[str]:
    return [b["text"] for b in data["bullets"]]


def _snapshot(url: str) -> dict[str, Any]:
    """Title -> (revision, content hash, bullets) of everything stored, plus the count."""
    # No connection pool on PostgreSQL: a pool's threads would still be winding
    # down when the next child is forked.
    store = PostgresStore(url, pool=False) if url.startswith("postgresql") else open_store(url)
    try:
        items = store.list_briefs(limit=100).items
        return {
            "count": store.count(),
            "rows": len(items),
            "briefs": {
                s.data["title"]: (s.revision, s.content_hash, _bullets(s.data)) for s in items
            },
        }
    finally:
        store.close()


@pytest.fixture(scope="module", params=BACKENDS)
def reference(
    request: pytest.FixtureRequest, pages: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, Any], float]]:
    """An uninterrupted run: what every trial must end with, and how long a run takes."""
    backend: str = request.param
    tmp = tmp_path_factory.mktemp(f"ref-{backend}")
    with store_url(backend, tmp) as url:
        started = time.monotonic()
        assert _wait(_ingest_in_child(pages, url, tmp / "ref.log")) == 0, _logs(tmp / "ref.log")
        took = time.monotonic() - started
        snap = _snapshot(url)
    assert snap["count"] == PAGES and len(snap["briefs"]) == PAGES
    yield backend, snap, took


@pytest.mark.parametrize("trial", range(TRIALS))
def test_sigkill_then_rerun_keeps_exactly_the_accepted_records(
    reference: tuple[str, dict[str, Any], float], pages: Path, tmp_path: Path, trial: int
) -> None:
    backend, expected, full_run_s = reference
    rng = random.Random(f"{backend}-{trial}")
    with store_url(backend, tmp_path) as url:
        log = tmp_path / "killed.log"
        pid = _ingest_in_child(pages, url, log)
        time.sleep(rng.uniform(0.0, full_run_s))
        os.kill(pid, signal.SIGKILL)
        _wait(pid)
        acked = [ln.split("\t")[3] for ln in log.read_text("utf-8").splitlines()
                 if ln.startswith("stored\t")]
        if acked:
            after_kill = _snapshot(url)
            # Nothing acknowledged is lost, and nothing is half-written.
            assert set(acked) <= set(after_kill["briefs"])
            assert after_kill["count"] == after_kill["rows"] == len(after_kill["briefs"])
        rerun = tmp_path / "rerun.log"
        assert _wait(_ingest_in_child(pages, url, rerun)) == 0, _logs(log, rerun)
        assert _snapshot(url) == expected, _logs(log, rerun)
