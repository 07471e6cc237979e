"""Duplicates on a set generated from real BBC Hindi articles: ``khabar eval dedup``, old name.

    python benchmarks/enrich_dedup.py [--data DIR] [--seed S] [--limit N] [--json PATH]

Every figure comes from :mod:`khabar.eval.dedup` (the generator, its edits
and the scoring; see ``khabar eval dedup --help``). ``--data`` may be the
shared data directory or, as before, the ``bbc-hindi-articles`` folder
itself. Re-run after changing the constants of ``khabar/enrich/dedup.py``.
Exit code 1 when khabar's near-duplicate precision or recall is under 0.99.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
from pathlib import Path

from khabar.cli import main as khabar_main

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
TARGET = 0.99


def _data_dir(path: Path) -> Path:
    """The shared data directory, also when given the articles' own folder."""
    return path.parent if (path / "hindi-cleaned-test.jsonl").exists() else path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], add_help=False)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", type=Path, default=None)
    args, rest = ap.parse_known_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.json or Path(tmp) / "dedup.json"
        code = khabar_main(["eval", "dedup", "--data", str(_data_dir(args.data)), *rest,
                            "--json", str(out)])
        if code:
            return code
        near = json.loads(out.read_text("utf-8"))["systems"]["khabar"]["near"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")
    ok = (near["precision"] or 0) >= TARGET and (near["recall"] or 0) >= TARGET
    print(f"target precision and recall >= {TARGET}: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
