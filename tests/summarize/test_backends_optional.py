"""The optional llama-cpp backend and the summarize entry point's guarantees."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import pytest

from khabar.errors import ConfigError, MissingDependencyError
from khabar.models import Article, Bullet, Sentence
from khabar.pipeline import split_article
from khabar.settings import Settings
from khabar.summarize import LlamaCppSummarizer, Summarizer, summarize_article

ARTICLE = Article(
    title="",
    paragraphs=(
        "राज्य सरकार ने सोमवार को सभी सरकारी स्कूलों में मुफ्त नाश्ते की नई योजना शुरू करने की घोषणा की।",
        "शिक्षा मंत्री ने कहा कि योजना से करीब 40 लाख बच्चों को फायदा होगा और स्कूलों में हाजिरी बढ़ेगी।",
        "योजना पर हर साल लगभग 900 करोड़ रुपये खर्च होंगे, जिसका आधा हिस्सा केंद्र सरकार देगी।",
        "विपक्ष ने योजना का स्वागत किया लेकिन कहा कि इसे पहले ही शुरू किया जाना चाहिए था।",
    ),
    language="hi",
)


def test_llama_backend_needs_a_model_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        LlamaCppSummarizer(tmp_path / "missing.gguf")


@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is not None, reason="llama_cpp installed")
def test_llama_backend_names_its_extra_when_absent(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    with pytest.raises(MissingDependencyError) as info:
        LlamaCppSummarizer(model)
    assert info.value.extra == "llm"


class Broken:
    """A plug-in backend with a bug."""

    name = "broken"

    def summarize(self, article: Article, sentences: Sequence[Sentence], *, bullets: int = 3,
                  max_words: int = 60) -> list[Bullet]:
        raise RuntimeError("boom")


class Inventive:
    """A backend that cites sentences but adds a fact no sentence has."""

    name = "inventive"

    def summarize(self, article: Article, sentences: Sequence[Sentence], *, bullets: int = 3,
                  max_words: int = 60) -> list[Bullet]:
        text = "योजना पर हर साल लगभग 900 करोड़ रुपये खर्च होंगे और मुख्यमंत्री योगी ने इसे मंजूरी दी।"
        return [Bullet(text, (2,))]


def test_a_backend_bug_leaves_the_extractive_brief() -> None:
    assert isinstance(Broken(), Summarizer)
    bullets, notes, name = summarize_article(
        ARTICLE, split_article(ARTICLE), Settings(embed="off"), Broken()
    )
    assert bullets and name.startswith("extractive")
    assert any("broken failed (RuntimeError)" in n for n in notes)


def test_unsupported_claims_are_dropped_and_support_is_filled() -> None:
    bullets, notes, name = summarize_article(
        ARTICLE, split_article(ARTICLE), Settings(embed="off", bullets=2), Inventive()
    )
    assert all("योगी" not in b.text for b in bullets)
    assert any("dropped bullet 1 of inventive" in n and "योगी" in n for n in notes)
    assert name.startswith("extractive")
    assert all(0.0 < b.support <= 1.0 for b in bullets)
