"""The faithfulness verifier: numbers, novel words, support, script."""

from __future__ import annotations

import json

from conftest import require_shared
from khabar import lang
from khabar.summarize import verify
from khabar.summarize.verify import Verifier

SOURCE = [
    "रूसी राष्ट्रपति व्लादिमीर पुतिन ने मंगलवार को नॉर्थ कोरिया के नेता किम जोंग को फोन किया.",
    "दोनों देशों ने पिछले साल एक रक्षा समझौते पर हस्ताक्षर किए थे.",
    "नॉर्थ कोरिया ने यूक्रेन में लगभग 12,000 सैनिक भेजे हैं.",
]


def check(text: str, cited: tuple[int, ...] = ()) -> tuple[bool, tuple[str, ...]]:
    verifier = Verifier()
    verdict = verifier.check(text, verifier.index(SOURCE, "hi"), cited)
    return verdict.ok, verdict.reasons


def test_a_copied_sentence_passes() -> None:
    ok, reasons = check(SOURCE[0], (0,))
    assert ok, reasons


def test_a_deletion_of_a_sentence_passes() -> None:
    ok, reasons = check("पुतिन ने नॉर्थ कोरिया के नेता किम जोंग को फोन किया.", (0,))
    assert ok, reasons


def test_an_invented_number_fails() -> None:
    ok, reasons = check("नॉर्थ कोरिया ने यूक्रेन में लगभग 15,000 सैनिक भेजे हैं.")
    assert not ok
    assert any("15,000" in r for r in reasons)


def test_numbers_compare_across_digit_scripts() -> None:
    ok, reasons = check("नॉर्थ कोरिया ने यूक्रेन में लगभग १२,००० सैनिक भेजे हैं.")
    assert ok, reasons


def test_an_invented_name_fails() -> None:
    ok, reasons = check("पुतिन ने मंगलवार को नॉर्थ कोरिया के नेता किम जोंग और शी जिनपिंग को फोन किया.")
    assert not ok
    assert any("जिनपिंग" in r for r in reasons)


def test_english_on_a_hindi_article_fails() -> None:
    ok, reasons = check("Putin called North Korea's leader Kim Jong on Tuesday.")
    assert not ok
    assert "not in the article's script" in reasons


def test_gluing_two_sentences_fails_on_support() -> None:
    # Every word is in the article, but no single sentence says this.
    ok, reasons = check("किम जोंग ने पिछले साल यूक्रेन में रक्षा समझौते पर हस्ताक्षर किए थे.")
    assert not ok
    assert any("support" in r or "word pairs" in r for r in reasons)


def test_empty_bullet_fails() -> None:
    ok, reasons = check("  ")
    assert not ok and reasons == ("empty bullet",)


def test_verifier_beats_word_overlap_on_human_labels() -> None:
    """Evaluation gate: balanced accuracy on qags-mturk CNN/DM (see benchmarks/verifier_eval.py)."""
    path = require_shared("data", "qags-mturk", "mturk_cnndm.jsonl")
    ours: list[tuple[bool, bool]] = []
    overlap: list[tuple[float, bool]] = []
    verifier = Verifier()
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        index = verify.SourceIndex(lang.split_sentences(row["article"], "en"), "en")
        words = {t.lower() for t in lang.tokenize(row["article"])}
        for s in row["summary_sentences"]:
            gold = sum(r["response"] == "yes" for r in s["responses"]) >= 2
            ours.append((verifier.check(s["sentence"], index).ok, gold))
            toks = [t.lower() for t in lang.tokenize(s["sentence"])]
            overlap.append((sum(t in words for t in toks) / max(len(toks), 1), gold))

    def balanced(pairs: list[tuple[bool, bool]]) -> float:
        pos = [p for p, g in pairs if g]
        neg = [not p for p, g in pairs if not g]
        return (sum(pos) / len(pos) + sum(neg) / len(neg)) / 2

    best_overlap = max(balanced([(o >= t / 100, g) for o, g in overlap]) for t in range(50, 101))
    ours_score = balanced(ours)
    assert ours_score >= 0.70
    assert ours_score > best_overlap
