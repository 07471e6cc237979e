"""Fuzz the summarizer: any article text gives verified bullets or a SummarizeError."""

from __future__ import annotations

import _harness

_harness.with_khabar()

import khabar  # noqa: E402
from khabar.errors import KhabarError  # noqa: E402
from khabar.models import Article  # noqa: E402
from khabar.pipeline import split_article  # noqa: E402
from khabar.summarize import summarize_article  # noqa: E402

SETTINGS = khabar.load_settings(env={}, embed="off")


def one_input(data: bytes) -> None:
    """Paragraphs split on blank lines, summarized like a Hindi article."""
    paragraphs = tuple(p for p in _harness.text_of(data).split("\n\n") if p.strip())
    if not paragraphs:
        return
    article = Article(title=paragraphs[0][:200], paragraphs=paragraphs, language="hi")
    sentences = split_article(article)
    try:
        bullets, _notes, _name = summarize_article(article, sentences, SETTINGS)
    except KhabarError:
        return
    assert len(bullets) <= SETTINGS.bullets
    for bullet in bullets:
        assert 0.0 <= bullet.support <= 1.0
        assert all(0 <= i < len(sentences) for i in bullet.source_sentences)


if __name__ == "__main__":
    _harness.main(one_input)
