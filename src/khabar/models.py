"""The data model: the objects every stage passes, and nothing else.

A page flows ``RawPage -> Article -> Brief``. All three are frozen so a
stage can never change what an earlier stage produced; a stage that needs
to add something builds a new object with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PageType = Literal["article", "liveblog", "gallery", "video", "listing", "other"]
ContentKind = Literal["html", "text"]

#: Page types that :func:`khabar.brief` accepts.
BRIEFABLE_PAGE_TYPES: frozenset[str] = frozenset({"article", "liveblog"})


@dataclass(frozen=True, slots=True)
class RawPage:
    """One page as it was read: decoded text plus where it came from."""

    content: str
    kind: ContentKind
    url: str | None = None
    source: str | None = None  # a path, "-" for stdin, or the URL
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """The article a page holds, with the chrome removed."""

    title: str
    paragraphs: tuple[str, ...]
    language: str = "und"
    script: str = "Zyyy"
    standfirst: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) of first publication
    updated: str | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # the publisher's own tags, as it wrote them
    categories: tuple[str, ...] = ()  # the publisher's sections (article:section, JSON-LD)
    canonical_url: str | None = None
    site_name: str | None = None
    # Any summary the publisher itself shipped (NDTV's "AI समरी" bullets).
    publisher_summary: tuple[str, ...] = ()
    related_links: tuple[str, ...] = ()  # "यह भी पढ़ें" headlines or URLs
    page_type: PageType = "article"
    source: str | None = None
    lead_image: str | None = None  # the story's image URL (og:image, JSON-LD image)
    image_caption: str | None = None

    @property
    def text(self) -> str:
        """The clean body, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    @property
    def content_hash(self) -> str:
        """A stable hash of the body, for exact-duplicate detection."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        """The article as JSON-ready data; ``text`` is the joined body."""
        data = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        data["text"] = self.text
        return data


@dataclass(frozen=True, slots=True)
class Sentence:
    """One body sentence; ``id`` is its position among all body sentences."""

    id: int
    text: str
    paragraph: int


@dataclass(frozen=True, slots=True)
class Bullet:
    """One summary bullet and the body sentences it was taken from."""

    text: str
    source_sentences: tuple[int, ...]
    support: float = 1.0  # 0..1: how well the sources support the bullet


@dataclass(frozen=True, slots=True)
class Tag:
    """A topic tag: the form on the page, an English display name and a slug."""

    name: str
    english: str
    slug: str
    source: Literal["publisher", "keyphrase", "entity"] = "publisher"


@dataclass(frozen=True, slots=True)
class Brief:
    """What a reader sees: the article, its summary bullets, read time, tags."""

    article: Article
    sentences: tuple[Sentence, ...]
    bullets: tuple[Bullet, ...]
    read_time_minutes: int
    word_count: int
    tags: tuple[Tag, ...] = ()
    related: tuple[str, ...] = ()
    summarizer: str = "extractive"
    notes: tuple[str, ...] = field(default=())  # why bullets were dropped, etc.

    @property
    def title(self) -> str:
        return self.article.title

    def to_dict(self) -> dict[str, Any]:
        """The brief as JSON-ready data (the shape ``khabar brief --format json`` prints)."""
        art = self.article
        return {
            "title": art.title,
            "standfirst": art.standfirst,
            "date": art.date,
            "updated": art.updated,
            "language": art.language,
            "url": art.canonical_url,
            "site_name": art.site_name,
            "authors": list(art.authors),
            "categories": list(art.categories),
            "lead_image": art.lead_image,
            "image_caption": art.image_caption,
            "page_type": art.page_type,
            "read_time_minutes": self.read_time_minutes,
            "word_count": self.word_count,
            "bullets": [
                {
                    "text": b.text,
                    "source_sentences": list(b.source_sentences),
                    "support": round(b.support, 4),
                }
                for b in self.bullets
            ],
            "tags": [asdict(t) for t in self.tags],
            "related": list(self.related),
            "related_links": list(art.related_links),
            "publisher_summary": list(art.publisher_summary),
            "summarizer": self.summarizer,
            "notes": list(self.notes),
            "sentences": [s.text for s in self.sentences],
            "text": art.text,
        }
