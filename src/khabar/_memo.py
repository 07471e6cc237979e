"""Memos for string functions that never keep a hostile page's long strings.

khabar caches hot per-word and per-line functions (folding, stemming,
cleaning a line): news text repeats them. A plain ``lru_cache`` would also
keep the arguments, and a hostile page's single token or line can be
megabytes long; a batch of such pages would then hold gigabytes in caches
that only ever pay off on short strings. :func:`short_memo` caches a call
only when its first argument is at most ``max_chars`` long.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


def short_memo(maxsize: int, max_chars: int) -> Callable[[F], F]:
    """``lru_cache(maxsize)`` for calls whose first (string) argument is at most ``max_chars``."""

    def wrap(fn: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(fn)

        @functools.wraps(fn)
        def call(text: str, *args: Any) -> Any:
            if len(text) <= max_chars:
                return cached(text, *args)
            return fn(text, *args)

        return cast(F, call)

    return wrap
