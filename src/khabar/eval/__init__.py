"""Evaluation: khabar's summaries and verifier beside simple baselines, in one run.

``khabar eval summary --data DIR`` scores khabar's bullets against human
summaries (USC Hindi extracts, the seed's publisher bullets, BNLPC Bengali,
REALSumm and Newsroom English) beside lead, TextRank and random baselines,
each also cut or filled to khabar's length (``@eq``), and runs
reference-free checks on BBC Hindi articles. ``khabar eval verifier --data
DIR`` measures the faithfulness verifier against human factuality labels.

The metrics need the ``[eval]`` extra (``multilingual-rouge``, and
``rouge-score`` for English; ``sacrebleu`` adds chrF++); embedding
similarity needs ``[embed]``. Nothing here is imported by the pipeline.
"""

from __future__ import annotations

from .baselines import Pick, cut_words, lead_order, random_order, take, textrank_order
from .datasets import DatasetUnavailable, EvalDoc, EvalSet
from .summary import SummaryEvalOptions, run_summary_eval
from .verifier import run_verifier_eval

__all__ = [
    "DatasetUnavailable",
    "EvalDoc",
    "EvalSet",
    "Pick",
    "SummaryEvalOptions",
    "cut_words",
    "lead_order",
    "random_order",
    "run_summary_eval",
    "run_verifier_eval",
    "take",
    "textrank_order",
]
