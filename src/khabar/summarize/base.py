"""The summarizer interface that every backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from ..models import Article, Bullet, Sentence


@runtime_checkable
class Summarizer(Protocol):
    """Turns an article's numbered sentences into summary bullets.

    A backend must return bullets whose ``source_sentences`` are ids of
    ``sentences``; extractive backends cite the sentences they copied,
    abstractive ones the sentences that support each claim.
    """

    name: str

    def summarize(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        *,
        bullets: int = 3,
        max_words: int = 60,
    ) -> list[Bullet]:
        """Return at most ``bullets`` bullets of about ``max_words`` words in all."""
        ...
