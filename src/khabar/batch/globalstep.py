"""The global step after the per-page work: duplicates and story clusters over all briefs.

It reads the finished shards back in input order, so its result does not
depend on the engine or on how often the run was resumed, and writes
``duplicates.jsonl`` and ``clusters.jsonl`` atomically. It uses
:mod:`khabar.enrich.dedup` when that module and ``datasketch`` are there;
otherwise it records why it was skipped.

Memory is bounded whatever the corpus size: briefs stream from the shard
files; duplicate lines go straight to a file; an exact copy of a text already
indexed is recognised by its hash and never enters the MinHash index (a copy
costs ~3 KB there and adds nothing a later query could need); and stories
wait for clustering in one spill file per month on disk, not in memory, so
only one month bucket (at most ``CLUSTER_MAX_BUCKET`` stories) is held at a time.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import tempfile
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import KhabarError
from .shards import AtomicLines, ShardOutput
from .work import Row

# Near-duplicate memory: the index forgets the oldest texts past this many,
# so the step stays flat in memory on any corpus (duplicates further apart
# in the input than this are missed). About 12 KB a distinct text in the
# MinHash LSH index (32 bands), so ~600 MB when full.
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


class _ExactSeen:
    """Normalised-text hash -> first id, the oldest forgotten past ``capacity``."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._first: OrderedDict[str, str] = OrderedDict()

    def get(self, digest: str) -> str | None:
        first = self._first.get(digest)
        if first is not None:
            self._first.move_to_end(digest)  # a text still recurring stays remembered
        return first

    def add(self, digest: str, rid: str) -> None:
        self._first.setdefault(digest, rid)
        while len(self._first) > self.capacity:
            self._first.popitem(last=False)


class _MonthSpill:
    """Stories waiting for clustering, one JSONL file per month in a scratch directory."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="khabar-clusters-")
        self.counts: dict[str, int] = {}  # -1: the month grew past CLUSTER_MAX_BUCKET
        self._names: dict[str, str] = {}

    def _path(self, month: str) -> Path:
        # Numbered files: a month key is page data and may hold any character.
        name = self._names.setdefault(month, f"{len(self._names)}.jsonl")
        return Path(self._dir.name) / name

    def add(self, month: str, item: list[Any]) -> None:
        count = self.counts.get(month, 0)
        if count < 0:
            return
        if count >= CLUSTER_MAX_BUCKET:
            self.counts[month] = -1
            self._path(month).unlink(missing_ok=True)
            return
        self.counts[month] = count + 1
        with self._path(month).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")

    def months(self) -> Iterator[tuple[str, list[list[Any]] | None]]:
        """Each month in order with its stories, or None when it was too big."""
        for month in sorted(self.counts):
            if self.counts[month] < 0:
                yield month, None
                continue
            with self._path(month).open(encoding="utf-8") as fh:
                yield month, [json.loads(line) for line in fh]

    def close(self) -> None:
        self._dir.cleanup()


def run_global_step(output: ShardOutput, *, clusters: bool = True) -> dict[str, Any]:
    """Find duplicates and story clusters among the briefs of ``output``; return a summary."""
    dedup = _dedup_module()
    if dedup is None:
        return {"skipped": "khabar.enrich.dedup is not installed"}
    try:
        index = dedup.DuplicateIndex(capacity=DEDUP_CAPACITY)
    except KhabarError as exc:
        return {"skipped": exc.message}
    seen = _ExactSeen(DEDUP_CAPACITY)
    spill = _MonthSpill()
    dups = AtomicLines(output.root / "duplicates.jsonl")
    try:
        for rid, brief in _briefs(output.iter_rows()):
            text = brief.get("text") or ""
            fp = dedup.fingerprint(text)
            first = seen.get(fp.digest)
            if first is not None:
                dups.write(json.dumps({"id": rid, "duplicate_of": first, "exact": True,
                                       "similarity": 1.0}))
                continue
            found = index.add(rid, fp)
            seen.add(fp.digest, rid)
            if found:
                best = found[0]
                dups.write(json.dumps({"id": rid, "duplicate_of": best.id, "exact": best.exact,
                                       "similarity": round(best.similarity, 4)}))
                continue
            if clusters:
                month = (brief.get("date") or "undated")[:7]
                spill.add(month, [rid, _cluster_text(brief), brief.get("date"),
                                  brief.get("site_name")])
        del index
        dups.commit()
        summary = _write_clusters(output, spill)
    except BaseException:
        dups.abort()
        raise
    finally:
        spill.close()
    return {"duplicates": dups.count, **summary}


def _write_clusters(output: ShardOutput, spill: _MonthSpill) -> dict[str, int]:
    """Cluster each month's stories and write the groups of two or more.

    A story of a month's last :data:`~khabar.enrich.clusters.STORY_WINDOW_DAYS`
    days that found no partner there is clustered again with the next month:
    otherwise the 31 March and 1 April reports of one event never met. It is
    written at most once, since a story alone is not written.
    """
    from ..enrich.clusters import STORY_WINDOW_DAYS, StoryItem, cluster_stories
    from ..enrich.dedup import day_ordinal

    lines = AtomicLines(output.root / "clusters.jsonl")
    skipped_buckets = 0
    carry: list[list[Any]] = []
    carried_into = ""
    try:
        for month, rows in spill.months():
            if rows is None:
                skipped_buckets += 1
                carry = []
                continue
            if carry and carried_into == month:
                rows = carry + rows
            items = [StoryItem(rid, text, date, source) for rid, text, date, source in rows]
            alone: set[str] = set()
            for group in cluster_stories(items, embeddings=False):
                if len(group.members) > 1:
                    lines.write(json.dumps({
                        "representative": group.representative, "members": list(group.members),
                        "sources": list(group.sources)}, ensure_ascii=False))
                else:
                    alone.add(group.members[0])
            carried_into, next_start = _next_month(month)
            carry = [row for row in rows if row[0] in alone
                     and (day := day_ordinal(row[2])) is not None and next_start is not None
                     and 0 < next_start.toordinal() - day <= STORY_WINDOW_DAYS]
        lines.commit()
    except BaseException:
        lines.abort()
        raise
    return {"clusters": lines.count, "unclustered_buckets": skipped_buckets}


def _next_month(month: str) -> tuple[str, dt.date | None]:
    """The key and first day of the month after ``month`` ("2020-12" -> "2021-01").

    ``("", None)`` for a key that is no month ("undated", a malformed date's prefix).
    """
    try:
        start = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        return "", None
    nxt = (dt.date(start.year + 1, 1, 1) if start.month == 12
           else start.replace(month=start.month + 1))
    return f"{nxt.year:04d}-{nxt.month:02d}", nxt


def _cluster_text(brief: dict[str, Any]) -> str:
    """Headline and lead: enough to tell two stories apart, cheap to compare."""
    return " ".join([brief.get("title") or "", *(brief.get("sentences") or [])[:5]])


__all__ = ["CLUSTER_MAX_BUCKET", "DEDUP_CAPACITY", "run_global_step"]
