"""Extraction benchmark: khabar beside trafilatura, same pages, same run.

    PYTHONPATH=src .venv/bin/python benchmarks/extract_eval.py [--shared ../shared]
        [--sets wcxb,aeb,bhaskar,newspaper4k,dates] [--limit N]
        [--extractors khabar,trafilatura,trafilatura-precision,trafilatura-recall]

Metric (every body set): bag-of-words precision, recall and F1 per page with
``khabar.lang.tokenize`` tokens, lower-cased, averaged over pages; a page
with no output (or an extraction error) scores 0. Pages whose gold text is
empty are skipped. Sets:

- ``wcxb``: WCXB dev (1,497 pages), gold ``ground_truth.main_content``;
  overall and per page type, plus khabar's ``page_type`` accuracy against
  WCXB's types (article -> article, listing/collection -> listing, the rest
  -> other; and briefable vs not).
- ``aeb``: ScrapingHub article-extraction benchmark (181 pages, ``articleBody``).
- ``bhaskar``: the fundus Dainik Bhaskar golden page (body F1, exact title, date).
- ``newspaper4k``: newspaper4k's test pages that have an expected ``txt``.
- ``dates``: htmldate's MediaCloud 2020 set (200 pages, 4 Hindi): share of
  pages whose publication date is exactly right, khabar beside htmldate's
  ``find_date`` (defaults, and ``original_date=True``) and trafilatura.

Pages/s counts only the extractor call (decompression and decoding are
shared). Results go to ``benchmarks/results/extract.json``; a markdown
table is printed. Re-run after changing anything under ``khabar/extract``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import htmldate
import trafilatura

from khabar.errors import KhabarError
from khabar.extract import extract_html
from khabar.lang import normalize, tokenize
from khabar.models import Article

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "extract.json"
ALL_SETS = ("wcxb", "aeb", "bhaskar", "newspaper4k", "dates")
BHASKAR_URL = (
    "https://www.bhaskar.com/local/bihar/samastipur/news/"
    "samastipur-police-caught-2-miscreants-133589711.html"
)
# WCXB's seven page types folded onto khabar's six.
WCXB_TYPE_MAP = {"article": "article", "listing": "listing", "collection": "listing"}


@dataclass
class Page:
    """One benchmark page: its HTML, URL, gold body and page type."""

    key: str
    html: str
    url: str | None
    gold: str
    page_type: str = "article"
    extra: dict[str, Any] = field(default_factory=dict)


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 (lower-cased khabar tokens)."""
    p = Counter(t.lower() for t in tokenize(normalize(pred)))
    g = Counter(t.lower() for t in tokenize(normalize(gold)))
    common = sum((p & g).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _gz(path: Path) -> str:
    return _decode(gzip.decompress(path.read_bytes()))


def wcxb_pages(shared: Path, limit: int | None) -> list[Page]:
    """WCXB dev pages with a non-empty gold main content."""
    root = shared / "data" / "wcxb-dev" / "dev"
    pages = []
    for gt in sorted((root / "ground-truth").glob("*.json"))[:limit]:
        data = json.loads(gt.read_text("utf-8"))
        gold = (data.get("ground_truth") or {}).get("main_content") or ""
        if not gold.strip():
            continue
        ptype = ((data.get("_internal") or {}).get("page_type") or {}).get("primary", "article")
        html = _gz(root / "html" / f"{gt.stem}.html.gz")
        pages.append(Page(gt.stem, html, data.get("url"), gold, ptype))
    return pages


def aeb_pages(shared: Path, limit: int | None) -> list[Page]:
    """ScrapingHub AEB pages."""
    root = shared / "data" / "scrapinghub-aeb"
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    return [
        Page(k, _gz(root / "html" / f"{k}.html.gz"), v.get("url"), v["articleBody"])
        for k, v in sorted(truth.items())[:limit]
    ]


def bhaskar_pages(shared: Path, limit: int | None) -> list[Page]:
    """The fundus Dainik Bhaskar golden page."""
    folder = shared / "data" / "fundus" / "test_data" / "ind"
    gold = json.loads((folder / "Bhaskar.json").read_text("utf-8"))["V1"]
    body = "\n\n".join(p for s in gold["body"]["sections"] for p in s["paragraphs"])
    html = _gz(folder / "Bhaskar_2024_09_04.html.gz")
    extra = {"title": gold["title"], "date": gold["publishing_date"][:10]}
    return [Page("bhaskar", html, BHASKAR_URL, body, extra=extra)]


def newspaper4k_pages(shared: Path, limit: int | None) -> list[Page]:
    """newspaper4k test pages that have both HTML and an expected text."""
    root = shared / "data" / "newspaper4k"
    pages = []
    for html_path in sorted((root / "html").glob("*.html")):
        txt = root / "txt" / f"{html_path.stem}.txt"
        meta = root / "metadata" / f"{html_path.stem}.json"
        if not txt.exists():
            continue
        url = json.loads(meta.read_text("utf-8")).get("url") if meta.exists() else None
        gold = txt.read_text("utf-8")
        if gold.strip():
            pages.append(Page(html_path.stem, _decode(html_path.read_bytes()), url, gold))
    return pages[:limit]


def date_pages(shared: Path, limit: int | None) -> list[Page]:
    """htmldate's MediaCloud 2020 pages with their gold dates."""
    root = shared / "data" / "htmldate-mediacloud"
    truth = json.loads((root / "eval_mediacloud_2020.json").read_text("utf-8"))
    pages = []
    for url, item in list(truth.items())[:limit]:
        path = root / "test_set" / f"{item['file']}.gz"
        if path.exists():
            pages.append(Page(item["file"], _gz(path), url, "", extra={"date": item["date"]}))
    return pages


LOADERS: dict[str, Callable[[Path, int | None], list[Page]]] = {
    "wcxb": wcxb_pages,
    "aeb": aeb_pages,
    "bhaskar": bhaskar_pages,
    "newspaper4k": newspaper4k_pages,
    "dates": date_pages,
}


def _khabar(page: Page) -> tuple[str, Article | None]:
    try:
        art = extract_html(page.html, page.url)
    except KhabarError:
        return "", None
    return art.text, art


def _trafilatura(**options: Any) -> Callable[[Page], tuple[str, Article | None]]:
    def run(page: Page) -> tuple[str, Article | None]:
        try:
            text = trafilatura.extract(page.html, url=page.url, **options)
        except Exception:
            text = None
        return text or "", None

    return run


EXTRACTORS: dict[str, Callable[[Page], tuple[str, Article | None]]] = {
    "khabar": _khabar,
    "trafilatura": _trafilatura(),
    "trafilatura-precision": _trafilatura(favor_precision=True),
    "trafilatura-recall": _trafilatura(favor_recall=True),
}


def _mean(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    n = len(rows) or 1
    return {k: round(sum(r[i] for r in rows) / n, 4) for i, k in enumerate(("p", "r", "f1"))}


def run_bodies(name: str, pages: list[Page], extractors: list[str]) -> dict[str, Any]:
    """Score every extractor on one body set.

    Extractors take turns page by page, so that a change in the machine's
    load between the start and the end of a run weighs on all of them alike.
    """
    fns = {ext: EXTRACTORS[ext] for ext in extractors}
    # Untimed warm-up: lazy loads (language models, stoplists) are not per page.
    for page in pages[:3]:
        for fn in fns.values():
            fn(page)
    rows: dict[str, list[tuple[float, float, float]]] = {e: [] for e in fns}
    by_type: dict[str, dict[str, list[tuple[float, float, float]]]] = {e: {} for e in fns}
    arts: dict[str, list[Article | None]] = {e: [] for e in fns}
    elapsed = dict.fromkeys(fns, 0.0)
    empty = dict.fromkeys(fns, 0)
    for page in pages:
        for ext, fn in fns.items():
            t0 = time.perf_counter()
            text, art = fn(page)
            elapsed[ext] += time.perf_counter() - t0
            empty[ext] += not text
            score = prf(text, page.gold)
            rows[ext].append(score)
            by_type[ext].setdefault(page.page_type, []).append(score)
            arts[ext].append(art)
    out: dict[str, Any] = {"pages": len(pages), "extractors": {}}
    for ext in fns:
        res: dict[str, Any] = {
            **_mean(rows[ext]),
            "pages_per_s": round(len(pages) / elapsed[ext], 2) if elapsed[ext] else 0.0,
            "empty": empty[ext],
        }
        if name == "wcxb":
            res["by_type"] = {t: _mean(v) | {"n": len(v)} for t, v in sorted(by_type[ext].items())}
            if ext == "khabar":
                res["page_type"] = _type_accuracy(pages, arts[ext])
        first = arts[ext][0] if arts[ext] else None
        if name == "bhaskar" and first is not None:
            res["title_exact"] = first.title == normalize(pages[0].extra["title"])
            res["date_exact"] = first.date == pages[0].extra["date"]
        out["extractors"][ext] = res
    return out


def _type_accuracy(pages: list[Page], arts: list[Article | None]) -> dict[str, Any]:
    """khabar's page_type against WCXB's (mapped), and briefable vs not."""
    exact = binary = 0
    confusion: Counter[str] = Counter()
    for page, art in zip(pages, arts, strict=True):
        got = art.page_type if art is not None else "none"
        want = WCXB_TYPE_MAP.get(page.page_type, "other")
        exact += got == want
        binary += (got in ("article", "liveblog")) == (want == "article")
        confusion[f"{page.page_type}->{got}"] += 1
    n = len(pages) or 1
    return {
        "accuracy": round(exact / n, 4),
        "article_vs_not": round(binary / n, 4),
        "confusion": dict(sorted(confusion.items())),
    }


def run_dates(pages: list[Page]) -> dict[str, Any]:
    """Exact-date accuracy of khabar, htmldate and trafilatura's metadata."""

    def khabar_date(p: Page) -> str | None:
        try:
            return extract_html(p.html, p.url).date
        except KhabarError:
            return None

    def traf_date(p: Page) -> str | None:
        doc = trafilatura.bare_extraction(p.html, url=p.url, with_metadata=True)
        return getattr(doc, "date", None) if doc is not None else None

    finders: dict[str, Callable[[Page], str | None]] = {
        "khabar": khabar_date,
        "htmldate": lambda p: htmldate.find_date(p.html, url=p.url),
        "htmldate-original": lambda p: htmldate.find_date(p.html, url=p.url, original_date=True),
        "trafilatura": traf_date,
    }
    hindi = {
        k for k in ("1579139187.html", "1782160236.html", "1521292139.html", "1725202846.html")
    }
    out: dict[str, Any] = {"pages": len(pages), "extractors": {}}
    for name, fn in finders.items():
        right = hindi_right = 0
        elapsed = 0.0
        for page in pages:
            t0 = time.perf_counter()
            try:
                got = fn(page)
            except Exception:
                got = None
            elapsed += time.perf_counter() - t0
            ok = (got or "")[:10] == page.extra["date"]
            right += ok
            hindi_right += ok and page.key in hindi
        out["extractors"][name] = {
            "accuracy": round(right / (len(pages) or 1), 4),
            "hindi_right": f"{hindi_right}/{sum(p.key in hindi for p in pages)}",
            "pages_per_s": round(len(pages) / elapsed, 2) if elapsed else 0.0,
        }
    return out


def table(results: dict[str, Any]) -> str:
    """The results as a markdown table."""
    lines = ["| set | extractor | P | R | F1 | pages/s |", "|---|---|---|---|---|---|"]
    for name, res in results.items():
        if name == "dates":
            continue
        for ext, r in res["extractors"].items():
            row = f"| {name} | {ext} | {r['p']} | {r['r']} | {r['f1']} | {r['pages_per_s']} |"
            lines.append(row)
            for t, s in (r.get("by_type") or {}).items():
                lines.append(
                    f"| wcxb:{t} (n={s['n']}) | {ext} | {s['p']} | {s['r']} | {s['f1']} | |"
                )
    if "dates" in results:
        lines += ["", "| dates | accuracy | Hindi | pages/s |", "|---|---|---|---|"]
        for ext, r in results["dates"]["extractors"].items():
            lines.append(f"| {ext} | {r['accuracy']} | {r['hindi_right']} | {r['pages_per_s']} |")
    pt = results.get("wcxb", {}).get("extractors", {}).get("khabar", {}).get("page_type")
    if pt:
        lines += [
            "",
            f"page_type accuracy (WCXB): {pt['accuracy']}, article vs not: {pt['article_vs_not']}",
        ]
    return "\n".join(lines)


def main() -> None:
    """Run the chosen sets and write the results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--sets", default=",".join(ALL_SETS))
    ap.add_argument("--extractors", default="khabar,trafilatura")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    extractors = args.extractors.split(",")
    results: dict[str, Any] = {}
    for name in args.sets.split(","):
        pages = LOADERS[name](args.shared, args.limit)
        results[name] = run_dates(pages) if name == "dates" else run_bodies(name, pages, extractors)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.limit is None:
        # Sets run separately accumulate in one file.
        old = json.loads(args.out.read_text("utf-8")) if args.out.exists() else {}
        merged = old | results
        args.out.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(table(results))


if __name__ == "__main__":
    main()
