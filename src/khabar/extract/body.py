"""The article body's text: trafilatura's, checked against Resiliparse's.

trafilatura is the base extractor (the best general one on the benchmarks);
its main pass alone is used where it is as good as its full run, and
Resiliparse's main-content pass is the second opinion that replaces it when
it kept far too little. Every threshold here was measured page by page with
``khabar eval extract`` (README, Extraction).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import trafilatura
from lxml import etree

from khabar.errors import ExtractError

from .lines import (
    comment_heading_key,
    count_words,
    ends_sentence,
    is_chrome,
    is_comment_heading,
    is_prose,
)

# trafilatura's text shorter than this share of Resiliparse's: take Resiliparse's.
_SECOND_OPINION_SHARE = 0.5
# On a declared article: trafilatura's text under this many words is a miss
# when Resiliparse finds at least RESCUE_MIN_WORDS.
RESCUE_MAX_WORDS = 60
RESCUE_MIN_WORDS = 150
# ... or under this share of Resiliparse's words (1 WCXB page, 87 of 5,119;
# at 0.1 an AEB page that trafilatura gets right, 0.94, is lost).
RESCUE_SHARE = 0.05
# trafilatura's main pass alone is trusted when it kept this share of the
# characters of the page's <p> elements (see main_content)...
_FAST_MIN_SHARE = 0.7
# ... and, when it kept a body at all, this share of the words of
# Resiliparse's main content: pages that set their text in <div>s or lists
# pass the first test with a fraction of the article.
_FAST_MIN_AGREEMENT = 0.6
_PARAGRAPH_TEXT = etree.XPath("//p//text()", smart_strings=False)
# lxml stops nesting at depth 256; a page that reaches it nests deeper in its
# source, where Resiliparse (which parses the source itself) runs for minutes:
# 100,000 nested <div>s took over two minutes. No WCXB page comes near 200.
_PARSER_DEPTH_CAP = 250
# An element with that many element ancestors: a path of that many child
# steps below the root element. Walked level by level, each node once; the
# equivalent //*[count(ancestor::*) >= 250] counted every node's ancestors,
# four times the cost.
_TOO_DEEP = etree.XPath("boolean(/*" + "/*" * _PARSER_DEPTH_CAP + ")")
# Text runs long enough to be prose (over 80 characters), outside scripts.
_LONG_TEXT = etree.XPath(
    "//body//text()[string-length(normalize-space()) > 80]"
    "[not(ancestor::script or ancestor::style or ancestor::noscript)]",
    smart_strings=False,
)


def main_content(
    tree: Any, html: str, url: str | None, source: str | None, declared: bool
) -> tuple[Any, str | None]:
    """trafilatura's Document, without its fallback extractors where they are not needed.

    Returns the Document (``None`` when trafilatura found nothing) and
    Resiliparse's main content when it was read here (else ``None``), so
    that :func:`second_opinion` does not read it again.

    The fallback (readability, then jusText, compared by length) costs about
    a quarter of trafilatura's time. On pages that declare an article its
    main pass alone is as good unless it kept much less than the page's
    paragraphs hold: then the full run is taken. Measured per page on WCXB's
    791 articles and the 181 AEB pages (word F1, full vs this): WCXB 0.9385
    vs 0.9366, AEB 0.9618 vs 0.9651, trafilatura's time down 7% and 11%.
    A page that sets its text outside ``<p>`` passes that test with part of
    the article (a 2,812-word WCXB guide came back as 219 words): when the
    main pass kept a body but under :data:`_FAST_MIN_AGREEMENT` of the
    words Resiliparse finds, the full run is taken too (session 12, with
    the rescue of empty extractions and html.py's section-heading rule, page
    by page: WCXB articles 0.9398 -> 0.9427, 4 pages better, none worse;
    AEB, fundus and newspaper4k unchanged). 0.6 and 0.75 changed the same
    pages. Resiliparse is read only when the page's long text runs already
    hold more than the main pass kept by that share: alone, that cheap
    estimate also re-ran one AEB page for the worse (1.000 -> 0.929), and
    asking both keeps every gain above while a documentation page the
    Resiliparse test alone had lost stays at 0.533. A near-empty main pass
    is left to the rescue in
    :func:`second_opinion`: re-running trafilatura there lost a collection
    page 0.68 -> 0.13. A rescue by word ratio (trafilatura under 20-30% of
    Resiliparse) was tried and dropped: Resiliparse's extra text was
    comments as often as missed body (AEB 0.970 -> 0.961).
    """
    if not declared:
        return _trafilatura(tree, url, source), None
    doc = _trafilatura(tree, url, source, fast=True)
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    if len(body) < _FAST_MIN_SHARE * sum(len(t.strip()) for t in _PARAGRAPH_TEXT(tree)):
        return _trafilatura(tree, url, source), None
    kept = count_words(body)
    if kept < RESCUE_MAX_WORDS:
        return doc, None
    # The page's long text runs are a cheap first estimate (lxml's, on the
    # parsed tree); Resiliparse parses the page again, so it is asked only
    # when that estimate already says the main pass fell short.
    if not _holds_more_than(_LONG_TEXT(tree), kept / _FAST_MIN_AGREEMENT):
        return doc, None
    alt = _resiliparse(html, tree)
    if alt is not None and kept < _FAST_MIN_AGREEMENT * count_words(alt):
        return _trafilatura(tree, url, source), alt
    return doc, alt


def _holds_more_than(texts: list[str], limit: float) -> bool:
    """True when the texts hold more than ``limit`` words (counted only that far)."""
    total = 0
    for text in texts:
        total += count_words(text)
        if total > limit:
            return True
    return False


def _trafilatura(tree: Any, url: str | None, source: str | None, fast: bool = False) -> Any:
    """trafilatura's Document for the page, or ``None`` when it finds nothing."""
    try:
        return trafilatura.bare_extraction(
            tree,
            url=url,
            # Metadata comes from meta.py and dates.py: trafilatura's own pass
            # (htmldate included) cost a quarter of the page's time.
            with_metadata=False,
            include_comments=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            fast=fast,
            deduplicate=False,  # its LRU cache is process-wide: pages would leak into each other
        )
    except Exception as exc:  # trafilatura and lxml raise many types on malformed input
        raise ExtractError(
            f"trafilatura failed on the page: {type(exc).__name__}",
            url=url,
            source=source,
            reason="extractor_failed",
        ) from exc


def _resiliparse(html: str, tree: Any | None = None) -> str | None:
    """Resiliparse's main content of the page; ``None`` when it is not installed or fails.

    Also ``None`` for a page nested past the parser's depth cap (``tree``,
    when given, is the parsed page): Resiliparse would take minutes on it.
    """
    if tree is not None and _TOO_DEEP(tree):
        return None
    try:
        from resiliparse.extract.html2text import extract_plain_text
    except ImportError:
        return None
    try:
        return str(extract_plain_text(html, main_content=True))
    except Exception:  # a second opinion that fails is no opinion
        return None


def second_opinion(
    html: str, text: str, *, declared: bool = False, alt: str | None = None, tree: Any = None,
    discussion: bool = False,
) -> str:
    """Resiliparse's main content instead of trafilatura's when trafilatura kept too little.

    trafilatura drops whole sections of pages whose body is split into many
    blocks (docs, service and listing pages); when it keeps under half of
    what Resiliparse's main-content pass finds, Resiliparse is nearer the
    truth. Measured with benchmarks/extract_eval.py: WCXB dev +0.012 F1 on
    the first 400 pages, AEB -0.001. On a page that ``declared`` itself an
    article only a near-empty extraction is replaced: under
    :data:`RESCUE_MAX_WORDS` words where Resiliparse finds at least
    :data:`RESCUE_MIN_WORDS` (session 7: 5 WCXB article pages, 0.9386 ->
    0.9406 in simulation; no AEB, fundus or newspaper4k page changes), or
    under :data:`RESCUE_SHARE` of Resiliparse's words (session 13: a WCXB
    review page kept 87 of its 5,204 words, 0.03 -> 0.94). Elsewhere
    Resiliparse's text is measured, and taken, without its reader comments
    (:func:`before_comments`; session 14: a Slashdot story and a Blogger
    post had been replaced by their comment threads, 0.98 -> 0.14 and
    1.00 -> 0.50), unless the page is a ``discussion``.
    Skipped when resiliparse is not installed. ``alt`` is Resiliparse's
    text when the caller has read it already; ``tree`` the parsed page, to
    refuse pathologically deep ones (see :func:`_resiliparse`).
    """
    if alt is None:
        alt = _resiliparse(html, tree)
    if not alt:
        return text
    if declared:
        found = len(_TOKEN.findall(alt))  # the cheap count: a page's whole text
        if found < RESCUE_MIN_WORDS:
            return text
        kept = count_words(text, upto=max(RESCUE_MAX_WORDS, int(RESCUE_SHARE * found) + 1))
        return str(alt) if kept < RESCUE_MAX_WORDS or kept < RESCUE_SHARE * found else text
    # trafilatura's text is the shorter as a rule: counted whole, Resiliparse's
    # only as far as it takes to exceed twice that (the same decision as
    # counting both whole, at a fraction of the cost on long pages).
    kept = count_words(text)
    found = count_words(alt, upto=int(kept / _SECOND_OPINION_SHARE) + 1)
    if kept >= _SECOND_OPINION_SHARE * found:
        return text
    # Resiliparse's surplus may be a comment thread: measured without it,
    # except where the thread is the page (a forum, a Q&A page).
    story = alt if discussion else before_comments(alt, text)
    if story is not alt and kept >= _SECOND_OPINION_SHARE * count_words(story):
        return text
    return str(story)


# A Resiliparse line counts as one trafilatura kept when this share of its
# four-word shingles occur in trafilatura's text.
_SHINGLE = 4
_LINE_KEPT_SHARE = 0.5
# Filled only when the skipped lines hold at least this many words and this
# share of what trafilatura kept: a few skipped lines are chrome more often
# than body.
FILL_MIN_WORDS = 50
FILL_MIN_SHARE = 0.5
# ... and only when trafilatura kept under this many words. On pages where it
# kept more it had found the body; what it skipped there were product tables
# and spec lists that WCXB's annotators left out (5 long reviews and guides,
# 2,700-6,400 words kept, lost 0.02-0.24 each; no page that gained had kept
# over 2,100).
FILL_MAX_WORDS = 2500
# Resiliparse's text must be this much longer (in characters) than
# trafilatura's to hold FILL_MIN_SHARE more: a cheap test before the shingles.
_FILL_MIN_LENGTH = 1.3


# Tokens for matching lines only (counts and thresholds elsewhere use
# lines.words): the standard library's \w plus the Indic blocks, whose
# vowel signs \w alone would split words at. About five times faster than
# the regex module's property classes on a page's few thousand words.
_TOKEN = re.compile(r"[\w\u0900-\u0DFF]+")


def _shingles(line: str) -> tuple[set[tuple[str, ...]], int]:
    """A line's four-token shingles (the whole line when shorter) and its token count."""
    tokens = _TOKEN.findall(line.casefold())
    if len(tokens) <= _SHINGLE:
        return ({tuple(tokens)} if tokens else set()), len(tokens)
    return {tuple(tokens[i:i + _SHINGLE]) for i in range(len(tokens) - _SHINGLE + 1)}, len(tokens)


def _index(own: list[str]) -> tuple[dict[tuple[str, ...], int], int]:
    """Where each shingle of trafilatura's lines first occurs, and its word count (same tokens)."""
    where: dict[tuple[str, ...], int] = {}
    own_words = 0
    for i, line in enumerate(own):
        shingles, n = _shingles(line)
        own_words += n
        for shingle in shingles:
            where.setdefault(shingle, i)
    return where, own_words


def _anchor_lines(where: dict[tuple[str, ...], int],
                  theirs: list[str]) -> tuple[list[int | None], list[int]]:
    """For each of Resiliparse's lines, the trafilatura line it repeats (``None`` if none).

    A line repeats a kept one when :data:`_LINE_KEPT_SHARE` of its shingles
    occur in trafilatura's text; it is anchored to the kept line it shares
    most shingles with. Also returns each line's token count.
    """
    anchor: list[int | None] = []
    sizes: list[int] = []
    for line in theirs:
        shingles, n = _shingles(line)
        hits = Counter(where[s] for s in shingles if s in where)
        sizes.append(n)
        # On a tie the later kept line (a line that runs from one kept line
        # into the next). Not most_common(): its ties follow the set's order,
        # which string hashing changes from one process to the next.
        anchor.append(max(hits.items(), key=lambda hit: (hit[1], hit[0]))[0]
                      if hits and hits.total() >= _LINE_KEPT_SHARE * len(shingles) else None)
    return anchor, sizes


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def before_comments(alt: str, text: str) -> str:
    """Resiliparse's text up to its reader comments.

    Resiliparse keeps a blog's or forum's comment thread as main content
    (Slashdot's "Comments Filter:", Blogger's "10 comments:"); cut at the
    first comment heading that follows a line trafilatura kept, since a
    heading before the story ("87 comments" beside the headline) is a link.
    A heading that stands more than once ("Comments" under each answer of
    a Q&A page, on each card of a listing) labels items, not a thread.
    """
    theirs = _lines(alt)
    keys = [comment_heading_key(line) for line in theirs]
    if all(key is None for key in keys):
        return alt
    anchor, _ = _anchor_lines(_index(_lines(text))[0], theirs)
    first_kept = next((i for i, a in enumerate(anchor) if a is not None), None)
    if first_kept is None:
        return alt
    after = [(i, key) for i, key in enumerate(keys) if key is not None and i > first_kept]
    seen = Counter(key for _, key in after)
    cut = next((i for i, key in after if seen[key] == 1), None)
    return alt if cut is None else "\n".join(theirs[:cut])


def fill_gaps(text: str, alt: str | None) -> str:
    """trafilatura's text with the blocks it skipped between blocks it kept.

    trafilatura drops a body's lists, sub-headings and ``<div>``-set
    sections as boilerplate (a WCXB guide's bullet list of features, a
    bank's step-by-step section) while keeping the paragraphs around them.
    Resiliparse's main content keeps them. Its lines that fall between the
    first and the last line trafilatura kept, and that trafilatura did not
    keep, are put back after the kept line they follow; what lies before
    the first kept line (menus) is not, and after the last only the prose
    that continues the story (:func:`_tail`).
    """
    if not alt or not text or len(alt) < _FILL_MIN_LENGTH * len(text):
        return text
    own = [line for line in text.split("\n") if line.strip()]
    where, own_words = _index(own)
    if own_words > FILL_MAX_WORDS:
        return text
    theirs = _lines(alt)
    anchor, sizes = _anchor_lines(where, theirs)
    kept = [i for i, a in enumerate(anchor) if a is not None]
    if len(kept) < 2:
        return text
    after: dict[int, list[str]] = {}
    at, added = 0, 0
    for i in range(kept[0], kept[-1] + 1):
        # Checked first: a comment heading repeats the headline, so it can
        # look like a line trafilatura kept.
        if is_comment_heading(theirs[i]):
            break  # the reader comments, then a footer line trafilatura kept
        a = anchor[i]
        if a is not None:
            at = a
            continue
        after.setdefault(at, []).append(theirs[i])
        added += sizes[i]
    else:
        # No comment heading inside: the story may run on past the last kept line.
        added += _tail(theirs, kept[-1] + 1, sizes, after.setdefault(at, []))
    if added < FILL_MIN_WORDS or added < FILL_MIN_SHARE * own_words:
        return text
    out: list[str] = []
    for i, line in enumerate(own):
        out.append(line)
        out += after.get(i, [])
    return "\n".join(out)


def _tail(theirs: list[str], start: int, sizes: list[int], into: list[str]) -> int:
    """Append the story's paragraphs after trafilatura's last kept line; their word count.

    trafilatura sometimes ends a story at an in-body break (WIRED's
    "Advertisement" slot: 502 of a story's 1,420 words kept). Resiliparse's
    lines after the last kept one are taken while they are sentences of
    prose, passing over chrome lines, up to the first line that is neither
    (a "More Great WIRED Stories" heading), a comment heading or a
    copyright footer. Session 14, page by page: AEB 0.9700 -> 0.9742
    (2 pages better, 0.52 -> 1.00 and 0.62 -> 0.90), fundus 0.9504 -> 0.9517
    (1 better), WCXB 0.8437 -> 0.8438 (1 better, 2 worse by 0.016 and
    0.007), newspaper4k unchanged. Without the sentence-end test a Chinese
    paper's footer of licence numbers came in (0.986 -> 0.779).
    """
    added = 0
    for i in range(start, len(theirs)):
        line = theirs[i]
        if is_comment_heading(line) or "\u00a9" in line:
            break  # the comments, or the page's copyright footer
        if is_chrome(line):
            continue
        if not (is_prose(line) and ends_sentence(line)):
            break
        into.append(line)
        added += sizes[i]
    return added


def settle_text(html: str, text: str, *, declared: bool, alt: str | None, tree: Any,
                discussion: bool = False) -> str:
    """The body's text: trafilatura's, replaced by or filled from Resiliparse's.

    ``alt`` is Resiliparse's main content when :func:`main_content` has read
    it already. Where :func:`second_opinion` keeps trafilatura's text (on a
    declared article, unless it came back nearly empty; on another page,
    unless it kept under half of Resiliparse's), the blocks trafilatura
    skipped inside the body are put back (:func:`fill_gaps`).
    Session 13, page by page: WCXB articles 0.9427 -> 0.9485 (17 pages
    better, 1 worse), all pages 0.838 -> 0.8425; AEB and newspaper4k
    unchanged, fundus 0.9505 -> 0.9504 (1 page better, 2 worse).
    """
    if alt is None:
        alt = _resiliparse(html, tree)
    if not alt:
        return text
    chosen = second_opinion(html, text, declared=declared, alt=alt, discussion=discussion)
    return chosen if chosen is not text else fill_gaps(text, alt)
