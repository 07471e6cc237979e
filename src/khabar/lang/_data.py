"""Loading of the plain-text language data files in ``khabar/lang/data``."""

from __future__ import annotations

from functools import cache
from importlib import resources

from ..errors import ConfigError
from .normalize import normalize


@cache
def read_list(name: str, *, lower: bool = True) -> frozenset[str]:
    """Items of data file ``name``: one per line, ``#`` starts a comment, normalized."""
    return frozenset(read_lines(name, lower=lower))


@cache
def read_lines(name: str, *, lower: bool = True) -> tuple[str, ...]:
    """Items of data file ``name`` in file order (for ordered lists like suffixes)."""
    try:
        path = resources.files(__package__).joinpath("data").joinpath(name)
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"language data file {name!r} is missing from the package") from exc
    items: list[str] = []
    for line in raw.splitlines():
        item = normalize(line.split("#", 1)[0]).strip()
        if item:
            items.append(item.lower() if lower else item)
    return tuple(dict.fromkeys(items))
