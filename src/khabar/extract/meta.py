"""Publisher metadata from an HTML page: JSON-LD, OpenGraph and ``<meta>`` tags.

Publishers state their own headline, dates, authors and tags in JSON-LD and
meta tags; these are more reliable than anything guessed from the layout, so
:mod:`khabar.extract.html` prefers them and falls back to trafilatura.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import regex
from trafilatura import load_html

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
    }
)
LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage"})

_ISO_DATE = regex.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TITLE_SUFFIX = regex.compile(r"\s+[|\-–—:]\s+[^|\-–—]{1,40}$")


@dataclass(slots=True)
class PageMeta:
    """What the page says about itself; any field may be missing."""

    title: str | None = None
    date: str | None = None
    updated: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    site_name: str | None = None
    description: str | None = None
    og_type: str | None = None
    ld_types: set[str] = field(default_factory=set)
    # Not yet fields of Article: kept here until the model has them.
    categories: list[str] = field(default_factory=list)
    language: str | None = None
    lead_image: str | None = None
    image_caption: str | None = None


def iso_date(value: object) -> str | None:
    """``YYYY-MM-DD`` from an ISO-like date string, in the publisher's own time zone."""
    if not isinstance(value, str):
        return None
    m = _ISO_DATE.search(value)
    if m is None:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not (1990 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return m.group(0)


def read_meta(tree: Any) -> PageMeta:
    """Collect the publisher's metadata from a parsed lxml tree."""
    metas = _meta_tags(tree)
    objects = list(_json_ld(tree))
    meta = PageMeta()
    meta.ld_types = {t for obj in objects for t in _types(obj)}
    article = next((o for o in objects if _types(o) & ARTICLE_TYPES), None)

    og_title = _first(metas, "og:title", "twitter:title")
    ld_title = _text(article.get("headline")) if article else None
    meta.title = ld_title or (_strip_site_suffix(og_title) if og_title else None)

    meta.date = iso_date(article.get("datePublished")) if article else None
    meta.date = meta.date or iso_date(
        _first(
            metas,
            "article:published_time",
            "datepublished",
            "publishdate",
            "pubdate",
            "publish-date",
            "og:article:published_time",
        )
    )
    meta.updated = iso_date(article.get("dateModified")) if article else None
    meta.updated = meta.updated or iso_date(
        _first(metas, "article:modified_time", "datemodified", "og:updated_time")
    )

    if article:
        meta.authors = _names(article.get("author"))
    if not meta.authors:
        meta.authors = _split_list(
            metas.get("author", []) + metas.get("article:author", []), urls=False
        )

    tags: list[str] = []
    if article:
        tags += _keywords(article.get("keywords"))
    tags += metas.get("article:tag", [])
    if not tags:
        tags += _split_list(metas.get("news_keywords", []) or metas.get("keywords", []))
    meta.tags = _dedupe(t for t in tags)

    canonical = tree.xpath("//link[@rel='canonical']/@href")
    meta.canonical_url = (
        (canonical[0].strip() if canonical else None)
        or _first(metas, "og:url")
        or (_url(article.get("mainEntityOfPage")) if article else None)
    )
    publisher = _names(article.get("publisher")) if article else []
    meta.site_name = _first(metas, "og:site_name", "application-name") or (
        publisher[0] if publisher else None
    )
    meta.description = _first(metas, "og:description", "description", "twitter:description") or (
        _text(article.get("description")) if article else None
    )
    meta.og_type = (_first(metas, "og:type") or "").casefold() or None
    sections: list[str] = []
    if article:
        sections += _keywords(article.get("articleSection"))
    sections += metas.get("article:section", [])
    meta.categories = _dedupe(sections)
    meta.language = _language(tree, metas, article)
    meta.lead_image, meta.image_caption = _lead_image(tree, metas, article)
    return meta


def page_title(tree: Any) -> str | None:
    """The page's only ``<h1>``, else its ``<title>`` without the site name."""
    heads = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
    heads = [h for h in heads if h]
    if len(heads) == 1:
        return heads[0]
    titles = tree.xpath("//head/title/text()|//title/text()")
    title = _text(titles[0]) if titles else None
    return _strip_site_suffix(title) if title else (heads[0] if heads else None)


def page_metadata(html: str) -> PageMeta:
    """The publisher's metadata of an HTML page (empty when it does not parse)."""
    tree = parse_tree(html)
    return read_meta(tree) if tree is not None else PageMeta()


def _language(tree: Any, metas: dict[str, list[str]], article: dict[str, Any] | None) -> str | None:
    """The declared language code: ``<html lang>``, then ``og:locale``, then JSON-LD."""
    root = tree.getroottree().getroot()
    declared = (
        root.get("lang")
        or _first(metas, "og:locale", "content-language", "language")
        or (_text(article.get("inLanguage")) if article else None)
    )
    if not declared:
        return None
    code = regex.split(r"[-_]", declared.strip())[0].casefold()
    return code if regex.fullmatch(r"[a-z]{2,3}", code) else None


def _lead_image(
    tree: Any, metas: dict[str, list[str]], article: dict[str, Any] | None
) -> tuple[str | None, str | None]:
    """(URL, caption) of the story's lead image: og:image or JSON-LD, captioned by its figure."""
    url = _first(metas, "og:image", "twitter:image", "og:image:url")
    caption = None
    if article:
        image = article.get("image")
        image = image[0] if isinstance(image, list) and image else image
        url = url or _url(image)
        if isinstance(image, dict):
            caption = _text(image.get("caption"))
    for fig in tree.iter("figure"):
        cap = fig.find(".//figcaption")
        if cap is not None and cap.text_content().strip():
            caption = caption or " ".join(cap.text_content().split())
            break
    return (url.strip() if url else None), caption


def _meta_tags(tree: Any) -> dict[str, list[str]]:
    """``<meta>`` contents keyed by lower-cased property, name or itemprop."""
    out: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        content = el.get("content")
        if key and content and content.strip():
            out.setdefault(key.strip().casefold(), []).append(content.strip())
    return out


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, with ``@graph`` and lists flattened."""
    found: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue  # broken JSON-LD is common; the meta tags still count
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                found.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))
    return found


def _types(obj: dict[str, Any]) -> set[str]:
    """Lower-cased schema.org types of a JSON-LD object."""
    raw = obj.get("@type")
    items = raw if isinstance(raw, list) else [raw]
    return {i.rsplit("/", 1)[-1].casefold() for i in items if isinstance(i, str)}


def _first(metas: dict[str, list[str]], *keys: str) -> str | None:
    """The first non-empty content among the given meta keys."""
    for key in keys:
        values = metas.get(key)
        if values:
            return values[0]
    return None


def _text(value: object) -> str | None:
    """A stripped string, or ``None`` for anything else."""
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _url(value: object) -> str | None:
    """A URL from a string or a ``{"@id": ...}`` object."""
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    text = _text(value)
    return text if text and text.startswith("http") else None


def _names(value: object) -> list[str]:
    """Names from a JSON-LD person/organisation, a list of them, or a string."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
        if name and not name.startswith("http"):
            names.append(name)
    return _dedupe(names)


def _keywords(value: object) -> list[str]:
    """JSON-LD ``keywords``: a comma-separated string or a list."""
    if isinstance(value, list):
        return [k for k in (_text(v) for v in value) if k]
    text = _text(value)
    return _split_list([text]) if text else []


def _split_list(values: list[str], *, urls: bool = True) -> list[str]:
    """Comma-separated meta values as a flat list."""
    out: list[str] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part and (urls or not part.startswith("http")):
                out.append(part)
    return out


def _dedupe(items: Any) -> list[str]:
    """Items in order, without case-insensitive repeats."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _strip_site_suffix(title: str) -> str:
    """ "Headline - Site News" -> "Headline" (og:title often carries the site)."""
    stripped = _TITLE_SUFFIX.sub("", title).strip()
    return stripped if len(stripped) >= len(title) / 2 else title


def parse_tree(html: str) -> Any:
    """An lxml tree for the page, or ``None`` when it is not HTML.

    Parsed by trafilatura's own loader: its extractor is tuned to that
    parser's trees (a plain ``lxml.html`` tree loses 40% of the body on some
    NYT and Gizmodo pages of the AEB benchmark).
    """
    try:
        return load_html(html)
    except (ValueError, TypeError):
        return None
