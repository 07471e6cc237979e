"""khabar's extraction beside trafilatura on ScrapingHub AEB: ``khabar eval extract --sets aeb``.

    python benchmarks/extract_aeb.py [path/to/scrapinghub-aeb] [khabar eval extract flags]

Chrome removal in :mod:`khabar.extract.html` must not lower this score;
re-run after editing ``src/khabar/extract/data/*.txt`` or the line rules.
The metric is :mod:`khabar.eval.extract`'s (mean per-page bag-of-words
P/R/F1 over khabar's tokens; a page with no output scores 0), beside
ScrapingHub's own shingle metric. The peer is trafilatura without comments,
as in ScrapingHub's runner, unless ``--extractors`` says otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

from khabar.cli import main as khabar_main


def main(argv: list[str]) -> int:
    aeb = Path("../shared/data/scrapinghub-aeb")
    if argv and not argv[0].startswith("-"):
        aeb, argv = Path(argv[0]), argv[1:]
    if not any(a.startswith("--extractors") for a in argv):
        argv = ["--extractors", "khabar,trafilatura-no-comments", *argv]
    return khabar_main(["eval", "extract", "--data", str(aeb.parent), "--sets", "aeb", *argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
