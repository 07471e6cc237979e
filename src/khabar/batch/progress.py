"""Progress while a batch runs, and the table of counts at the end."""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import TextIO

# How often a plain (non-TTY) progress line is printed, in seconds.
PLAIN_EVERY_S = 10.0
# How often the TTY bar is redrawn.
TTY_EVERY_S = 0.2


def _duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """A bar with pages/s and ETA on a terminal; a line every few seconds otherwise.

    The ETA comes from the share of input bytes read so far, since the number
    of records in a stream is not known until it ends.
    """

    def __init__(self, total_bytes: int = 0, *, stream: TextIO | None = None,
                 tty: bool | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.quiet = quiet
        self.total_bytes = total_bytes
        self.bytes_done = 0
        self.pages = 0
        self.skipped = 0
        self.briefs = 0
        self.start = time.monotonic()
        self._last = 0.0

    def advance(self, pages: int, briefs: int, bytes_done: int) -> None:
        """Count a finished shard and redraw when it is time."""
        self.pages += pages
        self.briefs += briefs
        self.bytes_done = max(self.bytes_done, bytes_done)
        self._draw(final=False)

    def skip(self, pages: int) -> None:
        """Count a shard completed by an earlier run (not in the rate)."""
        self.skipped += pages

    def line(self) -> str:
        """The current progress text."""
        elapsed = max(1e-6, time.monotonic() - self.start)
        rate = self.pages / elapsed
        text = f"{self.pages + self.skipped} records, {self.briefs} briefs, {rate:.1f} pages/s"
        if self.total_bytes and self.bytes_done:
            share = min(1.0, self.bytes_done / self.total_bytes)
            eta = elapsed * (1 - share) / max(share, 1e-6)
            text = f"{share * 100:5.1f}% {text}, ETA {_duration(eta)}"
        return text

    def _draw(self, *, final: bool) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        every = TTY_EVERY_S if self.tty else PLAIN_EVERY_S
        if not final and now - self._last < every:
            return
        self._last = now
        if self.tty:
            width = 24
            share = self.bytes_done / self.total_bytes if self.total_bytes else 0.0
            filled = int(width * min(1.0, share))
            bar = "█" * filled + "·" * (width - filled)
            self.stream.write(f"\r{bar} {self.line()}\x1b[K" + ("\n" if final else ""))
        else:
            self.stream.write(f"khabar batch: {self.line()}\n")
        self.stream.flush()

    def finish(self) -> None:
        """Draw the last state."""
        self._draw(final=True)


def format_report(counts: Mapping[str, Mapping[str, int]], *, seconds: float,
                  pages_done: int) -> str:
    """The end-of-run table: records by status, by stage, and drops by reason."""
    status = counts.get("status", {})
    total = sum(status.values())
    lines = [f"{'records':<28}{total:>10}", f"{'  briefs':<28}{status.get('brief', 0):>10}",
             f"{'  drops':<28}{status.get('drop', 0):>10}", "", "by stage"]
    for stage, n in sorted(counts.get("stage", {}).items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {stage:<26}{n:>10}")
    reasons = counts.get("reason", {})
    if reasons:
        lines += ["", "drops by reason"]
        for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {reason:<26}{n:>10}")
    rate = pages_done / seconds if seconds > 0 else 0.0
    lines += ["", f"{pages_done} records processed in this run, {_duration(seconds)}, "
              f"{rate:.1f} pages/s"]
    return "\n".join(lines)


__all__ = ["Progress", "format_report"]
