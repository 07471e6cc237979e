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
import hashlib
import importlib
import io
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal

import regex

from ..errors import InputError, MissingDependencyError
from .stories import MULTI_STORY_MIN, count_date_lines, split_dump, split_stories

RecordKind = Literal["html", "text", "url", "auto"]
TextMode = Literal["auto", "page", "dump", "stories"]

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_URL = regex.compile(r"^https?://[^\s/$.?#][^\s]*$", regex.I)
# How much of a text file is looked at to choose page, dump or multi-story.
_SNIFF_LINES = 400


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


def _record(source: str, locator: str, **kw: Any) -> Record:
    return Record(id=record_id(source, locator), source=source, locator=locator, **kw)


def _bad(source: str, locator: str, reason: str, message: str) -> Record:
    return _record(source, locator, error=(reason, message))


def is_url(spec: str) -> bool:
    """True for an http(s) URL."""
    return bool(_URL.match(spec.strip()))


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
            yield _bad(spec, "", "not_found", "no such file")
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
        yield _bad(spec, "", exc.reason, exc.message)
    except (EOFError, zlib.error) as exc:
        yield _bad(spec, "tail", "bad_gzip", f"corrupt gzip data: {exc}")
    except OSError as exc:
        yield _bad(spec, "", "unreadable", f"cannot read: {exc}")


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
        yield _record(path, "", kind="html", file=FileRef(path, max_bytes))
        return
    data = _read_capped(path, max_bytes)
    yield _record(path, "", kind="html", content=data)


def _read_other(
    path: str, text_mode: TextMode, max_bytes: int, defer: bool = False
) -> Iterator[Record]:
    """A file without a telling name: sniff HTML, feeds, URL lists, then text layouts."""
    with (gzip.open(path, "rb") if _is_gzip(path) else open(path, "rb")) as fh:
        try:
            head = fh.read(4096)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            yield _bad(path, "", "bad_gzip", f"corrupt gzip data: {exc}")
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
            yield _record(path, "", kind="text", file=FileRef(path, max_bytes))
        else:
            yield _record(path, "", kind="text", content=_read_capped(path, max_bytes))
        return
    with _open_text(path) as fh:
        pages = split_dump(fh) if mode == "dump" else split_stories(fh)
        for page in pages:
            yield _record(path, f"line:{page.line}", kind="text", content=page.text)


def read_url_list(path: str) -> Iterator[Record]:
    """One record per line of a URL list; blank and ``#`` lines skipped, garbage recorded."""
    with _open_text(path) as fh:
        for number, raw in enumerate(fh):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            locator = f"line:{number}"
            if is_url(line):
                yield _record(path, locator, kind="url", url=line)
            else:
                yield _bad(path, locator, "bad_url", f"not an http(s) URL: {line[:80]!r}")


def read_jsonl(path: str, *, max_bytes: int = 20_000_000) -> Iterator[Record]:
    """JSON Lines with an ``html`` or ``text`` field (and optional ``url``), one record a line."""
    try:
        with _open_text(path) as fh:
            for number, line in enumerate(fh):
                if not line.strip():
                    continue
                yield _jsonl_record(path, number, line, max_bytes)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield _bad(path, "tail", "bad_gzip", f"corrupt gzip data: {exc}")


def _jsonl_record(path: str, number: int, line: str, max_bytes: int) -> Record:
    locator = f"line:{number}"
    if len(line) > max_bytes:
        return _bad(path, locator, "too_large", f"line is over {max_bytes} bytes")
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return _bad(path, locator, "bad_json", f"not JSON: {exc.msg}")
    if not isinstance(row, dict):
        return _bad(path, locator, "bad_json", "a line is not a JSON object")
    url = row.get("url") if isinstance(row.get("url"), str) else None
    for field, kind in (("html", "html"), ("text", "text"), ("content", "auto")):
        value = row.get(field)
        if isinstance(value, str) and value.strip():
            return _record(path, locator, kind=kind, content=value, url=url)
    if url and is_url(url):
        return _record(path, locator, kind="url", url=url)
    return _bad(path, locator, "no_content", "no html, text or url field")


# -- feeds and sitemaps -------------------------------------------------------


def read_feed_or_sitemap(source: str, data: bytes) -> Iterator[Record]:
    """Items of an RSS/Atom feed or URLs of a sitemap; an HTML page posing as a feed is a drop."""
    head = data[:2048].lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        yield from _read_sitemap(source, data)
        return
    try:
        feedparser = importlib.import_module("feedparser")
    except ImportError as exc:
        raise MissingDependencyError("feedparser", "batch") from exc
    try:
        parsed = feedparser.parse(data)
    except ValueError as exc:  # incl. UnicodeDecodeError: a garbage XML encoding declaration
        yield _bad(source, "", "bad_xml", f"unreadable feed: {exc}")
        return
    if not parsed.get("version") and not parsed.entries:
        yield _bad(source, "", "not_a_feed", "neither an RSS/Atom feed nor a sitemap")
        return
    for index, entry in enumerate(parsed.entries):
        link = entry.get("link")
        key = entry.get("id") or link or f"entry:{index}"
        content = _entry_content(entry)
        if link and is_url(link):
            yield _record(source, str(key), kind="url", url=link, content=None)
        elif content:
            yield _record(source, str(key), kind="html", content=content)
        else:
            yield _bad(source, str(key), "no_content", "a feed item without link or content")


def _entry_content(entry: Any) -> str | None:
    """The fullest body a feed entry carries (content:encoded, else summary)."""
    for part in entry.get("content") or ():
        value = part.get("value")
        if value:
            return str(value)
    summary = entry.get("summary")
    return str(summary) if summary else None


def _read_sitemap(source: str, data: bytes) -> Iterator[Record]:
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        yield _bad(source, "", "bad_xml", f"unreadable sitemap: {exc}")
        return
    if root is None:
        yield _bad(source, "", "bad_xml", "unreadable sitemap")
        return
    for index, loc in enumerate(root.iter("{*}loc")):
        url = (loc.text or "").strip()
        if is_url(url):
            yield _record(source, url, kind="url", url=url)
        else:
            yield _bad(source, f"loc:{index}", "bad_url", f"not an http(s) URL: {url[:80]!r}")


def _read_url(spec: str, fetch: Callable[[str], bytes] | None, max_bytes: int) -> Iterator[Record]:
    """A URL input: a page to fetch later, or (with ``fetch``) a feed or sitemap to expand."""
    if fetch is None:
        yield _record(spec, "", kind="url", url=spec)
        return
    try:
        data = fetch(spec)
    except InputError as exc:
        yield _bad(spec, "", exc.reason, exc.message)
        return
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex")):
        yield from read_feed_or_sitemap(spec, data)
    else:
        yield _record(spec, "", kind="auto", content=data, url=spec)


# -- WARC -------------------------------------------------------------------------


def read_warc(path: str, *, max_bytes: int = 20_000_000) -> Iterator[Record]:
    """HTML responses of a WARC or WARC.gz, resyncing past corrupt records."""
    try:
        from fastwarc.warc import ArchiveIterator, WarcRecordType
    except ImportError:
        yield from _read_warc_warcio(path, max_bytes)
        return
    offset = 0
    recovering = False
    with open(path, "rb") as fh:
        while True:
            fh.seek(offset)
            last: int | None = None
            try:
                for rec in ArchiveIterator(fh, record_types=WarcRecordType.response):
                    last = rec.stream_pos
                    recovering = False
                    yield _warc_record(path, rec, max_bytes)
                break
            except (OSError, ValueError) as exc:
                if not recovering:
                    at = last if last is not None else offset
                    yield _bad(path, f"after:{at}", "bad_warc", f"corrupt WARC record: {exc}")
                recovering = True
                nxt = _next_warc_start(fh, (last if last is not None else offset) + 1, path)
                if nxt is None:
                    break
                offset = nxt


def _warc_record(path: str, rec: Any, max_bytes: int) -> Record:
    locator = f"offset:{rec.stream_pos}"
    url = rec.headers.get("WARC-Target-URI")
    ctype = (rec.http_content_type or "").lower()
    if ctype and "html" not in ctype and "xml" not in ctype and "text" not in ctype:
        return _bad(path, locator, "not_html", f"a {ctype} response")
    body = rec.reader.read(max_bytes + 1)
    if len(body) > max_bytes:
        return _bad(path, locator, "too_large", f"response over {max_bytes} bytes")
    status = rec.http_headers.status_code if rec.is_http else 200
    if status and status >= 300:
        return _bad(path, locator, f"http_{status}", f"an HTTP {status} response")
    return _record(path, locator, kind="html", content=body, url=url)


def _next_warc_start(fh: IO[bytes], start: int, path: str) -> int | None:
    """Offset of the next record start (``WARC/1`` line, or gzip member) at or after ``start``."""
    marker = b"\x1f\x8b\x08" if path.lower().endswith(".gz") else b"WARC/1."
    fh.seek(start)
    tail = b""
    pos = start
    while chunk := fh.read(1 << 20):
        buf = tail + chunk
        hit = buf.find(marker)
        if hit >= 0:
            return pos - len(tail) + hit
        tail = buf[-(len(marker) - 1) :]
        pos += len(chunk)
    return None


def _read_warc_warcio(path: str, max_bytes: int) -> Iterator[Record]:
    """The warcio fallback: stops at the first corrupt record, recording it."""
    try:
        ArchiveIterator = importlib.import_module("warcio.archiveiterator").ArchiveIterator
    except ImportError as exc:
        raise MissingDependencyError("fastwarc", "batch") from exc
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh)
        try:
            for rec in iterator:
                if rec.rec_type != "response":
                    continue
                locator = f"offset:{iterator.get_record_offset()}"
                body = rec.content_stream().read(max_bytes + 1)
                url = rec.rec_headers.get_header("WARC-Target-URI")
                if len(body) > max_bytes:
                    yield _bad(path, locator, "too_large", f"response over {max_bytes} bytes")
                else:
                    yield _record(path, locator, kind="html", content=body, url=url)
        except Exception as exc:  # warcio raises several unrelated types on bad bytes
            yield _bad(path, "tail", "bad_warc", f"corrupt WARC record: {exc}")


__all__ = [
    "FileRef",
    "Record",
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
