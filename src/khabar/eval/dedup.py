"""``khabar eval dedup``: duplicates on a labelled set generated from real articles.

The set (:func:`generate`, seeded and deterministic): every BBC Hindi
article is stored except a held-out fifth. Each stored article is then
edited the ways aggregators see copies differ. Exact copies (the same words,
written differently): whitespace and punctuation changed; Unicode variants
(decomposed nukta letters, zero-width spaces). Near copies: a sentence
dropped, chrome lines added, paragraphs reordered, a new headline, the tail
truncated to 70%, the lead rewritten, and a syndicated copy (headline,
chrome and truncation at once). Each edited copy is a query that must find
its source and nothing else; each held-out article must find nothing.
Story clusters (:func:`score_clusters`) are scored on the same labels: all
stored and query texts clustered at once, B-cubed precision and recall.

Scores, per system: near-duplicate precision and recall (a query's answer
is every stored text the system returns), recall per edit, and
exact-duplicate precision and recall (answers flagged exact, against the
exact-copy edits). Systems: khabar's
:class:`~khabar.enrich.dedup.DuplicateIndex`; ``datasketch-lsh``, a
``MinHashLSH`` over lower-cased whitespace word 3-shingles at the same
threshold and permutations, used as its documentation shows (candidates are
the answer), with an exact-duplicate check by a hash of the stripped text.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import regex

from .. import lang
from ..errors import ConfigError, InputError, MissingDependencyError
from . import datasets
from .datasets import LabelledText

DEFAULT_SEED = 13
HELD_OUT_SHARE = 0.2
TRUNCATE_SHARE = 0.7
REPARAGRAPH = 3  # sentences a paragraph, when a text has only one
# Lines that news sites wrap around a syndicated article: the edits' raw
# material, not language knowledge khabar uses (it has its own chrome data).
CHROME = (
    "यह भी पढ़ें: दिनभर की बड़ी ख़बरें एक क्लिक में",
    "विज्ञापन",
    "शेयर करें",
    "फॉलो करें: ताज़ा ख़बरों के लिए हमारा ऐप डाउनलोड करें",
    "ये भी पढ़ें",
    "(बीबीसी हिन्दी के एंड्रॉएड ऐप के लिए यहां क्लिक करें.)",
    "© 2025 सर्वाधिकार सुरक्षित",
    "Advertisement",
)
HEADLINES = ("बड़ी ख़बर: ", "ताज़ा अपडेट: ", "LIVE: ")
NEW_LEAD = "एक नई रिपोर्ट के मुताबिक इस मामले में कई अहम बातें सामने आई हैं।"
_NEWLINES = regex.compile(r"\n+")
_SPACE = regex.compile(r" (?=\p{L})")
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")

Edit = Callable[[str, random.Random], str]
Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _sentences(text: str) -> list[str]:
    return list(lang.split_sentences(text, "hi"))


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def spacing(text: str, rng: random.Random) -> str:
    """Full stops as dandas, spaced commas, blank lines tripled: the same words."""
    text = text.replace(". ", " ।  ").replace(",", " ,")
    return _NEWLINES.sub("\n\n\n", text)


def unicode_variants(text: str, rng: random.Random) -> str:
    """Decomposed nukta letters and zero-width spaces after some words: the same words."""
    text = unicodedata.normalize("NFD", text)
    return _SPACE.sub(lambda m: "\u200b " if rng.random() < 0.2 else " ", text)


def drop_sentence(text: str, rng: random.Random) -> str:
    s = _sentences(text)
    if len(s) > 3:
        del s[rng.randrange(1, len(s))]
    return " ".join(s)


def add_chrome(text: str, rng: random.Random) -> str:
    paras = _paragraphs(text)
    for line in rng.sample(CHROME, 3):
        paras.insert(rng.randrange(0, len(paras) + 1), line)
    return "\n".join(paras)


def reorder(text: str, rng: random.Random) -> str:
    """Two adjacent paragraphs swapped (sites move a quote or a photo caption up).

    A text of one paragraph is first broken into paragraphs of a few
    sentences, as a site that re-paragraphs it would.
    """
    paras = _paragraphs(text)
    if len(paras) < 2:
        s = _sentences(text)
        paras = [" ".join(s[i:i + REPARAGRAPH]) for i in range(0, len(s), REPARAGRAPH)]
    if len(paras) >= 2:
        i = rng.randrange(0, len(paras) - 1)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]
    return "\n".join(paras)


def new_headline(text: str, rng: random.Random) -> str:
    s = _sentences(text)
    return rng.choice(HEADLINES) + (s[0][:60] if s else "") + "\n" + text


def truncate(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    return " ".join(words[: int(len(words) * TRUNCATE_SHARE)])


def rewrite_lead(text: str, rng: random.Random) -> str:
    s = _sentences(text)
    if len(s) > 3:
        s[0] = NEW_LEAD
    return " ".join(s)


def syndicated(text: str, rng: random.Random) -> str:
    """An aggregator's copy: its headline and chrome around a truncated text."""
    return new_headline(add_chrome(truncate(text, rng), rng), rng)


EXACT_EDITS: dict[str, Edit] = {"spacing": spacing, "unicode": unicode_variants}
NEAR_EDITS: dict[str, Edit] = {
    "drop_sentence": drop_sentence,
    "add_chrome": add_chrome,
    "reorder": reorder,
    "new_headline": new_headline,
    "truncate_70": truncate,
    "rewrite_lead": rewrite_lead,
    "syndicated": syndicated,
}
EDITS: dict[str, Edit] = EXACT_EDITS | NEAR_EDITS


def plain_words(text: str) -> list[str]:
    """The label's notion of "the same words": NFC, lower-cased letter/mark/digit runs.

    Independent of khabar's normaliser, so the labels do not grade khabar by
    its own definition.
    """
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


@dataclass(frozen=True, slots=True)
class DupQuery:
    """A query text and its label: the stored id it copies (None: a new article)."""

    text: str
    source: str | None
    edit: str  # "held_out" for a new article
    exact: bool


@dataclass(frozen=True, slots=True)
class DupSet:
    """The generated set: what is stored, and the labelled queries."""

    stored: tuple[LabelledText, ...]
    queries: tuple[DupQuery, ...]
    seed: int


def generate(docs: Sequence[LabelledText], seed: int = DEFAULT_SEED) -> DupSet:
    """The labelled duplicate set from real articles (same seed, same set)."""
    if len(docs) < 2:
        raise InputError("the duplicate set needs at least 2 articles", reason="dataset_bad")
    rng = random.Random(seed)
    ids = [d.id for d in docs]
    held_out = set(rng.sample(ids, max(1, int(len(ids) * HELD_OUT_SHARE))))
    stored = tuple(d for d in docs if d.id not in held_out)
    queries: list[DupQuery] = []
    for doc in docs:
        if doc.id in held_out:
            queries.append(DupQuery(doc.text, None, "held_out", False))
            continue
        words = plain_words(doc.text)
        for name, edit in EDITS.items():
            text = edit(doc.text, rng)
            # A near edit that changes no word (a one-paragraph article
            # "reordered") made an exact copy, and is labelled so.
            exact = name in EXACT_EDITS or plain_words(text) == words
            queries.append(DupQuery(text, doc.id, name, exact))
    return DupSet(stored, tuple(queries), seed)


class Finder(Protocol):
    """A duplicate detector under test: store texts, then ask for a text's copies."""

    def add(self, id: str, text: str) -> None: ...

    def find(self, text: str) -> tuple[set[str], set[str]]:
        """Ids of stored near-or-exact copies, and the subset flagged exact."""
        ...


class KhabarFinder:
    """khabar's :class:`~khabar.enrich.dedup.DuplicateIndex`, defaults as shipped."""

    def __init__(self) -> None:
        from ..enrich.dedup import DuplicateIndex

        self.index = DuplicateIndex(capacity=None)

    def add(self, id: str, text: str) -> None:
        self.index.add(id, text)

    def find(self, text: str) -> tuple[set[str], set[str]]:
        found = self.index.find(text)
        return {d.id for d in found}, {d.id for d in found if d.exact}


class DatasketchFinder:
    """datasketch's ``MinHashLSH`` over whitespace word 3-shingles, plus a raw-text hash."""

    def __init__(self) -> None:
        from ..enrich.dedup import NEAR_DUPLICATE_JACCARD, NUM_PERM

        try:
            import datasketch
        except ImportError as exc:
            raise MissingDependencyError("datasketch", "dedup") from exc
        self._ds = datasketch
        self.num_perm = NUM_PERM
        self.lsh = self._ds.MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=NUM_PERM)
        self.hashes: dict[str, str] = {}

    def _minhash(self, text: str) -> Any:
        words = text.lower().split()
        grams = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
        m = self._ds.MinHash(num_perm=self.num_perm, seed=1)
        m.update_batch([g.encode("utf-8") for g in grams])
        return m

    @staticmethod
    def _digest(text: str) -> str:
        return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()

    def add(self, id: str, text: str) -> None:
        self.lsh.insert(id, self._minhash(text))
        self.hashes.setdefault(self._digest(text), id)

    def find(self, text: str) -> tuple[set[str], set[str]]:
        exact = self.hashes.get(self._digest(text))
        found = set(self.lsh.query(self._minhash(text)))
        exacts = {exact} if exact is not None else set()
        return found | exacts, exacts


def _ratio(num: int, den: int) -> float | None:
    """A share, or None when nothing was predicted (or expected) at all."""
    return round(num / den, 4) if den else None


def _cell(value: float | None, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.4f}"


def score(finder: Finder, dups: DupSet) -> dict[str, Any]:
    """Store the set's articles in ``finder``, run every query, and count."""
    start = time.perf_counter()
    for doc in dups.stored:
        finder.add(doc.id, doc.text)
    add_s = time.perf_counter() - start
    tp = fp = fn = etp = efp = efn = 0
    per_edit: dict[str, list[int]] = {}
    start = time.perf_counter()
    for q in dups.queries:
        found, exact = finder.find(q.text)
        expected = {q.source} if q.source is not None else set()
        hit = bool(expected & found)
        tp += hit
        fn += bool(expected) and not hit
        fp += len(found - expected)
        if q.source is not None:
            counts = per_edit.setdefault(q.edit, [0, 0])
            counts[0] += hit
            counts[1] += 1
        exact_hit = q.exact and q.source in exact
        etp += exact_hit
        efn += q.exact and not exact_hit
        efp += len(exact - ({q.source} if q.exact else set()))
    query_s = time.perf_counter() - start
    return {
        "near": {"precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
                 "tp": tp, "fp": fp, "fn": fn},
        "exact": {"precision": _ratio(etp, etp + efp), "recall": _ratio(etp, etp + efn),
                  "tp": etp, "fp": efp, "fn": efn},
        "recall_by_edit": {e: _ratio(h, n) for e, (h, n) in per_edit.items()},
        "ms_per_add": round(add_s * 1000 / max(1, len(dups.stored)), 3),
        "ms_per_query": round(query_s * 1000 / max(1, len(dups.queries)), 3),
    }


def _bcubed(cluster_of: dict[str, int], gold: dict[str, str]) -> dict[str, Any]:
    """B-cubed precision and recall of a clustering against the gold stories."""
    size = Counter(cluster_of.values())
    story = Counter(gold.values())
    both = Counter((cluster_of[i], gold[i]) for i in gold)
    n = max(1, len(gold))
    precision = sum(both[(cluster_of[i], gold[i])] / size[cluster_of[i]] for i in gold) / n
    recall = sum(both[(cluster_of[i], gold[i])] / story[gold[i]] for i in gold) / n
    stories_in: dict[int, set[str]] = {}
    for i, g in gold.items():
        stories_in.setdefault(cluster_of[i], set()).add(g)
    return {"precision": round(precision, 4), "recall": round(recall, 4),
            "clusters": len(size), "stories": len(story),
            "clusters_mixing_stories": sum(len(v) > 1 for v in stories_in.values()),
            "largest_mix": max((len(v) for v in stories_in.values()), default=0)}


def score_clusters(dups: DupSet, log: Log = _stderr) -> dict[str, Any]:
    """Story clusters over every stored article and every query, B-cubed against the labels.

    A copy belongs with its source, a held-out article alone. khabar clusters
    as ``khabar clusters`` does: each text briefed (lexical), then
    :func:`~khabar.enrich.clusters.cluster_stories` over headline and lead by
    TF-IDF (the texts are undated, so the time window never separates two).
    The peer folds the raw texts by datasketch ``MinHashLSH`` candidates
    (connected components), as the duplicate table's peer finds them.
    """
    from ..enrich.clusters import StoryItem, cluster_stories, cluster_text
    from ..errors import KhabarError
    from ..pipeline import brief
    from ..settings import Settings

    texts = [(d.id, d.text, d.id) for d in dups.stored]
    texts += [(f"q{n}", q.text, q.source or f"q{n}") for n, q in enumerate(dups.queries)]
    gold = {i: g for i, _, g in texts}
    settings = Settings(embed="off")
    items: list[StoryItem] = []
    refused: dict[str, str] = {}
    start = time.perf_counter()
    for i, text, _ in texts:
        try:
            items.append(StoryItem(i, cluster_text(brief(text, settings=settings).to_dict())))
        except KhabarError as exc:
            refused[i] = exc.reason or type(exc).__name__
    brief_s = time.perf_counter() - start
    start = time.perf_counter()
    found = cluster_stories(items, embeddings=False)
    cluster_s = time.perf_counter() - start
    khabar_of = {m: n for n, c in enumerate(found) for m in c.members}
    for n, i in enumerate(refused):  # a refused text is a cluster of its own
        khabar_of[i] = len(found) + n
    log(f"clusters: {len(items)} briefed in {brief_s:.0f} s, clustered in {cluster_s:.1f} s")
    peer = DatasketchFinder()
    for i, text, _ in texts:
        peer.add(i, text)
    parent = {i: i for i in gold}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, text, _ in texts:
        for other in peer.find(text)[0]:
            parent[root(other)] = root(i)
    roots = {r: n for n, r in enumerate(dict.fromkeys(root(i) for i in gold))}
    peer_of = {i: roots[root(i)] for i in gold}
    return {"khabar": _bcubed(khabar_of, gold) | {"refused": len(refused),
                                                  "seconds": round(cluster_s, 2)},
            "datasketch-lsh": _bcubed(peer_of, gold)}


SYSTEMS: dict[str, Callable[[], Finder]] = {
    "khabar": KhabarFinder,
    "datasketch-lsh": DatasketchFinder,
}


@dataclass(frozen=True)
class DedupEvalOptions:
    """What ``khabar eval dedup`` runs."""

    limit: int | None = None
    seed: int = DEFAULT_SEED

    def __post_init__(self) -> None:
        if self.limit is not None and self.limit < 2:
            raise ConfigError("limit must be at least 2")


def run_dedup_eval(data: Path, options: DedupEvalOptions | None = None,
                   log: Log = _stderr) -> dict[str, Any]:
    """Generate the set from ``data``'s BBC Hindi articles and score every system.

    Raises:
        datasets.DatasetUnavailable: the articles are missing or malformed.
        MissingDependencyError: datasketch (the ``[dedup]`` extra) is not installed.
    """
    options = options or DedupEvalOptions()
    try:
        docs = datasets.load_bbc_categories(data, options.limit)
    except (OSError, UnicodeDecodeError) as exc:
        raise datasets.DatasetUnavailable(f"cannot read the articles ({exc})",
                                          reason="dataset_bad") from exc
    dups = generate(docs, options.seed)
    log(f"dedup: {len(dups.stored)} stored, {len(dups.queries)} queries")
    counts = {"stored": len(dups.stored),
              "held_out": sum(q.source is None for q in dups.queries),
              "exact_queries": sum(q.exact for q in dups.queries),
              "near_queries": sum(q.source is not None and not q.exact for q in dups.queries)}
    systems = {name: score(make(), dups) for name, make in SYSTEMS.items()}
    return {"set": counts, "seed": dups.seed, "limit": options.limit, "systems": systems,
            "clusters": score_clusters(dups, log),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def format_dedup(results: dict[str, Any]) -> str:
    """The results as plain-text tables (the JSON has every figure too)."""
    s = results["set"]
    lines = [f"duplicates generated from BBC Hindi articles (seed {results['seed']}): "
             f"{s['stored']} stored, {s['held_out']} held out, {s['exact_queries']} exact "
             f"and {s['near_queries']} near copies",
             f"  {'system':<16}{'near P':>9}{'near R':>9}{'exact P':>9}{'exact R':>9}"
             f"{'ms/query':>10}"]
    for name, r in results["systems"].items():
        cells = (r["near"]["precision"], r["near"]["recall"], r["exact"]["precision"],
                 r["exact"]["recall"])
        lines.append(f"  {name:<16}" + "".join(_cell(c, 9) for c in cells)
                     + f"{r['ms_per_query']:>10.2f}")
    edits = list(next(iter(results["systems"].values()))["recall_by_edit"])
    lines += ["recall by edit", f"  {'edit':<16}" + "".join(f"{n:>16}" for n in
                                                          results["systems"])]
    for edit in edits:
        lines.append(f"  {edit:<16}" + "".join(
            _cell(r["recall_by_edit"][edit], 16) for r in results["systems"].values()))
    clusters = results.get("clusters")
    if clusters:
        lines += ["story clusters over all stored and query texts (B-cubed; a copy belongs "
                  "with its source)",
                  f"  {'system':<16}{'P':>9}{'R':>9}{'clusters':>10}{'stories':>9}"
                  f"{'mixed':>7}{'largest':>9}"]
        for name, r in clusters.items():
            lines.append(f"  {name:<16}" + _cell(r["precision"], 9) + _cell(r["recall"], 9)
                         + f"{r['clusters']:>10}{r['stories']:>9}"
                         f"{r['clusters_mixing_stories']:>7}{r['largest_mix']:>9}")
    lines.append("load average " + " ".join(str(x) for x in results["load_average"]))
    return "\n".join(lines)
