"""Metadata and dates for ``khabar eval extract``: khabar beside trafilatura and htmldate.

Titles and authors are compared exactly after folding typography and case
(:func:`fold_title`, :func:`author_words`); dates to the day. Split from
:mod:`.extract`, which scores the bodies.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import regex

from ..errors import KhabarError
from ..extract import extract_html
from ..lang import normalize
from ..models import Article
from .pages import ExtractPage

DateFinder = Callable[[ExtractPage], str | None]
# A dates page counts as Hindi with this many Devanagari letters: on
# htmldate-mediacloud the 4 Hindi pages have 1,972-6,631, the others at most 182.
DEVANAGARI_MIN = 500
_DEVANAGARI = regex.compile(r"\p{Devanagari}")


# Typographic variants that say the same title: curly and angled quotes, dashes.
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                       "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
                       "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u00ad": None,
                       "\u200b": None})
_NAME_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
# Joiners in a gold author string ("A, B and C"), not names.
_JOINERS = frozenset({"and", "und", "og", "et", "by", "von"})


def fold_title(title: str | None) -> str:
    """A title for exact comparison: NFKC, quotes and dashes folded, case-folded, spaces cut."""
    return " ".join(normalize(title or "").translate(_FOLD).casefold().split())


def author_words(names: Sequence[str]) -> frozenset[str]:
    """The words of a list of author names, case-folded: "A, B and C" equals [A, B, C]."""
    words = (w for n in names for w in _NAME_WORD.findall(fold_title(n)))
    return frozenset(w for w in words if w not in _JOINERS)


def _traf_metadata(page: ExtractPage) -> tuple[str | None, list[str], str | None]:
    import trafilatura

    try:
        doc = trafilatura.extract_metadata(page.html, default_url=page.url)
    except Exception:  # a peer's crash is a page it got wrong
        return None, [], None
    if doc is None:
        return None, [], None
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return doc.title, authors, doc.date


def run_metadata(pages: Sequence[ExtractPage],
                 arts: Sequence[Article | None]) -> dict[str, Any]:
    """Exact title, authors and date of khabar's articles beside trafilatura's metadata.

    Each field counts over the pages whose gold has it (authors: a
    non-empty list). trafilatura's ``extract_metadata`` is timed alone.
    """
    start = time.perf_counter()
    traf: list[tuple[str | None, Sequence[str], str | None]] = [
        _traf_metadata(p) for p in pages]
    traf_s = time.perf_counter() - start
    got: dict[str, list[tuple[str | None, Sequence[str], str | None]]] = {
        "khabar": [(a.title, a.authors, a.date) if a else (None, (), None) for a in arts],
        "trafilatura": traf,
    }
    counts = {"title": sum(bool(p.title) for p in pages),
              "authors": sum(bool(p.authors) for p in pages),
              "date": sum(bool(p.date) for p in pages)}
    out: dict[str, Any] = {}
    for ext, rows in got.items():
        title = authors = date = 0
        for page, (t, a, d) in zip(pages, rows, strict=True):
            title += bool(page.title) and fold_title(t) == fold_title(page.title)
            authors += bool(page.authors) and author_words(a) == author_words(page.authors or ())
            date += bool(page.date) and (d or "")[:10] == page.date
        right = {"title": title, "authors": authors, "date": date}
        out[ext] = {f: round(right[f] / max(1, counts[f]), 4) for f in counts}
    out["pages"] = counts
    out["trafilatura"]["pages_per_s"] = round(len(pages) / traf_s, 2) if traf_s else 0.0
    return out


def date_finders() -> dict[str, DateFinder]:
    """khabar, htmldate (defaults and ``original_date``) and trafilatura's metadata."""
    import htmldate
    import trafilatura

    def khabar_date(p: ExtractPage) -> str | None:
        try:
            return extract_html(p.html, p.url).date
        except KhabarError:
            return None

    def traf_date(p: ExtractPage) -> str | None:
        doc = trafilatura.bare_extraction(p.html, url=p.url, with_metadata=True)
        return getattr(doc, "date", None) if doc is not None else None

    return {
        "khabar": khabar_date,
        "htmldate": lambda p: htmldate.find_date(p.html, url=p.url),
        "htmldate-original": lambda p: htmldate.find_date(p.html, url=p.url, original_date=True),
        "trafilatura": traf_date,
    }


def is_hindi(page: ExtractPage) -> bool:
    """A page written in Devanagari (the set's four Hindi pages)."""
    return len(_DEVANAGARI.findall(page.html)) >= DEVANAGARI_MIN


def run_dates(pages: Sequence[ExtractPage],
              finders: dict[str, DateFinder] | None = None) -> dict[str, Any]:
    """Exact-date accuracy of each finder; each runs over all pages in turn."""
    hindi = [is_hindi(p) for p in pages]
    out: dict[str, Any] = {"pages": len(pages), "extractors": {}}
    for name, fn in (finders or date_finders()).items():
        right = hindi_right = 0
        elapsed = 0.0
        for page, in_hindi in zip(pages, hindi, strict=True):
            t0 = time.perf_counter()
            try:
                got = fn(page)
            except Exception:  # htmldate and trafilatura may raise on odd pages
                got = None
            elapsed += time.perf_counter() - t0
            ok = (got or "")[:10] == page.date
            right += ok
            hindi_right += ok and in_hindi
        out["extractors"][name] = {
            "accuracy": round(right / (len(pages) or 1), 4),
            "hindi_right": f"{hindi_right}/{sum(hindi)}",
            "pages_per_s": round(len(pages) / elapsed, 2) if elapsed else 0.0,
        }
    return out
