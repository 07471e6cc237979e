"""Word F1 of khabar's extract_html against raw trafilatura on the Scrapinghub AEB set.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/extract_aeb.py [path/to/scrapinghub-aeb]

Chrome removal in :mod:`khabar.extract.html` must not lower this score;
re-run after editing ``src/khabar/extract/data/*.txt`` or the line rules.
Token-level bag-of-words precision/recall/F1 per page, averaged over pages
(the benchmark's own metric); a page with no output scores 0.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from pathlib import Path

import regex
import trafilatura

from khabar.errors import KhabarError
from khabar.extract import extract_html

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1."""
    p = Counter(t.casefold() for t in _TOKEN.findall(pred))
    g = Counter(t.casefold() for t in _TOKEN.findall(gold))
    common = sum((p & g).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def main(root: Path) -> None:
    """Print mean P/R/F1 for both extractors."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    scores: dict[str, list[tuple[float, float, float]]] = {"trafilatura": [], "khabar": []}
    failures = 0
    for page_id, gold in sorted(truth.items()):
        html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
        text = html.decode("utf-8", errors="replace")
        raw = trafilatura.extract(text, url=gold.get("url"), include_comments=False) or ""
        try:
            ours = extract_html(text, gold.get("url")).text
        except KhabarError:
            ours, failures = "", failures + 1
        scores["trafilatura"].append(prf(raw, gold["articleBody"]))
        scores["khabar"].append(prf(ours, gold["articleBody"]))
    for name, rows in scores.items():
        n = len(rows)
        p, r, f = (sum(x[i] for x in rows) / n for i in range(3))
        print(f"{name:12s} pages={n} P={p:.4f} R={r:.4f} F1={f:.4f}")
    print(f"khabar ExtractErrors: {failures}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/scrapinghub-aeb"))
