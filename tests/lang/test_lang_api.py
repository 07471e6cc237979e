"""The public API of khabar.lang is pinned: other packages import exactly these names."""

from __future__ import annotations

import dataclasses

import pytest

import khabar.lang as lang
from khabar.errors import ConfigError, LanguageError
from khabar.lang import SUPPORTED_LANGUAGES, Detection, get_language, reading_time


def test_all_is_pinned() -> None:
    assert lang.__all__ == [
        "SUPPORTED_LANGUAGES",
        "Detection",
        "Language",
        "content_words",
        "count_words",
        "detect",
        "get_language",
        "normalize",
        "reading_time",
        "rules_language",
        "sentence_spans",
        "split_sentences",
        "stem",
        "stopwords",
        "tokenize",
    ]
    assert SUPPORTED_LANGUAGES == (
        "hi", "mr", "ne", "bn", "en", "pa", "gu", "or", "as", "ta", "te", "kn", "ml", "ur",
    )


def test_rules_language_falls_back_to_hindi() -> None:
    assert [lang.rules_language(c) for c in ("mr", "en", "und", "ta", "zh")] == [
        "mr", "en", "hi", "ta", "hi"]


@pytest.mark.parametrize("code", SUPPORTED_LANGUAGES)
def test_every_language_builds(code: str) -> None:
    language = get_language(code)
    assert language.code == code
    assert language.script in {
        "Deva", "Beng", "Latn", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda", "Mlym", "Arab"}
    assert language.stopwords and all(w == w.lower() for w in language.stopwords)
    assert language.abbreviations
    assert get_language(code) is language  # cached


@pytest.mark.parametrize("code", ["xx", "si", "", "HI"])
def test_unsupported_language_raises(code: str) -> None:
    with pytest.raises(LanguageError) as info:
        get_language(code)
    assert info.value.stage == "lang"
    with pytest.raises(LanguageError):
        lang.split_sentences("कुछ पाठ.", code)
    with pytest.raises(LanguageError):
        lang.content_words("कुछ पाठ", code)


def test_dataclasses_are_frozen() -> None:
    det = Detection("hi", "Deva", 0.9, False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        det.lang = "mr"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        get_language("hi").code = "mr"  # type: ignore[misc]


def test_reading_time() -> None:
    assert reading_time(335, 200) == 2  # NDTV's "Read Time: 2 mins"
    assert reading_time(200, 200) == 1
    assert reading_time(201, 200) == 2
    assert reading_time(0) == 1
    assert reading_time(1000) == 5
    for wpm in (0, -5):
        with pytest.raises(ConfigError):
            reading_time(100, wpm)
