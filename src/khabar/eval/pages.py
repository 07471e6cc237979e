"""The extraction benchmarks' pages: HTML with gold main text and metadata.

Loaders for ``khabar eval extract`` (:mod:`khabar.eval.extract`), one per
set of the shared data: WCXB dev, ScrapingHub AEB, fundus, newspaper4k and
htmldate's MediaCloud dates. Each raises
:class:`~khabar.eval.datasets.DatasetUnavailable` when its files are absent
or malformed.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from .datasets import DatasetUnavailable, _need

_DAY = regex.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class ExtractPage:
    """One extraction page: its HTML, URL, gold main text, page type and gold metadata."""

    key: str
    html: str
    url: str | None
    gold: str  # empty on the date set
    page_type: str = "article"
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD
    authors: tuple[str, ...] | None = None  # None: the set gives no authors


def _html_text(raw: bytes) -> str:
    # Every extractor gets the same text, so a wrong charset label weighs on all alike.
    return raw.decode("utf-8", errors="replace")


def _gz_text(path: Path) -> str:
    try:
        return _html_text(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError) as exc:
        raise DatasetUnavailable(f"{path.name} is not a readable gzip file", source=str(path),
                                 reason="dataset_bad") from exc


def _json_file(path: Path, what: str) -> Any:
    try:
        return json.loads(_need(path, what).read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DatasetUnavailable(f"{path.name} is not JSON", source=str(path),
                                 reason="dataset_bad") from exc


def _some(pages: list[ExtractPage], base: Path) -> tuple[ExtractPage, ...]:
    if not pages:
        raise DatasetUnavailable(f"no usable pages in {base}", reason="dataset_missing")
    return tuple(pages)


def load_wcxb(data: Path, limit: int | None = None) -> tuple[ExtractPage, ...]:
    """WCXB dev: pages with a non-empty gold ``main_content`` and their page type.

    ``limit`` counts ground-truth files before empty ones are dropped.
    """
    base = _need(data / "wcxb-dev" / "dev", "wcxb-dev")
    pages = []
    for gt in sorted((base / "ground-truth").glob("*.json"))[:limit]:
        row = _json_file(gt, "a WCXB ground-truth file")
        gold = (row.get("ground_truth") or {}).get("main_content") or ""
        if not gold.strip():
            continue
        ptype = ((row.get("_internal") or {}).get("page_type") or {}).get("primary", "article")
        html = _gz_text(_need(base / "html" / f"{gt.stem}.html.gz", f"WCXB page {gt.stem}"))
        truth = row.get("ground_truth") or {}
        author = truth.get("author")
        pages.append(ExtractPage(
            gt.stem, html, row.get("url"), gold, ptype, title=truth.get("title") or None,
            date=iso_day(truth.get("publish_date")),
            authors=tuple(author) if isinstance(author, list) else (author,) if author else (),
        ))
    return _some(pages, base)


def load_aeb(data: Path, limit: int | None = None) -> tuple[ExtractPage, ...]:
    """ScrapingHub's article extraction benchmark: pages and their ``articleBody``."""
    base = _need(data / "scrapinghub-aeb", "scrapinghub-aeb")
    truth = _json_file(base / "ground-truth.json", "scrapinghub-aeb/ground-truth.json")
    pages = [
        ExtractPage(key, _gz_text(_need(base / "html" / f"{key}.html.gz", f"AEB page {key}")),
                    row.get("url"), row["articleBody"])
        for key, row in sorted(truth.items())[:limit]
    ]
    return _some(pages, base)


def load_fundus_page(data: Path, publisher: str = "Bhaskar",
                     country: str = "ind") -> tuple[ExtractPage, ...]:
    """A fundus golden page (by default Dainik Bhaskar's): body, title and date."""
    base = _need(data / "fundus" / "test_data" / country, f"fundus/test_data/{country}")
    gold = next(iter(_json_file(base / f"{publisher}.json", f"fundus {publisher}.json").values()))
    meta = _json_file(base / "meta.info", "fundus meta.info")
    names = sorted(n for n in meta if n.startswith(f"{publisher}_"))
    if not names:
        raise DatasetUnavailable(f"no {publisher} page in {base}", reason="dataset_missing")
    body = "\n\n".join(p for s in gold["body"]["sections"] for p in s["paragraphs"])
    html = _gz_text(_need(base / names[0], f"fundus page {names[0]}"))
    return (ExtractPage(publisher.lower(), html, meta[names[0]].get("url"), body,
                        title=gold.get("title"), date=str(gold["publishing_date"])[:10]),)


def load_fundus(data: Path, limit: int | None = None) -> tuple[ExtractPage, ...]:
    """fundus' parser test pages (258 pages of about 180 publishers): body, title, date, authors.

    The gold body is the article's section headings and paragraphs; the
    teaser fundus files as ``summary`` is left out, as khabar files it as the
    standfirst. A publisher's JSON holds one expected parse per parser
    version (``V1``, ``V2`` ...) and its directory one page per version; each
    parse goes with the page whose text holds most of its title's words.
    """
    root = _need(data / "fundus" / "test_data", "fundus/test_data")
    pages: list[ExtractPage] = []
    for expected in sorted(root.glob("*/*.json")):
        country, publisher = expected.parent.name, expected.stem
        meta = _json_file(expected.parent / "meta.info", f"fundus {country}/meta.info")
        files = sorted(expected.parent.glob(f"{publisher}_*.html.gz"))
        htmls = {f.name: _gz_text(f) for f in files}
        for gold in _pair_versions(_json_file(expected, f"fundus {publisher}.json"), htmls):
            name, parse = gold
            body = parse.get("body") or {}
            text = "\n\n".join(
                line for section in body.get("sections", [])
                for line in (*section.get("headline", []), *section.get("paragraphs", []))
            )
            if not text.strip():
                continue
            pages.append(ExtractPage(
                f"{country}/{name.removesuffix('.html.gz')}", htmls[name],
                (meta.get(name) or {}).get("url"), text, title=parse.get("title") or None,
                date=iso_day(parse.get("publishing_date")),
                authors=tuple(a for a in parse.get("authors") or () if isinstance(a, str)),
            ))
    return _some(pages[:limit], root)


def _pair_versions(expected: dict[str, Any], htmls: dict[str, str]) -> list[tuple[str, Any]]:
    """(page file, expected parse) pairs: each parse with the unused page holding its title best."""
    pairs: list[tuple[str, Any]] = []
    free = sorted(htmls)
    for _, parse in sorted(expected.items()):
        if not free or not isinstance(parse, dict):
            continue
        words = set(str(parse.get("title") or "").split())
        best = max(free, key=lambda n: (sum(w in htmls[n] for w in words), -free.index(n)))
        free.remove(best)
        pairs.append((best, parse))
    return pairs


def iso_day(value: object) -> str | None:
    """``YYYY-MM-DD`` from the start of an ISO date or date-time; None otherwise."""
    text = str(value or "")[:10]
    return text if _DAY.fullmatch(text) else None


def load_newspaper4k(data: Path, limit: int | None = None) -> tuple[ExtractPage, ...]:
    """newspaper4k's test pages that have an expected text (``txt/``)."""
    base = _need(data / "newspaper4k", "newspaper4k")
    pages = []
    for html_path in sorted((base / "html").glob("*.html")):
        txt = base / "txt" / f"{html_path.stem}.txt"
        meta = base / "metadata" / f"{html_path.stem}.json"
        if not txt.exists():
            continue
        url = _json_file(meta, "newspaper4k metadata").get("url") if meta.exists() else None
        gold = txt.read_text("utf-8")
        if gold.strip():
            pages.append(ExtractPage(html_path.stem, _html_text(html_path.read_bytes()), url, gold))
    return _some(pages[:limit], base)


def load_dates(data: Path, limit: int | None = None) -> tuple[ExtractPage, ...]:
    """htmldate's MediaCloud 2020 set: pages with their gold publication date."""
    base = _need(data / "htmldate-mediacloud", "htmldate-mediacloud")
    truth = _json_file(base / "eval_mediacloud_2020.json", "eval_mediacloud_2020.json")
    pages = []
    for url, row in list(truth.items())[:limit]:
        path = base / "test_set" / f"{row['file']}.gz"
        if path.exists():
            pages.append(ExtractPage(row["file"], _gz_text(path), url, "", date=row["date"]))
    return _some(pages, base)
