"""Properties of extraction on arbitrary input: it fails only with ExtractError."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.errors import ExtractError
from khabar.extract import extract_html, extract_text, looks_like_html
from khabar.extract.lines import is_chrome

_PIECES = st.sampled_from(
    [
        "विज्ञापन",
        "Share",
        "Read Time: 2 mins",
        "यह भी पढ़ें: रूस की तारीफ करते चीन पर चुटकी",
        "  • नॉर्थ कोरिया यूक्रेन में सैनिक भेज रहा है.",
        "date 2025-08-13",
        "पुतिन ने किम जोंग को फोन किया और सहयोग मजबूत करने की बात कही.",
        "<p>",
        "</div>",
        "",
        "\u200b",
        "?",
    ]
)
_TEXTS = st.lists(st.one_of(_PIECES, st.text(max_size=40)), max_size=25).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_extract_text_returns_article_or_extract_error(text: str) -> None:
    try:
        art = extract_text(text)
    except ExtractError as exc:
        assert exc.reason in {"empty", "no_main_content"}
        return
    assert art.paragraphs
    assert all(p.strip() == p and p for p in art.paragraphs)
    assert not any(is_chrome(p) for p in art.paragraphs)


@settings(max_examples=60, deadline=None)
@given(_TEXTS)
def test_extract_html_returns_article_or_extract_error(text: str) -> None:
    html = f"<html><body><article>{text}</article></body></html>"
    try:
        art = extract_html(html)
    except ExtractError:
        return
    assert art.paragraphs


@given(st.text(max_size=200))
def test_looks_like_html_never_raises(text: str) -> None:
    assert looks_like_html(text) in {True, False}
