"""Summarizers: the interface, and the default extractive backend."""

from __future__ import annotations

from ..settings import Settings
from .base import Summarizer
from .embed import embeddings_available
from .extractive import ExtractiveSummarizer

__all__ = ["ExtractiveSummarizer", "Summarizer", "default_summarizer"]


def default_summarizer(settings: Settings) -> Summarizer:
    """The extractive summarizer, with embeddings when settings and install allow."""
    if settings.embed == "on":
        from .embed import _model

        _model()  # fail now, with the extra's name, rather than mid-brief
        return ExtractiveSummarizer(use_embeddings=True)
    use = settings.embed == "auto" and embeddings_available()
    return ExtractiveSummarizer(use_embeddings=use)
