"""Extraction: a page (HTML or scraped text) becomes an :class:`~khabar.models.Article`.

The body is cleaned of news-site chrome with phrase lists under ``data/``
(``chrome.*.txt``, ``related.txt``, ``summary.txt``); a user can extend them.
Extraction does no I/O: it receives decoded text and returns an Article, or
raises :class:`~khabar.errors.ExtractError` when the page holds no article text.
"""

from __future__ import annotations

import regex

from khabar.errors import ExtractError
from khabar.models import Article, RawPage

from .html import extract_html
from .scraped import extract_text
from .template import SiteTemplate

__all__ = ["SiteTemplate", "extract_html", "extract_page", "extract_text", "looks_like_html"]

# Only the start of a page is sniffed: a doctype or a root tag, or markup
# tags in the first few KB, make it HTML.
_SNIFF_CHARS = 4096
_HTML_START = regex.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    regex.IGNORECASE | regex.DOTALL,
)
_HTML_TAG = regex.compile(
    r"</?(?:p|div|span|a|article|section|h[1-6]|br|meta|script|title|li|ul|img)\b[^>]*>",
    regex.IGNORECASE,
)
# Scraped text can quote a stray "<br>" or "<b>"; real HTML has dozens of tags.
_MIN_TAGS = 3


def looks_like_html(content: str) -> bool:
    """Whether ``content`` is HTML markup rather than text.

    True for content that starts with a doctype or an ``<html>``, ``<head>``
    or ``<body>`` tag, or that has at least a few common HTML tags in its
    first few kilobytes. Used by ingest to set :attr:`RawPage.kind`.
    """
    head = content[:_SNIFF_CHARS]
    if _HTML_START.match(head):
        return True
    return len(_HTML_TAG.findall(head)) >= _MIN_TAGS


# Feeds and sitemaps are lists of pages, not pages: the batch readers take them.
_XML_LIST = regex.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*)*"
    r"<(?:[\w.-]+:)?(urlset|sitemapindex|rss|feed|RDF)\b",
    regex.IGNORECASE | regex.DOTALL,
)


def extract_page(page: RawPage, *, template: SiteTemplate | None = None) -> Article:
    """Extract the article from a :class:`RawPage`, dispatching on ``page.kind``.

    ``"html"`` goes to :func:`extract_html`, ``"text"`` to :func:`extract_text`;
    the page's ``url`` and ``source`` are passed on and end up in the Article
    and in any :class:`~khabar.errors.ExtractError` raised. A site
    ``template`` (learned from other pages of the site) applies to text pages.
    """
    listing = _XML_LIST.match(page.content[:_SNIFF_CHARS])
    if listing is not None:
        root = listing.group(1).lower()
        kind = "sitemap" if root in ("urlset", "sitemapindex") else "feed"
        raise ExtractError(
            f"this is an XML {kind}, a list of pages rather than a page: "
            "give it to `khabar batch`, which reads feeds and sitemaps",
            url=page.url,
            source=page.source,
            reason=f"xml_{kind}",
        )
    if page.kind == "html":
        return extract_html(page.content, page.url, source=page.source)
    return extract_text(page.content, page.url, source=page.source, template=template)
