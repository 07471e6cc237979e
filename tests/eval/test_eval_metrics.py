"""The evaluation metrics on small texts written for these tests."""

from __future__ import annotations

import sys

import pytest

from khabar.errors import MissingDependencyError
from khabar.eval import metrics
from khabar.models import Sentence

pytest.importorskip("multilingual_rouge")

HINDI = "सरकार ने किसानों के लिए नई योजना की घोषणा की।"
HINDI_OTHER = "क्रिकेट टीम आज शाम मुंबई पहुंचेगी।"
BENGALI = "সরকার কৃষকদের জন্য নতুন প্রকল্প ঘোষণা করেছে।"
BENGALI_OTHER = "ক্রিকেট দল আজ সন্ধ্যায় ঢাকায় পৌঁছাবে।"


def test_hindi_rouge_identical_is_one_and_disjoint_is_zero() -> None:
    rouge = metrics.rouge_for("hi")
    assert "stemmed" in rouge.note
    same = rouge.score([HINDI], HINDI)
    assert same == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}
    assert rouge.score([HINDI], HINDI_OTHER) == {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}


def test_hindi_rouge_does_not_drop_devanagari() -> None:
    # Half the words shared: the standard English scorer would see no tokens at all.
    rouge = metrics.rouge_for("hi")
    half = rouge.score(["सरकार ने नई योजना बनाई"], "सरकार ने पुरानी नीति बदली")["rouge1"]
    assert 0.2 < half < 0.8


def test_bengali_is_scored_unstemmed_and_says_so() -> None:
    rouge = metrics.rouge_for("bn")
    assert "UNSTEMMED" in rouge.note
    assert rouge.score([BENGALI], BENGALI)["rouge1"] == 1.0
    assert rouge.score([BENGALI], BENGALI_OTHER)["rouge1"] == 0.0


def test_digits_and_quotes_are_compared_in_canonical_form() -> None:
    """khabar's bullets carry ASCII digits; a BNLPC reference keeps Bengali ones."""
    rouge = metrics.rouge_for("bn")
    reference = "আরও ১০ মামলায় “জামিন” পেয়েছেন"
    assert rouge.score([reference], 'আরও 10 মামলায় "জামিন" পেয়েছেন')["rouge2"] == 1.0
    assert rouge.score([reference], "আরও 11 মামলায় জামিন পেয়েছেন")["rouge1"] < 1.0


def test_several_references_are_averaged() -> None:
    rouge = metrics.rouge_for("hi")
    score = rouge.score([HINDI, HINDI_OTHER], HINDI)
    assert score["rouge1"] == pytest.approx(0.5)


def test_english_uses_rouge_score_with_porter_stemming() -> None:
    pytest.importorskip("rouge_score")
    rouge = metrics.rouge_for("en")
    assert "Porter" in rouge.note
    # "running"/"run" and "cats"/"cat" match only after stemming.
    assert rouge.score(["the cats were running"], "cat run")["rouge1"] > 0.5


def test_missing_scorer_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes the import fail as if not installed.
    monkeypatch.setitem(sys.modules, "rouge_score", None)
    monkeypatch.setitem(sys.modules, "rouge_score.rouge_scorer", None)
    with pytest.raises(MissingDependencyError) as info:
        metrics.rouge_for("en")
    assert info.value.extra == "eval"
    assert "rouge-score" in str(info.value)


def test_chrf_when_sacrebleu_is_installed() -> None:
    pytest.importorskip("sacrebleu")
    chrf = metrics.chrf_scorer()
    assert chrf is not None
    assert chrf(HINDI, HINDI) == pytest.approx(1.0)
    assert chrf(HINDI, HINDI_OTHER) < 0.2


def test_reference_sentence_ids_and_sentence_pr() -> None:
    sents = [
        Sentence(0, HINDI, 0),
        Sentence(1, HINDI_OTHER, 0),
        Sentence(2, "मौसम विभाग ने बारिश की चेतावनी जारी की।", 1),
    ]
    # The reference copied sentences 0 and 2 (with a spacing change).
    reference = f"{HINDI}\n मौसम विभाग ने बारिश की चेतावनी  जारी की। "
    gold = metrics.reference_sentence_ids(reference, sents)
    assert gold == {0, 2}
    assert metrics.sentence_pr({0, 1}, gold) == (0.5, 0.5)
    assert metrics.sentence_pr(set(), gold) == (0.0, 0.0)


def test_balanced_accuracy() -> None:
    gold = [True, True, True, False]
    assert metrics.balanced_accuracy([True] * 4, gold) == 0.5  # a constant answer
    assert metrics.balanced_accuracy(gold, gold) == 1.0
    assert metrics.balanced_accuracy([True, False, True, False], gold) == pytest.approx(5 / 6)


def test_word_overlap() -> None:
    tokens = {"the", "cat", "sat"}
    assert metrics.word_overlap("The cat ran", tokens) == pytest.approx(2 / 3)
    assert metrics.word_overlap("", tokens) == 0.0
