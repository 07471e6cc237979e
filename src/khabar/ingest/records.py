"""The record every batch input becomes, and its stable id."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

import regex

RecordKind = Literal["html", "text", "url", "auto"]
_URL = regex.compile(r"^https?://[^\s/$.?#][^\s]*$", regex.I)


@dataclass(frozen=True, slots=True)
class FileRef:
    """Where a one-page file's bytes are, for a reader that runs later (a batch worker)."""

    path: str  # as given to the reader, so errors name the same source
    max_bytes: int  # the reader's size limit, applied when the bytes are read


@dataclass(frozen=True, slots=True)
class Record:
    """One input item: content or a URL to fetch, where it came from, and a stable id."""

    id: str
    source: str  # the file or URL it came from, as given
    locator: str  # where inside the source: "line:12", "offset:4096", "entry:3", ""
    kind: RecordKind = "auto"
    content: str | bytes | None = None
    url: str | None = None
    # (reason, message) when the item could not be read: it becomes a drop.
    error: tuple[str, str] | None = None
    # Set instead of ``content`` for a deferred file: read it with load_file().
    file: FileRef | None = None


def record_id(source: str, locator: str) -> str:
    """The stable id of an item: sha1 of its source and its place inside it."""
    return hashlib.sha1(f"{source}\x00{locator}".encode()).hexdigest()[:20]


def make_record(source: str, locator: str, **kw: Any) -> Record:
    """A record of ``source`` at ``locator``, with its stable id."""
    return Record(id=record_id(source, locator), source=source, locator=locator, **kw)


def bad_record(source: str, locator: str, reason: str, message: str) -> Record:
    """A record that could not be read: it becomes a drop with ``reason``."""
    return make_record(source, locator, error=(reason, message))


def is_url(spec: str) -> bool:
    """True for an http(s) URL."""
    return bool(_URL.match(spec.strip()))


__all__ = ["FileRef", "Record", "RecordKind", "bad_record", "is_url", "make_record", "record_id"]
