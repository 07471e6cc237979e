"""Fuzz ``khabar.extract.extract_html``: any page gives an Article or an ExtractError."""

from __future__ import annotations

import contextlib

import _harness

_harness.with_khabar()

from khabar.errors import KhabarError  # noqa: E402
from khabar.extract import extract_html  # noqa: E402


def _warm_up() -> None:
    """Pay htmldate/dateparser's one-off locale compile (8-16 s) before the clock starts.

    That stall is pinned by test_date_guess_does_not_fall_back_to_dateparser
    (tests/hardening/test_regressions.py); without the warm-up every run
    stops at it as a libFuzzer timeout.
    """
    page = _harness.ROOT / "tests/hardening/regressions/fuzz-htmldate-dateparser-stall.html"
    with contextlib.suppress(KhabarError):
        extract_html(page.read_bytes().decode("utf-8", "surrogateescape"), "https://example.com/")


def one_input(data: bytes) -> None:
    """One HTML page."""
    try:
        article = extract_html(_harness.text_of(data), "https://example.com/a/1")
    except KhabarError:
        return
    assert isinstance(article.title, str)
    article.to_dict()


if __name__ == "__main__":
    _warm_up()
    _harness.main(one_input)
