"""Publication dates a page shows rather than declares.

Declared dates (JSON-LD, meta tags) are read in :mod:`.meta`; this module
finds the rest: a ``<time datetime>`` element, a date-classed element's
visible text such as "13 अगस्त 2025, 10:15 AM IST" (month names in
``data/months.txt``), and as a last resort htmldate's heuristics.

htmldate's extensive search hands the strings its own patterns cannot read
to dateparser with every language enabled; a string no locale reads (such
as "2026-0l lang=") makes dateparser compile all 205 locales first, a
5-16 s stall in each new process. While khabar calls htmldate, that
fallback goes instead to :func:`month_locale_date`: only strings that hold
a month name reach dateparser, restricted to the locales whose calendars
have that name ("15 de Abril de 2020" -> es, pt, gl, ...). On
htmldate-mediacloud this keeps every date the full fallback found
(``khabar eval extract --sets dates``).
"""

from __future__ import annotations

import contextvars
import threading
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import regex
from lxml import etree

from khabar.errors import KhabarError
from khabar.lang import normalize

from .lines import _read_data
from .meta import iso_date

# Class or id names of the elements that hold a story's dateline.
_DATE_HINT = regex.compile(r"date|time|publish|posted|dateline|byline|meta", regex.IGNORECASE)
# Only an element with one of the attributes the hint is read from can
# match it: selected by libxml2, the others cost no Python proxy (the same
# nodes as ``tree.iter()`` otherwise, in the same order).
_HINTED = etree.XPath("descendant-or-self::*[@class or @id or @itemprop]")
# Visible dates sit near the top; only this many hinted elements are read.
_MAX_HINTED = 40
_MAX_HINT_CHARS = 200
_YEARS = (1990, 2100)
# htmldate caches parsed strings across calls, keyed on the date bounds;
# khabar's own lower bound (its year floor, not htmldate's default 1995)
# keeps khabar's cheaper fallback from answering for other htmldate callers
# in the process (trafilatura, the eval's peers), and theirs from answering
# for khabar.
_MIN_DATE = datetime(_YEARS[0], 1, 1)
# A string whose month words belong to more locales than this is not sent
# to dateparser (each new locale costs about 25 ms to compile, once).
_MAX_LOCALES = 24
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
_WORD = regex.compile(r"[\p{L}\p{M}]{3,}")
# dateparser's settings as htmldate sets them, so the restricted parser
# reads a string as htmldate's full one would.
_DATEPARSER_SETTINGS = {
    "NORMALIZE": True,
    "PARSERS": ["custom-formats", "absolute-time"],
    "PREFER_DATES_FROM": "past",
    "PREFER_LOCALE_DATE_ORDER": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}
_IN_KHABAR: contextvars.ContextVar[bool] = contextvars.ContextVar("khabar_dates", default=False)
_HOOK_LOCK = threading.Lock()
_hooked = False


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


def not_future(iso: str | None) -> str | None:
    """``iso`` unless it is after tomorrow: a page is not published in the future.

    For dates read from a page's visible text, where a table row ("02 अप्रैल
    2069 235") or an event announced ahead can look like a dateline; a date
    the publisher's metadata states is taken as stated.
    """
    if iso is None:
        return None
    latest = (datetime.now(tz=UTC).date() + timedelta(days=1)).isoformat()
    return iso if iso[:10] <= latest else None


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
    for el in _HINTED(tree):
        if el.tag in ("script", "style", "html", "body"):
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


@lru_cache(maxsize=1)
def month_locales() -> dict[str, frozenset[str]]:
    """Every dateparser month name (case-folded) to the locales that use it."""
    from dateparser.languages.loader import default_loader  # type: ignore[import-untyped]

    out: dict[str, set[str]] = {}
    for locale in default_loader.get_locales():
        for key in _MONTH_KEYS:
            for word in locale.info.get(key, []):
                if _WORD.fullmatch(word):
                    out.setdefault(word.casefold(), set()).add(locale.shortname)
    return {word: frozenset(names) for word, names in out.items()}


@lru_cache(maxsize=32)
def _parser(locales: tuple[str, ...]) -> Any:
    from dateparser import DateDataParser  # type: ignore[import-untyped]

    return DateDataParser(locales=list(locales), settings=_DATEPARSER_SETTINGS)


def month_locale_date(string: str) -> datetime | None:
    """dateparser's reading of ``string`` in the locales of its month names, if any.

    A plain "13 August 2025" or "Aug 13, 2025" is read by :func:`visible_date`
    first: dateparser takes about 90 ms a string even in a few locales, and
    it was a tenth of extraction's time on WCXB's pages without a declared date.
    """
    plain = visible_date(string)
    if plain is not None:
        return datetime.fromisoformat(plain)
    table = month_locales()
    locales: set[str] = set()
    for word in _WORD.findall(string):
        locales |= table.get(word.casefold(), frozenset())
    if not locales or len(locales) > _MAX_LOCALES:
        return None
    try:
        found = _parser(tuple(sorted(locales))).get_date_data(string)["date_obj"]
    except (OverflowError, ValueError):
        return None
    return found if isinstance(found, datetime) else None


def _hook_htmldate() -> bool:
    """Route htmldate's dateparser fallback through :func:`month_locale_date` in khabar's calls.

    Other callers keep htmldate's own fallback. False when this htmldate has
    no such fallback to route (then khabar skips the extensive search).
    """
    global _hooked
    from htmldate import extractors

    with _HOOK_LOCK:
        if _hooked:
            return True
        original = getattr(extractors, "_external_date", None)
        if not callable(original):
            return False

        def external_date(string: str) -> datetime | None:
            if _IN_KHABAR.get():
                return month_locale_date(string)
            result: datetime | None = original(string)
            return result

        extractors._external_date = external_date
        _hooked = True
        return True


# The RDF block that Movable Type-era blog platforms (goo, livedoor, Hatena)
# still put in an HTML comment for trackback discovery: the entry's own
# date. The parser drops comments, so it is read from the page's source.
_RDF_DATE = regex.compile(r'<rdf:Description\b[^>]{0,2000}?\bdc:date="([^"]{1,60})"')


def rdf_date(html: str) -> str | None:
    """The ``dc:date`` of an RDF description in the page source (see above), or ``None``."""
    at = html.find("<rdf:Description")
    if at < 0:  # a substring test first: the regex would scan every page
        return None
    found = _RDF_DATE.search(html, at)
    return iso_date(found.group(1)) if found else None


# A declared time stamp in UTC ("2020-02-18T02:18:11Z", "+00:00").
_UTC_STAMP = regex.compile(
    r"^\s*\d{4}-\d\d-\d\dT(\d\d):\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]00:?00)\s*$"
)
# A full date in the URL's path, as CMSs write it from the local clock.
_URL_DAY = regex.compile(r"/(20\d\d)/(\d\d?)/(\d\d?)(?:/|$)|/(20\d\d)-(\d\d)-(\d\d)(?:/|$)")
# Zones run from UTC-12 to UTC+14, but publishers of the Americas from UTC-3
# to UTC-10: a stamp before 10:00 UTC can be the previous day there; one from
# 10:00 UTC on can be the next day east of UTC (India: from 18:30).
_ZONE_HOUR = 10


def local_day(stamp: str | None, url: str | None) -> str | None:
    """The URL's date when it is a UTC ``stamp``'s day seen from the publisher's time zone.

    Publishers state their time stamps in UTC as often as in local time,
    and a story published in the evening in New York is stamped the next
    day in UTC, while the CMS writes the local date into the URL. The URL's
    date is taken only when it is one day off and the stamp's hour puts it
    there: a day before for a stamp before 10:00 UTC, a day after for one
    from 10:00 on (a URL a day before a stamp of 10:04 UTC is a draft's
    date: the Washington Post's). Else ``None``. On htmldate-mediacloud,
    WCXB and fundus, the four pages where a UTC stamp and the URL's date
    differ by a day: three URL dates right, the draft's wrong and kept
    out by the hour.
    """
    if not stamp or not url:
        return None
    utc = _UTC_STAMP.match(stamp)
    day = iso_date(stamp)
    found = _URL_DAY.search(url)
    if utc is None or day is None or found is None:
        return None
    year, month, mday = (int(g) for g in found.groups() if g)
    try:
        shown = datetime(year, month, mday).date()
    except ValueError:
        return None
    shift = (shown - datetime.fromisoformat(day).date()).days
    hour = int(utc.group(1))
    if (shift == -1 and hour < _ZONE_HOUR) or (shift == 1 and hour >= _ZONE_HOUR):
        return shown.isoformat()
    return None


def guessed_date(tree: Any, url: str | None, *, story: bool = True) -> str | None:
    """htmldate's best guess for the original publication date, or ``None``.

    Only a ``story`` gets htmldate's extensive search of the page's free
    text; another page is dated only from its markup and URL. On WCXB dev's
    non-article pages that state no date, the free-text search gave a date
    to 283 of 293 (product, listing, service pages: mostly a copyright year
    or an unrelated date) and took two thirds of htmldate's time there. The
    caller passes ``story=False`` only for pages of type "other": skipping
    it on listings too lost two htmldate-mediacloud news pages that khabar
    took for listings; for "other" alone it costs one right date of WCXB's
    778 and none of htmldate-mediacloud's 200.
    """
    token = _IN_KHABAR.set(True)
    try:
        from htmldate import find_date

        found = find_date(tree, url=url, original_date=True,
                          extensive_search=story and _hook_htmldate(), min_date=_MIN_DATE)
    except KhabarError:
        raise  # the page's time limit firing inside htmldate
    except Exception:  # htmldate's heuristics failing on odd markup: no guess
        return None
    finally:
        _IN_KHABAR.reset(token)
    return iso_date(found)
