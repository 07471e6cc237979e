"""Readers for the evaluation sets, in the formats of the shared data directory.

Each reader takes the data directory (``../shared/data``; the seed lives in
``../shared/seed``) and raises :class:`DatasetUnavailable` with a reason
when its files are absent or unreadable, so a run skips that set and says
why. Any directory in these formats works: nothing here is tied to the
copies on this machine.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import regex

from ..errors import InputError, KhabarError
from ..models import Article

SEED_FILE = "ndtv-hindi-2025-08-13.txt"


class DatasetUnavailable(InputError):
    """An evaluation set is missing from the data directory or cannot be read."""


@dataclass(frozen=True, slots=True)
class EvalDoc:
    """One article and its human reference summaries (sentences one a line)."""

    id: str
    article: Article
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EvalSet:
    """A named set of documents scored together."""

    key: str  # the --sets name it belongs to
    name: str
    language: str
    docs: tuple[EvalDoc, ...]
    extractive: bool = False  # references are copied article sentences
    note: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    """A summary (sentence) with a human faithfulness label, and its source article."""

    article_id: str
    source: str
    text: str
    faithful: bool


T = TypeVar("T")


def load_or_skip(key: str, load: Callable[[], T], skipped: dict[str, str], *,
                 strict: bool = False, log: Callable[[str], None] | None = None) -> T | None:
    """``load()``, or ``None`` with the reason in ``skipped`` when the set is unavailable.

    With ``strict`` (the set was asked for by name) its absence is raised instead.
    """
    try:
        return load()
    except DatasetUnavailable as exc:
        if strict:
            raise DatasetUnavailable(f"set {key}: {exc}", reason=exc.reason) from exc
        skipped[key] = str(exc)
        if log is not None:
            log(f"skipping {key}: {exc}")
        return None


def _need(path: Path, what: str) -> Path:
    if not path.exists():
        raise DatasetUnavailable(f"{what} not found at {path}", reason="dataset_missing")
    return path


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetUnavailable(
                f"line {n} is not JSON: {exc.msg}", source=str(path), reason="dataset_bad"
            ) from exc
        if not isinstance(row, dict):
            raise DatasetUnavailable(f"line {n} is not an object", source=str(path),
                                     reason="dataset_bad")
        yield row


def _field(row: dict[str, Any], key: str, path: Path) -> Any:
    if key not in row:
        raise DatasetUnavailable(f"a record has no {key!r} field", source=str(path),
                                 reason="dataset_bad")
    return row[key]


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.splitlines() if p.strip())


def _limited(docs: list[EvalDoc], limit: int | None) -> tuple[EvalDoc, ...]:
    return tuple(docs if limit is None else docs[:limit])


def load_usc(data: Path, limit: int | None = None) -> EvalSet:
    """USC Hindi: 20 articles with human extractive summaries (one sentence a line)."""
    base = _need(data / "usc-hindi-summaries" / "complete_corpus", "usc-hindi-summaries")
    inputs = sorted((base / "input").glob("input*.txt"),
                    key=lambda p: (len(p.stem), p.stem))
    docs: list[EvalDoc] = []
    for path in inputs:
        gold_path = base / "human_output" / path.name.replace("input", "output")
        if not gold_path.exists():
            continue
        gold = "\n".join(_paragraphs(gold_path.read_text("utf-8-sig")))
        # The files carry no headline, so khabar's title signal is empty here.
        article = Article(title="", paragraphs=_paragraphs(path.read_text("utf-8-sig")),
                          language="hi", source=str(path))
        docs.append(EvalDoc(path.stem, article, (gold,)))
    if not docs:
        raise DatasetUnavailable(f"no input/output pairs in {base}", reason="dataset_missing")
    return EvalSet("usc", "USC Hindi (human extracts)", "hi", _limited(docs, limit),
                   extractive=True, note="no headlines in the files")


def load_seed(data: Path) -> EvalSet:
    """The seed page against the publisher's own three AI-summary bullets."""
    from ..pipeline import extract

    candidates = [data.parent / "seed" / SEED_FILE, data / "seed" / SEED_FILE]
    path = next((p for p in candidates if p.exists()), None)
    if path is None:
        raise DatasetUnavailable(f"the seed page not found at {candidates[0]}",
                                 reason="dataset_missing")
    try:
        article = extract(path.read_bytes())
    except KhabarError as exc:
        raise DatasetUnavailable(f"the seed page could not be extracted: {exc}",
                                 reason="dataset_bad") from exc
    if not article.publisher_summary:
        raise DatasetUnavailable("the seed page has no publisher bullets", reason="dataset_bad")
    doc = EvalDoc("seed", article, ("\n".join(article.publisher_summary),))
    return EvalSet("seed", "seed vs the publisher's bullets", article.language, (doc,))


def load_bengali(data: Path, limit: int | None = None) -> EvalSet:
    """BNLPC Bengali: news articles with three human summaries each."""
    path = _need(data / "bnlpc-bengali-dev" / "bnlpc-dev.jsonl", "bnlpc-bengali-dev")
    docs: list[EvalDoc] = []
    for row in _jsonl(path):
        refs = tuple(str(s) for s in _field(row, "summaries", path) if str(s).strip())
        article = Article(title=str(row.get("title") or ""),
                          paragraphs=_paragraphs(str(_field(row, "text", path))),
                          language="bn", source=str(row.get("id", "")))
        if article.paragraphs and refs:
            docs.append(EvalDoc(str(row.get("id", len(docs))), article, refs))
    return EvalSet("bengali", "BNLPC Bengali (3 references)", "bn", _limited(docs, limit),
                   extractive=True, note="references mostly extractive; ROUGE averaged over 3")


def load_english(data: Path, limit: int | None = None) -> list[EvalSet]:
    """REALSumm and Newsroom references (``english-summaries-dev``), one set each."""
    base = _need(data / "english-summaries-dev", "english-summaries-dev")
    sets = []
    for name in ("REALSumm", "Newsroom"):
        path = base / f"{name}.docs.jsonl"
        if not path.exists():
            continue
        docs: list[EvalDoc] = []
        for row in _jsonl(path):
            ref = row.get("ref")
            src = str(_field(row, "src", path))
            if not ref or not src.strip():
                continue
            article = Article(title="", paragraphs=(src,), language="en",
                              source=str(row.get("doc_id", "")))
            docs.append(EvalDoc(str(row.get("doc_id", len(docs))), article, (str(ref),)))
        sets.append(EvalSet("english", f"{name} (English)", "en", _limited(docs, limit),
                            note="tokenized CNN/DM-style text, no headlines"))
    if not sets:
        raise DatasetUnavailable(f"no REALSumm or Newsroom docs in {base}",
                                 reason="dataset_missing")
    return sets


def load_bbc(data: Path, limit: int | None = None) -> EvalSet:
    """BBC Hindi articles, without references: for reference-free checks.

    Each text is read the way ``khabar brief`` reads it (scraped-text
    extraction): the shared copy breaks lines mid-sentence ("... अपने घर में
    एक", blank lines, "कैदी की तरह रखा.") and keeps the site's app promo, so
    taken a line a paragraph its sentences were fragments no user would see.
    A text khabar cannot read is left out.
    """
    from ..pipeline import extract
    from ..settings import Settings

    path = _need(data / "bbc-hindi-articles" / "hindi-cleaned-test.jsonl", "bbc-hindi-articles")
    settings = Settings()
    docs: list[EvalDoc] = []
    for row in _jsonl(path):
        text = str(row.get("text") or "")
        if not text.strip():
            continue
        try:
            article = extract(text, settings=settings)
        except KhabarError:
            continue
        ident = str(row.get("id", len(docs)))
        docs.append(EvalDoc(ident, replace(article, source=ident)))
    return EvalSet("bbc", "BBC Hindi (reference-free)", "hi", _limited(docs, limit))


def load_qags_mturk(data: Path, name: str, limit: int | None = None) -> list[Claim]:
    """QAGS crowd labels: summary sentences, faithful when 2 of 3 workers say yes.

    ``name`` is ``mturk_cnndm`` or ``mturk_xsum``; ``limit`` counts articles.
    """
    path = _need(data / "qags-mturk" / f"{name}.jsonl", f"qags-mturk/{name}")
    claims = []
    for n, row in enumerate(_jsonl(path)):
        if limit is not None and n >= limit:
            break
        source = str(_field(row, "article", path))
        for sent in _field(row, "summary_sentences", path):
            votes = [r.get("response") for r in sent.get("responses", [])]
            yes = sum(v == "yes" for v in votes)
            claims.append(Claim(str(n), source, str(sent.get("sentence", "")),
                                yes * 2 > len(votes)))
    return claims


def load_qags_summaries(data: Path, name: str, limit: int | None = None) -> list[Claim]:
    """Whole QAGS summaries (``english-summaries-dev``), faithful when every sentence is.

    ``name`` is ``QAGS_CNN`` or ``QAGS_XSUM``; the human ``fact`` score is
    the share of the summary's sentences judged supported.
    """
    base = _need(data / "english-summaries-dev", "english-summaries-dev")
    docs_path = _need(base / f"{name}.docs.jsonl", f"english-summaries-dev/{name}")
    sums_path = _need(base / f"{name}.summaries.jsonl", f"english-summaries-dev/{name}")
    sources = {str(r.get("doc_id")): str(_field(r, "src", docs_path)) for r in _jsonl(docs_path)}
    claims = []
    for row in _jsonl(sums_path):
        doc_id = str(row.get("doc_id"))
        fact = (row.get("human") or {}).get("fact")
        if doc_id not in sources or fact is None:
            continue
        claims.append(Claim(doc_id, sources[doc_id], str(_field(row, "summary", sums_path)),
                            float(fact) >= 1.0))
        if limit is not None and len(claims) >= limit:
            break
    return claims


# --- Extraction sets: HTML pages with a gold body, page type or date -------


# --- Labelled texts: related stories, topic neighbours, duplicates ----------

HEADLINES_DIR = ("bbc-hindi-headlines", "Classification", "BBC")
HEADLINE_SPLITS = ("train", "dev", "test")
_MAPPING_LINE = regex.compile(r'^\s*"?([^":]+?)"?\s*:\s*(\d+)\s*$')


@dataclass(frozen=True, slots=True)
class LabelledText:
    """A text with a label: an article and its category, a headline and its topic."""

    id: str
    text: str
    label: str


def load_bbc_categories(data: Path, limit: int | None = None) -> tuple[LabelledText, ...]:
    """BBC Hindi articles with their category (sport, entertainment, ...).

    Records with an empty text are dropped (one in the shared copy): they
    are nobody's related story.
    """
    path = _need(data / "bbc-hindi-articles" / "hindi-cleaned-test.jsonl", "bbc-hindi-articles")
    rows: list[LabelledText] = []
    for row in _jsonl(path):
        text = str(_field(row, "text", path) or "")
        label = str(_field(row, "category", path) or "").strip()
        if text.strip() and label:
            rows.append(LabelledText(str(row.get("id", len(rows))), text, label))
    if len(rows) < 2:
        raise DatasetUnavailable(f"fewer than 2 labelled articles in {path}",
                                 reason="dataset_missing")
    return tuple(rows[:limit] if limit is not None else rows)


def _topic_names(base: Path) -> dict[str, str]:
    """``class_to_label_mapping.txt`` (``"india" : 0`` a line) as label -> name."""
    path = base / "class_to_label_mapping.txt"
    if not path.exists():
        return {}  # the labels stay numbers
    names: dict[str, str] = {}
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        match = _MAPPING_LINE.match(line)
        if match is None:
            raise DatasetUnavailable(f"line {n} is not '\"name\" : number'", source=str(path),
                                     reason="dataset_bad")
        names[match.group(2)] = match.group(1).strip()
    return names


def _headline_split(path: Path, split: str, names: dict[str, str]) -> list[LabelledText]:
    try:
        lines = path.read_text("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise DatasetUnavailable(f"{path.name} is not UTF-8", source=str(path),
                                 reason="dataset_bad") from exc
    if not lines or lines[0].split("\t")[0].strip() != "Sentence":
        raise DatasetUnavailable(f"{path.name} lacks the 'Sentence<TAB>Topic_Label' header",
                                 source=str(path), reason="dataset_bad")
    rows = []
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        text, _, label = line.rpartition("\t")
        label = label.strip()
        if not text.strip() or not label.isdigit():
            raise DatasetUnavailable(f"line {n} is not 'headline<TAB>label number'",
                                     source=str(path), reason="dataset_bad")
        rows.append(LabelledText(f"{split}-{n}", text.strip(), names.get(label, label)))
    return rows


def load_headlines(data: Path, limit: int | None = None) -> dict[str, tuple[LabelledText, ...]]:
    """BBC Hindi headlines (TSV ``Sentence<TAB>Topic_Label``): train, dev and test splits.

    Labels are the topic names of ``class_to_label_mapping.txt`` (numbers
    without it). ``limit`` caps the test split only: train is the index the
    test headlines are looked up in. A missing dev split is allowed.
    """
    base = _need(data.joinpath(*HEADLINES_DIR), "bbc-hindi-headlines")
    names = _topic_names(base)
    splits: dict[str, tuple[LabelledText, ...]] = {}
    for split in HEADLINE_SPLITS:
        path = base / f"BBC_{split}_data.tsv"
        if split == "dev" and not path.exists():
            continue
        rows = _headline_split(_need(path, f"bbc-hindi-headlines {split} split"), split, names)
        if not rows:
            raise DatasetUnavailable(f"no headlines in {path}", reason="dataset_missing")
        splits[split] = tuple(rows[:limit] if limit is not None and split == "test" else rows)
    return splits
