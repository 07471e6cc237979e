"""How tags read: the share shown as romanised Hindi, and one-word tags of vague nouns.

    python benchmarks/tag_names.py [--shared ../shared] [--covid 400] [--bengali]

Briefs the 344 BBC Hindi articles and the first N hindi-covid-news stories
(lexical, no embeddings) and counts, over their keyphrase and entity tags:
how many show their name romanised word for word ("Grih Mantralay") rather
than an English name ("Home Ministry"), which includes names whose romanised
form is their English one ("Pakistan"); and the commonest tags. Figures go
to stdout; run it before and after a change of the tag data files.

``--bengali`` briefs the 100 articles of bnlpc-bengali-dev instead and adds
two checks that need no hand labels: the share of tags whose words the three
human summaries also use (a word matches a summary word that begins with it,
or that it begins with and is at most three letters shorter, so "মামলা"
matches "মামলায়"), and the share of one-word tags that are an inflected
form ("মামলায়" in the case, "দেশের" of the country) of a word the same
article also writes bare.
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
from khabar.enrich.translit import bengali_to_devanagari, to_latin  # noqa: E402
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


def _bengali(shared: Path) -> list[tuple[str, list[str]]]:
    path = shared / "data" / "bnlpc-bengali-dev" / "bnlpc-dev.jsonl"
    out = []
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        out.append((f"{row.get('title') or ''}\n\n{row.get('text') or ''}", row["summaries"]))
    return out


# Bengali case and plural endings, longest first: the check's own list, kept
# apart from khabar's data files so that it measures them.
_BN_ENDINGS = ("গুলোর", "গুলো", "দের", "েরা", "ের", "রা", "য়", "তে", "কে", "র", "ে")


def _inflected(word: str, bare: set[str]) -> bool:
    return any(
        word.endswith(e) and len(word) > len(e) + 1 and word[: -len(e)] in bare
        for e in _BN_ENDINGS
    )


def _in_summaries(name: str, words: set[str]) -> bool:
    return all(
        any(w.startswith(t) or (len(w) >= max(3, len(t) - 3) and t.startswith(w)) for w in words)
        for t in name.split()
    )


def bengali(shared: Path) -> int:
    from khabar import lang

    settings = Settings(embed="off")
    names: Counter[tuple[str, str]] = Counter()
    tags = supported = one_word = inflected = latin = briefed = 0
    for text, summaries in _bengali(shared):
        try:
            result = brief(text.encode("utf-8"), settings=settings)
        except KhabarError:
            continue
        briefed += 1
        bare = set(lang.tokenize(lang.normalize(text)))
        words = set(lang.tokenize(lang.normalize(" ".join(summaries))))
        for tag in result.tags:
            if tag.source == "publisher":
                continue
            tags += 1
            name = lang.normalize(tag.name)
            names[(tag.name, tag.english)] += 1
            supported += _in_summaries(name, words)
            latin += tag.english != _romanised(tag.name)
            if " " not in name:
                one_word += 1
                inflected += _inflected(name, bare)
    print(f"{briefed} Bengali articles, {tags} keyphrase and entity tags "
          f"({tags / max(briefed, 1):.1f} an article)")
    print(f"words in the human summaries: {supported} ({supported / max(tags, 1):.1%})")
    print(f"one-word tags inflected while the article has the bare word: {inflected} of "
          f"{one_word} ({inflected / max(one_word, 1):.1%})")
    print(f"shown with an English name, not romanised: {latin} ({latin / max(tags, 1):.1%})")
    for (name, english), n in names.most_common(60):
        print(f"  {n:4d}  {name}  {english}")
    return 0


def _romanised(name: str) -> str:
    latin = to_latin(bengali_to_devanagari(name))
    return " ".join(w[:1].upper() + w[1:] for w in latin.split())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--covid", type=int, default=400)
    ap.add_argument("--bengali", action="store_true", help="the Bengali set's checks instead")
    args = ap.parse_args()
    if args.bengali:
        return bengali(args.shared)
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
