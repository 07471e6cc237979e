"""Streaming readers: every batch input becomes a stream of :class:`Record` s.

Inputs are files, directories, globs and URLs. Each file is read lazily
(line by line, record by record) and every item gets a stable id, the sha1
of where it came from (the path as given plus the offset, line or index
inside it), so a second run over the same inputs gives the same ids in the
same order. That is what makes ``khabar batch --resume`` exactly-once.

An item that cannot be read (a truncated gzip, a corrupt WARC record, a
garbage line in a URL list) is still yielded, as a record with ``error``
set, so the batch report can count it as a drop with its reason.

With ``defer_files`` a one-page file (HTML, or one page of text) is not read
here: its record carries a :class:`FileRef`, and whoever briefs it calls
:func:`load_file`, with the same checks and reasons as the eager read.
"""

from __future__ import annotations

import glob as globmod
import gzip
import io
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Literal

from ..errors import InputError
from .feeds import read_feed_or_sitemap
from .records import FileRef, Record, RecordKind, bad_record, is_url, make_record, record_id
from .stories import MULTI_STORY_MIN, count_date_lines, split_dump, split_stories
from .warc import read_warc

TextMode = Literal["auto", "page", "dump", "stories"]

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
# How much of a text file is looked at to choose page, dump or multi-story.
_SNIFF_LINES = 400


# -- choosing readers -------------------------------------------------------


def expand_inputs(specs: Iterable[str]) -> Iterator[str]:
    """Files (sorted, recursive for directories and ``**`` globs) and URLs, in a stable order."""
    for spec in specs:
        if is_url(spec):
            yield spec
        elif os.path.isdir(spec):
            for root, dirs, files in os.walk(spec):
                dirs.sort()
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        elif any(ch in spec for ch in "*?["):
            matches = sorted(globmod.glob(spec, recursive=True))
            yield from (m for m in matches if os.path.isfile(m))
        else:
            yield spec


def iter_records(
    specs: Iterable[str],
    *,
    text_mode: TextMode = "auto",
    max_bytes: int = 20_000_000,
    fetch: Callable[[str], bytes] | None = None,
    defer_files: bool = False,
) -> Iterator[Record]:
    """Every record of every input, streamed, in a stable order.

    Args:
        specs: paths, directories, globs and URLs.
        text_mode: how ``.txt`` files are cut: one ``page`` a file, a
            ``dump`` at its ``date YYYY-MM-DD`` lines, ``stories`` (several
            headline+body stories a file), or ``auto`` to choose per file.
        max_bytes: a single item larger than this is recorded as too large.
        fetch: given, URL inputs are fetched once here so that a URL of a
            feed or sitemap expands into its items; without it a URL is one
            page record that the batch fetches later.
        defer_files: one-page files are not read now; their records carry a
            :class:`FileRef` for :func:`load_file` (ids and drop reasons are
            the same as when they are read here).
    """
    for path in expand_inputs(specs):
        yield from read_input(path, text_mode=text_mode, max_bytes=max_bytes, fetch=fetch,
                              defer_files=defer_files)


def read_input(
    spec: str,
    *,
    text_mode: TextMode = "auto",
    max_bytes: int = 20_000_000,
    fetch: Callable[[str], bytes] | None = None,
    defer_files: bool = False,
) -> Iterator[Record]:
    """The records of one file or URL, chosen by its name and first bytes."""
    if is_url(spec):
        yield from _read_url(spec, fetch, max_bytes)
        return
    name = spec.lower()
    base = name[:-3] if name.endswith(".gz") else name
    try:
        if not os.path.isfile(spec):
            yield bad_record(spec, "", "not_found", "no such file")
            return
        if base.endswith((".warc", ".arc")):
            yield from read_warc(spec, max_bytes=max_bytes)
        elif base.endswith((".jsonl", ".ndjson")):
            yield from read_jsonl(spec, max_bytes=max_bytes)
        elif base.endswith((".xml", ".rss", ".atom")):
            yield from read_feed_or_sitemap(spec, _read_capped(spec, max_bytes))
        elif base.endswith(HTML_SUFFIXES):
            yield from _read_html_file(spec, max_bytes, defer_files)
        elif base.endswith((".urls", ".url")):
            yield from read_url_list(spec)
        else:
            yield from _read_other(spec, text_mode, max_bytes, defer_files)
    except InputError as exc:
        yield bad_record(spec, "", exc.reason, exc.message)
    except (EOFError, zlib.error) as exc:
        yield bad_record(spec, "tail", "bad_gzip", f"corrupt gzip data: {exc}")
    except OSError as exc:
        yield bad_record(spec, "", "unreadable", f"cannot read: {exc}")


def _open_text(path: str) -> IO[str]:
    """A text handle on a plain or gzipped file, undecodable bytes replaced."""
    if _is_gzip(path):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace")


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _read_capped(path: str, max_bytes: int) -> bytes:
    """A whole (small) file, gunzipped, refusing more than ``max_bytes``."""
    try:
        with (gzip.open(path, "rb") if _is_gzip(path) else open(path, "rb")) as fh:
            data: bytes = fh.read(max_bytes + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(f"corrupt gzip data: {exc}", source=path, reason="bad_gzip") from exc
    if len(data) > max_bytes:
        raise InputError(f"more than {max_bytes} bytes", source=path, reason="too_large")
    return data


def load_file(ref: FileRef) -> bytes:
    """The bytes of a deferred file record, checked as :func:`read_input` checks them.

    Raises:
        InputError: ``not_found``, ``unreadable``, ``bad_gzip`` or ``too_large``.
    """
    try:
        if not os.path.isfile(ref.path):
            raise InputError("no such file", source=ref.path, reason="not_found")
        return _read_capped(ref.path, ref.max_bytes)
    except OSError as exc:
        raise InputError(f"cannot read: {exc}", source=ref.path, reason="unreadable") from exc


def _read_html_file(path: str, max_bytes: int, defer: bool = False) -> Iterator[Record]:
    if defer:
        yield make_record(path, "", kind="html", file=FileRef(path, max_bytes))
        return
    data = _read_capped(path, max_bytes)
    yield make_record(path, "", kind="html", content=data)


def _read_other(
    path: str, text_mode: TextMode, max_bytes: int, defer: bool = False
) -> Iterator[Record]:
    """A file without a telling name: sniff HTML, feeds, URL lists, then text layouts."""
    with (gzip.open(path, "rb") if _is_gzip(path) else open(path, "rb")) as fh:
        try:
            head = fh.read(4096)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            yield bad_record(path, "", "bad_gzip", f"corrupt gzip data: {exc}")
            return
    start = head.lstrip()[:512].lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<body" in head.lower():
        yield from _read_html_file(path, max_bytes, defer)
        return
    if start.startswith(b"<?xml") or start.startswith((b"<rss", b"<feed", b"<urlset")):
        yield from read_feed_or_sitemap(path, _read_capped(path, max_bytes))
        return
    if head.startswith(b"WARC/"):
        yield from read_warc(path, max_bytes=max_bytes)
        return
    yield from read_text_file(path, text_mode=text_mode, max_bytes=max_bytes, defer_files=defer)


# -- text layouts -------------------------------------------------------------


def _sniff_text(path: str) -> str:
    """Choose page, dump, stories or urls from the first lines of a text file."""
    with _open_text(path) as fh:
        lines = [line for _, line in zip(range(_SNIFF_LINES), fh, strict=False)]
    urls = sum(1 for line in lines if is_url(line.strip()))
    filled = sum(1 for line in lines if line.strip())
    if filled and urls >= 0.5 * filled:
        return "urls"
    if count_date_lines(lines) >= 2:
        return "dump"
    if count_date_lines(lines[:3]) == 1:
        return "page"
    if sum(1 for _ in split_stories(lines)) >= MULTI_STORY_MIN:
        return "stories"
    return "page"


def read_text_file(
    path: str, *, text_mode: TextMode = "auto", max_bytes: int = 20_000_000,
    defer_files: bool = False,
) -> Iterator[Record]:
    """Scraped text: one page a file, a seed-style dump, or a multi-story daily file."""
    mode: str = _sniff_text(path) if text_mode == "auto" else text_mode
    if mode == "urls":
        yield from read_url_list(path)
        return
    if mode == "page":
        if defer_files:
            yield make_record(path, "", kind="text", file=FileRef(path, max_bytes))
        else:
            yield make_record(path, "", kind="text", content=_read_capped(path, max_bytes))
        return
    with _open_text(path) as fh:
        pages = split_dump(fh) if mode == "dump" else split_stories(fh)
        for page in pages:
            yield make_record(path, f"line:{page.line}", kind="text", content=page.text)


def read_url_list(path: str) -> Iterator[Record]:
    """One record per line of a URL list; blank and ``#`` lines skipped, garbage recorded."""
    with _open_text(path) as fh:
        for number, raw in enumerate(fh):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            locator = f"line:{number}"
            if is_url(line):
                yield make_record(path, locator, kind="url", url=line)
            else:
                yield bad_record(path, locator, "bad_url", f"not an http(s) URL: {line[:80]!r}")


def read_jsonl(path: str, *, max_bytes: int = 20_000_000) -> Iterator[Record]:
    """JSON Lines with an ``html`` or ``text`` field (and optional ``url``), one record a line."""
    try:
        with _open_text(path) as fh:
            for number, line in enumerate(fh):
                if not line.strip():
                    continue
                yield _jsonl_record(path, number, line, max_bytes)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield bad_record(path, "tail", "bad_gzip", f"corrupt gzip data: {exc}")


def _jsonl_record(path: str, number: int, line: str, max_bytes: int) -> Record:
    locator = f"line:{number}"
    if len(line) > max_bytes:
        return bad_record(path, locator, "too_large", f"line is over {max_bytes} bytes")
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return bad_record(path, locator, "bad_json", f"not JSON: {exc.msg}")
    if not isinstance(row, dict):
        return bad_record(path, locator, "bad_json", "a line is not a JSON object")
    url = row.get("url") if isinstance(row.get("url"), str) else None
    for field, kind in (("html", "html"), ("text", "text"), ("content", "auto")):
        value = row.get(field)
        if isinstance(value, str) and value.strip():
            return make_record(path, locator, kind=kind, content=value, url=url)
    if url and is_url(url):
        return make_record(path, locator, kind="url", url=url)
    return bad_record(path, locator, "no_content", "no html, text or url field")

def _read_url(spec: str, fetch: Callable[[str], bytes] | None, max_bytes: int) -> Iterator[Record]:
    """A URL input: a page to fetch later, or (with ``fetch``) a feed or sitemap to expand."""
    if fetch is None:
        yield make_record(spec, "", kind="url", url=spec)
        return
    try:
        data = fetch(spec)
    except InputError as exc:
        yield bad_record(spec, "", exc.reason, exc.message)
        return
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex")):
        yield from read_feed_or_sitemap(spec, data)
    else:
        yield make_record(spec, "", kind="auto", content=data, url=spec)


__all__ = [
    "FileRef",
    "Record",
    "RecordKind",
    "expand_inputs",
    "is_url",
    "iter_records",
    "load_file",
    "read_feed_or_sitemap",
    "read_input",
    "read_jsonl",
    "read_text_file",
    "read_url_list",
    "read_warc",
    "record_id",
]
