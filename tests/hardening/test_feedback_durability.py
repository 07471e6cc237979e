"""Feedback acknowledged with HTTP 201 by a real ``khabar serve`` survives ``kill -9``.

The server's default rate limit (a burst of 5) is left on: the test also
proves that refused (429) feedback is not stored, so the store holds exactly
the acknowledged verdicts.
"""

from __future__ import annotations

import json
import signal
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from servekit import khabar_serve
from storekit import pg_schema

from khabar.settings import load_settings
from khabar.store import open_store

pytest.importorskip("uvicorn", reason="needs the [serve] extra")

POSTS = 9  # more than the burst of 5: some must be refused


@contextmanager
def _demo_db(backend: str, tmp_path: Path) -> Iterator[str]:
    from khabar.web.demo import load_demo

    with (
        pg_schema() if backend == "postgres" else _sqlite(tmp_path)
    ) as url:
        store = open_store(url)
        try:
            load_demo(store, load_settings(env={}, embed="off"))
        finally:
            store.close()
        yield url


@contextmanager
def _sqlite(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'fb.db'}"


def _post(base: str, brief_id: int, useful: bool) -> int:
    body = json.dumps({"useful": useful, "reason": None if useful else "missing_key_point",
                       "text": "सारांश में मुख्य बात छूट गई"}).encode()
    request = urllib.request.Request(
        f"{base}/api/briefs/{brief_id}/feedback", data=body, method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _stored_feedback(url: str) -> int:
    store = open_store(url)
    try:
        return sum(int(row["total"]) for row in store.feedback_stats())
    finally:
        store.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_acknowledged_feedback_survives_kill_9(backend: str, tmp_path: Path) -> None:
    with _demo_db(backend, tmp_path) as url:
        store = open_store(url)
        try:
            brief_ids = [s.brief_id for s in store.list_briefs(limit=3).items]
        finally:
            store.close()
        with khabar_serve(url) as (proc, base):
            codes = [_post(base, brief_ids[i % 3], i % 2 == 0) for i in range(POSTS)]
            proc.send_signal(signal.SIGKILL)  # right after the last answer: no clean shutdown
            proc.wait()
        acknowledged = sum(1 for c in codes if 200 <= c < 300)
        assert acknowledged == 5 and set(codes) == {201, 429}, codes
        assert _stored_feedback(url) == acknowledged
