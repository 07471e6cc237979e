"""Near-duplicate detection on a labelled set generated from real BBC Hindi articles.

Every article is stored in a :class:`khabar.enrich.dedup.DuplicateIndex` except
a held-out fifth. Each stored article is then edited the ways aggregators see
copies differ: whitespace and punctuation changed, a sentence dropped, chrome
lines added, paragraphs reordered, a new headline, the tail truncated, the lead
rewritten. Each edit is a query that must find its source article and nothing
else (recall, precision); each held-out article is a query that must find
nothing (precision). Exact duplicates are counted separately.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/enrich_dedup.py [--data DIR]``
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import regex

from khabar import lang
from khabar.enrich.dedup import DuplicateIndex, normalized_hash

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/bbc-hindi-articles"
# Lines that news sites wrap around a syndicated article.
CHROME = [
    "यह भी पढ़ें: दिनभर की बड़ी ख़बरें एक क्लिक में",
    "विज्ञापन",
    "शेयर करें",
    "फॉलो करें: ताज़ा ख़बरों के लिए हमारा ऐप डाउनलोड करें",
    "ये भी पढ़ें",
    "(बीबीसी हिन्दी के एंड्रॉएड ऐप के लिए यहां क्लिक करें.)",
    "© 2025 सर्वाधिकार सुरक्षित",
    "Advertisement",
]
HEADLINES = ["बड़ी ख़बर: ", "ताज़ा अपडेट: ", "LIVE: "]


def _sentences(text: str) -> list[str]:
    return list(lang.split_sentences(text, "hi"))


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def spacing(text: str, rng: random.Random) -> str:
    text = text.replace(". ", " ।  ").replace(",", " ,")
    return regex.sub(r"\n+", "\n\n\n", text)


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
    paras = _paragraphs(text)
    if len(paras) > 2:
        i = rng.randrange(0, len(paras) - 1)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]
    return "\n".join(paras)


def new_headline(text: str, rng: random.Random) -> str:
    first = _sentences(text)[0] if _sentences(text) else ""
    return rng.choice(HEADLINES) + first[:60] + "\n" + text


def truncate(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    return " ".join(words[: int(len(words) * 0.7)])


def rewrite_lead(text: str, rng: random.Random) -> str:
    s = _sentences(text)
    if len(s) > 3:
        s[0] = "एक नई रिपोर्ट के मुताबिक इस मामले में कई अहम बातें सामने आई हैं।"
    return " ".join(s)


EDITS: dict[str, Callable[[str, random.Random], str]] = {
    "spacing": spacing,
    "drop_sentence": drop_sentence,
    "add_chrome": add_chrome,
    "reorder": reorder,
    "new_headline": new_headline,
    "truncate_70": truncate,
    "rewrite_lead": rewrite_lead,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    path = args.data / "hindi-cleaned-test.jsonl"
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    # One row of the set has an empty text: it is nobody's duplicate.
    rows = [r for r in rows if r["text"].strip()]
    rng = random.Random(13)
    ids = [str(r["id"]) for r in rows]
    held_out = set(rng.sample(ids, len(ids) // 5))
    index = DuplicateIndex()
    start = time.perf_counter()
    for r in rows:
        if str(r["id"]) not in held_out:
            index.add(str(r["id"]), r["text"])
    tp = fp = fn = 0
    per_edit: dict[str, list[int]] = {name: [0, 0] for name in EDITS}
    exact_hits = 0
    for r in rows:
        rid = str(r["id"])
        if rid in held_out:
            fp += len(index.find(r["text"]))
            continue
        for name, edit in EDITS.items():
            found = {d.id for d in index.find(edit(r["text"], rng))}
            hit = rid in found
            tp += hit
            fn += not hit
            fp += len(found - {rid})
            per_edit[name][0] += hit
            per_edit[name][1] += 1
        exact_hits += normalized_hash(spacing(r["text"], rng)) == normalized_hash(r["text"])
    elapsed = time.perf_counter() - start
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    stored = len(rows) - len(held_out)
    print(f"articles stored {stored}, held out {len(held_out)}, edited queries {tp + fn}")
    for name, (hit, total) in per_edit.items():
        print(f"  {name:14s} recall {hit / total:.4f}")
    print(f"exact-hash matches after spacing/punctuation edits: {exact_hits}/{stored}")
    print(f"precision {precision:.4f}  recall {recall:.4f}  (tp {tp}, fp {fp}, fn {fn})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"time {elapsed:.1f}s, peak RSS {peak:.0f} MB")
    return 0 if precision >= 0.99 and recall >= 0.99 else 1


if __name__ == "__main__":
    sys.exit(main())
