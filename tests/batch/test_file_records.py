"""One-page files travel to the workers as paths; the workers read them, with the reader's checks.

The Dask tests start a real 2-worker LocalCluster on loopback: what the
engine submits is captured on its way into the real ``Client.submit`` and
then run by real worker processes.
"""

from __future__ import annotations

import gzip
import os
import pickle
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_support import demo_texts, write_jsonl

from khabar.batch import read_output, run_batch
from khabar.batch import runner as batch_runner
from khabar.batch.engines import DaskEngine, LocalEngine
from khabar.batch.engines import make_engine as real_make_engine
from khabar.batch.progress import Progress
from khabar.batch.work import Row, process_records
from khabar.ingest.readers import Record, iter_records
from khabar.settings import load_settings

SETTINGS = load_settings(env={}, embed="off")
MAX_BYTES = 60_000  # above every demo page, below the "too large" page made here


def _marker(i: int) -> bytes:
    return f"<!-- khabar-file-marker-{i:03d} -->".encode()


def _inputs(root: Path) -> Path:
    """Every kind of one-page file, good and bad, beside a JSONL whose pages stay inline."""
    src = root / "in"
    (src / "sub").mkdir(parents=True)
    for i, (name, data) in enumerate(demo_texts()):
        if name.endswith(".html"):
            page = data.replace(b"<head>", b"<head>" + _marker(i), 1)
            if i % 2:
                (src / "sub" / f"{name}.gz").write_bytes(gzip.compress(page))
            else:
                (src / name).write_bytes(page)
        else:
            (src / name).write_bytes(data)
    # An HTML file without a telling name is sniffed, then deferred like the rest.
    (src / "noext").write_bytes(demo_texts()[0][1])
    (src / "broken.html.gz").write_bytes(gzip.compress(b"<html>" + b"x" * 5000)[:30])
    (src / "huge.html").write_bytes(b"<html><body>" + b"x" * MAX_BYTES + b"</body></html>")
    (src / "empty.html").write_text("   ", encoding="utf-8")
    write_jsonl(src / "pages.jsonl", demo_texts(), 3)
    return src


def _records(src: Path, *, defer: bool) -> list[Record]:
    return list(iter_records([str(src)], max_bytes=MAX_BYTES, defer_files=defer))


def _strip(rows: list[Row]) -> list[Row]:
    return [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]


def test_deferred_records_have_the_same_ids_and_outcomes_as_read_ones(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    eager, deferred = _records(src, defer=False), _records(src, defer=True)
    assert [r.id for r in deferred] == [r.id for r in eager]
    files = [r for r in deferred if r.file is not None]
    # 10 demo pages, the sniffed one, and the broken, huge and empty files.
    assert len(files) == 14
    assert all(r.content is None and r.error is None and r.file is not None
               and r.file.path == r.source and r.file.max_bytes == MAX_BYTES for r in files)
    assert all(r.file is None and r.content for r in deferred if r.source.endswith(".jsonl"))
    rows = process_records(deferred, SETTINGS)
    assert rows == process_records(eager, SETTINGS)
    reasons = Counter(r["reason"] for r in rows if r["status"] == "drop")
    assert reasons["bad_gzip"] == 1 and reasons["too_large"] == 1 and reasons["empty"] == 1
    assert all(r["stage"] == "read" for r in rows if r["reason"] in ("bad_gzip", "too_large"))
    assert sum(r["status"] == "brief" for r in rows) == len(rows) - sum(reasons.values())


def _spoil(src: Path, records: list[Record]) -> dict[str, str]:
    """Change files after they were listed; the reason each one's row must give."""
    by_name = {Path(r.source).name: r.source for r in records if r.file is not None}
    gone, truncated, locked, grown = (by_name[n] for n in (
        "01-mumbai-baarish-red-alert.html", "02-rbi-repo-rate-katauti.html.gz",
        "03-rajasthan-mantrimandal-vistar.html", "07-rbi-repo-rate-5-pratishat.txt"))
    os.unlink(gone)
    Path(truncated).write_bytes(Path(truncated).read_bytes()[:40])
    # Reading /proc/self/mem at offset 0 fails with EIO even for root, where
    # permission bits would not stop the read.
    os.unlink(locked)
    os.symlink("/proc/self/mem", locked)
    Path(grown).write_bytes(b"x" * (MAX_BYTES + 1))
    return {gone: "not_found", truncated: "bad_gzip", locked: "unreadable", grown: "too_large"}


def _check_spoilt(rows: list[Row], records: list[Record], expected: dict[str, str]) -> None:
    assert [r["id"] for r in rows] == [r.id for r in records]
    got = {r["source"]: (r["stage"], r["reason"]) for r in rows if r["source"] in expected}
    assert got == {source: ("read", reason) for source, reason in expected.items()}
    assert all(r["message"] for r in rows if r["source"] in expected)


def _rows(shards: Iterator[tuple[int, list[Row]]]) -> list[Row]:
    return [row for _, rows in sorted(shards, key=lambda s: s[0]) for row in rows]


def test_a_file_gone_or_spoilt_after_listing_is_a_read_drop_locally(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    records = _records(src, defer=True)
    expected = _spoil(src, records)
    rows = _rows(LocalEngine(SETTINGS).map(iter([(0, records[:9]), (1, records[9:])])))
    _check_spoilt(rows, records, expected)


@pytest.fixture(scope="module")
def dask_engine() -> Iterator[DaskEngine]:
    pytest.importorskip("dask.distributed")
    engine = DaskEngine(SETTINGS, workers=2)
    yield engine
    engine.close()


class _Submitted:
    """Keeps the arguments of every task the engine submits, then submits it for real."""

    def __init__(self, engine: DaskEngine) -> None:
        self.client = engine.client
        self.real = engine.client.submit
        self.calls: list[tuple[Any, ...]] = []

    def __enter__(self) -> _Submitted:
        def submit(fn: Any, *args: Any, **kw: Any) -> Any:
            self.calls.append(args)
            return self.real(fn, *args, **kw)

        self.client.submit = submit
        return self

    def __exit__(self, *exc: object) -> None:
        del self.client.submit  # back to the class's own method


def test_dask_tasks_carry_paths_not_pages(tmp_path: Path, dask_engine: DaskEngine) -> None:
    src = _inputs(tmp_path)
    records = _records(src, defer=True)
    shards = [(i, records[i * 5:(i + 1) * 5]) for i in range((len(records) + 4) // 5)]
    with _Submitted(dask_engine) as submitted:
        rows = _rows(dask_engine.map(iter(shards)))
    assert len(submitted.calls) == len(shards)
    sent = [r for args in submitted.calls for r in args[1]]
    assert [r.id for r in sent] == [r.id for r in records]
    files = [r for r in sent if r.file is not None]
    assert len(files) == 14
    assert all(r.content is None and r.source == r.file.path for r in files)
    # No byte of a page file is in any task: the markers sit in each HTML file's head.
    payload = b"".join(pickle.dumps(args) for args in submitted.calls)
    assert b"khabar-file-marker" not in payload
    page_bytes = sum(os.path.getsize(r.source) for r in files)
    assert len(pickle.dumps(files)) < page_bytes // 20
    # The JSONL pages have no file: their content still rides in the task.
    assert all(r.content for r in sent if r.source.endswith(".jsonl"))
    # The workers read the files: the rows are those of pages read in this process.
    eager = process_records(_records(src, defer=False), SETTINGS)
    assert _strip(rows) == eager
    assert sum(r["status"] == "brief" for r in rows) >= 11


def test_a_file_gone_or_spoilt_after_listing_is_a_read_drop_on_dask(
        tmp_path: Path, dask_engine: DaskEngine) -> None:
    src = _inputs(tmp_path)
    records = _records(src, defer=True)
    expected = _spoil(src, records)
    rows = _rows(dask_engine.map(iter([(0, records[:9]), (1, records[9:])])))
    _check_spoilt(rows, records, expected)


def test_local_and_dask_runs_over_files_are_identical(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("dask.distributed")
    src = _inputs(tmp_path)
    settings = load_settings(env={}, embed="off", max_input_bytes=MAX_BYTES)
    local = run_batch([str(src)], tmp_path / "local", settings=settings, shard_size=4,
                      progress=Progress(quiet=True))
    spies: list[_Submitted] = []

    def make_engine(*args: Any, **kw: Any) -> LocalEngine | DaskEngine:
        engine = real_make_engine(*args, **kw)
        assert isinstance(engine, DaskEngine)
        spies.append(_Submitted(engine).__enter__())
        return engine

    monkeypatch.setattr(batch_runner, "make_engine", make_engine)
    dask = run_batch([str(src)], tmp_path / "dask", settings=settings, shard_size=4,
                     engine="dask", workers=2, progress=Progress(quiet=True))
    # The batch itself hands the engine paths, not pages.
    sent = [r for args in spies[0].calls for r in args[1]]
    assert sum(r.file is not None and r.content is None for r in sent) == 14
    assert b"khabar-file-marker" not in pickle.dumps(spies[0].calls)
    rows = list(read_output(tmp_path / "dask"))
    assert rows == list(read_output(tmp_path / "local"))
    assert [r["id"] for r in rows] == [r.id for r in _records(src, defer=False)]
    assert dask.counts == local.counts and local.total == len(rows) == 17
    assert dask.counts["reason"]["too_large"] == 1 and dask.counts["reason"]["bad_gzip"] == 1
    for name in ("duplicates.jsonl", "clusters.jsonl"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


class _Stop(Exception):
    """Stands for a crash after some shards were committed."""


def test_a_run_over_files_stopped_midway_resumes_on_dask_exactly_once(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    src = _inputs(tmp_path)
    reference = run_batch([str(src)], tmp_path / "ref", settings=SETTINGS, shard_size=3,
                          progress=Progress(quiet=True), global_step=False)

    def stop_after_two(index: int) -> None:
        if index == 1:
            raise _Stop

    with pytest.raises(_Stop):
        run_batch([str(src)], tmp_path / "out", settings=SETTINGS, shard_size=3,
                  progress=Progress(quiet=True), global_step=False, on_shard=stop_after_two)
    again = run_batch([str(src)], tmp_path / "out", settings=SETTINGS, shard_size=3,
                      engine="dask", workers=2, resume=True, progress=Progress(quiet=True),
                      global_step=False)
    assert again.skipped == 6 and again.processed == reference.total - 6
    rows = list(read_output(tmp_path / "out"))
    assert rows == list(read_output(tmp_path / "ref"))
    assert len({r["id"] for r in rows}) == len(rows) == 17
    assert again.counts == reference.counts
