"""What the DOM pass takes out of a page before trafilatura reads it.

Standfirst and highlights boxes, image captions, a header's sub-headline
and the link list under a bare "ये भी पढ़ें" heading: trafilatura would keep
them as body paragraphs or drop them unread, so they are read here as
fields of their own (:class:`LeadBlocks`) and removed from the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import regex
from lxml import etree

from .article import clean
from .lines import count_words, is_related_marker, summary_markers

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
_DEK_MIN_WORDS = 6
_DEK_MAX_WORDS = 60
_LEAD_MAX_PARAGRAPHS = 3
_CAPTION_MAX_WORDS = 40
# Where a bare "ये भी पढ़ें" heading sits, and how long it can be.
_MARKER_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "div")
_MARKER_MAX_CHARS = 40
# A related-links box lists a handful of stories; more is a site menu.
_MAX_RELATED_PER_BLOCK = 10
# Every marker has "पढ़" (either nukta form), "देख" or "read" in it.
_MARKER_TEXTS = etree.XPath(
    "//body//text()[string-length(normalize-space()) > 0]"
    f"[string-length(normalize-space()) <= {2 * _MARKER_MAX_CHARS}]"
    "[contains(., 'पढ') or contains(., 'प\u095d') or contains(., 'देख')"
    " or contains(., 'ead') or contains(., 'EAD')]"
)
_HINTED = etree.XPath("//*[@class or @id]")
# A superset of what _CAPTION_HINT and _LEAD_HINT match, on the lower-cased
# hint: a page has thousands of classed elements, few of them boxes, and a
# case-sensitive stdlib search rejects the rest ten times faster than the
# case-folding ``regex`` patterns.
_ANY_HINT = re.compile("capt|highlight|synopsis|summary|standfirst|sarans|saar|sortdec|desc|dek")


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
