"""Dates, page types and the extra metadata (language, lead image, categories)."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from khabar.extract import extract_html
from khabar.extract.dates import local_day, month_numbers, rdf_date, shown_date, visible_date
from khabar.extract.meta import PageMeta, page_metadata
from khabar.extract.pagetype import PageShape, classify

BODY = "".join(
    f"<p>यह खबर का {n}वां पैराग्राफ है जिसमें शहर की एक घटना का पूरा विवरण"
    " दिया गया है और अधिकारियों ने बयान दिया है।</p>"
    for n in range(1, 5)
)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("13 अगस्त 2025", "2025-08-13"),
        ("अपडेटेड: 5 सितम्बर, 2024 10:15 AM IST", "2024-09-05"),
        ("Updated Tue, 14 Jan 2025", "2025-01-14"),
        ("Published Aug. 3rd, 2024 by staff", "2024-08-03"),
        ("1 फ़रवरी 2023", "2023-02-01"),
        ("31 नवंबर 1850", None),
        ("कोई तारीख नहीं", None),
    ],
)
def test_visible_date(text: str, iso: str | None) -> None:
    assert visible_date(text) == iso


def test_month_file_covers_every_month_in_hindi() -> None:
    hindi = {
        n for name, n in month_numbers().items() if any("\u0900" <= c <= "\u097f" for c in name)
    }
    assert hindi == set(range(1, 13))


def test_shown_date_from_dateline_element() -> None:
    tree = lxml_html.fromstring(
        '<html><body><div class="article-date">प्रकाशित: 13 अगस्त 2025, 10:15 AM</div></body></html>'
    )
    assert shown_date(tree) == "2025-08-13"


def test_html_date_falls_back_to_visible_hindi_date() -> None:
    page = (
        '<html lang="hi"><body><h1>शहर में नई बस सेवा शुरू हुई</h1>'
        f'<span class="date">13 अगस्त 2025</span>{BODY}</body></html>'
    )
    assert (
        extract_html(page, "https://khabar.example/shahar/nai-bus-seva-shuru-123").date
        == "2025-08-13"
    )


@pytest.mark.parametrize(
    ("stamp", "url", "want"),
    [
        # An evening story in Florida, stamped in UTC (htmldate-mediacloud).
        ("2020-02-18T02:18:11Z", "https://laprensafl.example/2020/02/17/pinal/", "2020-02-17"),
        ("2019-11-20T01:50:59.403Z", "https://lat.example/story/2019-11-19/x", "2019-11-19"),
        ("2019-11-19T07:03:25+00:00", "https://vb.example/2019/11/18/wework/", "2019-11-18"),
        # A late-evening story in Delhi stamped in UTC: the URL is the next day.
        ("2025-08-13T19:40:00Z", "https://khabar.example/2025/08/14/putin-kim/", "2025-08-14"),
        # A URL a day before a mid-morning UTC stamp is a draft's date.
        ("2020-07-09T10:04:04Z", "https://wapo.example/politics/2020/07/08/workers/", None),
        # Local stamps, a URL two days off, or no date in the URL: the stamp stands.
        ("2020-02-18T02:18:11-05:00", "https://x.example/2020/02/17/y/", None),
        ("2020-02-18T02:18:11Z", "https://x.example/2020/02/16/y/", None),
        ("2020-02-18T02:18:11Z", "https://x.example/news/y-123", None),
        ("2020-02-18", "https://x.example/2020/02/17/y/", None),
        ("2020-02-18T02:18:11Z", "https://x.example/2020/02/31/y/", None),
        (None, "https://x.example/2020/02/17/y/", None),
    ],
)
def test_local_day_reads_the_publishers_day_from_the_url(stamp: str | None, url: str,
                                                        want: str | None) -> None:
    assert local_day(stamp, url) == want


def test_utc_stamp_gives_way_to_the_local_day_in_the_url() -> None:
    page = ('<html><head><meta property="article:published_time" content="2020-02-18T02:18:11Z">'
            f'</head><body><h1>Tenemos Silvia Pinal para rato</h1>{BODY}</body></html>')
    assert extract_html(page, "https://laprensafl.example/2020/02/17/silvia-pinal/").date == (
        "2020-02-17")
    assert extract_html(page, "https://laprensafl.example/silvia-pinal/").date == "2020-02-18"


def test_blog_entry_dated_from_the_rdf_in_a_comment() -> None:
    """A Movable Type-era blog page states its date only in a commented-out RDF block
    (htmldate-mediacloud's goo.ne.jp page; the parser drops comments)."""
    rdf = ('<!--\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
           ' xmlns:dc="http://purl.org/dc/elements/1.1/">\n<rdf:Description\n'
           '  rdf:about="https://blog.example.jp/e/1"\n  dc:title="競走 (2020/7/11-12)"\n'
           '  dc:date="2020-07-12T22:00:00+09:00" />\n</rdf:RDF>\n-->')
    page = (f'<html lang="hi"><body><h1>शहर में नई बस सेवा शुरू हुई</h1>{rdf}{BODY}'
            '<p class="footer">2015-07-21 को अपडेट किया गया पुराना पन्ना</p></body></html>')
    assert extract_html(page, "https://blog.example.jp/e/1").date == "2020-07-12"
    assert rdf_date(page) == "2020-07-12"
    assert rdf_date(page.replace("dc:date", "dc:creator")) is None
    assert rdf_date("<rdf:Description " + "x" * 5000) is None  # unclosed: no runaway scan


def test_page_metadata_extra_fields() -> None:
    page = (
        '<html lang="hi-IN"><head><meta property="og:image" content="https://img.example/a.jpg">'
        '<meta property="article:section" content="राज्य"></head><body>'
        "<figure><img src='a.jpg'><figcaption>पुल का निर्माण स्थल</figcaption></figure></body></html>"
    )
    meta = page_metadata(page)
    assert meta.language == "hi"
    assert meta.lead_image == "https://img.example/a.jpg"
    assert meta.image_caption == "पुल का निर्माण स्थल"
    assert meta.categories == ["राज्य"]


SHAPE = PageShape(link_share=0.1, headline_links=0, articles=1)


@pytest.mark.parametrize(
    ("meta", "url", "shape", "prose", "want"),
    [
        (PageMeta(ld_types={"newsarticle"}), "https://x.in/a-b-c-d-e", SHAPE, 5, "article"),
        (PageMeta(ld_types={"liveblogposting"}), None, SHAPE, 9, "liveblog"),
        (PageMeta(ld_types={"imagegallery"}), "https://x.in/photos/rain-1", SHAPE, 0, "gallery"),
        (PageMeta(ld_types={"newsarticle", "imagegallery"}), None, SHAPE, 5, "article"),
        (PageMeta(og_type="video.other"), "https://x.in/videos/clip-1", SHAPE, 0, "video"),
        (PageMeta(ld_types={"collectionpage"}), "https://x.in/topic/rain", SHAPE, 0, "listing"),
        (PageMeta(ld_types={"product"}), "https://shop.in/p/phone", SHAPE, 2, "other"),
        (PageMeta(og_type="website"), "https://x.in/", PageShape(0.7, 30, 0), 1, "listing"),
        (PageMeta(), "https://x.in/desh/rain-lashes-city-roads-flooded-123", SHAPE, 4, "article"),
        (PageMeta(), "https://x.in/about", SHAPE, 0, "other"),
    ],
)
def test_classify(meta: PageMeta, url: str | None, shape: PageShape, prose: int, want: str) -> None:
    assert classify(meta, url, shape, prose) == want


def test_listing_page_comes_back_with_its_type() -> None:
    teasers = "".join(
        f'<div><h3><a href="/story-{i}">शहर की खबर नंबर {i} का शीर्षक यहां है</a></h3>'
        f"<p>इस खबर का छोटा सा सार जो पूरी खबर की ओर ले जाता है, पढ़ने के लिए क्लिक करें।</p></div>"
        for i in range(15)
    )
    head = '<head><meta property="og:type" content="website"></head>'
    page = f'<html lang="hi">{head}<body>{teasers}</body></html>'
    art = extract_html(page, "https://khabar.example/")
    assert art.page_type == "listing"


def test_second_opinion_only_when_trafilatura_keeps_too_little() -> None:
    pytest.importorskip("resiliparse")
    from khabar.extract.body import second_opinion as _second_opinion

    paragraphs = "".join(
        f"<p>Paragraph {n} explains one step of the service in plain words for readers.</p>"
        for n in range(8)
    )
    page = f"<html><body><main>{paragraphs}</main></body></html>"
    short = "Paragraph 0 explains one step of the service in plain words for readers."
    assert "Paragraph 7" in _second_opinion(page, short)
    full = "\n".join(
        f"Paragraph {n} explains one step of the service in plain words for readers."
        for n in range(8)
    )
    assert _second_opinion(page, full) == full


def _article(head: str, body: str = "") -> str:
    paras = "".join(
        f"<p>{s} The council met on Tuesday and the vote was close, said the clerk.</p>"
        for s in ("First.", "Second.", "Third.", "Fourth.")
    )
    return f"<html><head>{head}</head><body>{body}<article>{paras}</article></body></html>"


def test_entities_that_json_ld_escapes_twice_are_decoded() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
          '"Traveler&#8217;s guide &amp; more", "author": {"name": "Maria &amp; Katerina"}}'
          "</script>")
    meta = page_metadata(_article(ld))
    assert meta.title == "Traveler\u2019s guide & more"
    assert meta.authors == ["Maria", "Katerina"]  # decoded, then two people


@pytest.mark.parametrize(("head", "h1", "want"), [
    # The stated title wraps the visible headline: the headline wins.
    ('<meta property="og:title" content="SEO Checker | Test your website for free">',
     "Test your website for free", "Test your website for free"),
    # The site's name, known from og:site_name, is cut from either end.
    ('<meta property="og:site_name" content="Golem.de"><script type="application/ld+json">'
     '{"@type": "NewsArticle", "headline": "Akkutechnik: Hat Quantumscape genug Akkus gebaut? - '
     'Golem.de"}</script>', "", "Akkutechnik: Hat Quantumscape genug Akkus gebaut?"),
    # An <h1> that is another wording (or a logo) does not replace the stated title.
    ('<meta property="og:title" content="Kollaps der Bank: Notenbank räumt Fehler ein">',
     "Bank: Federal Reserve räumt Versäumnisse ein",
     "Kollaps der Bank: Notenbank räumt Fehler ein"),
    ('<meta property="og:title" content="Budget passes after a long debate">', "Daily",
     "Budget passes after a long debate"),
])
def test_headline_prefers_the_visible_core_of_the_stated_title(head: str, h1: str,
                                                                want: str) -> None:
    art = extract_html(_article(head, f"<h1>{h1}</h1>" if h1 else ""))
    assert art.title == want


def test_byline_is_read_when_the_metadata_names_no_person() -> None:
    story = ('<meta property="og:type" content="article">'
             '<meta property="og:site_name" content="Lesotho Times">')
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Budget '
          'passes", "author": {"name": "Lesotho Times"}}</script>')
    byline = ('<div class="post-byline">By Mohloai Mpesi</div>'
              '<aside><div class="author">View author publications</div></aside>')
    assert page_metadata(_article(story + ld, byline)).authors == ["Mohloai Mpesi"]
    # A byline that is not a name, and a shop page with a "By" badge, give nothing.
    assert page_metadata(_article(story, '<span class="author">Written By</span>')).authors == []
    shop = '<meta property="og:type" content="product">'
    badge = '<span class="author">By Gusilor Store</span>'
    page = _article(shop, badge).replace("<article>", "<div>").replace("</article>", "</div>")
    assert page_metadata(page).authors == []
    # Several authors in one byline, in rel="author" links.
    links = 'By <a rel="author">Jane Roe</a> and <a rel="author">Ravi Kumar</a>'
    assert page_metadata(_article(story, links)).authors == ["Jane Roe", "Ravi Kumar"]


def test_author_names_are_cleaned_of_what_is_not_a_name() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": ['
          '{"name": "Elena Oberholzer (obe)"}, {"name": "d.kuckelkorn@boersen-zeitung.de"}, '
          '{"name": "(Image: Getty Images)"}, {"name": "105092"}, {"name": "By Anna Sleegers"}]}'
          "</script>")
    assert page_metadata(_article(ld)).authors == ["Elena Oberholzer", "Anna Sleegers"]


def test_markup_that_says_author_counts_on_any_page() -> None:
    # No article type and no <article>: only markup that says author is read.
    plain = ('<div><p class="byline">By</p><span itemprop="author">'
             '<a href="/people/sara">Sara Brown</a></span></div>')
    assert page_metadata(_article("", plain)).authors == ["Sara Brown"]
    # A forum thread's JSON-LD names its first poster, a user name.
    forum = ('<script type="application/ld+json">{"@type": "DiscussionForumPosting", '
             '"headline": "Confusing resolver", "author": {"@type": "Person", '
             '"name": "amondale"}}</script>')
    assert page_metadata(_article(forum)).authors == ["amondale"]
    credit = '<meta property="og:type" content="article">'
    text_by = '<div class="collection-byline">Text by <a href="/c/hd">Hunter Dukes</a></div>'
    assert page_metadata(_article(credit, text_by)).authors == ["Hunter Dukes"]


def test_article_carries_categories_lead_image_and_caption() -> None:
    head = ('<meta property="og:image" content="/img/pul.jpg">'
            '<meta property="article:section" content="राज्य">'
            '<link rel="canonical" href="https://news.example/rajya/pul-1">')
    body = "<figure><img src='/img/pul.jpg'><figcaption>पुल का निर्माण स्थल</figcaption></figure>"
    art = extract_html(_article(head, body), "https://news.example/rajya/pul-1?ref=home")
    # A relative og:image is resolved against the canonical URL.
    assert art.lead_image == "https://news.example/img/pul.jpg"
    assert art.image_caption == "पुल का निर्माण स्थल"
    assert art.categories == ("राज्य",)
    data = art.to_dict()
    assert data["lead_image"] == art.lead_image and data["categories"] == ["राज्य"]
    # Not a web address: no lead image at all.
    odd = _article('<meta property="og:image" content="javascript:alert(1)">')
    assert extract_html(odd).lead_image is None
    bare = _article('<meta property="og:image" content="https://hindi.example.com">')
    assert extract_html(bare).lead_image is None


def test_declared_article_is_rescued_only_when_nearly_empty() -> None:
    pytest.importorskip("resiliparse")
    from khabar.extract.body import second_opinion as _second_opinion

    line = "explains one step of the service in plain words for readers."
    page = "<html><body><main>" + "".join(
        f"<p>Paragraph {n} {line}</p>" for n in range(16)) + "</main></body></html>"
    short = f"Paragraph 0 {line}"
    assert "Paragraph 15" in _second_opinion(page, short, declared=True)
    # 72 words of 208: the share rule would swap them, a declared article keeps them.
    some = "\n".join(f"Paragraph {n} {line}" for n in range(6))
    assert _second_opinion(page, some, declared=True) == some
    assert "Paragraph 15" in _second_opinion(page, some)


def test_one_author_string_naming_several_people_is_split() -> None:
    def authors(value: str) -> list[str]:
        ld = ('<script type="application/ld+json">{"@type": "NewsArticle", '
              f'"author": {{"name": "{value}"}}}}</script>')
        return page_metadata(_article(ld)).authors

    assert authors("Trine Juncher Jørgensen og Tôrtia Reimer-Johansen") == [
        "Trine Juncher Jørgensen", "Tôrtia Reimer-Johansen"]
    assert authors("राम कुमार और सीता देवी") == ["राम कुमार", "सीता देवी"]
    # An "and" inside an organisation's name is not a list of people.
    assert authors("Center for Drug Evaluation and Research") == [
        "Center for Drug Evaluation and Research"]
    assert authors("srf/hosb; kesm") == ["srf/hosb", "kesm"]
