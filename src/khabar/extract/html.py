"""Article extraction from HTML: the body from :mod:`.body`, the page's own metadata on top.

trafilatura finds the main text well but keeps the chrome that Indian news
sites put *inside* the article container (breadcrumbs, "कॉपी लिंक", ad
labels, "यह भी पढ़ें" links, the AI-summary box). This module cleans its text
output line by line with the phrase lists in ``data/`` and takes the
headline, dates, authors and tags from JSON-LD and meta tags first.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import regex
from lxml import etree

from khabar._urls import join_url, split_url
from khabar.errors import ExtractError
from khabar.models import Article

from .article import build_article, clean
from .body import main_content, settle_text
from .dates import guessed_date, local_day, rdf_date, shown_date, visible_date
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
# Class or id names of the boxes above the body: highlights, synopsis,
# Amar Ujala's "सार" (sarans), Hindustan's "sortDec". Calibrated on the demo
# pages and checked on benchmarks/extract_aeb.py (F1 must not drop).
_LEAD_HINT = regex.compile(
    r"highlight|synopsis|(?:story|news|article|ai)[-_]?summary|standfirst|sarans|\bsaar\b"
    r"|sortdec|short-?desc|\bdek\b",
    regex.IGNORECASE,
)
# Boxes only: a <p> with such a class is body text on many sites (TechCrunch's
# "speakable-summary", the NYT's "article-summary" dek, which AEB counts as body).
_LEAD_TAGS = frozenset({"div", "section", "aside", "header", "h2", "h3", "ul"})
# A whole class token, so that "no-caption" or "below-caption" wrappers stay.
_CAPTION_HINT = regex.compile(
    r"(?:^|\s)(?:(?:img|image|photo|pic|fig|figure|media|wp)[-_]?)?capt(?:ion)?(?:[-_]text)?(?:\s|$)",
    regex.IGNORECASE,
)
_LEAD_MAX_WORDS = 120
# A sub-headline (dek) set as a heading in the article's header, above the
# body: WSJ's h2.sub-head, CBS's h2.article-subline, the Express's bare h3 in
# a <header> that holds the h1. ScrapingHub AEB counts none of them as body
# (a site banner in a header without the h1 is no dek); a body <p> that
# repeats the meta description stays body (AEB counts 29 of 36 such).
_HEADER_DEKS = etree.XPath(
    "//header[.//h1]//*[self::h2 or self::h3]"
    " | //*[self::h2 or self::h3][contains(@class, 'sub-head') or contains(@class, 'subline')"
    " or contains(@class, 'subtitle') or contains(@class, 'subhead')]"
)
# A related-story headline after a "Read more" marker is at most this long.
_LINK_MAX_WORDS = 25
_DEK_MIN_WORDS = 6
_DEK_MAX_WORDS = 60
_LEAD_MAX_PARAGRAPHS = 3
_CAPTION_MAX_WORDS = 40
# Where a bare "ये भी पढ़ें" heading sits, and how long it can be.
_MARKER_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "div")
_MARKER_MAX_CHARS = 40
# A summary heading seen this often, or a bare "read also" marker this often,
# labels a listing's items (see _repeated_labels); markers are short lines.
_REPEATED_SUMMARY = 2
_REPEATED_RELATED = 5
_LABEL_MAX_CHARS = 60
# A related-links box lists a handful of stories; more is a site menu.
_MAX_RELATED_PER_BLOCK = 10
_XML_DECL = regex.compile(r"^\s*<\?xml[^>]*\?>")
# Every marker has "पढ़" (either nukta form), "देख" or "read" in it.
_MARKER_TEXTS = etree.XPath(
    "//body//text()[string-length(normalize-space()) > 0]"
    f"[string-length(normalize-space()) <= {2 * _MARKER_MAX_CHARS}]"
    "[contains(., 'पढ') or contains(., 'प\u095d') or contains(., 'देख')"
    " or contains(., 'ead') or contains(., 'EAD')]"
)
_HINTED = etree.XPath("//*[@class or @id]")
# No real page comes near this: the 1,880 HTML pages of the extraction
# benchmarks (WCXB, AEB, newspaper4k, htmldate) have at most 15,793 elements
# (median 905). Above it a page costs trafilatura minutes (a million empty
# tags took 30-150 s), so it is refused before extraction starts.
MAX_ELEMENTS = 200_000
_ELEMENTS = etree.XPath("count(//*)")
# A superset of what _CAPTION_HINT and _LEAD_HINT match, on the lower-cased
# hint: a page has thousands of classed elements, few of them boxes, and a
# case-sensitive stdlib search rejects the rest ten times faster than the
# case-folding ``regex`` patterns.
_ANY_HINT = re.compile("capt|highlight|synopsis|summary|standfirst|sarans|saar|sortdec|desc|dek")


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
            or rdf_date(html) or shown_date(tree)
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


@dataclass(slots=True)
class LeadBlocks:
    """What the DOM pass took out of the page before trafilatura saw it."""

    standfirst: str | None = None
    bullets: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)


def take_lead_blocks(tree: Any) -> LeadBlocks:
    """Read, then remove, the standfirst/highlights boxes and image captions.

    trafilatura keeps them as body paragraphs; publishers mark them with
    class names (``storyHighlights``, ``synopsis``, ``imgCapt``...), which
    are matched by pattern, and only small blocks are touched so that a
    whole article wrapped in a "summary" class is never removed.
    """
    lead = LeadBlocks(related=dom_related_links(tree))
    for el in list(tree.iter("figcaption")):
        _drop(el)
    # Only elements with a class or id can carry a hint; selecting them in
    # XPath spares a Python proxy for every other node.
    for el in _HINTED(tree):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        hint = f"{el.get('class', '')} {el.get('id', '')}"
        if _ANY_HINT.search(hint.lower()) is None:
            continue
        if (_CAPTION_HINT.search(hint)
                and count_words(el.text_content(), upto=_CAPTION_MAX_WORDS + 1)
                <= _CAPTION_MAX_WORDS):
            _drop(el)
        elif (el.tag in _LEAD_TAGS and _LEAD_HINT.search(hint) and _is_small_block(el)
              and not _is_section_heading(el)):
            items = [clean(li.text_content()) for li in el.iter("li")]
            if items:
                lead.bullets += [i for i in items if i]
            else:
                texts = [clean(p.text_content()) for p in el.iter("p")] or [
                    clean(el.text_content())
                ]
                text = " ".join(t for t in texts if t and not summary_markers().matches(t))
                if text and lead.standfirst is None:
                    lead.standfirst = text
            _drop(el)
    _take_header_dek(tree, lead)
    return lead


def _take_header_dek(tree: Any, lead: LeadBlocks) -> None:
    """Move the first sub-headline of the article header into ``lead.standfirst``."""
    for el in _HEADER_DEKS(tree):
        if el.getparent() is None or el.find(".//p") is not None:
            continue
        text = clean(el.text_content())
        if _DEK_MIN_WORDS <= count_words(text) <= _DEK_MAX_WORDS:
            if lead.standfirst is None:
                lead.standfirst = text
            _drop(el)
            return


def _is_section_heading(el: Any) -> bool:
    """An ``<h2>``/``<h3>`` too short to be a standfirst ("Checking our work.").

    Removing one is not harmless: on a WCXB review page, dropping such a
    heading made trafilatura keep 1,281 words of the body's 2,230.
    """
    return el.tag in ("h2", "h3") and (
        count_words(el.text_content(), upto=_DEK_MIN_WORDS) < _DEK_MIN_WORDS
    )


def _is_small_block(el: Any) -> bool:
    """A box of a few sentences, not an article wrapper."""
    return (
        count_words(el.text_content(), upto=_LEAD_MAX_WORDS + 1) <= _LEAD_MAX_WORDS
        and sum(1 for _ in el.iter("p")) <= _LEAD_MAX_PARAGRAPHS
    )


def _drop(el: Any) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail and tail.strip():
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def dom_related_links(tree: Any) -> list[str]:
    """Headlines in the link list right after a bare "ये भी पढ़ें" heading.

    trafilatura drops link-dense lists, so these are read from the DOM.
    """
    found: list[str] = []
    for el in _marker_candidates(tree):
        text = clean(el.text_content())
        if not text or len(text) > _MARKER_MAX_CHARS or not is_related_marker(text):
            continue
        node: Any = el
        # The list is the heading's next sibling, or its parent's when the
        # marker sits in an inline <strong> or <span>.
        for _ in range(2):
            sibling = node.getnext()
            if sibling is not None and sibling.tag in ("ul", "ol", "div"):
                links = [clean(a.text_content()) for a in sibling.iter("a")]
                found += [x for x in links if count_words(x) >= 2][:_MAX_RELATED_PER_BLOCK]
                break
            node = node.getparent()
            if node is None:
                break
    return found


def _marker_candidates(tree: Any) -> list[Any]:
    """Short elements around text nodes that may hold a "ये भी पढ़ें" marker.

    Text nodes are searched, not elements: an element's text is all of its
    descendants' text, and measuring that for every container is quadratic
    on deep pages.
    """
    out: list[Any] = []
    seen: set[int] = set()
    for node in _MARKER_TEXTS(tree):
        owner = node.getparent()
        if owner is not None and node.is_tail:
            owner = owner.getparent()
        while owner is not None and owner.tag in _MARKER_TAGS and id(owner) not in seen:
            if len(owner.text_content()) > 2 * _MARKER_MAX_CHARS:
                break
            seen.add(id(owner))
            out.append(owner)
            owner = owner.getparent()
    return out


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
