"""Batch: many pages in (files, crawls, feeds, URL lists), briefs out, resumable, local or Dask."""

from __future__ import annotations

from .runner import DEFAULT_SHARD_SIZE, BatchResult, run_batch
from .shards import read_output

__all__ = ["DEFAULT_SHARD_SIZE", "BatchResult", "read_output", "run_batch"]
