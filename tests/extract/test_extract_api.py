"""The public API of khabar.extract: names, sniffing and dispatch."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from khabar.errors import ExtractError
from khabar.extract import extract_page, looks_like_html
from khabar.models import RawPage

PAGES = Path(__file__).parent / "pages"


def test_public_names_are_pinned() -> None:
    # ``khabar.extract`` the attribute is the pipeline's function, which shadows
    # the subpackage; the module itself is only reachable through the import system.
    module = importlib.import_module("khabar.extract")
    assert module.__all__ == [
        "SiteTemplate",
        "extract_html",
        "extract_page",
        "extract_text",
        "looks_like_html",
    ]


@pytest.mark.parametrize(
    "content",
    [
        "<!DOCTYPE html><html><body><p>x</p></body></html>",
        "\n  <html lang='hi'><head></head></html>",
        "<?xml version='1.0'?>\n<html></html>",
        "<div><p>एक</p><p>दो</p><a href='/'>तीन</a></div>",
    ],
)
def test_looks_like_html_true(content: str) -> None:
    assert looks_like_html(content)


@pytest.mark.parametrize(
    "content",
    [
        "",
        " date 2025-08-13 विज्ञापन\nविशेष लिंक\n",
        "x < y and y > z, so a <b> tag alone does not make HTML",
        "पहली पंक्ति\n\nदूसरी पंक्ति।",
    ],
)
def test_looks_like_html_false(content: str) -> None:
    assert not looks_like_html(content)


def test_extract_page_dispatches_on_kind() -> None:
    html = (PAGES / "meta_tags_article.hi.html").read_text(encoding="utf-8")
    from_html = extract_page(RawPage(html, "html", url="https://g.example/a", source="a"))
    assert from_html.canonical_url == "https://gram.example/kheti/bima-yojana"
    assert from_html.source == "a"

    text = "शीर्षक यहां है\nयह पहला अनुच्छेद है जिसमें पूरा एक वाक्य लिखा गया है।\n"
    from_text = extract_page(RawPage(text, "text", url="https://g.example/b"))
    assert from_text.paragraphs == ("यह पहला अनुच्छेद है जिसमें पूरा एक वाक्य लिखा गया है।",)
    assert from_text.canonical_url == "https://g.example/b"


def test_extract_page_error_carries_context() -> None:
    with pytest.raises(ExtractError) as info:
        extract_page(RawPage("", "text", url="https://g.example/c", source="c.txt"))
    assert info.value.url == "https://g.example/c"
    assert info.value.source == "c.txt"
    assert info.value.stage == "extract"
