"""The API's request and response bodies, as Pydantic models.

Response models are built from :class:`khabar.store.StoredBrief` with the
``from_stored`` helpers, so the routes stay one line of glue each.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: Why a reader found a summary not useful; mirrors ``khabar.store.FEEDBACK_REASONS``.
FeedbackReason = Literal[
    "inaccurate", "missing_key_point", "too_long", "hard_to_read", "wrong_language", "other"
]
FEEDBACK_TEXT_MAX = 1000


class _Strict(BaseModel):
    """Request bodies refuse unknown fields: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


# The body rule of BriefIn in JSON Schema, so the OpenAPI document says what
# the validator enforces (schemathesis found ``{}`` documented as valid).
_BRIEF_IN_RULE: dict[str, Any] = {
    "anyOf": [
        {"required": ["html"], "properties": {"html": {"type": "string"}}},
        {"required": ["text"], "properties": {"text": {"type": "string"}}},
        {"required": ["url"], "properties": {"url": {"type": "string", "minLength": 1}}},
    ],
    "not": {
        "required": ["html", "text"],
        "properties": {"html": {"type": "string"}, "text": {"type": "string"}},
    },
}


class BriefIn(_Strict):
    """Create a brief from page HTML, scraped page text, or a URL to fetch."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_BRIEF_IN_RULE)

    html: str | None = Field(default=None, description="the page's HTML")
    text: str | None = Field(default=None, description="the page as scraped text")
    url: str | None = Field(
        default=None,
        max_length=2048,
        description="the page's URL; fetched when neither html nor text is given",
    )

    @model_validator(mode="after")
    def _one_source(self) -> BriefIn:
        if self.html is not None and self.text is not None:
            raise ValueError("give html or text, not both")
        if self.html is None and self.text is None and not self.url:
            raise ValueError("give one of html, text or url")
        return self


class FeedbackIn(_Strict):
    """A reader's verdict on one summary."""

    useful: bool
    reason: FeedbackReason | None = None
    text: str | None = Field(default=None, max_length=FEEDBACK_TEXT_MAX)


class BulletOut(BaseModel):
    text: str
    source_sentences: list[int]
    support: float


class TagOut(BaseModel):
    name: str
    english: str
    slug: str
    source: str = "publisher"


class BriefOut(BaseModel):
    """A brief as listed: enough to draw a card, without the body."""

    article_id: int
    brief_id: int
    url: str | None
    revision: int
    created_at: str
    updated_at: str
    title: str
    standfirst: str | None = None
    date: str | None = None
    language: str
    site_name: str | None = None
    authors: list[str] = []
    categories: list[str] = []
    lead_image: str | None = Field(default=None, description="the story's image URL, as published")
    image_caption: str | None = None
    read_time_minutes: int
    word_count: int
    summarizer: str
    bullets: list[BulletOut]
    tags: list[TagOut]

    @classmethod
    def from_stored(cls, stored: Any) -> BriefOut:
        """Build from a :class:`khabar.store.StoredBrief`."""
        return cls.model_validate(_fields(stored))


class ArticleOut(BriefOut):
    """One article with its brief: the body and its numbered sentences too."""

    text: str
    sentences: list[str]
    related_links: list[str] = []
    publisher_summary: list[str] = []
    notes: list[str] = []

    @classmethod
    def from_stored(cls, stored: Any) -> ArticleOut:
        """Build from a :class:`khabar.store.StoredBrief`."""
        return cls.model_validate(_fields(stored))


def _fields(stored: Any) -> dict[str, Any]:
    data: dict[str, Any] = dict(stored.data)
    data.update(
        article_id=stored.article_id,
        brief_id=stored.brief_id,
        url=stored.url or data.get("url"),
        revision=stored.revision,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
    )
    return data


class BriefListOut(BaseModel):
    items: list[BriefOut]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page")


class SearchOut(BaseModel):
    query: str
    items: list[BriefOut]


class TagCountOut(BaseModel):
    name: str
    english: str
    slug: str
    count: int


class TagPageOut(BaseModel):
    tag: TagCountOut
    items: list[BriefOut]


class ClusterOut(BaseModel):
    id: int | str
    representative: BriefOut
    members: list[BriefOut]


class FeedbackOut(BaseModel):
    id: int
    brief_id: int
    useful: bool


class FeedbackStatOut(BaseModel):
    summarizer: str
    total: int
    useful: int
    not_useful: int
    useful_rate: float | None
    reasons: dict[str, int]


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str
    details: Any = None


class ErrorOut(BaseModel):
    """The one shape of every error the API returns."""

    error: ErrorDetail


class ListQuery(BaseModel):
    """Filters of ``GET /api/briefs``."""

    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(default=None, max_length=512)
    limit: int = Field(default=20, ge=1, le=100)
    tag: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=16)
    source: str | None = Field(default=None, max_length=200)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
