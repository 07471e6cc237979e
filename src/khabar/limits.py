"""A wall-clock limit on one page's trip through the pipeline.

Extractors can run for minutes on pathological markup (trafilatura #216,
#704; deep tables, huge inline scripts). The limit uses ``SIGALRM``, which
is the one way to stop pure-Python work from outside, so it applies only in
the main thread of a process on platforms that have ``setitimer``: the CLI,
``khabar batch``'s worker processes and plain scripts. Elsewhere (web
request threads, Dask worker threads) it is skipped, and the size limit
(``max_input_bytes``) is what bounds the work. A long call inside a C
extension is interrupted when it returns to Python.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from .errors import ExtractError

_active = threading.local()


def _usable() -> bool:
    """Whether an alarm can be set here without disturbing anyone else's."""
    if not hasattr(signal, "setitimer"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    # A program that set its own SIGALRM handler keeps it.
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


@contextmanager
def page_time_limit(seconds: float, source: str | None = None) -> Iterator[None]:
    """Raise :class:`ExtractError` (reason ``"time_limit"``) if the block runs past ``seconds``.

    ``seconds <= 0`` means no limit. Nested uses keep the outer limit.
    """
    if seconds <= 0 or getattr(_active, "on", False) or not _usable():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise ExtractError(
            f"the page took longer than {seconds:g} s to process "
            "(setting page_time_limit_s)",
            source=source,
            reason="time_limit",
        )

    previous = signal.signal(signal.SIGALRM, expire)
    _active.on = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _active.on = False
