"""How tags read: the share shown as romanised Hindi, and one-word tags of vague nouns.

    python benchmarks/tag_names.py [--shared ../shared] [--covid 400]

Briefs the 344 BBC Hindi articles and the first N hindi-covid-news stories
(lexical, no embeddings) and counts, over their keyphrase and entity tags:
how many show their name romanised word for word ("Grih Mantralay") rather
than an English name ("Home Ministry"), which includes names whose romanised
form is their English one ("Pakistan"); and the commonest tags. Figures go
to stdout; run it before and after a change of the tag data files.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from khabar import KhabarError, brief  # noqa: E402
from khabar.enrich.translit import to_latin  # noqa: E402
from khabar.settings import Settings  # noqa: E402


def _texts(shared: Path, covid: int) -> list[str]:
    data = shared / "data"
    out = []
    for line in (data / "bbc-hindi-articles" / "hindi-cleaned-test.jsonl").open(encoding="utf-8"):
        text = json.loads(line).get("text") or ""
        if text.strip():
            out.append(text)
    path = data / "hindi-covid-news" / "segmented_headline_body.jsonl"
    for n, line in enumerate(path.open(encoding="utf-8")):
        if n >= covid:
            break
        row = json.loads(line)
        out.append(f"{row.get('headline') or ''}\n\n{row.get('body') or ''}")
    return out


def _romanised(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in to_latin(name).split())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--covid", type=int, default=400)
    args = ap.parse_args()
    settings = Settings(embed="off")
    names: Counter[tuple[str, str]] = Counter()
    tags = romanised = briefed = 0
    for text in _texts(args.shared, args.covid):
        try:
            result = brief(text.encode("utf-8"), settings=settings)
        except KhabarError:
            continue
        briefed += 1
        for tag in result.tags:
            if tag.source == "publisher":
                continue
            tags += 1
            romanised += tag.english == _romanised(tag.name)
            names[(tag.name, tag.english)] += 1
    print(f"{briefed} articles, {tags} keyphrase and entity tags")
    print(f"shown romanised: {romanised} ({romanised / max(tags, 1):.1%})")
    top = names.most_common(60)
    shown = sum(1 for (name, english), _ in top if english == _romanised(name))
    print(f"of the 60 commonest, shown romanised: {shown}")
    for (name, english), n in top:
        print(f"  {n:4d}  {name}  {english}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
