"""Splitting one text file into several pages: seed-style dumps and multi-story dailies.

Two layouts are common in scraped Hindi news text:

* seed-style dumps, where every page starts with a ``date YYYY-MM-DD`` line
  (the founding NDTV example), one or many pages a file;
* daily files of several stories (the Hindi COVID-19 corpus): a headline
  line, body paragraphs, blank lines, the next headline.

Both splitters work line by line on an iterator, so a file is never held whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import regex

_DATE_LINE = regex.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\b")
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
# Sentence-final marks: a line ending in one is body text, never a headline.
_FINAL = ("।", "॥", ".", "|")

# Calibrated on hindi-covid-news/raw against segmented_headline_body.jsonl
# (benchmarks/batch_stories.py prints the agreement): headlines there run
# 3-30 words; body lines that short nearly always end in a danda.
HEADLINE_MIN_WORDS = 3
HEADLINE_MAX_WORDS = 30
# A story needs this many body words; a shorter run belongs to its neighbour
# (a kicker line above a headline, a photo caption).
STORY_MIN_BODY_WORDS = 30
# A file is read as multi-story only when it yields at least this many
# stories; one article with a few sub-headings stays one page.
MULTI_STORY_MIN = 3


@dataclass(frozen=True, slots=True)
class TextPage:
    """One page cut from a text file: its first line number and its text."""

    line: int
    text: str
    headline: str | None = None


def _clean(line: str) -> str:
    """A line with no-break spaces folded and the ends stripped."""
    return line.replace("\xa0", " ").replace("\ufeff", "").strip()


def _words(line: str) -> int:
    return len(_WORD.findall(line))


def is_headline_line(line: str) -> bool:
    """True for a line shaped like a headline: short, no sentence break inside or at the end."""
    text = _clean(line)
    if not text or text.endswith(_FINAL):
        return False
    if " । " in text or "।" in text.rstrip("।"):
        return False
    return HEADLINE_MIN_WORDS <= _words(text) <= HEADLINE_MAX_WORDS


def split_dump(lines: Iterable[str]) -> Iterator[TextPage]:
    """Cut a seed-style dump at its ``date YYYY-MM-DD`` lines; text before the first is a page."""
    buf: list[str] = []
    start = 0
    for number, line in enumerate(lines):
        if _DATE_LINE.match(line) and any(x.strip() for x in buf):
            yield TextPage(start, "".join(buf).strip("\n"))
            buf, start = [], number
        elif _DATE_LINE.match(line):
            buf, start = [], number
        buf.append(line if line.endswith("\n") else line + "\n")
    if any(x.strip() for x in buf):
        yield TextPage(start, "".join(buf).strip("\n"))


def count_date_lines(lines: Iterable[str]) -> int:
    """How many ``date YYYY-MM-DD`` page starts a text holds."""
    return sum(1 for line in lines if _DATE_LINE.match(line))


def split_stories(lines: Iterable[str]) -> Iterator[TextPage]:
    """Cut a multi-story text into stories: a headline line, then body paragraphs.

    A story starts at a headline-shaped line (see :func:`is_headline_line`)
    whose following body reaches :data:`STORY_MIN_BODY_WORDS` before the
    next headline-shaped line. Headline-shaped lines with too little body
    between them stay together: the first is the headline (a live blog's
    title over its first entry), the rest open the body. The last story
    keeps whatever body it has; the brief step drops it if it is too short.
    """
    head: list[tuple[int, str]] = []  # kicker and headline lines of the open story
    body: list[str] = []
    body_words = 0
    for number, raw in enumerate(lines):
        line = _clean(raw)
        if not line:
            continue
        if is_headline_line(line):
            if body_words >= STORY_MIN_BODY_WORDS:
                yield _page(head, body)
                head, body, body_words = [], [], 0
            elif body:
                # Too little body to close a story: those lines were a kicker
                # or caption; keep them with the story that follows.
                head += [(number, b) for b in body]
                body, body_words = [], 0
            head.append((number, line))
            continue
        if not head:
            head.append((number, line))
            continue
        body.append(line)
        body_words += _words(line)
    if head or body:
        yield _page(head, body)


def _page(head: list[tuple[int, str]], body: list[str]) -> TextPage:
    """A story from its heading lines (the first is the headline) and body lines."""
    if not head:
        return TextPage(0, "\n\n".join(body))
    headline = head[0][1]
    lines = [h for _, h in head[1:]]
    text = "\n\n".join([headline, *lines, *body])
    return TextPage(head[0][0], text, headline)


__all__ = [
    "HEADLINE_MAX_WORDS",
    "HEADLINE_MIN_WORDS",
    "MULTI_STORY_MIN",
    "STORY_MIN_BODY_WORDS",
    "TextPage",
    "count_date_lines",
    "is_headline_line",
    "split_dump",
    "split_stories",
]
