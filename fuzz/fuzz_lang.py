"""Fuzz the language layer: normalize, sentence splitting, tokenizing, detection."""

from __future__ import annotations

import contextlib

import _harness

_harness.with_khabar()

from khabar import lang  # noqa: E402
from khabar.errors import LanguageError  # noqa: E402

LANGS = sorted(lang.SUPPORTED_LANGUAGES)


def one_input(data: bytes) -> None:
    """One text through every lang function, with their invariants."""
    if not data:
        return
    code = LANGS[data[0] % len(LANGS)]
    text = _harness.text_of(data[1:])
    once = lang.normalize(text)
    assert lang.normalize(once) == once, "normalize is not idempotent"
    for start, end in lang.sentence_spans(once, code):
        assert 0 <= start <= end <= len(once)
    for sentence in lang.split_sentences(once, code):
        assert sentence.strip()
    tokens = lang.tokenize(once)
    assert all(t for t in tokens)
    assert lang.count_words(once) >= 0
    lang.content_words(once, code)
    with contextlib.suppress(LanguageError):  # no letters: a typed refusal
        lang.detect(once)


if __name__ == "__main__":
    _harness.main(one_input)
