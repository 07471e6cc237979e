"""The global step after the per-page work: duplicates and story clusters over all briefs.

It reads the finished shards back in input order, so its result does not
depend on the engine or on how often the run was resumed, and writes
``duplicates.jsonl`` and ``clusters.jsonl`` atomically. It uses
:mod:`khabar.enrich.dedup` when that module and ``datasketch`` are there;
otherwise it records why it was skipped.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import KhabarError
from .shards import ShardOutput, atomic_write
from .work import Row

# Near-duplicate memory: the index forgets the oldest texts past this many,
# so the step stays flat in memory on any corpus (duplicates further apart
# in the input than this are missed).
DEDUP_CAPACITY = 50_000
# Story clustering compares every pair inside a month bucket; a bucket larger
# than this is left unclustered rather than allowed to eat the machine.
CLUSTER_MAX_BUCKET = 3_000


def _dedup_module() -> Any | None:
    if importlib.util.find_spec("khabar.enrich.dedup") is None:
        return None
    return importlib.import_module("khabar.enrich.dedup")


def _briefs(rows: Iterable[Row]) -> Iterator[tuple[str, dict[str, Any]]]:
    for row in rows:
        if row["status"] == "brief" and row.get("brief"):
            yield row["id"], row["brief"]


def run_global_step(output: ShardOutput, *, clusters: bool = True) -> dict[str, Any]:
    """Find duplicates and story clusters among the briefs of ``output``; return a summary."""
    dedup = _dedup_module()
    if dedup is None:
        return {"skipped": "khabar.enrich.dedup is not installed"}
    try:
        index = dedup.DuplicateIndex(capacity=DEDUP_CAPACITY)
    except KhabarError as exc:
        return {"skipped": exc.message}
    dup_lines: list[str] = []
    buckets: dict[str, list[Any] | None] = {}  # None: the bucket grew too big
    for rid, brief in _briefs(output.iter_rows()):
        found = index.add(rid, brief.get("text") or "")
        if found:
            best = found[0]
            dup_lines.append(json.dumps({"id": rid, "duplicate_of": best.id, "exact": best.exact,
                                         "similarity": round(best.similarity, 4)}))
            continue
        if clusters:
            month = (brief.get("date") or "undated")[:7]
            bucket = buckets.setdefault(month, [])
            if bucket is not None and len(bucket) >= CLUSTER_MAX_BUCKET:
                buckets[month] = None
            elif bucket is not None:
                text = _cluster_text(brief)
                bucket.append(dedup.StoryItem(rid, text, brief.get("date"), brief.get("site_name")))
    atomic_write(output.root / "duplicates.jsonl", "".join(x + "\n" for x in dup_lines).encode())
    cluster_lines: list[str] = []
    skipped_buckets = 0
    for month in sorted(buckets):
        items = buckets[month]
        if items is None:
            skipped_buckets += 1
            continue
        for group in dedup.cluster_stories(items, embeddings=False):
            if len(group.members) > 1:
                cluster_lines.append(json.dumps({
                    "representative": group.representative, "members": list(group.members),
                    "sources": list(group.sources)}, ensure_ascii=False))
    atomic_write(output.root / "clusters.jsonl", "".join(x + "\n" for x in cluster_lines).encode())
    return {"duplicates": len(dup_lines), "clusters": len(cluster_lines),
            "unclustered_buckets": skipped_buckets}


def _cluster_text(brief: dict[str, Any]) -> str:
    """Headline and lead: enough to tell two stories apart, cheap to compare."""
    return " ".join([brief.get("title") or "", *(brief.get("sentences") or [])[:5]])


__all__ = ["CLUSTER_MAX_BUCKET", "DEDUP_CAPACITY", "run_global_step"]
