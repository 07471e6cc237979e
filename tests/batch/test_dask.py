"""The Dask engine on a 2-worker LocalCluster gives the same output as the local engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_support import demo_texts, write_jsonl

from khabar.batch import read_output, run_batch
from khabar.batch.progress import Progress
from khabar.settings import load_settings


def test_local_and_dask_runs_are_identical(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    settings = load_settings(env={}, embed="off")
    inputs = [str(write_jsonl(tmp_path / "in.jsonl", demo_texts(), 24))]
    bad = tmp_path / "bad.urls"
    bad.write_text("garbage line\n", encoding="utf-8")
    inputs.append(str(bad))
    local = run_batch(inputs, tmp_path / "local", settings=settings, shard_size=4,
                      progress=Progress(quiet=True))
    dask = run_batch(inputs, tmp_path / "dask", settings=settings, shard_size=4, engine="dask",
                     workers=2, progress=Progress(quiet=True))
    assert list(read_output(tmp_path / "dask")) == list(read_output(tmp_path / "local"))
    assert dask.counts == local.counts and local.total == 25
    for name in ("duplicates.jsonl", "clusters.jsonl"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
