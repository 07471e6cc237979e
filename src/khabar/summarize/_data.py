"""Loading of the summarizer's phrase lists in ``khabar/summarize/data``."""

from __future__ import annotations

from functools import cache
from importlib import resources

from ..lang import normalize


@cache
def phrases(name: str, language: str) -> tuple[str, ...]:
    """Items of ``<name>.<language>.txt``, longest first; empty when there is no such file."""
    path = resources.files(__package__).joinpath("data").joinpath(f"{name}.{language}.txt")
    try:
        raw = path.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return ()
    items: list[str] = []
    for line in raw.splitlines():
        item = normalize(line.split("#", 1)[0]).strip()
        if item:
            items.append(" ".join(item.split()))
    return tuple(sorted(dict.fromkeys(items), key=len, reverse=True))
