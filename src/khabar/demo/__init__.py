"""The demo corpus: fictional Hindi news pages written for khabar, shipped with it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable


@dataclass(frozen=True, slots=True)
class DemoPage:
    """One demo page and the facts its manifest records about it."""

    file: str
    kind: str
    title: str
    date: str
    body_paragraphs: int
    tags: tuple[str, ...]

    def read_bytes(self) -> bytes:
        return _pages_dir().joinpath(self.file).read_bytes()


def _pages_dir() -> Traversable:
    return resources.files("khabar.demo").joinpath("pages")


def demo_pages() -> list[DemoPage]:
    """The corpus in manifest order."""
    manifest = json.loads(_pages_dir().joinpath("MANIFEST.json").read_text("utf-8"))
    return [
        DemoPage(
            file=e["file"],
            kind=e["kind"],
            title=e["title"],
            date=e["date"],
            body_paragraphs=int(e["body_paragraphs"]),
            tags=tuple(e.get("tags") or ()),
        )
        for e in manifest
    ]
