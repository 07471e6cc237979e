"""Summarizers: the interface, the extractive default, and the entry point the pipeline calls."""

from __future__ import annotations

from collections.abc import Sequence

from ..models import Article, Bullet, Sentence
from ..settings import Settings
from .base import Summarizer
from .embed import embeddings_available
from .extractive import ExtractiveSummarizer

__all__ = ["ExtractiveSummarizer", "Summarizer", "default_summarizer", "summarize_article"]


def default_summarizer(settings: Settings) -> Summarizer:
    """The extractive summarizer, with embeddings when settings and install allow."""
    if settings.embed == "on":
        from .embed import _model

        _model()  # fail now, with the extra's name, rather than mid-brief
        return ExtractiveSummarizer(use_embeddings=True)
    use = settings.embed == "auto" and embeddings_available()
    return ExtractiveSummarizer(use_embeddings=use)


def summarize_article(
    article: Article,
    sentences: Sequence[Sentence],
    settings: Settings,
    summarizer: Summarizer | None = None,
) -> tuple[list[Bullet], list[str], str]:
    """Run a summarizer; return its bullets, notes on what was dropped and why, and its name."""
    summarizer = summarizer or default_summarizer(settings)
    bullets = summarizer.summarize(
        article, sentences, bullets=settings.bullets, max_words=settings.summary_words
    )
    return bullets, [], summarizer.name
