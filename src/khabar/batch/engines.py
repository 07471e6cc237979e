"""Where the per-page work runs: in this process, or on a Dask cluster.

Both engines take shards ``(index, records)`` from a stream and give back
``(index, rows)``; they keep only a bounded number of shards in flight, so
memory stays flat however long the input is. The Dask engine starts a
``LocalCluster`` on loopback unless given a scheduler address.

A shard's one-page files come as paths (records with a ``file`` and no
content, see :func:`khabar.ingest.readers.load_file`): the worker that briefs
a page reads it, so a Dask task carries a few hundred bytes a file and the
driver never pickles page bytes. Records that only exist inside a stream
(WARC, JSONL, feeds, multi-story files) still carry their content.
"""

from __future__ import annotations

import importlib
import tempfile
from collections.abc import Iterator
from typing import Any, Protocol

from ..errors import MissingDependencyError
from ..ingest.readers import Record
from ..settings import Settings
from .work import Row, process_records, warm_up

Shard = tuple[int, list[Record]]


class Engine(Protocol):
    """Runs the per-page work over shards."""

    def map(self, shards: Iterator[Shard]) -> Iterator[tuple[int, list[Row]]]: ...

    def close(self) -> None: ...


class LocalEngine:
    """One shard after another in this process: one core, no dependencies."""

    def __init__(self, settings: Settings, *, keep: bool = False) -> None:
        self.settings = settings
        self.keep = keep

    def map(self, shards: Iterator[Shard]) -> Iterator[tuple[int, list[Row]]]:
        """Process shards in input order."""
        for index, records in shards:
            yield index, process_records(records, self.settings, keep=self.keep)

    def close(self) -> None:
        """Nothing to release."""


def _distributed() -> Any:
    try:
        return importlib.import_module("dask.distributed")
    except ImportError as exc:
        raise MissingDependencyError("dask.distributed", "dask") from exc


class DaskEngine:
    """Shards as Dask tasks, at most ``2 x workers`` in flight, results as they finish.

    Args:
        settings: the khabar settings every worker uses.
        workers: worker processes of the LocalCluster (ignored with a scheduler).
        scheduler: address of a running scheduler (``tcp://host:8786``).
        local_directory: scratch space of the LocalCluster's workers.
    """

    def __init__(self, settings: Settings, *, workers: int = 2, scheduler: str | None = None,
                 local_directory: str | None = None, keep: bool = False) -> None:
        dd = _distributed()
        self.settings = settings
        self.keep = keep
        self._cluster: Any = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        if scheduler:
            self.client = dd.Client(scheduler)
        else:
            if local_directory is None:
                self._scratch = tempfile.TemporaryDirectory(prefix="khabar-dask-")
                local_directory = self._scratch.name
            self._cluster = dd.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=":0", local_directory=local_directory,
            )
            self.client = dd.Client(self._cluster)
        info = self.client.scheduler_info()
        self.workers = max(1, len(info.get("workers", {})) or workers)
        # Models and data files load once per worker process, before real work.
        self.client.run(warm_up, settings)

    def map(self, shards: Iterator[Shard]) -> Iterator[tuple[int, list[Row]]]:
        """Submit shards with a bounded window; yield each result when it finishes."""
        dd = _distributed()
        window = 2 * self.workers
        pending = dd.as_completed()
        in_flight = 0
        for index, records in shards:
            future = self.client.submit(
                _run_shard, index, records, self.settings, self.keep, pure=False
            )
            pending.add(future)
            in_flight += 1
            if in_flight >= window:
                done = next(pending)
                in_flight -= 1
                yield done.result()
                done.release()
        for done in pending:
            yield done.result()
            done.release()

    def close(self) -> None:
        """Shut the client and the LocalCluster down."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
        if self._scratch is not None:
            self._scratch.cleanup()


def _run_shard(
    index: int, records: list[Record], settings: Settings, keep: bool
) -> tuple[int, list[Row]]:
    """The Dask task: one shard's rows, tagged with its index."""
    return index, process_records(records, settings, keep=keep)


def make_engine(name: str, settings: Settings, *, workers: int = 2,
                scheduler: str | None = None, keep: bool = False) -> LocalEngine | DaskEngine:
    """The engine called ``name`` (``local`` or ``dask``); ``keep`` ships Brief objects back."""
    if name == "dask" or scheduler:
        return DaskEngine(settings, workers=workers, scheduler=scheduler, keep=keep)
    return LocalEngine(settings, keep=keep)


__all__ = ["DaskEngine", "Engine", "LocalEngine", "make_engine"]
