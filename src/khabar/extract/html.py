"""Article extraction from HTML: the body from :mod:`.body`, the page's own metadata on top.

The boxes above the body (standfirst, highlights, captions) are taken out
first by :mod:`.leads`.

trafilatura finds the main text well but keeps the chrome that Indian news
sites put *inside* the article container (breadcrumbs, "कॉपी लिंक", ad
labels, "यह भी पढ़ें" links, the AI-summary box). This module cleans its text
output line by line with the phrase lists in ``data/`` and takes the
headline, dates, authors and tags from JSON-LD and meta tags first.
"""

from __future__ import annotations

from collections import Counter

import regex
from lxml import etree

from khabar._urls import join_url, split_url
from khabar.errors import ExtractError
from khabar.models import Article

from .article import build_article, clean
from .body import main_content, settle_text
from .dates import guessed_date, local_day, not_future, rdf_date, shown_date, visible_date
from .leads import take_lead_blocks
from .lines import (
    count_words,
    cut_dated_teasers,
    drop_contact_footers,
    drop_repeated_copies,
    ends_sentence,
    is_bullet,
    is_chrome,
    is_prose,
    is_related_marker,
    related_link,
    same_text_key,
    strip_bullet,
    strip_glued_phrases,
    summary_markers,
    words,
)
from .meta import headline, page_title, parse_tree, read_meta
from .pagetype import classify, declares_article, declares_discussion, measure
from .sites import SiteParts, apply_rule, find_rule

# Breadcrumb items are one to a few words ("Hindi News", "Local", "Bihar").
_BREADCRUMB_MAX_WORDS = 6
# A description sharing this share of its words with the body's opening is
# the first paragraph again, not a standfirst. Bhaskar's sits at 0.9+, NDTV's
# real standfirsts share well under half.
_STANDFIRST_OVERLAP = 0.7
# A related-story headline after a "Read more" marker is at most this long.
_LINK_MAX_WORDS = 25
# A summary heading seen this often, or a bare "read also" marker this often,
# labels a listing's items (see _repeated_labels); markers are short lines.
_REPEATED_SUMMARY = 2
_REPEATED_RELATED = 5
_LABEL_MAX_CHARS = 60
_XML_DECL = regex.compile(r"^\s*<\?xml[^>]*\?>")
# No real page comes near this: the 1,880 HTML pages of the extraction
# benchmarks (WCXB, AEB, newspaper4k, htmldate) have at most 15,793 elements
# (median 905). Above it a page costs trafilatura minutes (a million empty
# tags took 30-150 s), so it is refused before extraction starts.
MAX_ELEMENTS = 200_000
_ELEMENTS = etree.XPath("count(//*)")
def extract_html(html: str, url: str | None = None, *, source: str | None = None) -> Article:
    """Extract the article from an HTML page.

    A site in the registry (``data/sites.toml``) is read with its hints:
    its chrome boxes are removed, its summary box becomes
    ``publisher_summary`` and its body selector gives the paragraphs. Any
    other page (or a registry site whose selector no longer matches) gets
    its body from trafilatura (comments excluded). Either way the lines are
    cleaned of news-site chrome; "यह भी पढ़ें: X" lines become
    ``related_links`` and bullet lists next to a summary heading or prompt
    become ``publisher_summary``. Title, authors, tags, canonical URL and
    site name come from JSON-LD and meta tags; the date from those, else
    from a dateline the page shows ("13 अगस्त 2025"), else from htmldate.
    The meta description becomes the standfirst unless it only repeats the
    opening paragraph. ``page_type`` says whether this is an article, a
    live blog, a gallery, a video, a listing or something else; non-article
    pages with content come back too, typed, for the caller to refuse.

    Raises:
        ExtractError: the page has no article text (``reason`` is
            ``"no_main_content"``), cannot be parsed (``"unparsable_html"``) or
            has more than :data:`MAX_ELEMENTS` elements (``"too_many_elements"``).
    """
    # Tested in place: a substitution or a strip() copies the whole page.
    decl = _XML_DECL.match(html)
    if decl is not None:
        html = html[decl.end():]
    tree = parse_tree(html) if html and not html.isspace() else None
    if tree is None:
        raise ExtractError(
            "the page is not parsable HTML", url=url, source=source, reason="unparsable_html"
        )
    elements = int(_ELEMENTS(tree))
    if elements > MAX_ELEMENTS:
        raise ExtractError(
            f"the page has {elements:,} HTML elements, over the {MAX_ELEMENTS:,} khabar reads",
            url=url, source=source, reason="too_many_elements",
        )
    meta = read_meta(tree)
    shape = measure(tree)
    rule = find_rule(url, meta.canonical_url, site_name=meta.site_name)
    site = apply_rule(tree, rule) if rule is not None else SiteParts()
    lead = take_lead_blocks(tree)
    # A site whose hints found the body needs no generic extractor.
    declared = declares_article(meta)
    doc, alt = (None, None) if site.paragraphs else main_content(tree, html, url, source,
                                                                   declared)
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not site.paragraphs:
        text = settle_text(html, text, declared=declared, alt=alt, tree=tree,
                           discussion=declares_discussion(meta, url))
    lines = list(site.paragraphs) or text.split("\n")

    # A publisher rule's headline outranks the page's <h1>/<title> guess.
    title = clean(headline(tree, meta)) or clean(site.title) or clean(page_title(tree))
    paragraphs, related, summary = clean_lines(lines, title)
    if rule is not None:
        paragraphs = [p for p in paragraphs if not rule.chrome.matches(p)]
    paragraphs = drop_repeated_copies(drop_contact_footers(paragraphs))
    paragraphs = cut_dated_teasers(paragraphs, lambda line: visible_date(line) is not None)
    related += lead.related
    summary = list(site.bullets) or summary or lead.bullets
    if not title:
        title = _title_from_body(paragraphs)

    page_type = classify(meta, url, shape, _count_prose(paragraphs))
    # A page that shows no sign of a story (a product or service page) is not
    # searched for a date in its free text (see guessed_date).
    # A UTC stamp's day yields to the local day the URL shows (see local_day).
    date = (local_day(meta.date_stamp, url or meta.canonical_url) or meta.date
            or rdf_date(html) or not_future(shown_date(tree))
            or guessed_date(tree, url, story=page_type != "other"))
    standfirst = site.standfirst or lead.standfirst or _standfirst(meta.description, paragraphs)
    return build_article(
        title=title,
        paragraphs=paragraphs,
        url=url,
        source=source,
        standfirst=standfirst,
        date=date,
        updated=meta.updated,
        authors=meta.authors,
        tags=meta.tags,
        canonical_url=meta.canonical_url or url,
        site_name=meta.site_name or (rule.name if rule else None),
        publisher_summary=summary,
        related_links=related,
        page_type=page_type,
        categories=meta.categories,
        lead_image=_absolute(meta.lead_image, meta.canonical_url or url),
        image_caption=meta.image_caption,
    )


def _absolute(link: str | None, base: str | None) -> str | None:
    """An http(s) URL of a file for ``link``, resolved against the page's URL; else None.

    A site's bare address is no image: some pages' og:image holds only that
    (two of htmldate-mediacloud's Hindi pages).
    """
    if not link:
        return None
    full = join_url(base, link) if base else link
    parts = split_url(full) if full else None
    if parts is None or not full or not full.startswith(("http://", "https://")):
        return None
    return None if parts.path in ("", "/") else full


def clean_lines(lines: list[str], title: str) -> tuple[list[str], list[str], list[str]]:
    """Split trafilatura's text lines into (paragraphs, related links, publisher summary)."""
    title_key = same_text_key(title)
    items = [strip_glued_phrases(clean(line)) for line in lines]
    items = [line for line in items if line]
    start = 0
    # trafilatura renders breadcrumbs as a leading list of one-word items.
    while start < len(items) and _is_breadcrumb(items[start]):
        start += 1

    items = items[start:]
    listed = [is_bullet(line) for line in items]
    bares = [strip_bullet(line) if b else line for line, b in zip(items, listed, strict=True)]
    # Each line is matched against the marker lists once: the count of
    # repeated labels and the walk below both read these.
    reads = [is_related_marker(bare) for bare in bares]
    heads = [summary_markers().matches(bare) for bare in bares]
    labels = _repeated_labels(bares, heads, reads)

    paragraphs: list[str] = []
    related: list[str] = []
    summary: list[str] = []
    bullets: list[str] = []
    bullets_are_summary = False
    after_related_marker = False

    def flush(is_summary: bool) -> None:
        (summary if is_summary else paragraphs).extend(bullets)
        bullets.clear()

    for line, bare, is_item, is_read, is_head in zip(items, bares, listed, reads, heads,
                                                     strict=True):
        link = related_link(bare)
        if link is not None:
            related.append(link)
            continue
        if labels and same_text_key(bare) in labels:
            # A card's "Read More" button or a per-item "Highlights" heading:
            # the lines around it are the page's own items, kept as body.
            if not is_read:
                flush(bullets_are_summary)
                bullets_are_summary = False
                paragraphs.append(line)
            continue
        if is_read:
            after_related_marker = True
            continue
        # After a bare marker, the headlines that follow are its links, set as
        # list items or, on many sites, as plain lines.
        if after_related_marker and not is_prose(bare) and count_words(bare) <= _LINK_MAX_WORDS:
            related.append(bare)
            continue
        after_related_marker = False
        if is_head:
            # A heading opens a summary list; a prompt closes the one just read.
            if bullets:
                flush(True)
            bullets_are_summary = True
            continue
        if is_chrome(bare) or (title_key and same_text_key(bare) == title_key):
            continue
        if is_item:
            bullets.append(bare)
            continue
        flush(bullets_are_summary)
        bullets_are_summary = False
        paragraphs.append(line)
    flush(bullets_are_summary)
    return paragraphs, related, summary


def _repeated_labels(bares: list[str], heads: list[bool], reads: list[bool]) -> frozenset[str]:
    """Keys of marker lines repeated often enough to be a template's item labels.

    A publisher's summary is one list under one heading, and a "read also"
    heading stands a few times in a story; a listing repeats its labels per
    item ("Highlights" over each school, "Read More" under each resource on
    WCXB dev pages), and the items after them are the page's content.
    """
    summaries: Counter[str] = Counter()
    markers: Counter[str] = Counter()
    for bare, is_head, is_read in zip(bares, heads, reads, strict=True):
        if len(bare) > _LABEL_MAX_CHARS:
            continue
        if is_head:
            summaries[same_text_key(bare)] += 1
        elif is_read:
            markers[same_text_key(bare)] += 1
    return frozenset(
        [key for key, n in summaries.items() if n >= _REPEATED_SUMMARY]
        + [key for key, n in markers.items() if n >= _REPEATED_RELATED]
    )


def _is_breadcrumb(line: str) -> bool:
    """A short list item with no sentence end: a breadcrumb or menu entry."""
    return (
        is_bullet(line)
        and count_words(strip_bullet(line)) <= _BREADCRUMB_MAX_WORDS
        and not ends_sentence(line)
    )


def _count_prose(paragraphs: list[str], cap: int = 3) -> int:
    """Prose paragraphs, counted up to ``cap`` (all that page typing needs)."""
    found = 0
    for line in paragraphs:
        if is_prose(line):
            found += 1
            if found >= cap:
                break
    return found


def _title_from_body(paragraphs: list[str]) -> str:
    """The first short, non-sentence line, when the page states no title."""
    for line in paragraphs[:3]:
        if not is_prose(line) and not ends_sentence(line) and count_words(line) >= 3:
            return line
    return ""


def _standfirst(description: str | None, paragraphs: list[str]) -> str | None:
    """The meta description, unless it just repeats the opening paragraphs."""
    text = clean(description)
    if not text or count_words(text) < 4:
        return None
    desc_words = [w.casefold() for w in words(text)]
    opening = {w.casefold() for p in paragraphs[:3] for w in words(p)}
    shared = sum(1 for w in desc_words if w in opening) / len(desc_words)
    return None if shared >= _STANDFIRST_OVERLAP else text
