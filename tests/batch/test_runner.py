"""run_batch: every record ends as a brief or a drop, the counts add up, resume is exactly-once."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from batch_support import demo_texts, write_jsonl

from khabar.batch import read_output, run_batch
from khabar.batch.progress import Progress
from khabar.batch.shards import ShardOutput
from khabar.errors import ConfigError
from khabar.ingest.readers import iter_records
from khabar.settings import load_settings

SETTINGS = load_settings(env={}, embed="off")


def _quiet() -> Progress:
    return Progress(quiet=True)


def _inputs(tmp_path: Path) -> list[str]:
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "pages.jsonl", demo_texts(), 14)
    (src / "broken.html.gz").write_bytes(gzip.compress(b"<html>" + b"x" * 5000)[:30])
    (src / "seeds.urls").write_text("not a url\nftp://x.test/y\n", encoding="utf-8")
    (src / "empty.html").write_text("   ", encoding="utf-8")
    return [str(src)]


def test_counts_add_up_and_every_record_is_accounted_for(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    expected = [r.id for r in iter_records(inputs)]
    result = run_batch(inputs, tmp_path / "out", settings=SETTINGS, shard_size=4,
                       progress=_quiet())
    rows = list(read_output(tmp_path / "out"))
    assert [r["id"] for r in rows] == expected
    status = result.counts["status"]
    assert status["brief"] + status["drop"] == len(expected) == result.total
    assert sum(result.counts["reason"].values()) == status["drop"]
    assert sum(result.counts["stage"].values()) == len(expected)
    assert status["brief"] >= 10
    reasons = result.counts["reason"]
    assert reasons["bad_gzip"] == 1 and reasons["bad_url"] == 2 and reasons["empty"] == 1
    assert all(r["brief"]["bullets"] for r in rows if r["status"] == "brief")
    assert all(r["reason"] and r["stage"] for r in rows if r["status"] == "drop")
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["counts"] == result.counts
    assert (tmp_path / "out" / "_SUCCESS").exists()
    assert "duplicates" in result.global_step


def test_existing_output_needs_resume_and_same_inputs(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    run_batch(inputs, tmp_path / "out", settings=SETTINGS, shard_size=4, progress=_quiet(),
              global_step=False)
    with pytest.raises(ConfigError) as err:
        run_batch(inputs, tmp_path / "out", settings=SETTINGS, shard_size=4, progress=_quiet())
    assert err.value.reason == "output_exists"
    again = run_batch(inputs, tmp_path / "out", settings=SETTINGS, shard_size=4,
                      progress=_quiet(), resume=True, global_step=False)
    assert again.processed == 0 and again.skipped == again.total
    with pytest.raises(ConfigError):
        run_batch(inputs, tmp_path / "out", settings=SETTINGS, shard_size=5, progress=_quiet(),
                  resume=True)


def test_resume_redoes_only_unfinished_shards(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    out = tmp_path / "out"
    first = run_batch(inputs, out, settings=SETTINGS, shard_size=4, progress=_quiet(),
                      global_step=False)
    before = list(read_output(out))
    # A kill between the data file and the manifest, and one before the data file.
    (out / "_manifest" / "part-00001.json").unlink()
    (out / "_manifest" / "part-00002.json").unlink()
    (out / "part-00002.jsonl").unlink()
    second = run_batch(inputs, out, settings=SETTINGS, shard_size=4, progress=_quiet(),
                       resume=True, global_step=False)
    assert second.processed == 8 and second.skipped == first.total - 8
    assert list(read_output(out)) == before
    assert second.counts == first.counts


def test_parquet_output_matches_jsonl(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    inputs = _inputs(tmp_path)
    run_batch(inputs, tmp_path / "j", settings=SETTINGS, shard_size=4, progress=_quiet(),
              global_step=False)
    run_batch(inputs, tmp_path / "p", settings=SETTINGS, shard_size=4, progress=_quiet(),
              global_step=False, fmt="parquet")
    assert list(ShardOutput(tmp_path / "p", "parquet").iter_rows()) == list(
        read_output(tmp_path / "j"))


def test_store_gets_each_brief_once_across_resumes(tmp_path: Path) -> None:
    pytest.importorskip("khabar.store")
    from khabar.store import open_store

    inputs = _inputs(tmp_path)
    db = f"sqlite:///{tmp_path / 'k.db'}"
    out = tmp_path / "out"
    result = run_batch(inputs, out, settings=SETTINGS, shard_size=4, progress=_quiet(), db=db,
                       global_step=False)
    (out / "_manifest" / "part-00000.json").unlink()
    run_batch(inputs, out, settings=SETTINGS, shard_size=4, progress=_quiet(), db=db,
              resume=True, global_step=False)
    briefs = [r for r in read_output(out) if r["status"] == "brief"]
    assert len(briefs) == result.counts["status"]["brief"]
    # The store keeps one article per canonical URL (demo pages repeat in the input).
    articles = {r["brief"]["url"] or r["url"] for r in briefs}
    store = open_store(db)
    try:
        assert store.count() == len(articles)
        assert all(s.revision == 1 for s in store.list_briefs(limit=100).items)
    finally:
        store.close()


def test_progress_plain_lines_when_not_a_tty(tmp_path: Path) -> None:
    import io

    stream = io.StringIO()
    progress = Progress(stream=stream, tty=False)
    run_batch(_inputs(tmp_path), tmp_path / "out", settings=SETTINGS, shard_size=4,
              progress=progress, global_step=False)
    lines = stream.getvalue().splitlines()
    assert lines and all(x.startswith("khabar batch: ") for x in lines)
    assert "pages/s" in lines[-1] and "\r" not in stream.getvalue()


def test_global_step_writes_story_clusters_into_the_store(tmp_path: Path) -> None:
    pytest.importorskip("datasketch")
    from khabar.store import open_store

    db = f"sqlite:///{tmp_path / 'k.db'}"
    result = run_batch(_inputs(tmp_path), tmp_path / "out", settings=SETTINGS, shard_size=4,
                       progress=_quiet(), db=db)
    assert result.global_step["stored_clusters"] == 1
    store = open_store(db)
    try:
        [cluster] = store.clusters()
        # The demo corpus tells the RBI rate cut twice, from two outlets.
        titles = sorted(m.data["title"] for m in cluster["members"])
        assert len(titles) == 2 and all("RBI" in t for t in titles), titles
    finally:
        store.close()
