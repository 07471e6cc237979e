"""SIGKILL a real ``khabar batch`` at seeded random points; ``--resume`` finishes exactly-once.

Both stores: SQLite, and PostgreSQL in a fresh schema per trial (skipped
without ``KHABAR_TEST_PG_URL``). The normal suite runs 3 trials per backend;
docs/reliability.md's figure is ``KHABAR_BATCH_KILL_TRIALS=20``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from batch_support import demo_texts, write_jsonl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from storekit import BACKENDS, store_url

from khabar.batch import read_output, run_batch
from khabar.batch.progress import Progress
from khabar.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("KHABAR_BATCH_KILL_TRIALS", "3"))
SHARDS = 10


def _cmd(inputs: Path, out: Path, db: str, *, resume: bool) -> list[str]:
    cmd = [sys.executable, "-m", "khabar", "batch", str(inputs), "--out", str(out),
           "--shard-size", "3", "--quiet", "--no-dedup", "--embed", "off", "--db", db]
    return [*cmd, "--resume"] if resume else cmd


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    return env


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("trial", range(TRIALS))
def test_sigkill_then_resume_is_exactly_once(tmp_path: Path, trial: int, backend: str) -> None:
    pytest.importorskip("khabar.store")
    with store_url(backend, tmp_path) as db:
        _kill_and_resume(tmp_path, trial, db)


def _kill_and_resume(tmp_path: Path, trial: int, db: str) -> None:
    from khabar.store import open_store

    rng = random.Random(1000 + trial)
    inputs = write_jsonl(tmp_path / "in.jsonl", demo_texts(), 3 * SHARDS)
    reference = tmp_path / "ref"
    run_batch([str(inputs)], reference, settings=load_settings(env={}, embed="off"),
              shard_size=3, progress=Progress(quiet=True), global_step=False)
    out = tmp_path / "out"
    # Kill once some shards are committed, then a random moment later: the kill
    # lands anywhere in a shard's write, store upsert or manifest. Trial 0
    # kills during start-up (imports, the run file, the store's migrations).
    wait_for = rng.randrange(0, SHARDS - 2)
    early = trial == 0
    proc = subprocess.Popen(_cmd(inputs, out, db, resume=False), env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    manifests = out / "_manifest"
    while proc.poll() is None and not early:
        if manifests.exists() and len(list(manifests.glob("part-*.json"))) >= wait_for:
            break
        time.sleep(0.01)
    time.sleep(rng.uniform(0.3, 2.0) if early else rng.uniform(0.0, 0.4))
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(list(manifests.glob("part-*.json"))) if manifests.exists() else 0
    resumed = subprocess.run(_cmd(inputs, out, db, resume=True), env=_env(),
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    rows = list(read_output(out))
    ids = Counter(r["id"] for r in rows)
    assert all(n == 1 for n in ids.values())
    assert rows == list(read_output(reference))
    assert killed or done_before == SHARDS
    assert not list(out.glob(".*.tmp"))
    briefs = [r for r in rows if r["status"] == "brief"]
    store = open_store(db)
    try:
        assert store.count() == len({r["brief"]["url"] or r["url"] for r in briefs})
        assert all(s.revision == 1 for s in store.list_briefs(limit=100).items)
    finally:
        store.close()
