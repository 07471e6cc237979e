"""English news chrome around the body: header deks, "Read more" link lists, contact footers.

Each rule was added for ScrapingHub AEB pages (benchmarks/extract_aeb.py); the
pages here are written in the same structure, with the body a rule must leave.
"""

from __future__ import annotations

from khabar.extract import extract_html
from khabar.extract.lines import drop_contact_footers, is_chrome

BODY = [
    "The city council approved a new water pipeline on Tuesday after a debate that ran "
    "late into the evening, with members split over its cost.",
    "Work on the first stretch is due to start in March and should take about two years, "
    "the council's engineer told members before the vote.",
    "Residents of the northern wards, who have had water only every other day since the "
    "summer, are expected to be the first to benefit from it.",
    "Opponents said the money would be better spent repairing the old mains, which lose "
    "almost a third of the water they carry before it reaches homes.",
]


def _page(header: str, body: list[str], tail: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return (
        "<html><head><title>Council approves water pipeline</title>"
        '<meta property="og:type" content="article"></head><body>'
        f"{header}<article>{paragraphs}{tail}</article></body></html>"
    )


def test_a_sub_headline_in_the_article_header_is_the_standfirst_not_body() -> None:
    dek = "Members split over the cost of the two-year project in the northern wards"
    html = _page(
        "<header><h2>Express. Home of the Daily and Sunday Express.</h2></header>"
        f'<header class="article-header"><h1>Council approves water pipeline</h1>'
        f"<h3>{dek}</h3></header>",
        BODY,
    )
    art = extract_html(html, "https://news.example.com/city/pipeline")
    assert art.standfirst == dek
    assert all("Members split" not in p for p in art.paragraphs)
    assert len(art.paragraphs) == len(BODY)


def test_a_classed_sub_headline_is_the_standfirst() -> None:
    dek = "Work on the first stretch is due to start in March, the engineer says"
    html = _page(f'<h1>Council approves water pipeline</h1><h2 class="sub-head">{dek}</h2>', BODY)
    art = extract_html(html, "https://news.example.com/city/pipeline")
    assert art.standfirst == dek
    assert all("first stretch is due to start in March, the" not in p for p in art.paragraphs)


def test_read_more_lines_and_the_headlines_after_a_dont_miss_label_are_related_links() -> None:
    body = [
        *BODY[:2],
        "READ MORE: Drought hits the northern wards for a third summer",
        *BODY[2:],
        "DON'T MISS",
        "Mayor defends the new parking charges [INSIGHT]",
        "River festival returns after a two-year break [PICTURES]",
    ]
    art = extract_html(_page("<h1>Council approves water pipeline</h1>", body),
                       "https://news.example.com/city/pipeline")
    assert "Drought hits the northern wards for a third summer" in art.related_links
    assert "Mayor defends the new parking charges [INSIGHT]" in art.related_links
    assert art.paragraphs == tuple(BODY)


def test_contact_footers_go_but_bylines_with_addresses_and_body_addresses_stay() -> None:
    quoting = ("Readers can send their complaints to water@example.gov, the council said, "
               "and follow the work on its website.")
    footer = "Email Jane Doe at jane.doe@example.com or follow her on Twitter @janedoe."
    byline = "칼럼니스트 박생강 pillgoo9@example.com"
    assert drop_contact_footers([*BODY, footer]) == BODY
    assert drop_contact_footers([*BODY, byline]) == [*BODY, byline]
    # Only the story's closing lines can be its footer.
    assert drop_contact_footers([quoting, *BODY]) == [quoting, *BODY]
    # A story of a few lines is not cut at all.
    assert drop_contact_footers([BODY[0], footer]) == [BODY[0], footer]

    art = extract_html(_page("<h1>Council approves water pipeline</h1>", BODY,
                             f"<p>{footer}</p>"), "https://news.example.com/city/pipeline")
    assert all("jane.doe@example.com" not in p for p in art.paragraphs)
    assert len(art.paragraphs) == len(BODY)


def test_calls_to_action_are_chrome_but_sentences_that_start_alike_are_not() -> None:
    for line in ("Subscribe to our newsletter for the day's top stories.",
                 "Like this story? Share it with a friend!", "Have a tip? Email us.",
                 "GET FOX BUSINESS ON THE GO BY CLICKING HERE", "Tempo de leitura: 2 minutos"):
        assert is_chrome(line), line
    for line in ("Subscribers to the service paid 20% more this year.",
                 "Click here to get more information or download this game.",
                 "Sign up for the bundle with the same email as your account."):
        assert not is_chrome(line), line
