"""What kind of page this is: article, live blog, gallery, video, listing or other.

The publisher's own declarations decide first (JSON-LD ``@type``,
``og:type``), then the URL (``/photos/``, ``/video/``, ``/topic/``...),
then the page's structure: how much of its text sits in links and how many
teaser headlines it lists, against how much prose the extractor found.
Calibrated on WCXB dev's page types with ``benchmarks/extract_eval.py``
(which reports the accuracy); re-run it after changing a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex
from lxml import etree

from khabar.models import PageType

from .meta import ARTICLE_TYPES, LISTING_TYPES, PageMeta

_GALLERY_TYPES = frozenset({"imagegallery", "mediagallery"})
_VIDEO_TYPES = frozenset({"videoobject", "videogallery"})
# Pages of things that are not news: shops, forums, Q&A, software, services.
_OTHER_TYPES = frozenset(
    {
        "product",
        "productgroup",
        "offer",
        "discussionforumposting",
        "qapage",
        "question",
        "softwareapplication",
        "service",
        "contactpage",
        "aboutpage",
        "profilepage",
        "event",
        "course",
        "recipe",
    }
)
_GALLERY_URL = regex.compile(
    r"/(?:photos?|photo-?gallery|gallery|galleries|slideshows?|photogallery|tasveer|फोटो)(?:/|-|$)",
    regex.IGNORECASE,
)
_VIDEO_URL = regex.compile(r"/(?:videos?|video-gallery|watch|tv/shows?)(?:/|$)", regex.IGNORECASE)
_LISTING_URL = regex.compile(
    r"/(?:category|categories|tags?|topics?|topic-list|section|archive|author|authors|search"
    r"|page/\d+)(?:/|$)|/$",
    regex.IGNORECASE,
)
_FORUM_URL = regex.compile(
    r"/(?:forums?|threads?|community|questions|discussions?|boards?|t)/", regex.IGNORECASE
)
_SHOP_URL = regex.compile(r"/(?:products?|shop|store|item|dp|p)/", regex.IGNORECASE)
# A news article URL names a story: a long hyphenated slug or a numeric id.
_STORY_URL = regex.compile(r"[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+){3,}|/\d{5,}|/20\d\d/\d\d/")
# A listing links to many stories; an article to a few related ones.
_LISTING_LINK_SHARE = 0.45
_LISTING_HEADLINES = 12
# html.py counts prose paragraphs only up to this number.
_ARTICLE_MIN_PROSE = 3
# Counted by libxml2: a Python walk over every node costs more than trafilatura's parse.
_TOTAL = etree.XPath("string-length(normalize-space(//body))")
_LINKED = etree.XPath("//body//a//text()[normalize-space()]", smart_strings=False)
_HEADS = etree.XPath(
    "count(//body//h2[.//a]|//body//h3[.//a]|//body//h4[.//a]|//body//a[.//h2 or .//h3 or .//h4])"
)
_ARTICLES = etree.XPath("count(//body//article)")


@dataclass(frozen=True, slots=True)
class PageShape:
    """Structural measurements of a page, taken once from its tree."""

    link_share: float  # share of the body's characters inside <a>
    headline_links: int  # h2/h3/h4 headings that are (or hold) links
    articles: int  # <article> elements


def measure(tree: Any) -> PageShape:
    """Measure a parsed page."""
    total = _TOTAL(tree)
    linked = sum(len(t.strip()) for t in _LINKED(tree))
    return PageShape(
        link_share=min(1.0, linked / total) if total else 0.0,
        headline_links=int(_HEADS(tree)),
        articles=int(_ARTICLES(tree)),
    )


def classify(meta: PageMeta, url: str | None, shape: PageShape, prose: int) -> PageType:
    """The page type from declarations, URL and structure.

    ``prose`` is the number of prose paragraphs the extractor kept. A page
    that declares itself an article stays one unless its URL or declared
    type says gallery or video: a false "not an article" costs a reader
    their brief, a false "article" only a weak brief.
    """
    types = meta.ld_types
    og = meta.og_type or ""
    path = _path(url)
    if "liveblogposting" in types:
        return "liveblog"
    declared_article = declares_article(meta)
    # Article pages often carry an ImageGallery object for their photos.
    if (types & _GALLERY_TYPES or _GALLERY_URL.search(path)) and (
        not types & ARTICLE_TYPES and prose < _ARTICLE_MIN_PROSE
    ):
        return "gallery"
    if og.startswith("video") or (
        (types & _VIDEO_TYPES or _VIDEO_URL.search(path))
        and not types & ARTICLE_TYPES
        and prose < _ARTICLE_MIN_PROSE
    ):
        return "video"
    if types & _OTHER_TYPES and not types & ARTICLE_TYPES:
        return "other"
    if og.startswith("product") or (_SHOP_URL.search(path) and not declared_article):
        return "other"
    if types & LISTING_TYPES and not types & ARTICLE_TYPES:
        return "listing"
    many_teasers = shape.headline_links >= _LISTING_HEADLINES or shape.articles >= 4
    if declared_article and not many_teasers:
        return "article"
    if many_teasers or shape.link_share >= _LISTING_LINK_SHARE:
        return "listing" if prose < _ARTICLE_MIN_PROSE or not declared_article else "article"
    if _FORUM_URL.search(path):
        return "other"
    if _LISTING_URL.search(path) and prose < _ARTICLE_MIN_PROSE:
        return "listing"
    if declared_article or _STORY_URL.search(path) or prose >= _ARTICLE_MIN_PROSE:
        return "article"
    return "other"


def declares_article(meta: PageMeta) -> bool:
    """Whether the publisher declared the page an article (JSON-LD or og:type)."""
    return bool(meta.ld_types & ARTICLE_TYPES) or meta.og_type == "article"


# A thread whose replies are the page's content, not comments under it.
_DISCUSSION_TYPES = frozenset({"discussionforumposting", "qapage", "question", "answer"})


def declares_discussion(meta: PageMeta, url: str | None) -> bool:
    """Whether the page is a forum thread or a Q&A page (JSON-LD, og:type or URL)."""
    return (bool(meta.ld_types & _DISCUSSION_TYPES) or meta.og_type == "forum"
            or _FORUM_URL.search(_path(url)) is not None)


def _path(url: str | None) -> str:
    """The URL without scheme and host ("/" for a home page)."""
    if not url:
        return ""
    m = regex.match(r"^[a-z]+://[^/]+(/[^?#]*)?", url, regex.IGNORECASE)
    return (m.group(1) or "/") if m else url
