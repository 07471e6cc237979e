"""Batch output: one file per shard, written atomically, with a manifest per shard.

Layout of ``OUT/``::

    _run.json                  the inputs and shard size of the run (checked on --resume)
    part-00000.jsonl           rows of shard 0 (or .parquet)
    _manifest/part-00000.json  written last: the shard is complete only when this exists
    report.json, duplicates.jsonl, clusters.jsonl, _SUCCESS   after the global step

Every file is written to a temporary name, fsync'd and renamed, so a run
killed at any moment leaves either a whole file or none. A data file without
its manifest is redone (and overwritten) on ``--resume``.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

from ..errors import ConfigError, MissingDependencyError
from .work import Row

OutputFormat = Literal["jsonl", "parquet"]
MANIFEST_DIR = "_manifest"
RUN_FILE = "_run.json"
SUCCESS_FILE = "_SUCCESS"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see all of it or nothing."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    """Make a rename durable: fsync the directory that holds it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicLines:
    """A text file written line by line under a temporary name, renamed when complete.

    :func:`atomic_write` for output too large to hold in memory first
    (``duplicates.jsonl`` of a whole crawl).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp")
        self.fh: IO[str] = self.tmp.open("w", encoding="utf-8")
        self.count = 0

    def write(self, line: str) -> None:
        self.fh.write(line + "\n")
        self.count += 1

    def commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.path)
        _fsync_dir(self.path.parent)

    def abort(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)


def ids_digest(ids: Iterable[str]) -> str:
    """A digest of a shard's record ids, to spot changed inputs on resume."""
    h = hashlib.sha1()
    for i in ids:
        h.update(i.encode("ascii") + b"\n")
    return h.hexdigest()


def row_counts(rows: Iterable[Row]) -> dict[str, dict[str, int]]:
    """Counts of a shard's rows by status, stage and drop reason."""
    status: Counter[str] = Counter()
    stage: Counter[str] = Counter()
    reason: Counter[str] = Counter()
    for row in rows:
        status[row["status"]] += 1
        stage[row["stage"]] += 1
        if row["status"] == "drop":
            reason[row["reason"]] += 1
    return {"status": dict(status), "stage": dict(stage), "reason": dict(reason)}


class ShardOutput:
    """The output directory of one batch run."""

    def __init__(self, out: str | os.PathLike[str], fmt: OutputFormat = "jsonl") -> None:
        self.root = Path(out)
        self.fmt = fmt
        self.manifests = self.root / MANIFEST_DIR

    def prepare(self, run: dict[str, Any], *, resume: bool) -> None:
        """Create the directory, or check that ``--resume`` continues the same run.

        The run file is written before anything else, so a run killed at any
        point of its start leaves a directory that ``--resume`` accepts.
        """
        run_file = self.root / RUN_FILE
        self.root.mkdir(parents=True, exist_ok=True)
        for stale in [*self.root.glob(".*.tmp"), *self.root.glob(f"{MANIFEST_DIR}/.*.tmp")]:
            stale.unlink(missing_ok=True)
        if run_file.exists():
            if not resume:
                raise ConfigError(
                    f"{self.root} holds an earlier run: pass --resume to continue it, "
                    "or choose a new --out directory", reason="output_exists")
            old = json.loads(run_file.read_text(encoding="utf-8"))
            if old != run:
                raise ConfigError(
                    f"--resume with different inputs or options than the run in {self.root}",
                    reason="resume_mismatch")
        elif any(self.root.iterdir()):
            raise ConfigError(f"{self.root} is not empty and holds no khabar run",
                              reason="output_exists")
        else:
            atomic_write(run_file, json.dumps(run, indent=2).encode())
        self.manifests.mkdir(exist_ok=True)
        (self.root / SUCCESS_FILE).unlink(missing_ok=True)

    def name(self, index: int) -> str:
        """The data file name of shard ``index``."""
        return f"part-{index:05d}.{self.fmt}"

    def manifest(self, index: int) -> dict[str, Any] | None:
        """The manifest of a completed shard, or None."""
        path = self.manifests / f"part-{index:05d}.json"
        if not path.exists():
            return None
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def write_rows(self, index: int, rows: list[Row]) -> None:
        """Write a shard's data file atomically (its manifest comes later)."""
        path = self.root / self.name(index)
        if self.fmt == "parquet":
            atomic_write(path, _parquet_bytes(rows))
        else:
            text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
            atomic_write(path, text.encode("utf-8"))

    def commit(self, index: int, ids: list[str], rows: list[Row]) -> dict[str, Any]:
        """Mark shard ``index`` complete: write its manifest last."""
        manifest = {
            "shard": index,
            "file": self.name(index),
            "records": len(ids),
            "ids_sha1": ids_digest(ids),
            "counts": row_counts(rows),
        }
        path = self.manifests / f"part-{index:05d}.json"
        atomic_write(path, json.dumps(manifest, sort_keys=True).encode())
        return manifest

    def completed(self) -> list[dict[str, Any]]:
        """Manifests of all completed shards, in shard order."""
        out = []
        for path in sorted(self.manifests.glob("part-*.json")):
            out.append(json.loads(path.read_text(encoding="utf-8")))
        return out

    def iter_rows(self) -> Iterator[Row]:
        """Every row of every completed shard, in shard order."""
        for manifest in self.completed():
            yield from read_shard(self.root / manifest["file"])


def read_shard(path: Path) -> Iterator[Row]:
    """The rows of one shard file (JSONL or Parquet)."""
    if path.suffix == ".parquet":
        pq = _pyarrow_parquet()
        table = pq.read_table(path)
        for row in table.to_pylist():
            row["brief"] = json.loads(row["brief"]) if row["brief"] else None
            yield row
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def read_output(out: str | os.PathLike[str]) -> Iterator[Row]:
    """Every row of a batch output directory, in input order."""
    fmt: OutputFormat = "parquet" if any(Path(out).glob("part-*.parquet")) else "jsonl"
    return ShardOutput(out, fmt).iter_rows()


def _pyarrow_parquet() -> Any:
    try:
        pq = importlib.import_module("pyarrow.parquet")
    except ImportError as exc:
        raise MissingDependencyError("pyarrow", "batch") from exc
    return pq


def _parquet_bytes(rows: list[Row]) -> bytes:
    """A shard as Parquet: flat columns, the brief as a JSON string."""
    pq = _pyarrow_parquet()
    pa = importlib.import_module("pyarrow")

    columns: dict[str, list[Any]] = {k: [] for k in
                                     ("id", "source", "locator", "url", "status", "stage",
                                      "reason", "message", "brief")}
    for row in rows:
        for key in columns:
            value = row.get(key)
            if key == "brief" and value is not None:
                value = json.dumps(value, ensure_ascii=False, sort_keys=True)
            columns[key].append(value)
    table = pa.table({k: pa.array(v, type=pa.string()) for k, v in columns.items()})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


__all__ = ["OutputFormat", "ShardOutput", "atomic_write", "read_output", "read_shard", "row_counts"]
