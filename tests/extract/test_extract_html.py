"""HTML extraction: the Dainik Bhaskar golden page and small pages with Hindi chrome."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from conftest import require_shared
from khabar.errors import ExtractError
from khabar.eval.extract import prf
from khabar.extract import extract_html
from khabar.lang import normalize

PAGES = Path(__file__).parent / "pages"
BHASKAR_URL = (
    "https://www.bhaskar.com/local/bihar/samastipur/news/"
    "samastipur-police-caught-2-miscreants-133589711.html"
)


def _page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.mark.shared
def test_bhaskar_golden_page() -> None:
    folder = require_shared("data", "fundus", "test_data", "ind")
    html = gzip.decompress((folder / "Bhaskar_2024_09_04.html.gz").read_bytes()).decode("utf-8")
    gold = json.loads((folder / "Bhaskar.json").read_text(encoding="utf-8"))["V1"]
    art = extract_html(html, BHASKAR_URL)

    assert art.title == normalize(gold["title"])
    gold_body = "\n\n".join(p for s in gold["body"]["sections"] for p in s["paragraphs"])
    assert prf(art.text, normalize(gold_body))[2] >= 0.9
    assert art.date == gold["publishing_date"][:10]
    assert list(art.authors) == [normalize(a) for a in gold["authors"]]
    assert set(gold["topics"]) <= set(art.tags)
    assert art.canonical_url == BHASKAR_URL
    assert art.site_name == "Dainik Bhaskar"
    assert art.language == "hi"
    # Breadcrumbs, the headline and "कॉपी लिंक" are page chrome, not body.
    assert not any(p.startswith(("Hindi News", "Local")) for p in art.paragraphs)
    assert not any("कॉपी लिंक" in p for p in art.paragraphs)
    assert normalize(gold["title"]) not in art.paragraphs


def test_jsonld_page_metadata() -> None:
    art = extract_html(_page("jsonld_article.hi.html"), "https://khabar.example/x")
    assert art.title == normalize("दिल्ली में मानसून की पहली बारिश से मिली राहत, कई इलाकों में जलभराव")
    assert art.date == "2025-06-29"
    assert art.updated == "2025-06-29"
    assert art.authors == (normalize("सीमा शर्मा"), normalize("राहुल वर्मा"))
    assert art.tags == (normalize("दिल्ली मानसून"), normalize("बारिश"), normalize("जलभराव"))
    assert art.canonical_url == "https://khabar.example/delhi/monsoon-first-rain-12345"
    assert art.site_name == normalize("खबर समाचार")
    assert art.standfirst == normalize(
        "मौसम विभाग ने अगले तीन दिनों तक हल्की से मध्यम बारिश का अनुमान जताया है।"
    )
    assert art.page_type == "article"


def test_jsonld_page_chrome_summary_and_related() -> None:
    art = extract_html(_page("jsonld_article.hi.html"))
    assert len(art.paragraphs) == 5
    assert art.paragraphs[2] == normalize("अगले तीन दिन कैसा रहेगा मौसम?")
    for chrome in ("विज्ञापन", "Share", "कॉपी लिंक", "फॉलो करें", "यह भी पढ़ें", "मुख्य बातें"):
        assert all(normalize(chrome) not in p for p in art.paragraphs), chrome
    assert len(art.publisher_summary) == 3
    assert art.publisher_summary[1] == normalize("कई इलाकों में जलभराव से यातायात धीमा रहा।")
    assert art.related_links == (normalize("मुंबई में भारी बारिश का ऑरेंज अलर्ट, स्कूल बंद रखने का फैसला"),)


def test_meta_tags_page() -> None:
    art = extract_html(_page("meta_tags_article.hi.html"))
    assert art.title == normalize("किसानों के लिए नई बीमा योजना का ऐलान")
    assert art.date == "2024-11-05"
    assert art.authors == (normalize("अमित कुमार"),)
    # article:tag wins over the looser keywords meta.
    assert art.tags == (normalize("किसान"), normalize("फसल बीमा"))
    assert art.canonical_url == "https://gram.example/kheti/bima-yojana"
    assert art.site_name == normalize("ग्राम दर्पण")
    # The description only repeats the first paragraph: no standfirst.
    assert art.standfirst is None
    assert len(art.paragraphs) == 3
    assert not any(p in {"Advertisement", "Share this article"} for p in art.paragraphs)
    # The links under a bare "ये भी पढ़ें" heading are related stories.
    assert art.related_links == (
        normalize("गेहूं की खरीद के लिए नए केंद्र खुले"),
        normalize("मंडियों में धान के दाम बढ़े"),
    )


def test_page_without_article_raises() -> None:
    with pytest.raises(ExtractError) as info:
        extract_html(_page("no_article.html"), "https://khabar.example/")
    assert info.value.reason == "no_main_content"
    assert info.value.url == "https://khabar.example/"


@pytest.mark.parametrize("html", ["", "   ", "<html><body></body></html>"])
def test_empty_html_raises(html: str) -> None:
    with pytest.raises(ExtractError):
        extract_html(html)


def test_listing_page_type() -> None:
    html = _page("jsonld_article.hi.html").replace('"NewsArticle"', '"CollectionPage"')
    assert extract_html(html).page_type == "listing"


def test_xml_declaration_is_accepted() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + _page("meta_tags_article.hi.html")
    assert extract_html(html).date == "2024-11-05"


def test_lead_box_and_caption_leave_the_body() -> None:
    # Hindustan-style page: the standfirst is an <h2 class="sortDec"> and the
    # photo caption a <p class="imgCapt">; trafilatura would keep both as body.
    html = (
        "<html><head><title>नई रेल लाइन को मंजूरी</title></head><body><article>"
        "<h1>नई रेल लाइन को मंजूरी</h1>"
        '<h2 class="sortDec">कैबिनेट ने पहाड़ी जिलों को जोड़ने वाली नई रेल लाइन के लिए बजट पास किया।</h2>'
        '<div class="stryImg"><img src="a.jpg"><p class="imgCapt">रेल लाइन का नक्शा।</p></div>'
        "<p>केंद्रीय मंत्रिमंडल ने बुधवार को पहाड़ी जिलों को जोड़ने वाली एक नई रेल लाइन के निर्माण को "
        "मंजूरी दे दी। परियोजना पर करीब चार हजार करोड़ रुपये खर्च होंगे और इसे पांच साल में पूरा किया जाएगा।</p>"
        "<p>रेल मंत्री ने कहा कि इस लाइन से दूरदराज के गांवों तक पहुंचना आसान होगा और पर्यटन को भी "
        "बढ़ावा मिलेगा। निर्माण का काम अगले साल की शुरुआत में शुरू होने की उम्मीद है।</p>"
        "</article></body></html>"
    )
    art = extract_html(html)
    assert art.standfirst == normalize(
        "कैबिनेट ने पहाड़ी जिलों को जोड़ने वाली नई रेल लाइन के लिए बजट पास किया।"
    )
    assert len(art.paragraphs) == 2
    assert all("नक्शा" not in p for p in art.paragraphs)


def _story_page(declared: bool) -> str:
    og = '<meta property="og:type" content="article">' if declared else ""
    body = "".join(
        f"<p>नगर निगम ने बताया कि वार्ड {n} में नई पाइपलाइन का काम अगले सप्ताह पूरा होगा और"
        " उसके बाद हर घर में सुबह और शाम दो बार पानी की आपूर्ति शुरू कर दी जाएगी।</p>"
        for n in range(1, 9)
    )
    return (f"<html><head><title>पानी की आपूर्ति</title>{og}</head><body>"
            f"<nav><a href='/'>होम</a></nav><article><h1>पानी की आपूर्ति</h1>{body}</article>"
            "</body></html>")


@pytest.mark.parametrize(
    ("declared", "min_share", "expected"),
    [
        (True, None, [True]),  # a declared article: trafilatura's main pass alone
        (False, None, [False]),  # anything else: the full run with its fallbacks
        (True, 10.0, [True, False]),  # the main pass kept too little: the full run too
    ],
)
def test_trafilatura_fallback_runs_only_where_needed(
    monkeypatch: pytest.MonkeyPatch, declared: bool, min_share: float | None,
    expected: list[bool],
) -> None:
    from khabar.extract import body

    calls: list[bool] = []
    real = body._trafilatura

    def spy(tree: object, url: str | None, source: str | None, fast: bool = False) -> object:
        calls.append(fast)
        return real(tree, url, source, fast=fast)

    monkeypatch.setattr(body, "_trafilatura", spy)
    if min_share is not None:
        monkeypatch.setattr(body, "_FAST_MIN_SHARE", min_share)
    article = extract_html(_story_page(declared), "https://example.in/city/water-supply-123")
    assert calls == expected
    assert len(article.paragraphs) == 8 and "वार्ड 8" in article.text


def test_english_newsletter_and_print_boxes_are_chrome_but_sentences_are_not() -> None:
    from khabar.extract.lines import is_chrome, phrase_key

    for line in ("Thanks for signing up!", "Keep an eye on your inbox for the latest news.",
                 "Order Reprints", "Print Article", "Comments", "You may also like...",
                 "This copy is for your personal, non-commercial use only. To order copies"):
        assert is_chrome(line), line
    for line in ("Thank you, the minister told reporters.", "Comments from the council "
                 "were not available.", "Print editions fell 5% this year."):
        assert not is_chrome(line), line
    # Edge punctuation and repeated spaces go; inner text stays as it is.
    assert phrase_key("  -- Read  More!! ") == "read more"
    assert phrase_key("«»") == ""


def test_a_page_with_more_elements_than_any_real_page_is_refused_before_extraction() -> None:
    from khabar.errors import ExtractError
    from khabar.extract.html import MAX_ELEMENTS, extract_html

    body = "<p>" + "यह एक वाक्य है। " * 40 + "</p>"
    page = f"<html><body><article>{body}</article>{'<i></i>' * (MAX_ELEMENTS + 1)}</body></html>"
    with pytest.raises(ExtractError) as err:
        extract_html(page)
    assert err.value.reason == "too_many_elements"
    # The same article without the flood is read.
    assert "वाक्य" in extract_html(f"<html><body><article>{body}</article></body></html>").text


def test_only_a_story_is_dated_from_its_free_text() -> None:
    import lxml.html

    from khabar.extract.dates import guessed_date

    # A date only in running text, not in the markup or the URL.
    html = ("<html><body><h1>Garden tools</h1><div><p>In stock since March 3, 2021. "
            "Ships within two days.</p></div>"
            f"<p>{'Sturdy steel rake with an ash handle. ' * 20}</p></body></html>")
    url = "https://shop.example.com/rake"
    assert guessed_date(lxml.html.fromstring(html), url) == "2021-03-03"
    assert guessed_date(lxml.html.fromstring(html), url, story=False) is None


@pytest.mark.parametrize(("kind", "dated"), [("NewsArticle", True), ("Product", False)])
def test_page_type_decides_the_free_text_date_search(kind: str, dated: bool) -> None:
    body = "".join(f"<p>{'Sturdy steel rakes and ash handles were tested in the field. ' * 6}</p>"
                   for _ in range(4))
    html = (f'<html><head><script type="application/ld+json">{{"@type": "{kind}", '
            f'"name": "Garden tools"}}</script></head><body><h1>Garden tools</h1>'
            f"<div><p>Tested since March 3, 2021. Report below.</p></div>{body}</body></html>")
    art = extract_html(html, "https://shop.example.com/rake")
    assert art.page_type == ("article" if dated else "other")
    assert art.date == ("2021-03-03" if dated else None)


def test_a_summary_heading_over_each_item_labels_a_listing() -> None:
    """WCXB dev: "Highlights" over every school of a listing is no publisher summary."""
    from khabar.extract.html import clean_lines

    one = ["Highlights", "- Fees are waived this year.", "- Classes start in June.",
           "The admissions office opened on Monday for the new session."]
    paragraphs, _, summary = clean_lines(one, "Admissions")
    assert summary == ["Fees are waived this year.", "Classes start in June."]
    assert paragraphs == [one[3]]

    listing = []
    for school in ("North College", "South College"):
        listing += [school, "Highlights", f"- {school} offers evening classes.",
                    f"- {school} waives the first term's fees."]
    paragraphs, _, summary = clean_lines(listing, "Best colleges")
    assert summary == []
    assert "North College waives the first term's fees." in paragraphs
    assert paragraphs.count("Highlights") == 2


def test_a_read_more_button_under_each_card_is_no_related_marker() -> None:
    """WCXB dev: "Read More" under 17 resources of a page; the titles are its content."""
    from khabar.extract.html import clean_lines

    cards = []
    for n in range(6):
        cards += [f"Tutoring report number {n}", "Read More"]
    paragraphs, related, _ = clean_lines(cards, "Resources")
    assert related == []
    assert paragraphs == [f"Tutoring report number {n}" for n in range(6)]
    # Twice in a story, a bare marker still introduces its "read also" headline.
    story = ["यह भी पढ़ें", "दिल्ली में बारिश से राहत", "सरकार ने सोमवार को नई योजना शुरू करने का फैसला किया।",
             "यह भी पढ़ें", "मुंबई में स्कूल बंद"]
    paragraphs, related, _ = clean_lines(story, "योजना")
    assert related == ["दिल्ली में बारिश से राहत", "मुंबई में स्कूल बंद"]


def test_count_words_stops_at_upto() -> None:
    from khabar.extract.lines import count_words

    line = "सरकार ने सोमवार को नई योजना शुरू की, 12.5 करोड़ रुपये"
    assert count_words(line) == 11
    assert count_words(line, upto=4) == 4
    assert count_words(line, upto=50) == 11
    assert count_words("", upto=3) == 0


def test_a_date_shown_on_the_page_is_never_after_tomorrow() -> None:
    from khabar.extract.dates import not_future

    assert not_future("2069-04-02") is None
    assert not_future("2025-08-13") == "2025-08-13"
    assert not_future(None) is None
    body = "".join(f"<p>{'सरकार ने नई योजना की घोषणा की और किसानों को राहत दी। ' * 6}</p>"
                   for _ in range(4))
    html = ('<html><body><h1>योजना</h1><span class="date">02 अप्रैल 2069</span>'
            f"<article>{body}</article></body></html>")
    assert extract_html(html).date != "2069-04-02"
