"""Article extraction from text: pages already scraped to text, or plain article text.

A scraped page is the page's visible text, one block a line, chrome
included (the seed, ``seed/ndtv-hindi-2025-08-13.txt``, is one). Each line is
classified from phrase lists (``data/``) and line features (length in words,
sentence-final punctuation, script, position relative to the headline and
the body), in this order:

1. an optional ``date YYYY-MM-DD`` first line (chrome may follow on it);
2. the headline: the first headline-like line that is repeated later (sites
   print it in the teaser and again above the story), else a short first line;
3. the header zone up to the body: the standfirst (the sentence between the
   headline and its repeat, or one followed directly by chrome such as
   "Read Time"), the publisher's summary bullets, captions and bylines;
4. the body: from the first prose line to the last one, so short lines
   between prose paragraphs (sub-headings) stay;
5. after the body: related links and a comma-separated tag line.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

import regex

from khabar.errors import ExtractError
from khabar.lang import normalize
from khabar.models import Article

from .article import build_article, clean
from .dates import not_future, visible_date
from .lines import (
    HEADLINE_MIN_WORDS,
    PROSE_MIN_WORDS,
    count_words,
    ends_dangling,
    ends_sentence,
    is_bullet,
    is_caption,
    is_chrome,
    is_headline_like,
    is_prose,
    is_related_marker,
    letter_share,
    related_link,
    same_text_key,
    strip_bullet,
    strip_glued_phrases,
    summary_markers,
    tag_list,
)
from .meta import iso_date
from .template import SiteTemplate

Kind = Literal["text", "bullet", "related", "marker", "chrome"]

_DATE_LINE = regex.compile(
    r"^\s*(?:date|dated|दिनांक|तारीख)\s*[:：]?\s*(\d{4}-\d{2}-\d{2})\b[\s,|]*(.*)$",
    regex.IGNORECASE,
)
# The repeated headline is looked for among the first lines only: a line
# repeated deep in the body is a quote or a pull-quote, not the headline.
_HEADLINE_WINDOW = 15
# At most this many short lines (section crumbs) above a headline.
_CRUMBS_MAX = 3
# A dateline is a short line ("अपडेटेड: 13 अगस्त 2025, 10:15 AM IST") above
# the body; a date inside the story is an event date, not the page's.
_DATELINE_WINDOW = 20
_DATELINE_MAX_WORDS = 15
# A standfirst is a full sentence; shorter lines there are captions or bylines.
_STANDFIRST_MIN_WORDS = 6
# ... and a sentence or two: a longer line after the headline is the body
# (a one-line text dump under a copyright line had become all standfirst).
# The seed's standfirst has 29 words.
_STANDFIRST_MAX_WORDS = 80
# Headline candidates must be mostly in the page's main script, so that
# untranslated widget text ("Get App ...") never becomes a Hindi headline.
_HEADLINE_SCRIPT_SHARE = 0.5
# A text whose long lines mostly stop mid-sentence was hard-wrapped: in the
# NDTV seed 2 of 14 long lines are open-ended (a caption, the tag line); in
# BBC Hindi text dumps about half are.
_WRAP_MIN_LINES = 3
_WRAP_OPEN_SHARE = 0.4
# An open bracket is joined with at most this many following lines and words.
_BRACKET_MAX_LINES = 6
_BRACKET_MAX_WORDS = 60
# BBC Hindi's text dumps glue a link to another story, in brackets, into the
# paragraph it stood in, its close touching the next word: "(कोलकाता की जीत पर
# पूनम का 'स्टंट')शिवम ने ये बात ...", "... दिल जीत लिया है.(एकता को लेकर चल पड़े
# वरुण)अब ...". A bracket that opens a line or a sentence, holds no sentence
# end and closes onto a letter is such a link: a related link, not body text
# (it had opened a bullet). A bracket closed before a space is an aside.
_GLUED_LINK = regex.compile(r"(?:^|(?<=[।॥.!?]))\s*\(\s*([^()।.\n]{3,120}?)\s*\)(?=\p{L})")
_SCRIPTS = (
    "Devanagari",
    "Bengali",
    "Gurmukhi",
    "Gujarati",
    "Oriya",
    "Tamil",
    "Telugu",
    "Kannada",
    "Malayalam",
    "Arabic",
    "Latin",
)


@dataclass(frozen=True, slots=True)
class _Item:
    """One non-blank line and what it looks like."""

    kind: Kind
    text: str


def extract_text(
    text: str,
    url: str | None = None,
    *,
    source: str | None = None,
    template: SiteTemplate | None = None,
) -> Article:
    """Extract the article from already-scraped page text or plain article text.

    Scraped pages (a ``date YYYY-MM-DD`` first line, the headline twice, an
    AI-summary box, share bars, app banners) and plain text (a headline line
    and paragraphs, or paragraphs only) both work; a line is one paragraph.
    Chrome lines are dropped, "यह भी पढ़ें: X" becomes a related link, summary
    bullets before the body become ``publisher_summary``, a photo caption
    between the headline and the body ``image_caption``, and a
    comma-separated line after the body becomes ``tags``. ``title`` is ``""`` when the text
    starts with a paragraph rather than a headline. With a ``template``
    (:meth:`SiteTemplate.fit` on other pages of the same site), lines it
    has learned are chrome too.

    Raises:
        ExtractError: the text is empty (``reason="empty"``) or holds no body
            text (``reason="no_main_content"``).
    """
    lines = [clean(line) for line in normalize(text).split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise ExtractError("the text is empty", url=url, source=source, reason="empty")

    date = None
    m = _DATE_LINE.match(lines[0])
    if m is not None:
        date = iso_date(m.group(1))
        lines = ([m.group(2)] if m.group(2).strip() else []) + lines[1:]

    if template is not None:
        # Learned chrome goes first, so that it cannot pass for wrapped text;
        # a comma-separated tag line repeats its "Tags:" label on every page
        # but is a field (menus, also repeated, are separated by "|").
        lines = [
            ln
            for ln in lines
            if not template.is_chrome(ln) or ("," in ln and tag_list(ln) is not None)
        ]
        if not lines:
            raise ExtractError(
                "the text is only site chrome", url=url, source=source, reason="no_main_content"
            )
    # Only a plain text dump can be hard-wrapped: a scraped page has one block a line.
    if m is None:
        kinds = [_classify(line).kind for line in lines]
        lines = _unwrap(lines, kinds, wrapped=_is_hard_wrapped(lines, kinds))
    lines = [line for line in map(strip_glued_phrases, _join_brackets(lines)) if line]
    lines, glued_links = _unglue_links(lines)
    items = [_classify(line) for line in lines]
    script = _main_script(items)
    head, repeat = _find_headline(items, script)
    title = items[head].text if head >= 0 else ""

    standfirst, zone_end = _find_standfirst(items, head, repeat)
    start, end = _body_span(items, zone_end)

    paragraphs: list[str] = []
    related: list[str] = list(glued_links)
    tags: list[str] = []
    for i, item in enumerate(items):
        if item.kind == "related":
            related.append(item.text)
        elif start <= i <= end and item.kind in ("text", "bullet"):
            paragraphs.append(item.text)
        elif i > end and item.kind == "text" and not tags:
            tags = tag_list(item.text) or []
    summary = _header_summary(items, zone_end, start)
    caption = next((it.text for it in items[zone_end + 1 : start]
                    if it.kind == "text" and is_caption(it.text)), None)
    if date is None:
        date = _dateline(items[: max(start, 0) + 1][:_DATELINE_WINDOW])
    return build_article(
        title=title,
        paragraphs=paragraphs,
        url=url,
        source=source,
        standfirst=standfirst,
        date=date,
        tags=tags,
        publisher_summary=summary,
        related_links=related,
        image_caption=caption,
    )


def _dateline(items: list[_Item]) -> str | None:
    """A visible date ("13 अगस्त 2025, 10:15 AM") on a short line of the header.

    Never one after tomorrow (:func:`~khabar.extract.dates.not_future`): a
    table row "02 अप्रैल	2069	235" (a day's case count) is no dateline.
    """
    for item in items:
        if count_words(item.text) <= _DATELINE_MAX_WORDS:
            found = not_future(visible_date(item.text))
            if found:
                return found
    return None


def _is_hard_wrapped(lines: list[str], kinds: list[Kind]) -> bool:
    """True for text broken mid-sentence (a text dump), not one paragraph a line."""
    if any(kind != "text" and not _continues(lines, kinds, i) for i, kind in enumerate(kinds)):
        return False  # chrome or markers: a scraped page, not a text dump
    long = [ln for ln in lines if count_words(ln) >= PROSE_MIN_WORDS]
    if len(long) < _WRAP_MIN_LINES:
        return False
    open_ended = sum(1 for ln in long if not ends_sentence(ln))
    return open_ended / len(long) > _WRAP_OPEN_SHARE


def _continues(lines: list[str], kinds: list[Kind], i: int) -> bool:
    """True when line ``i`` goes on from a text line that stopped on a word like "और".

    In a wrapped dump a promo's last words ("ट्विटर पर भी फ़ॉलो कर सकते हैं.)",
    after "... आप हमें फ़ेसबुक और") can make a chrome line of their own; they
    are part of the sentence above, which
    :func:`~khabar.extract.lines.strip_glued_phrases` cuts whole. A line after
    a headline is not a continuation: a headline stops on a noun.
    """
    if i == 0 or kinds[i - 1] != "text":
        return False
    return not ends_sentence(lines[i - 1]) and ends_dangling(lines[i - 1])


def _unwrap(lines: list[str], kinds: list[Kind], *, wrapped: bool = True) -> list[str]:
    """Join each line that stops mid-sentence with the line after it (``kinds``: theirs).

    In a hard-``wrapped`` dump every text line goes on from a text line that
    stops mid-sentence. Otherwise only a line stopping on a word like "के" or
    "आपका" does: a dump with one break mid-sentence still cuts that sentence in
    two, and the first half, too short for prose, was dropped with the header
    (a BBC Hindi text lost its lead so).
    """
    out: list[str] = []
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        dangling = _continues(lines, kinds, i)
        joins = (kind == "text" or dangling) if wrapped else (kind == "text" and dangling)
        if out and joins and kinds[i - 1] == "text" and not ends_sentence(out[-1]):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _unglue_links(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines without the bracketed story links glued into them, and the links."""
    links: list[str] = []

    def cut(m: regex.Match[str]) -> str:
        links.append(" ".join(m.group(1).split()))
        return " " if m.start() else ""

    out = [_GLUED_LINK.sub(cut, line) if "(" in line else line for line in lines]
    return [line for line in out if line.strip()], links


def _join_brackets(lines: list[str]) -> list[str]:
    """Join a bracket left open at the end of a line with the lines up to its close.

    Text dumps break lines at every link, so a bracketed aside such as BBC
    Hindi's closing credit "(बीबीसी हिन्दी के एंड्रॉएड ऐप के लिए / यहां क्लिक
    करें. आप हमें / फ़ेसबुक और / ट्विटर पर ... सकते हैं.)" spans several lines;
    joined, its promo sentences are cut whole. A bracket that does not close
    within a few short lines is left as it is.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        depth = line.count("(") - line.count(")")
        j, words = i + 1, 0
        while depth > 0 and j < len(lines) and j - i <= _BRACKET_MAX_LINES:
            words += count_words(lines[j], upto=_BRACKET_MAX_WORDS + 1)
            if words > _BRACKET_MAX_WORDS:
                break
            depth += lines[j].count("(") - lines[j].count(")")
            j += 1
        if depth <= 0 and j > i + 1:
            out.append(" ".join(lines[i:j]))
            i = j
        else:
            out.append(line)
            i += 1
    return out


def _classify(line: str) -> _Item:
    """What one line is, from the phrase lists and its shape."""
    bare = strip_bullet(line) if is_bullet(line) else line
    link = related_link(bare)
    if link is not None:
        return _Item("related", link)
    if is_related_marker(bare) or summary_markers().matches(bare):
        return _Item("marker", bare)
    if is_chrome(bare):
        return _Item("chrome", bare)
    if is_bullet(line):
        return _Item("bullet", bare)
    return _Item("text", line)


def _main_script(items: list[_Item]) -> str:
    """The script most letters of the text lines are written in."""
    counts: Counter[str] = Counter()
    sample = " ".join(i.text for i in items if i.kind == "text")[:5000]
    for name in _SCRIPTS:
        counts[name] = len(regex.findall(rf"\p{{sc={name}}}", sample))
    return counts.most_common(1)[0][0] if sample else "Latin"


def _headline_candidate(item: _Item, script: str) -> bool:
    """A text line shaped like a headline, in the page's main script."""
    return (
        item.kind == "text"
        and is_headline_like(item.text)
        and letter_share(item.text, rf"\p{{sc={script}}}") >= _HEADLINE_SCRIPT_SHARE
    )


def _find_headline(items: list[_Item], script: str) -> tuple[int, int]:
    """(first index, repeat index) of the headline; (-1, -1) when there is none."""
    texts = [i for i, item in enumerate(items) if item.kind == "text"]
    for n, i in enumerate(texts[:_HEADLINE_WINDOW]):
        if not _headline_candidate(items[i], script):
            continue
        key = same_text_key(items[i].text)
        for j in texts[n + 1 :]:
            if same_text_key(items[j].text) == key:
                return i, j
    # Section crumbs ("প্রচ্ছদ", "জাতীয়": home, national) can stand above the
    # headline: a few lines too short to be one are passed over.
    lead = texts[: _CRUMBS_MAX + 1]
    while len(lead) > 1 and count_words(items[lead[0]].text) < HEADLINE_MIN_WORDS:
        lead = lead[1:]
    first = lead[0] if lead else -1
    if first >= 0 and _headline_candidate(items[first], script) and not is_prose(items[first].text):
        return first, first
    return -1, -1


def _find_standfirst(items: list[_Item], head: int, repeat: int) -> tuple[str | None, int]:
    """(standfirst, index where the header zone ends) after the headline."""
    if head < 0:
        return None, -1
    if repeat > head:
        between = [
            it.text
            for it in items[head + 1 : repeat]
            if it.kind == "text" and count_words(it.text) >= _STANDFIRST_MIN_WORDS
        ]
        return (" ".join(between) or None), repeat
    nxt = head + 1
    if (
        nxt + 1 < len(items)
        and items[nxt].kind == "text"
        and ends_sentence(items[nxt].text)
        and _STANDFIRST_MIN_WORDS
        <= count_words(items[nxt].text, upto=_STANDFIRST_MAX_WORDS + 1)
        <= _STANDFIRST_MAX_WORDS
        and items[nxt + 1].kind == "chrome"
    ):
        return items[nxt].text, nxt
    return None, head


def _body_span(items: list[_Item], zone_end: int) -> tuple[int, int]:
    """(first, last) index of the body: first to last prose line after the header."""
    rest = range(zone_end + 1, len(items))
    prose = [i for i in rest if items[i].kind == "text" and is_prose(items[i].text)]
    if prose:
        return prose[0], prose[-1]
    texts = [i for i in rest if items[i].kind in ("text", "bullet")]
    if texts:
        return texts[0], texts[-1]
    return len(items), -1


def _header_summary(items: list[_Item], zone_end: int, start: int) -> list[str]:
    """Bullets between the headline zone and the body: the publisher's summary."""
    bullets = [it.text for it in items[zone_end + 1 : start] if it.kind == "bullet"]
    marked = any(it.kind == "marker" for it in items[zone_end + 1 : start])
    # One stray bullet is more likely a caption or a byline than a summary.
    return bullets if len(bullets) >= 2 or (bullets and marked) else []
