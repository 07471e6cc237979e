"""``khabar watch``: poll feeds, brief only the new items, store them.

Seen items are remembered in a small JSON state file (item id or link per
feed, newest kept, bounded), and the feed itself is asked for conditionally
(ETag, Last-Modified), so an unchanged feed costs one 304.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, FetchError
from ..ingest.readers import Record, read_feed_or_sitemap
from ..settings import Settings
from .shards import atomic_write
from .work import process_record

# Item ids remembered per feed; feeds show their last 20-100 items.
SEEN_PER_FEED = 2_000


@dataclass
class PollResult:
    """What one poll of one feed did."""

    feed: str
    new: int = 0
    stored: int = 0
    drops: dict[str, int] = field(default_factory=dict)
    not_modified: bool = False
    error: str | None = None


def parse_every(text: str) -> float:
    """Seconds from ``90``, ``90s``, ``10m``, ``2h``."""
    text = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600}
    try:
        scale = units.get(text[-1:], 0)
        value = float(text[:-1]) * scale if scale else float(text)
    except ValueError as exc:
        raise ConfigError(f"not a duration: {text!r} (try 10m)", reason="bad_duration") from exc
    if value <= 0:
        raise ConfigError("the interval must be positive", reason="bad_duration")
    return value


class FeedWatcher:
    """Polls feeds and stores briefs of items it has not seen before.

    Args:
        feeds: feed URLs.
        store: an open :class:`khabar.store.Store`.
        settings: khabar settings.
        state_path: JSON file of seen item ids (survives restarts).
        fetcher: a :class:`khabar.ingest.fetch.Fetcher` (built from settings if None).
    """

    def __init__(self, feeds: Sequence[str], store: Any, settings: Settings, *,
                 state_path: Path, fetcher: Any = None) -> None:
        from ..ingest.fetch import Fetcher

        self.feeds = list(feeds)
        self.store = store
        self.settings = settings
        self.state_path = state_path
        self.fetcher = fetcher or Fetcher(user_agent=settings.user_agent,
                                          timeout=settings.fetch_timeout_s,
                                          max_bytes=settings.max_input_bytes)
        self.seen: dict[str, list[str]] = {}
        if state_path.exists():
            self.seen = json.loads(state_path.read_text(encoding="utf-8"))

    def poll_once(self) -> list[PollResult]:
        """Poll every feed once."""
        results = [self._poll(feed) for feed in self.feeds]
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.state_path, json.dumps(self.seen, ensure_ascii=False).encode())
        if any(r.stored for r in results):
            self._cluster()
        return results

    def _cluster(self) -> None:
        """New stories may join others' events: the store's clusters are made again."""
        try:
            from ..enrich.clusters import cluster_store
        except ImportError:  # the enrich extras are not installed: no clusters
            return
        cluster_store(self.store)

    def _poll(self, feed: str) -> PollResult:
        result = PollResult(feed)
        try:
            fetched = self.fetcher.fetch(feed)
        except FetchError as exc:
            result.error = exc.reason
            return result
        if fetched.not_modified:
            result.not_modified = True
            return result
        seen = self.seen.setdefault(feed, [])
        known = set(seen)
        for record in read_feed_or_sitemap(feed, fetched.content):
            if record.error is not None:
                result.error = record.error[0]
                continue
            if record.locator in known:
                continue
            result.new += 1
            row = self._brief(record)
            if row["status"] == "brief":
                result.stored += 1
            else:
                result.drops[row["reason"]] = result.drops.get(row["reason"], 0) + 1
            # A drop is remembered too: a page that is not an article stays one.
            seen.append(record.locator)
            known.add(record.locator)
        del seen[:-SEEN_PER_FEED]
        return result

    def _brief(self, record: Record) -> dict[str, Any]:
        content: str | bytes | None = record.content
        if content is None and record.url:
            try:
                page = self.fetcher.fetch(record.url)
                content = page.text if page.text is not None else page.content
            except FetchError as exc:
                return {"status": "drop", "reason": exc.reason}
        row = process_record(record, self.settings, content, keep=True)
        brief = row.pop("_brief", None)
        if brief is not None:
            self.store.upsert_brief(brief, url=record.url)
        return row

    def run(self, every_s: float, *, max_polls: int | None = None,
            report: Callable[[PollResult], None] | None = None) -> int:
        """Poll every ``every_s`` seconds, ``max_polls`` times (forever if None)."""
        polls = 0
        while max_polls is None or polls < max_polls:
            started = time.monotonic()
            for result in self.poll_once():
                if report is not None:
                    report(result)
            polls += 1
            if max_polls is not None and polls >= max_polls:
                break
            time.sleep(max(0.0, every_s - (time.monotonic() - started)))
        return polls


def default_state_path() -> Path:
    """Where seen items are kept: next to the default store."""
    base = os.environ.get("KHABAR_DATA_DIR") or str(Path.home() / ".local" / "share" / "khabar")
    return Path(base) / "watch-state.json"


__all__ = ["FeedWatcher", "PollResult", "default_state_path", "parse_every"]
