"""The last step both extractors share: check the parts and build the Article."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from khabar._memo import short_memo
from khabar.errors import ExtractError, LanguageError
from khabar.lang import detect, normalize
from khabar.models import BRIEFABLE_PAGE_TYPES, Article, PageType

from .lines import count_words, ends_sentence, is_prose, same_text_key

# Enough title + body text for the language detector to be meaningful; the
# detector itself copes with less, this only bounds the work on huge pages.
_DETECT_CHARS = 2000
# A page without a single sentence needs this much text (a product grid, a
# link list) to count as content rather than a bare menu.
_MIN_WORDS = 30


def clean(text: str | None) -> str:
    """Normalised text on one line, or ``""``."""
    if not text:
        return ""
    return _clean(text)


# A page's lines are cleaned when read and again when the Article is built.
@short_memo(maxsize=2048, max_chars=2000)
def _clean(text: str) -> str:
    return " ".join(normalize(text).split())


def dedupe(items: Iterable[str]) -> tuple[str, ...]:
    """Non-empty cleaned items in order, without repeats."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        text = clean(item)
        key = same_text_key(text)
        if text and key not in seen:
            seen.add(key)
            out.append(text)
    return tuple(out)


def _sentence_like(paragraph: str) -> bool:
    """A prose paragraph, or at least a short full sentence."""
    return is_prose(paragraph) or (ends_sentence(paragraph) and count_words(paragraph) >= 3)


def build_article(
    *,
    title: str | None,
    paragraphs: Iterable[str],
    url: str | None,
    source: str | None,
    standfirst: str | None = None,
    date: str | None = None,
    updated: str | None = None,
    authors: Iterable[str] = (),
    tags: Iterable[str] = (),
    canonical_url: str | None = None,
    site_name: str | None = None,
    publisher_summary: Iterable[str] = (),
    related_links: Iterable[str] = (),
    page_type: PageType = "article",
    categories: Iterable[str] = (),
    lead_image: str | None = None,
    image_caption: str | None = None,
) -> Article:
    """Normalise the parts into an :class:`Article`; raise when there is no body."""
    body = tuple(p for p in (clean(p) for p in paragraphs) if p)
    # One sentence-like paragraph is the least an article has; menus and
    # link lists have none. Such a page still has content: it comes back as
    # "other" (brief refuses it with that reason) rather than as an error.
    has_sentences = any(_sentence_like(p) for p in body)
    if body and page_type in BRIEFABLE_PAGE_TYPES and not has_sentences:
        page_type = "other"
    if not body or (not has_sentences and sum(count_words(p) for p in body) < _MIN_WORDS):
        raise ExtractError(
            "no article text found in the page", url=url, source=source, reason="no_main_content"
        )
    head = clean(title)
    language, script = "und", "Zyyy"
    sample = "\n".join((head, *body))[:_DETECT_CHARS]
    try:
        found = detect(sample)
        language, script = found.lang, found.script
    except LanguageError as exc:
        if exc.reason == "legacy_font_encoding":
            raise ExtractError(str(exc), url=url, source=source, reason=exc.reason) from exc
        # digits or symbols only: keep "und" rather than fail the page
    lead = clean(standfirst) or None
    return Article(
        title=head,
        paragraphs=body,
        language=language,
        script=script,
        standfirst=lead,
        date=date,
        updated=updated,
        authors=dedupe(authors),
        tags=dedupe(tags),
        canonical_url=canonical_url or url,
        site_name=clean(site_name) or None,
        publisher_summary=dedupe(publisher_summary),
        related_links=dedupe(related_links),
        page_type=page_type,
        source=source,
        categories=dedupe(categories),
        lead_image=lead_image.strip() if lead_image and lead_image.strip() else None,
        image_caption=clean(image_caption) or None,
    )


def text_value(value: object) -> str | None:
    """A stripped string with HTML entities decoded, or ``None`` for anything else.

    JSON-LD sits in a ``<script>``, where the parser decodes no entities,
    and CMSs escape twice: "Traveler&#8217;s", "Maria &amp; Katerina" (on
    fundus and WCXB pages 31 titles and authors came out so).
    """
    if isinstance(value, str) and value.strip():
        if "&" in value:
            value = html.unescape(value)
        return " ".join(value.split()) or None
    return None


def unique_folded(items: Any) -> list[str]:
    """Items in order, without case-insensitive repeats."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
