"""Fuzz the scraped-text parser (``extract_text``) and the bytes-to-brief path."""

from __future__ import annotations

import contextlib

import _harness

_harness.with_khabar()

import khabar  # noqa: E402
from khabar.errors import KhabarError  # noqa: E402
from khabar.extract import extract_text  # noqa: E402

SETTINGS = khabar.load_settings(env={}, embed="off")


def one_input(data: bytes) -> None:
    """One scraped page: parsed as text, then briefed from raw bytes."""
    with contextlib.suppress(KhabarError):
        extract_text(_harness.text_of(data))
    try:
        brief = khabar.brief(data, settings=SETTINGS)
    except KhabarError:
        return
    for bullet in brief.bullets:
        assert all(0 <= i < len(brief.sentences) for i in bullet.source_sentences)


if __name__ == "__main__":
    _harness.main(one_input)
