"""The record every batch input becomes, and its stable id."""

from __future__ import annotations

import datetime as dt
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


_PATH_DATE = regex.compile(
    r"(?<!\d)((?:19|20)\d{2})[-_./]?(0[1-9]|1[0-2]|[A-Za-z]{3})[-_./]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def date_in_path(path: str) -> str | None:
    """The last date a file path spells (``2020-04-01``, ``20200401``, ``AU-2020-APR-01``), ISO.

    Daily crawl dumps and newspaper archives name their files by day; a story
    cut from one that states no date of its own is dated by it.
    """
    found = None
    for m in _PATH_DATE.finditer(path):
        year, month, day = m.group(1), m.group(2), m.group(3)
        number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
        if number is None:
            continue
        try:
            found = dt.date(int(year), number, int(day)).isoformat()
        except ValueError:
            continue
    return found


def is_url(spec: str) -> bool:
    """True for an http(s) URL."""
    return bool(_URL.match(spec.strip()))


__all__ = [
    "FileRef", "Record", "RecordKind", "bad_record", "date_in_path", "is_url", "make_record",
    "record_id",
]
