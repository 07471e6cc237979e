"""Publisher registry: one golden page per site, and generic extraction for the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.extract import extract_html
from khabar.extract.sites import find_rule, site_rules
from khabar.lang import normalize

SITES = Path(__file__).parent / "sites"
KEYS = sorted(p.stem for p in SITES.glob("*.html"))
# Lines that are chrome on at least one of the golden pages.
CHROME = (
    "विज्ञापन",
    "यह भी पढ़ें",
    "ये भी पढ़ें",
    "Listen to the latest songs",
    "अधूरा नहीं",
    "Follow Us",
    "विस्तार",
    "Amazon",
    "WhatsApp",
    "एंड्रॉएड ऐप",
    "अगला लेख",
    "कॉपी लिंक",
    "होम",
    "Copyright",
)


def test_every_registry_site_has_a_golden_page() -> None:
    assert {r.key for r in site_rules()} == set(KEYS)
    assert len(KEYS) == 8


@pytest.mark.parametrize("key", KEYS)
def test_golden_site_page(key: str) -> None:
    html = (SITES / f"{key}.html").read_text(encoding="utf-8")
    want = json.loads((SITES / f"{key}.json").read_text(encoding="utf-8"))
    art = extract_html(html, want["url"])

    assert find_rule(want["url"]) is not None
    assert art.title == normalize(want["title"])
    assert list(art.paragraphs) == [normalize(p) for p in want["paragraphs"]]
    assert art.date == want["date"]
    assert list(art.authors) == [normalize(a) for a in want["authors"]]
    assert art.site_name == normalize(want["site_name"])
    assert list(art.publisher_summary) == [normalize(b) for b in want["publisher_summary"]]
    if want["standfirst"]:
        assert art.standfirst == normalize(want["standfirst"])
    assert art.page_type == want["page_type"]
    assert art.language == want["language"]
    assert not any(c in p for p in art.paragraphs for c in CHROME)


def test_site_not_in_registry_uses_generic_extraction() -> None:
    html = (SITES / "livehindustan.html").read_text(encoding="utf-8")
    want = json.loads((SITES / "livehindustan.json").read_text(encoding="utf-8"))
    url = "https://khabar-example.in/bihar/patna-metro-trial-run-123456"
    assert find_rule(url) is None
    # The same page under an unknown host: no site hints, trafilatura reads it.
    html = html.replace("Live Hindustan", "Khabar Example").replace(want["url"], url)
    art = extract_html(html, url)
    body = "\n".join(art.paragraphs)
    for paragraph in want["paragraphs"]:
        assert normalize(paragraph) in body
    assert art.date == want["date"]
    assert "विज्ञापन" not in body


def test_bbc_rule_only_for_the_hindi_section() -> None:
    assert find_rule("https://www.bbc.com/hindi/articles/c1") is not None
    assert find_rule("https://www.bbc.com/news/articles/c1") is None
    assert find_rule("not a url") is None


def test_rule_found_by_site_name_without_url() -> None:
    rule = find_rule(None, site_name="Dainik Jagran")
    assert rule is not None and rule.key == "jagran"


def test_rule_headline_outranks_the_page_guess_without_a_stated_title() -> None:
    # No og:title or JSON-LD headline: the page's first <h1> is the site's
    # logo, and <title> carries the site name. The rule's XPath finds the story's.
    body = " ".join(["रूस और उत्तर कोरिया के बीच सैन्य सहयोग पर बातचीत आगे बढ़ी।"] * 12)
    html = (
        "<html><head><title>NDTV India</title></head><body>"
        "<h1 class='logo'>NDTV India</h1>"
        "<h1 class='sp-ttl'>पुतिन और किम जोंग की मुलाकात पर दुनिया की नज़र</h1>"
        f"<div id='ins_storybody'><p>{body}</p><p>{body}</p></div></body></html>"
    )
    art = extract_html(html, "https://ndtv.in/world/putin-kim-123")
    assert art.title == "पुतिन और किम जोंग की मुलाकात पर दुनिया की नज़र"
