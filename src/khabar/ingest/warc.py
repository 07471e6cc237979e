"""WARC and WARC.gz files as records: the HTML responses, resyncing past corrupt records.

FastWARC reads them when installed; warcio is the fallback, which stops at
the first corrupt record (recording it as a drop).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import IO, Any

from ..errors import MissingDependencyError
from .records import Record, bad_record, make_record


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
                    yield bad_record(path, f"after:{at}", "bad_warc", f"corrupt WARC record: {exc}")
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
        return bad_record(path, locator, "not_html", f"a {ctype} response")
    body = rec.reader.read(max_bytes + 1)
    if len(body) > max_bytes:
        return bad_record(path, locator, "too_large", f"response over {max_bytes} bytes")
    status = rec.http_headers.status_code if rec.is_http else 200
    if status and status >= 300:
        return bad_record(path, locator, f"http_{status}", f"an HTTP {status} response")
    return make_record(path, locator, kind="html", content=body, url=url)


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
                    yield bad_record(path, locator, "too_large", f"response over {max_bytes} bytes")
                else:
                    yield make_record(path, locator, kind="html", content=body, url=url)
        except Exception as exc:  # warcio raises several unrelated types on bad bytes
            yield bad_record(path, "tail", "bad_warc", f"corrupt WARC record: {exc}")


__all__ = ["read_warc"]
