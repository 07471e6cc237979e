"""Where a page becomes a brief: ingest -> extract -> sentences -> summarize -> enrich."""

from __future__ import annotations

from . import lang
from .enrich import article_tags
from .errors import ExtractError, NotAnArticleError
from .extract import extract_page, looks_like_html
from .ingest import decode_input
from .limits import page_time_limit
from .models import BRIEFABLE_PAGE_TYPES, Article, Brief, ContentKind, RawPage, Sentence
from .settings import Settings, load_settings
from .summarize import Summarizer, summarize_article


def to_raw_page(
    content: str | bytes,
    url: str | None = None,
    *,
    source: str | None = None,
    settings: Settings | None = None,
) -> RawPage:
    """Decode and sniff input into a :class:`RawPage` (HTML or scraped text)."""
    settings = settings or load_settings()
    name = source or url or "<input>"
    text = decode_input(content, source=name, max_bytes=settings.max_input_bytes)
    kind: ContentKind = "html" if looks_like_html(text) else "text"
    return RawPage(content=text, kind=kind, url=url, source=name)


def extract(
    content: str | bytes, url: str | None = None, *, settings: Settings | None = None
) -> Article:
    """Extract the article from an HTML page or already-scraped page text.

    Raises :class:`~khabar.errors.InputError` for empty, binary or oversized
    input and :class:`~khabar.errors.ExtractError` when no article is found.
    """
    settings = settings or load_settings()
    with page_time_limit(settings.page_time_limit_s, url):
        return extract_page(to_raw_page(content, url, settings=settings))


def split_article(article: Article) -> tuple[Sentence, ...]:
    """Number the body sentences in reading order; bullets cite these ids."""
    sentences: list[Sentence] = []
    code = lang.rules_language(article.language)
    for p_index, paragraph in enumerate(article.paragraphs):
        for text in lang.split_sentences(paragraph, code):
            sentences.append(Sentence(id=len(sentences), text=text, paragraph=p_index))
    return tuple(sentences)


def brief_article(
    article: Article, *, settings: Settings | None = None, summarizer: Summarizer | None = None
) -> Brief:
    """Summarize, time and tag an extracted article."""
    settings = settings or load_settings()
    if article.page_type not in BRIEFABLE_PAGE_TYPES:
        raise NotAnArticleError(
            f"this page is a {article.page_type}, not an article: nothing to brief",
            page_type=article.page_type,
            source=article.source,
            reason=f"page_type_{article.page_type}",
        )
    if article.language not in lang.SUPPORTED_LANGUAGES:
        from .errors import LanguageError

        raise LanguageError(
            f"the article is in an unsupported language ({article.language})",
            source=article.source,
            reason="unsupported_language",
        )
    words = lang.count_words(article.text)
    if words < settings.min_body_words:
        raise ExtractError(
            f"the article body has {words} words, too few to brief",
            source=article.source,
            reason="too_short",
        )
    sentences = split_article(article)
    bullets, notes, summarizer_name = summarize_article(article, sentences, settings, summarizer)
    return Brief(
        article=article,
        sentences=sentences,
        bullets=tuple(bullets),
        read_time_minutes=lang.reading_time(words, settings.words_per_minute),
        word_count=words,
        tags=tuple(article_tags(article)),
        summarizer=summarizer_name,
        notes=tuple(notes),
    )


def brief(
    content: str | bytes,
    url: str | None = None,
    *,
    settings: Settings | None = None,
    summarizer: Summarizer | None = None,
) -> Brief:
    """Turn one page (HTML or scraped text, str or bytes) into a :class:`Brief`.

    Refuses pages that are not articles or live blogs
    (:class:`~khabar.errors.NotAnArticleError`) and text in a language
    khabar does not handle (:class:`~khabar.errors.LanguageError`).
    """
    settings = settings or load_settings()
    with page_time_limit(settings.page_time_limit_s, url):
        article = extract(content, url, settings=settings)
        return brief_article(article, settings=settings, summarizer=summarizer)


__all__ = ["brief", "brief_article", "extract", "split_article", "to_raw_page"]
