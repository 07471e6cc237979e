"""Publication dates a page shows rather than declares.

Declared dates (JSON-LD, meta tags) are read in :mod:`.meta`; this module
finds the rest: a ``<time datetime>`` element, a date-classed element's
visible text such as "13 अगस्त 2025, 10:15 AM IST" (month names in
``data/months.txt``), and as a last resort htmldate's heuristics.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import regex

from khabar.lang import normalize

from .lines import _read_data
from .meta import iso_date

# Class or id names of the elements that hold a story's dateline.
_DATE_HINT = regex.compile(r"date|time|publish|posted|dateline|byline|meta", regex.IGNORECASE)
# Visible dates sit near the top; only this many hinted elements are read.
_MAX_HINTED = 40
_MAX_HINT_CHARS = 200
_YEARS = (1990, 2100)


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Month names (case-folded, normalised) to their numbers."""
    out: dict[str, int] = {}
    for item in _read_data("months.txt"):
        name, _, number = item.rpartition(" ") if "\t" not in item else item.partition("\t")
        if name.strip() and number.strip().isdigit():
            out[name.strip().casefold()] = int(number)
    return out


@lru_cache(maxsize=1)
def _patterns() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """(day month year, month day year) patterns over the known month names."""
    names = sorted(month_numbers(), key=len, reverse=True)
    alt = "|".join(regex.escape(n) for n in names)
    end = r"(?![\p{L}\p{M}])"
    dmy = regex.compile(
        rf"(?<![\p{{N}}])(\d{{1,2}})(?:st|nd|rd|th)?\s+({alt}){end}\.?,?\s+(\d{{4}})",
        regex.IGNORECASE,
    )
    mdy = regex.compile(
        rf"(?<![\p{{L}}\p{{M}}])({alt}){end}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})",
        regex.IGNORECASE,
    )
    return dmy, mdy


def _iso(year: int, month: int, day: int) -> str | None:
    """A checked ``YYYY-MM-DD``."""
    if not (_YEARS[0] <= year <= _YEARS[1] and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def visible_date(text: str) -> str | None:
    """The first written date in ``text`` ("13 अगस्त 2025", "Aug 13, 2025"), as ISO."""
    text = normalize(text)
    months = month_numbers()
    dmy, mdy = _patterns()
    found: list[tuple[int, str]] = []
    m = dmy.search(text)
    if m is not None:
        iso = _iso(int(m.group(3)), months[m.group(2).casefold()], int(m.group(1)))
        if iso:
            found.append((m.start(), iso))
    m = mdy.search(text)
    if m is not None:
        iso = _iso(int(m.group(3)), months[m.group(1).casefold()], int(m.group(2)))
        if iso:
            found.append((m.start(), iso))
    return min(found)[1] if found else None


def shown_date(tree: Any) -> str | None:
    """The date a page shows its reader: ``<time>``, then a dateline element's text."""
    for el in tree.iter("time"):
        iso = iso_date(el.get("datetime")) or visible_date(el.text_content() or "")
        if iso:
            return iso
    seen = 0
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "html", "body"):
            continue
        hint = f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}"
        if not _DATE_HINT.search(hint):
            continue
        text = el.text_content() or ""
        if len(text) > _MAX_HINT_CHARS:
            continue
        iso = iso_date(el.get("content")) or visible_date(text)
        if iso:
            return iso
        seen += 1
        if seen >= _MAX_HINTED:
            break
    return None


def guessed_date(tree: Any, url: str | None) -> str | None:
    """htmldate's best guess for the original publication date, or ``None``."""
    try:
        from htmldate import find_date

        found = find_date(tree, url=url, original_date=True, extensive_search=True)
    except Exception:
        return None
    return iso_date(found)
