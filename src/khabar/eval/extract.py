"""``khabar eval extract``: khabar's extraction beside trafilatura, same pages, same run.

Metric on every body set: bag-of-words precision, recall and F1 per page
over :func:`khabar.lang.tokenize` tokens of the normalised text,
lower-cased, averaged over pages; a page with no output (or an extraction
error) scores 0. Pages whose gold text is empty are skipped. Sets (any
directory in the shared data's formats):

* ``wcxb``: WCXB dev, gold ``ground_truth.main_content``; overall and per
  page type, plus khabar's ``page_type`` against WCXB's types (article ->
  article, listing and collection -> listing, the rest -> other) and
  briefable (article, liveblog) versus not;
* ``aeb``: ScrapingHub's article extraction benchmark (``articleBody``),
  also with the benchmark's own metric (``aeb_metric``: P/R over 4-token
  shingles, normalised per page, averaged over pages, F1 of the two means);
* ``bhaskar``: the fundus Dainik Bhaskar golden page (body F1, exact title
  and date);
* ``fundus``: fundus' parser test pages (258 pages, about 180 publishers
  in 40 countries), gold body (section headings and paragraphs);
* ``newspaper4k``: newspaper4k's test pages that have an expected text;
* ``dates``: htmldate's MediaCloud 2020 set: the share of pages whose
  publication date is exactly right, khabar beside htmldate's ``find_date``
  (defaults, and ``original_date=True``) and trafilatura's metadata.

On the sets with gold metadata (WCXB, fundus) khabar's title, authors
and date are also scored page by page (exact after :func:`fold_title`,
the same set of name words, the same day) beside trafilatura's
``extract_metadata`` on the same pages (``metadata`` in the results).

Extractors: khabar and trafilatura by default; trafilatura's precision and
recall modes, trafilatura without comments, jusText (English and Hindi
stoplists), readability-lxml and Resiliparse when asked for and installed.
Pages/s counts only the extractor call (decompression and decoding are
shared).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import regex

from ..errors import ConfigError, KhabarError, MissingDependencyError
from ..extract import extract_html
from ..lang import normalize, tokenize
from ..models import Article
from . import datasets, pages
from .extract_meta import run_dates, run_metadata
from .pages import ExtractPage

SET_KEYS = ("wcxb", "aeb", "bhaskar", "fundus", "newspaper4k", "dates")
EXTRACTOR_KEYS = ("khabar", "trafilatura", "trafilatura-precision", "trafilatura-recall",
                  "trafilatura-no-comments", "justext", "readability", "resiliparse")
DEFAULT_EXTRACTORS = ("khabar", "trafilatura")
# WCXB's seven page types folded onto khabar's six.
WCXB_TYPE_MAP = {"article": "article", "listing": "listing", "collection": "listing"}
BRIEFABLE = ("article", "liveblog")
# Pages run untimed before a set, so lazy loads (language data, stoplists)
# are not charged to the first pages.
WARM_UP = 3
# ScrapingHub's evaluate.py: word 4-grams over ``\w+`` tokens, case kept.
# These classes match ``\w`` except that combining marks stay in the word.
AEB_SHINGLE = 4
_AEB_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}_]+")

Score = tuple[float, float, float]
Extractor = Callable[[ExtractPage], tuple[str, Article | None]]
Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class ExtractEvalOptions:
    """What ``khabar eval extract`` runs."""

    sets: tuple[str, ...] = SET_KEYS
    extractors: tuple[str, ...] = DEFAULT_EXTRACTORS
    limit: int | None = None
    strict: bool = False  # a missing set is an error, not a skip

    def __post_init__(self) -> None:
        for what, chosen, known in (("set", self.sets, SET_KEYS),
                                    ("extractor", self.extractors, EXTRACTOR_KEYS)):
            unknown = sorted(set(chosen) - set(known))
            if unknown:
                raise ConfigError(f"unknown {what}(s) {', '.join(unknown)}; "
                                  f"choose from {', '.join(known)}")
            if not chosen:
                raise ConfigError(f"no {what} chosen")
        if self.limit is not None and self.limit < 1:
            raise ConfigError("limit must be at least 1")


def prf(pred: str, gold: str) -> Score:
    """Bag-of-words precision, recall and F1 (lower-cased khabar tokens)."""
    p = Counter(t.lower() for t in tokenize(normalize(pred)))
    g = Counter(t.lower() for t in tokenize(normalize(gold)))
    common = sum((p & g).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def _khabar(page: ExtractPage) -> tuple[str, Article | None]:
    try:
        art = extract_html(page.html, page.url)
    except KhabarError:
        return "", None
    return art.text, art


def _trafilatura(**options: Any) -> Extractor:
    import trafilatura

    def run(page: ExtractPage) -> tuple[str, Article | None]:
        try:
            text = trafilatura.extract(page.html, url=page.url, **options)
        except Exception:  # a peer's crash is a page it got wrong, not the run's end
            text = None
        return text or "", None

    return run


def _guarded(fn: Callable[[str], str]) -> Extractor:
    def run(page: ExtractPage) -> tuple[str, Article | None]:
        try:
            return fn(page.html), None
        except Exception:  # a peer's crash is a page it got wrong, not the run's end
            return "", None

    return run


def _justext() -> Extractor:
    import justext  # type: ignore[import-untyped]

    # Hindi-first pages, English-heavy benchmarks: one stoplist for both.
    stoplist = justext.get_stoplist("English") | justext.get_stoplist("Hindi")

    def run(html: str) -> str:
        paragraphs = justext.justext(html, stoplist)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return _guarded(run)


def _readability() -> Extractor:
    try:
        from readability import Document  # type: ignore[import-untyped]
    except ImportError as exc:
        raise MissingDependencyError("readability-lxml", "eval") from exc
    import lxml.html

    def run(html: str) -> str:
        summary = Document(html).summary(html_partial=True)
        root = lxml.html.fromstring(summary)
        blocks = root.xpath("//p|//li|//h1|//h2|//h3|//h4|//pre|//blockquote") or [root]
        return "\n".join(b.text_content().strip() for b in blocks if b.text_content().strip())

    return _guarded(run)


def _resiliparse() -> Extractor:
    try:
        from resiliparse.extract.html2text import extract_plain_text
    except ImportError as exc:
        raise MissingDependencyError("resiliparse", "resiliparse") from exc

    def run(html: str) -> str:
        text: str = extract_plain_text(html, main_content=True)
        return text

    return _guarded(run)


def extractors(names: Sequence[str]) -> dict[str, Extractor]:
    """The named extractors, built (their packages imported) only when chosen."""
    builders: dict[str, Callable[[], Extractor]] = {
        "khabar": lambda: _khabar,
        "trafilatura": lambda: _trafilatura(),
        "trafilatura-precision": lambda: _trafilatura(favor_precision=True),
        "trafilatura-recall": lambda: _trafilatura(favor_recall=True),
        # As ScrapingHub's own trafilatura runner: comments are not the articleBody.
        "trafilatura-no-comments": lambda: _trafilatura(include_comments=False),
        "justext": _justext,
        "readability": _readability,
        "resiliparse": _resiliparse,
    }
    return {name: builders[name]() for name in names}


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _AEB_TOKEN.findall(text or "")
    n = AEB_SHINGLE
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))
                   if tokens[i:i + n])


def aeb_counts(pred: str, gold: str) -> Score:
    """ScrapingHub's per-page (tp, fp, fn) over 4-token shingles, summing to 1."""
    p, g = _shingles(pred), _shingles(gold)
    tp = float(sum((p & g).values()))
    fp = float(sum((p - g).values()))
    fn = float(sum((g - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def aeb_metric(counts: Sequence[Score]) -> dict[str, float]:
    """ScrapingHub's P and R (means over pages that have them) and the F1 of the two."""

    def score(tp: float, miss: float, other: float) -> float:
        if miss == other == 0:
            return 1.0
        return 0.0 if tp == miss == 0 else tp / (tp + miss)

    ps = [score(tp, fp, fn) for tp, fp, fn in counts if tp + fp > 0]
    rs = [score(tp, fn, fp) for tp, fp, fn in counts if tp + fn > 0]
    precision = sum(ps) / len(ps) if ps else 0.0
    recall = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4)}


def _mean(rows: list[Score]) -> dict[str, float]:
    n = len(rows) or 1
    return {k: round(sum(r[i] for r in rows) / n, 4) for i, k in enumerate(("p", "r", "f1"))}


def type_accuracy(pages: Sequence[ExtractPage],
                  arts: Sequence[Article | None]) -> dict[str, Any]:
    """khabar's page_type against WCXB's (mapped), and briefable versus not."""
    exact = binary = 0
    confusion: Counter[str] = Counter()
    for page, art in zip(pages, arts, strict=True):
        got = art.page_type if art is not None else "none"
        want = WCXB_TYPE_MAP.get(page.page_type, "other")
        exact += got == want
        binary += (got in BRIEFABLE) == (want == "article")
        confusion[f"{page.page_type}->{got}"] += 1
    n = len(pages) or 1
    return {
        "accuracy": round(exact / n, 4),
        "article_vs_not": round(binary / n, 4),
        "confusion": dict(sorted(confusion.items())),
    }


def run_bodies(name: str, pages: Sequence[ExtractPage],
               fns: dict[str, Extractor]) -> dict[str, Any]:
    """Score every extractor on one body set.

    Extractors take turns page by page, so that a change in the machine's
    load between the start and the end of a run weighs on all of them alike.
    """
    for page in pages[:WARM_UP]:
        for fn in fns.values():
            fn(page)
    rows: dict[str, list[Score]] = {e: [] for e in fns}
    by_type: dict[str, dict[str, list[Score]]] = {e: {} for e in fns}
    arts: dict[str, list[Article | None]] = {e: [] for e in fns}
    elapsed = dict.fromkeys(fns, 0.0)
    empty = dict.fromkeys(fns, 0)
    shingles: dict[str, list[Score]] = {e: [] for e in fns}
    for page in pages:
        for ext, fn in fns.items():
            t0 = time.perf_counter()
            text, art = fn(page)
            elapsed[ext] += time.perf_counter() - t0
            empty[ext] += not text
            if name == "aeb":
                shingles[ext].append(aeb_counts(text, page.gold))
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
        if name == "aeb":
            res["aeb_metric"] = aeb_metric(shingles[ext])
        if name == "wcxb":
            res["by_type"] = {t: _mean(v) | {"n": len(v)} for t, v in sorted(by_type[ext].items())}
            if ext == "khabar":
                res["page_type"] = type_accuracy(pages, arts[ext])
        first = arts[ext][0] if arts[ext] else None
        if name == "bhaskar" and first is not None:
            res["title_exact"] = first.title == normalize(pages[0].title or "")
            res["date_exact"] = first.date == pages[0].date
        out["extractors"][ext] = res
    if name != "bhaskar" and "khabar" in arts and any(p.title for p in pages):
        out["metadata"] = run_metadata(pages, arts["khabar"])
    return out


def load_set(key: str, data: Path, limit: int | None) -> tuple[ExtractPage, ...]:
    """The pages of one set; :class:`datasets.DatasetUnavailable` when absent or malformed."""
    loaders: dict[str, Callable[[], tuple[ExtractPage, ...]]] = {
        "wcxb": lambda: pages.load_wcxb(data, limit),
        "aeb": lambda: pages.load_aeb(data, limit),
        "bhaskar": lambda: pages.load_fundus_page(data),
        "fundus": lambda: pages.load_fundus(data, limit),
        "newspaper4k": lambda: pages.load_newspaper4k(data, limit),
        "dates": lambda: pages.load_dates(data, limit),
    }
    try:
        return loaders[key]()
    except (KeyError, TypeError, AttributeError, StopIteration) as exc:
        raise datasets.DatasetUnavailable(
            f"{key}: a record lacks an expected field ({type(exc).__name__}: {exc})",
            reason="dataset_bad") from exc


def run_extract_eval(data: Path, options: ExtractEvalOptions | None = None,
                     log: Log = _stderr) -> dict[str, Any]:
    """Run the chosen sets; results as a JSON-ready dict.

    Sets missing from ``data`` are skipped with their reason in ``skipped``,
    or raise :class:`datasets.DatasetUnavailable` with ``options.strict``.
    """
    options = options or ExtractEvalOptions()
    fns = extractors(options.extractors)
    results: dict[str, Any] = {"sets": {}, "skipped": {}, "extractors": list(options.extractors),
                               "limit": options.limit}
    for key in options.sets:
        pages = datasets.load_or_skip(key, partial(load_set, key, data, options.limit),
                                      results["skipped"], strict=options.strict)
        if pages is None:
            continue
        log(f"{key}: {len(pages)} pages")
        results["sets"][key] = run_dates(pages) if key == "dates" else run_bodies(key, pages, fns)
    return results


def format_extract(results: dict[str, Any]) -> str:
    """The results as markdown tables (the JSON has every figure too)."""
    sets = results["sets"]
    lines = []
    if any(name != "dates" for name in sets):
        lines += ["| set | extractor | P | R | F1 | pages/s |", "|---|---|---|---|---|---|"]
    for name, res in sets.items():
        if name == "dates":
            continue
        for ext, r in res["extractors"].items():
            lines.append(f"| {name} | {ext} | {r['p']} | {r['r']} | {r['f1']} "
                         f"| {r['pages_per_s']} |")
            for t, s in (r.get("by_type") or {}).items():
                lines.append(
                    f"| wcxb:{t} (n={s['n']}) | {ext} | {s['p']} | {s['r']} | {s['f1']} | |")
    if "dates" in sets:
        lines += [""] * bool(lines) + ["| dates | accuracy | Hindi | pages/s |",
                                       "|---|---|---|---|"]
        for ext, r in sets["dates"]["extractors"].items():
            lines.append(f"| {ext} | {r['accuracy']} | {r['hindi_right']} | {r['pages_per_s']} |")
    aeb = sets.get("aeb", {}).get("extractors", {})
    if aeb:
        lines += ["", "ScrapingHub's own metric (4-token shingles), aeb: " + ", ".join(
            f"{ext} P {r['aeb_metric']['p']} R {r['aeb_metric']['r']} F1 {r['aeb_metric']['f1']}"
            for ext, r in aeb.items())]
    for name, res in sets.items():
        meta = res.get("metadata")
        if meta:
            lines += ["", f"{name} metadata, exact (pages with gold: title {meta['pages']['title']}"
                      f", authors {meta['pages']['authors']}, date {meta['pages']['date']}): "
                      + "; ".join(f"{ext} title {meta[ext]['title']} authors "
                                  f"{meta[ext]['authors']} date {meta[ext]['date']}"
                                  for ext in ("khabar", "trafilatura"))]
    pt = sets.get("wcxb", {}).get("extractors", {}).get("khabar", {}).get("page_type")
    if pt:
        lines += ["", f"page_type accuracy (WCXB): {pt['accuracy']}, "
                  f"article vs not: {pt['article_vs_not']}"]
    bhaskar = sets.get("bhaskar", {}).get("extractors", {}).get("khabar", {})
    if "title_exact" in bhaskar:
        lines.append(f"bhaskar: title exact {bhaskar['title_exact']}, "
                     f"date exact {bhaskar['date_exact']}")
    for key, reason in results["skipped"].items():
        lines.append(f"skipped {key}: {reason}")
    return "\n".join(lines)
