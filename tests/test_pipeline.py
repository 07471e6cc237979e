"""One page to a brief, end to end: the seed, the demo corpus and the Bhaskar page."""

from __future__ import annotations

import gzip
import json

import pytest

import khabar
from conftest import require_shared
from khabar import lang
from khabar.demo import demo_pages

LEXICAL = khabar.load_settings(env={}, embed="off")
CHROME = [
    "विज्ञापन",
    "Share",
    "Read Time",
    "Get App",
    "JioSaavn",
    "फॉलो करे:",
    "क्या हमारी AI समरी आपके लिए उपयोगी रही?",
    "हमें बताएं।",
    "Install Now",
]


def _is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(tok in it for tok in needle)


def _check_bullets_trace(b: khabar.Brief) -> None:
    """Every bullet cites real sentences and says nothing they do not."""
    assert b.bullets
    for bullet in b.bullets:
        assert bullet.source_sentences
        source = " ".join(b.sentences[i].text for i in bullet.source_sentences)
        assert _is_subsequence(lang.tokenize(bullet.text), lang.tokenize(source)), bullet.text


def test_seed_brief(seed_text: str) -> None:
    b = khabar.brief(seed_text.encode("utf-8"), settings=LEXICAL)
    d = b.to_dict()
    assert (
        d["title"]
        == "ट्रंप से मुलाकात के पहले पुतिन ने नॉर्थ कोरिया मिलाया कॉल, किम जोंग के साथ क्या खिचड़ी पक रही?"
    )
    assert d["date"] == "2025-08-13"
    assert d["read_time_minutes"] == 2
    assert d["language"] == "hi"
    assert len(b.article.paragraphs) == 7
    assert len(d["publisher_summary"]) == 3
    assert d["publisher_summary"][0].startswith("अलास्का शिखर सम्मेलन से पहले")
    for chrome in CHROME:
        assert chrome not in d["text"], chrome
    assert len(d["bullets"]) == 3
    assert [t["english"] for t in d["tags"]][:3] == [
        "Russia Ukraine War",
        "Russia North Korea Military Ties",
        "Vladimir Putin",
    ]
    _check_bullets_trace(b)
    # The JSON the CLI prints carries these keys (the contract).
    for key in (
        "title",
        "date",
        "read_time_minutes",
        "bullets",
        "tags",
        "text",
        "publisher_summary",
    ):
        assert key in d
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d


def test_seed_word_count_gives_ndtv_read_time(seed_text: str) -> None:
    article = khabar.extract(seed_text)
    words = lang.count_words(article.text)
    assert 300 <= words <= 400  # NDTV's page: 335 words, "Read Time: 2 mins"
    assert lang.reading_time(words, 200) == 2


@pytest.mark.parametrize("page", demo_pages(), ids=lambda p: p.file)
def test_demo_corpus_matches_its_manifest(page) -> None:  # type: ignore[no-untyped-def]
    b = khabar.brief(page.read_bytes(), settings=LEXICAL)
    assert b.title == lang.normalize(page.title)
    assert b.article.date == page.date
    assert b.article.language == "hi"
    assert len(b.article.paragraphs) == page.body_paragraphs
    if page.tags:
        # The publisher's own tags come first and in its order (the list may be capped);
        # one is left out only when it repeats another's English name ("डेंगू" after
        # "Dengue" on the dengue page).
        from khabar.enrich import english_name

        publisher = [t.name for t in b.tags if t.source == "publisher"]
        names = [lang.normalize(t) for t in page.tags]
        assert publisher == [n for n in names if n in publisher]
        shown = {t.english.casefold() for t in b.tags if t.source == "publisher"}
        left_out = [n for n in names[:5] if n not in publisher]
        assert all(english_name(n).casefold() in shown for n in left_out), left_out
        assert [t.source for t in b.tags[: len(publisher)]] == ["publisher"] * len(publisher)
    assert len(b.bullets) == 3
    _check_bullets_trace(b)


def test_bhaskar_page_briefs() -> None:
    base = require_shared("data", "fundus", "test_data", "ind")
    gold = json.loads((base / "Bhaskar.json").read_text("utf-8"))["V1"]
    b = khabar.brief((base / "Bhaskar_2024_09_04.html.gz").read_bytes(), settings=LEXICAL)
    assert b.title == lang.normalize(gold["title"])
    assert b.article.language == "hi"
    _check_bullets_trace(b)


def test_brief_accepts_str_and_bytes_alike(seed_text: str) -> None:
    a = khabar.brief(seed_text, settings=LEXICAL).to_dict()
    b = khabar.brief(seed_text.encode(), settings=LEXICAL).to_dict()
    c = khabar.brief(gzip.compress(seed_text.encode()), settings=LEXICAL).to_dict()
    assert a == b == c


def test_read_time_follows_settings(seed_text: str) -> None:
    slow = khabar.load_settings(env={}, embed="off", words_per_minute=100)
    assert khabar.brief(seed_text, settings=slow).read_time_minutes == 4


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", khabar.InputError),
        (b"\x00\x01\x02\x03" * 100, khabar.InputError),
        ("<html><body><nav><a href='/'>होम</a></nav></body></html>", khabar.ExtractError),
        ("这是一个中文新闻页面。" * 40, khabar.LanguageError),
        ("ආයුබෝවන් මෙය පුවතකි. " * 40, khabar.LanguageError),
    ],
)
def test_bad_input_is_a_khabar_error(content: str | bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        khabar.brief(content, settings=LEXICAL)
