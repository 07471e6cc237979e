"""How well the multi-story splitter agrees with the corpus's own segmentation.

Runs :func:`khabar.ingest.stories.split_stories` over every daily file in
``../shared/data/hindi-covid-news/raw`` and compares the headlines it finds
with the 1,955 headline/body pairs in ``segmented_headline_body.jsonl``
(itself a rough heuristic split, so agreement, not accuracy). Prints story
counts, headline precision/recall/F1 and body-word agreement on matched pairs.

    PYTHONPATH=src .venv/bin/python benchmarks/batch_stories.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import regex

from khabar.ingest.stories import split_stories

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "hindi-covid-news"
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text))


def main() -> int:
    if not DATA.exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    gold: dict[str, Counter[str]] = defaultdict(Counter)
    gold_body: dict[tuple[str, str], set[str]] = {}
    for line in (DATA / "segmented_headline_body.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        gold[row["file"]][_key(row["headline"])] += 1
        gold_body[(row["file"], _key(row["headline"]))] = set(_WORD.findall(row["body"]))
    tp = fp = fn = 0
    overlaps: list[float] = []
    n_files = n_stories = 0
    for path in sorted((DATA / "raw").rglob("*.txt")):
        rel = str(path.relative_to(DATA / "raw"))
        n_files += 1
        with path.open(encoding="utf-8", errors="replace") as fh:
            found = list(split_stories(fh))
        n_stories += len(found)
        mine: Counter[str] = Counter(_key(p.headline or "") for p in found)
        want = gold.get(rel, Counter())
        both = mine & want
        tp += sum(both.values())
        fp += sum((mine - want).values())
        fn += sum((want - mine).values())
        for p in found:
            words = gold_body.get((rel, _key(p.headline or "")))
            if words:
                body = set(_WORD.findall(p.text)) - set(_WORD.findall(p.headline or ""))
                overlaps.append(len(body & words) / max(1, len(body | words)))
    prec = tp / max(1, tp + fp)
    rec = tp / max(1, tp + fn)
    f1 = 2 * prec * rec / max(1e-9, prec + rec)
    overlaps.sort()
    result = {
        "files": n_files,
        "stories_found": n_stories,
        "gold_pairs": sum(sum(c.values()) for c in gold.values()),
        "headline_precision": round(prec, 3),
        "headline_recall": round(rec, 3),
        "headline_f1": round(f1, 3),
        "matched_body_jaccard_median": round(overlaps[len(overlaps) // 2], 3) if overlaps else 0,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
