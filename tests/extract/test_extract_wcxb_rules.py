"""Rules found on WCXB dev article pages (web pages of every kind, not only news).

Each rule was added after reading the WCXB pages where khabar lost most; the
pages here are written for the test, in the same structure.
"""

from __future__ import annotations

from khabar.extract import extract_html
from khabar.extract.lines import drop_repeated_copies

BODY = [
    "The new bridge over the river opened to traffic on Monday morning, three years after "
    "work began and six months later than the county had promised residents.",
    "Engineers said the delay came from flooding in the second winter, which washed away "
    "the temporary supports and forced the crews to rebuild them from the riverbed.",
    "Shopkeepers on both banks welcomed the opening, saying that the detour through the "
    "next town had cost them customers every single day of the closure.",
    "The county expects about twelve thousand vehicles a day to cross the bridge once the "
    "approach roads on the eastern side are finished next spring.",
]


def _page(article: str) -> str:
    return (
        "<html><head><title>New bridge opens to traffic</title>"
        '<meta property="og:type" content="article"></head><body>'
        f"<article><h1>New bridge opens to traffic</h1>{article}</article></body></html>"
    )


def test_a_second_copy_of_the_story_is_dropped() -> None:
    # Responsive pages ship the same text twice, one copy per screen size.
    copy = "".join(f"<p>{p}</p>" for p in BODY)
    html = _page(f'<div class="desktop">{copy}</div><div class="mobile">{copy}</div>')
    art = extract_html(html, "https://example.org/news/bridge-opens")
    assert art.paragraphs == tuple(BODY)


def test_a_repeated_long_paragraph_is_kept_once() -> None:
    lines = [BODY[0], "Key dates", BODY[1], BODY[0], BODY[2]]
    assert drop_repeated_copies(lines) == [BODY[0], "Key dates", BODY[1], BODY[2]]


def test_short_repeated_lines_stay() -> None:
    # Table cells, "Pros"/"Cons" heads and a training plan's daily lines
    # repeat on purpose, and the page's gold text keeps every copy.
    lines = ["Pros", "Light and quiet", "Cons", "Short battery life",
             "Pros", "Cheap to run", "Cons", "Short battery life",
             "Monday. Rest day", "Tuesday. Easy run of thirty minutes", "Monday. Rest day"]
    assert drop_repeated_copies(lines) == lines


def test_a_copied_passage_of_short_paragraphs_is_dropped() -> None:
    steps = [f"Step {n}: open the valve marked {n} and wait until the gauge settles."
             for n in range(1, 9)]
    assert drop_repeated_copies([*steps, "Done", *steps]) == [*steps, "Done"]


def test_a_repeated_plan_block_that_is_not_prose_stays() -> None:
    # A weekly plan repeats whole blocks of labels and lists; they are its text.
    day = ["Breakfast", "Eat within an hour of waking up",
           "Oat porridge [1 cup oats, 1 cup milk, 1 tsp honey, a handful of berries, "
           "2 tbsp yoghurt, 1 tbsp seeds, a pinch of salt and cinnamon, 1 sliced banana]",
           "Lunch", "Eat four to five hours after breakfast", "Lentil soup with rice"]
    plan = ["Monday", *day, "Tuesday", *day]
    assert drop_repeated_copies(plan) == plan


def _teasers(dated: int) -> list[str]:
    out = []
    for i in range(4):
        out += ["Airlines"]
        if i < dated:
            out += [f"Dec {18 - i}, 2025"]
        out += [f"Carrier number {i} adds a new route to the islands this winter",
                "The airline said the route would run twice a week from December, with "
                "fares starting lower than its rivals on the same route."]
    return out


def test_a_dated_teaser_list_after_the_story_is_cut() -> None:
    from khabar.extract.dates import visible_date
    from khabar.extract.lines import cut_dated_teasers

    def is_date(line: str) -> bool:
        return visible_date(line) is not None

    page = [*BODY, "Read This Next", *_teasers(dated=4)]
    assert cut_dated_teasers(page, is_date) == BODY
    # The same heading over sections without dates is left alone...
    undated = [*BODY, "Read This Next", *_teasers(dated=0)]
    assert cut_dated_teasers(undated, is_date) == undated
    # ...and so are dated lines under an ordinary heading (a timeline).
    timeline = [*BODY, "How it happened", *_teasers(dated=4)]
    assert cut_dated_teasers(timeline, is_date) == timeline
    # Through the whole extractor too.
    html = _page("".join(f"<p>{p}</p>" for p in page))
    art = extract_html(html, "https://example.org/news/bridge-opens")
    assert art.paragraphs == tuple(BODY)
