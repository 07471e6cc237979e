"""Summary quality against human summaries, khabar beside lead-3 and TextRank in one run.

    python benchmarks/summary_eval.py [--shared ../shared]

Sets (any directory in these formats works):
- USC Hindi (20 articles, human extractive summaries, one sentence a line):
  multilingual ROUGE-1/2/L F1 (``lang="hindi"``, stemmed) and sentence P/R.
- The seed: khabar's bullets against NDTV's own three AI-summary bullets.
Peers: lead-3 (the first three sentences) and TextRank (PageRank over the
same lexical sentence graph), both cut to the same number of sentences.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from multilingual_rouge import rouge_scorer

import khabar
from khabar.models import Article, Sentence
from khabar.pipeline import split_article
from khabar.summarize.extractive import ExtractiveSummarizer, _cosine, _LexicalSpace

ROOT = Path(__file__).resolve().parent.parent


def lead(sentences: list[Sentence], k: int) -> list[str]:
    return [s.text for s in sentences[:k]]


def textrank(article: Article, sentences: list[Sentence], k: int, iters: int = 50) -> list[str]:
    space = _LexicalSpace([s.text for s in sentences], article.language)
    vecs = [space.vector(s.text) for s in sentences]
    n = len(vecs)
    w = [[_cosine(vecs[i], vecs[j]) if i != j else 0.0 for j in range(n)] for i in range(n)]
    out = [sum(row) or 1.0 for row in w]
    rank = [1.0 / n] * n
    for _ in range(iters):
        rank = [0.15 / n + 0.85 * sum(w[j][i] / out[j] * rank[j] for j in range(n)) for i in range(n)]
    top = sorted(sorted(range(n), key=lambda i: -rank[i])[:k])
    return [sentences[i].text for i in top]


def usc_articles(shared: Path) -> list[tuple[Article, list[str]]]:
    base = shared / "data/usc-hindi-summaries/complete_corpus"
    items = []
    for path in sorted((base / "input").glob("input*.txt"), key=lambda p: int(p.stem[5:])):
        text = path.read_text("utf-8-sig").strip()
        gold_path = base / "human_output" / path.name.replace("input", "output")
        gold = [ln.strip() for ln in gold_path.read_text("utf-8-sig").splitlines() if ln.strip()]
        paragraphs = tuple(p.strip() for p in text.split("\n") if p.strip())
        # These files carry no headline, so khabar's title signal is empty here.
        items.append((Article(title="", paragraphs=paragraphs, language="hi"), gold))
    return items


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], lang="hindi", use_stemmer=True)
    systems = {
        "lead-3": None,
        "textrank": None,
        "khabar-lexical": ExtractiveSummarizer(use_embeddings=False),
        "khabar-embed": ExtractiveSummarizer(use_embeddings=True),
    }
    results: dict[str, dict[str, float]] = {}
    data = usc_articles(args.shared)
    for name, summ in systems.items():
        r1, r2, rl, sp, sr = [], [], [], [], []
        for article, gold in data:
            sents = list(split_article(article))
            k = len(gold)  # same length as the human extract, for every system
            if name == "lead-3":
                picked = lead(sents, k)
            elif name == "textrank":
                picked = textrank(article, sents, k)
            else:
                assert summ is not None
                picked = [b.text for b in summ.summarize(article, sents, bullets=k, max_words=25 * k)]
            score = scorer.score("\n".join(gold), "\n".join(picked))
            r1.append(score["rouge1"].fmeasure)
            r2.append(score["rouge2"].fmeasure)
            rl.append(score["rougeL"].fmeasure)
            norm = {" ".join(g.split()) for g in gold}
            hits = sum(1 for p in picked if " ".join(p.split()) in norm)
            sp.append(hits / max(len(picked), 1))
            sr.append(hits / max(len(gold), 1))
        results[f"usc/{name}"] = {
            "rouge1": statistics.mean(r1), "rouge2": statistics.mean(r2),
            "rougeL": statistics.mean(rl), "sent_p": statistics.mean(sp), "sent_r": statistics.mean(sr),
        }
    seed = args.shared / "seed/ndtv-hindi-2025-08-13.txt"
    article = khabar.extract(seed.read_bytes())
    ref = "\n".join(article.publisher_summary)
    sents = list(split_article(article))
    for name, summ in systems.items():
        if name == "lead-3":
            picked = lead(sents, 3)
        elif name == "textrank":
            picked = textrank(article, sents, 3)
        else:
            assert summ is not None
            picked = [b.text for b in summ.summarize(article, sents)]
        s = scorer.score(ref, "\n".join(picked))
        results[f"seed/{name}"] = {k: s[k].fmeasure for k in ("rouge1", "rouge2", "rougeL")}
    print(f"{'set/system':<22} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'sentP':>6} {'sentR':>6}")
    for key, r in results.items():
        extra = f" {r['sent_p']:>6.3f} {r['sent_r']:>6.3f}" if "sent_p" in r else ""
        print(f"{key:<22} {r['rouge1']:>6.3f} {r['rouge2']:>6.3f} {r['rougeL']:>6.3f}{extra}")
    (ROOT / "benchmarks/results/summary.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
