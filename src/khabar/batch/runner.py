"""``run_batch``: inputs in, shards of briefs and drops out, resumable, on any engine.

The driver streams records from the readers, cuts them into shards of a
fixed size (so shard ``k`` always holds the same records), skips shards an
earlier run completed, hands the rest to the engine, and for each result
writes the shard file, upserts its briefs into the store, and writes the
shard's manifest last. A run killed anywhere leaves complete shards with
manifests and at most a few without; ``--resume`` redoes only those, and the
store's upsert (keyed by URL or content hash) makes the redo a no-op there.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from ..ingest.readers import Record, TextMode, expand_inputs, iter_records
from ..settings import Settings, load_settings
from .engines import make_engine
from .globalstep import run_global_step
from .progress import Progress, format_report
from .shards import SUCCESS_FILE, OutputFormat, ShardOutput, atomic_write, ids_digest
from .work import Row

# Records per shard: big enough that per-task overhead (Dask scheduling, a
# file and an fsync per shard) stays small beside ~60 ms of work a page, small
# enough that a killed run loses little and memory stays low.
DEFAULT_SHARD_SIZE = 200


@dataclass
class BatchResult:
    """What a batch run did; ``counts`` covers every record of the output, all runs."""

    out: str
    counts: dict[str, dict[str, int]]
    processed: int = 0  # records worked on in this run
    skipped: int = 0  # records of shards completed by an earlier run
    seconds: float = 0.0
    global_step: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Records in the output."""
        return sum(self.counts.get("status", {}).values())

    def report(self) -> str:
        """The end-of-run table."""
        return format_report(self.counts, seconds=self.seconds, pages_done=self.processed)


def _merge(total: dict[str, Counter[str]], counts: dict[str, dict[str, int]]) -> None:
    for key, values in counts.items():
        total.setdefault(key, Counter()).update(values)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class _Position:
    """How far the readers got, in bytes of input files, for the ETA.

    Only the total is kept from the first pass over the inputs, not a size per
    file: a directory of a million pages would otherwise cost a dict entry each.
    """

    def __init__(self, specs: Sequence[str]) -> None:
        self.total = sum(_size(path) for path in expand_inputs(specs))
        self.done = 0
        self._current: str | None = None

    def see(self, source: str) -> None:
        if source != self._current:
            if self._current is not None:
                self.done += _size(self._current)
            self._current = source


def _shards(records: Iterator[Record], size: int, position: _Position) -> Iterator[
        tuple[int, list[Record]]]:
    buf: list[Record] = []
    index = 0
    for record in records:
        position.see(record.source)
        buf.append(record)
        if len(buf) >= size:
            yield index, buf
            buf, index = [], index + 1
    if buf:
        yield index, buf


def run_batch(
    inputs: Sequence[str],
    out: str | os.PathLike[str],
    *,
    settings: Settings | None = None,
    engine: str = "local",
    workers: int = 2,
    scheduler: str | None = None,
    resume: bool = False,
    db: str | None = None,
    fmt: OutputFormat = "jsonl",
    shard_size: int = DEFAULT_SHARD_SIZE,
    text_mode: TextMode = "auto",
    global_step: bool = True,
    progress: Progress | None = None,
    on_shard: Callable[[int], None] | None = None,
) -> BatchResult:
    """Brief every record of ``inputs`` into ``out``; each ends as a brief or a drop.

    Args:
        inputs: files, directories, globs and URLs (see :func:`khabar.ingest.readers.iter_records`).
        out: the output directory (see :mod:`khabar.batch.shards` for its layout).
        settings: khabar settings for every page.
        engine: ``local`` (this process) or ``dask``.
        workers: Dask worker processes of the LocalCluster.
        scheduler: a Dask scheduler address; implies ``engine="dask"``.
        resume: continue the run already in ``out``; without it ``out`` must be new.
        db: a store URL (:func:`khabar.store.open_store`); briefs are upserted there
            too, and the global step replaces its story clusters (``khabar clusters``).
        fmt: ``jsonl`` or ``parquet`` shard files.
        shard_size: records per shard (part of the run's identity on resume).
        text_mode: how ``.txt`` inputs are cut into pages.
        global_step: find duplicates and story clusters after the per-page work.
        progress: where progress goes (default: stderr, a bar on a TTY).
        on_shard: called with each shard index once it is committed (tests).

    Raises:
        ConfigError: ``out`` holds another run, or ``--resume`` changed the inputs.
    """
    if shard_size < 1:
        raise ConfigError("shard_size must be at least 1")
    settings = settings or load_settings()
    output = ShardOutput(out, fmt)
    run_info = {"inputs": [str(i) for i in inputs], "shard_size": shard_size, "format": fmt,
                "text_mode": text_mode}
    output.prepare(run_info, resume=resume)
    position = _Position(inputs)
    progress = progress or Progress(position.total)
    progress.total_bytes = position.total
    store = _open_store(db)
    started = time.monotonic()
    processed = skipped = 0

    def pending() -> Iterator[tuple[int, list[Record]]]:
        nonlocal skipped
        # One-page files travel as paths; the engine's workers read them.
        records = iter_records(inputs, text_mode=text_mode, max_bytes=settings.max_input_bytes,
                               defer_files=True)
        for index, shard in _shards(records, shard_size, position):
            done = output.manifest(index)
            if done is None:
                yield index, shard
                continue
            if done["ids_sha1"] != ids_digest(r.id for r in shard):
                raise ConfigError(
                    f"shard {index} holds other records than the inputs give now: "
                    "the inputs changed since the first run", reason="resume_mismatch")
            skipped += len(shard)
            progress.skip(len(shard))

    ids_of: dict[int, list[str]] = {}

    def tracked() -> Iterator[tuple[int, list[Record]]]:
        for index, shard in pending():
            ids_of[index] = [r.id for r in shard]
            yield index, shard

    runner = make_engine(engine, settings, workers=workers, scheduler=scheduler,
                         keep=store is not None)
    try:
        for index, rows in runner.map(tracked()):
            _commit(output, index, ids_of.pop(index), rows, store)
            processed += len(rows)
            progress.advance(len(rows), sum(r["status"] == "brief" for r in rows), position.done)
            if on_shard is not None:
                on_shard(index)
    finally:
        runner.close()
        if store is not None:
            store.close()
    progress.bytes_done = position.total
    progress.finish()
    totals: dict[str, Counter[str]] = {}
    for manifest in output.completed():
        _merge(totals, manifest["counts"])
    result = BatchResult(str(out), {k: dict(v) for k, v in totals.items()}, processed, skipped,
                         time.monotonic() - started)
    if global_step:
        result.global_step = run_global_step(output)
        if db is not None and "skipped" not in result.global_step:
            result.global_step["stored_clusters"] = _store_clusters(db)
    atomic_write(output.root / "report.json", json.dumps(
        {"counts": result.counts, "global_step": result.global_step}, indent=2,
        ensure_ascii=False).encode())
    atomic_write(output.root / SUCCESS_FILE, b"")
    return result


def _commit(output: ShardOutput, index: int, ids: list[str], rows: list[Row],
            store: Any) -> None:
    """Data file, then the store, then the manifest: the order that makes a redo safe."""
    objects = [row.pop("_brief", None) for row in rows]
    output.write_rows(index, rows)
    if store is not None:
        for row, obj in zip(rows, objects, strict=True):
            if obj is not None:
                store.upsert_brief(obj, url=row.get("url"))
    output.commit(index, ids, rows)


def _store_clusters(db: str) -> int:
    """Story clusters of the store's newest briefs, written there (``khabar clusters``)."""
    from ..enrich.clusters import cluster_store

    store = _open_store(db)
    try:
        return cluster_store(store)[0]
    finally:
        store.close()


def _open_store(db: str | None) -> Any:
    if db is None:
        return None
    from ..store import open_store

    return open_store(db)


__all__ = ["DEFAULT_SHARD_SIZE", "BatchResult", "run_batch"]
