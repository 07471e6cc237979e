"""RSS/Atom feeds and XML sitemaps as records: feed items with their links or bodies, sitemap URLs.

XML is parsed without entity expansion or network access (no billion laughs,
no external entities); a page that only poses as a feed is a drop.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

from ..errors import MissingDependencyError
from .records import Record, bad_record, is_url, make_record


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
        yield bad_record(source, "", "bad_xml", f"unreadable feed: {exc}")
        return
    except Exception as exc:  # feedparser's own bugs on malformed XML (a KeyError, fuzz_readers)
        yield bad_record(source, "", "bad_xml", f"unreadable feed: feedparser {type(exc).__name__}")
        return
    if not parsed.get("version") and not parsed.entries:
        yield bad_record(source, "", "not_a_feed", "neither an RSS/Atom feed nor a sitemap")
        return
    for index, entry in enumerate(parsed.entries):
        link = entry.get("link")
        key = entry.get("id") or link or f"entry:{index}"
        content = _entry_content(entry)
        if link and is_url(link):
            yield make_record(source, str(key), kind="url", url=link, content=None)
        elif content:
            yield make_record(source, str(key), kind="html", content=content)
        else:
            yield bad_record(source, str(key), "no_content", "a feed item without link or content")


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
        yield bad_record(source, "", "bad_xml", f"unreadable sitemap: {exc}")
        return
    if root is None:
        yield bad_record(source, "", "bad_xml", "unreadable sitemap")
        return
    for index, loc in enumerate(root.iter("{*}loc")):
        url = (loc.text or "").strip()
        if is_url(url):
            yield make_record(source, url, kind="url", url=url)
        else:
            yield bad_record(source, f"loc:{index}", "bad_url", f"not an http(s) URL: {url[:80]!r}")


__all__ = ["read_feed_or_sitemap"]
