"""How bullets read at their edges: cut off mid-sentence, or opening on what
belongs to another sentence.

    python benchmarks/bullet_openings.py [--shared ../shared] [--covid 600]

Briefs the 344 BBC Hindi articles and the first N hindi-covid-news stories
(lexical) and counts bullets that end in "…" (cut after 25 words), that open
on a connective, particle or verb whose other half is in the sentence before
("भी ...", "बताया कि ...", "पर ...", "क्योंकि ..."), or on a quote mark (most
are quoted names, "'बर्फी' रिलीज़ होने के बाद ...", which are fine; a stray mark
before a speaker is not). Counts and examples go to stdout; run it before and
after a change of the summarizer's deletion rules.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tag_names import _texts  # noqa: E402  (the same 344 + N articles)

from khabar import KhabarError, brief  # noqa: E402
from khabar.settings import Settings  # noqa: E402

# The check's own list, kept apart from the summarizer's data files.
OPENERS = frozenset([
    "भी", "ही", "तो", "और", "लेकिन", "जबकि", "कि",
    "बताया", "कहा", "इसलिए", "क्योंकि", "वहीं", "पर", "मगर",
])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--covid", type=int, default=600)
    ap.add_argument("--examples", type=int, default=5)
    args = ap.parse_args()
    settings = Settings(embed="off")
    kinds: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    bullets = 0
    for text in _texts(args.shared, args.covid):
        try:
            result = brief(text.encode("utf-8"), settings=settings)
        except KhabarError:
            continue
        for bullet in result.bullets:
            bullets += 1
            first = bullet.text.split()[0]
            kind = ("cut" if bullet.text.endswith("…") else
                    "opener" if first in OPENERS else
                    "quote" if first[0] in "'\"“‘" else None)
            if kind:
                kinds[kind] += 1
                examples[kind].append(bullet.text[:120])
    print(f"{bullets} bullets: cut off {kinds['cut']}, opening on a connective or verb "
          f"{kinds['opener']}, opening on a quote mark {kinds['quote']}")
    for kind, found in examples.items():
        for example in found[: args.examples]:
            print(f"  {kind:6s} {example}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
