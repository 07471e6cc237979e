"""Extraction benchmark: ``khabar eval extract``, kept under its old name.

    python benchmarks/extract_eval.py [--shared ../shared] [--out PATH]
        [--sets wcxb,aeb,bhaskar,fundus,newspaper4k,dates] [--limit N]
        [--extractors khabar,trafilatura,trafilatura-precision,trafilatura-recall]

Every figure comes from :mod:`khabar.eval.extract` (one code path for the
CLI, the README and this script; see ``khabar eval extract --help`` for the
metric). A full run (no ``--limit``) merges its sets into
``benchmarks/results/extract.json``, so sets run separately accumulate in
one file. Re-run after changing anything under ``khabar/extract``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from khabar.cli import main as khabar_main

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "extract.json"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], add_help=False)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args, rest = ap.parse_known_args()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "extract.json"
        code = khabar_main(["eval", "extract", "--data", str(args.shared / "data"), *rest,
                            "--json", str(fresh)])
        if code or any(a.startswith("--limit") for a in rest):
            return code
        results = json.loads(fresh.read_text("utf-8"))
    # One eval JSON whose "sets" accumulate: a set run alone replaces only its own entry.
    old = json.loads(args.out.read_text("utf-8")) if args.out.exists() else {}
    merged = results | {"sets": old.get("sets", {}) | results["sets"]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
