"""The evaluation baselines on small texts written for these tests."""

from __future__ import annotations

import math

import pytest

from khabar import lang
from khabar.eval import baselines as bl
from khabar.models import Sentence

TEXTS = [
    "सोमवार सुबह दिल्ली में तेज़ बारिश हुई।",
    "शहर के कई इलाकों में पानी भर गया और यातायात धीमा रहा।",
    "नगर निगम ने कहा कि 2,000 कर्मचारी सड़कों से पानी निकाल रहे हैं।",
    "मौसम विभाग ने मंगलवार के लिए भी चेतावनी जारी की है।",
    "स्कूलों में एक दिन की छुट्टी घोषित की गई।",
]


def _sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(id=i, text=t, paragraph=0) for i, t in enumerate(texts)]


@pytest.mark.parametrize("n", [1, 3, 7, 12])
def test_cut_words_keeps_exactly_n_words(n: int) -> None:
    text = " ".join(TEXTS)
    cut = bl.cut_words(text, n)
    assert lang.count_words(cut) == n
    assert text.startswith(cut)
    # "2,000" is one word in khabar's count, and the cut never splits it.
    assert "2,0" not in cut or "2,000" in cut


def test_cut_words_shorter_text_and_zero() -> None:
    assert bl.cut_words("दो शब्द", 5) == "दो शब्द"
    assert bl.cut_words("दो शब्द", 0) == ""


@pytest.mark.parametrize("words", [5, 14, 23, 40])
def test_lead_n_words_fills_to_exactly_n(words: int) -> None:
    sents = _sentences(TEXTS)
    picks = bl.fill(bl.lead_order(sents), sents, words)
    assert bl.pick_words(picks) == words
    assert picks[0].text == bl.cut_words(TEXTS[0], words)
    assert [p.ids[0] for p in picks] == list(range(len(picks)))


def test_fill_cuts_the_overflowing_sentence_and_shows_article_order() -> None:
    sents = _sentences(TEXTS)
    picks = bl.fill([3, 0, 1], sents, 12)
    assert bl.pick_words(picks) == 12
    # All of sentence 3, then what is left from sentence 0, shown in article order.
    assert [p.ids for p in picks] == [(0,), (3,)]
    assert picks[1].text == TEXTS[3]
    assert lang.count_words(picks[0].text) == 12 - lang.count_words(TEXTS[3])


def test_fill_of_a_short_article_gives_all_it_has() -> None:
    sents = _sentences(TEXTS[:2])
    total = sum(lang.count_words(t) for t in TEXTS[:2])
    assert bl.pick_words(bl.fill(bl.lead_order(sents), sents, 500)) == total


def test_take_is_in_article_order() -> None:
    sents = _sentences(TEXTS)
    picks = bl.take([4, 1, 2, 0], sents, 3)
    assert [p.ids[0] for p in picks] == [1, 2, 4]
    assert [p.text for p in picks] == [TEXTS[1], TEXTS[2], TEXTS[4]]


def test_textrank_ranks_the_central_sentence_first() -> None:
    # Sentence 2 shares a content word with every other; the others share
    # nothing with each other, so the graph is a star around sentence 2.
    texts = [
        "किसानों ने गेहूं की फसल काटी।",
        "बाज़ार में टमाटर महंगे हुए।",
        "किसानों के टमाटर और गेहूं बाज़ार में बारिश से भीगे।",
        "बारिश ने पहाड़ों पर बर्फ़ गिराई।",
        "नदी किनारे मेला लगा।",
    ]
    sents = _sentences(texts)
    scores = bl.textrank_scores(sents, "hi")
    assert all(s > 0 for s in scores)
    order = bl.textrank_order(sents, "hi")
    assert order[0] == 2
    assert order[-1] == 4  # the isolated sentence ranks last
    assert [p.ids[0] for p in bl.take(order, sents, 1)] == [2]


def test_overlap_similarity_is_textrank_formula() -> None:
    a, b = {"x", "y", "z"}, {"y", "z", "w", "v"}
    assert bl.overlap_similarity(a, b) == pytest.approx(2 / (math.log(3) + math.log(4)))
    assert bl.overlap_similarity(a, {"q"}) == 0.0
    assert bl.overlap_similarity({"x"}, {"x"}) == 1.0


def test_random_is_seeded_and_deterministic() -> None:
    sents = _sentences(TEXTS * 4)
    first = bl.random_order(sents, 13, "doc-1")
    assert first == bl.random_order(sents, 13, "doc-1")
    assert sorted(first) == list(range(len(sents)))
    others = {tuple(bl.random_order(sents, seed, "doc-1")) for seed in range(14, 20)}
    others.add(tuple(bl.random_order(sents, 13, "doc-2")))
    assert any(o != tuple(first) for o in others)  # seeds and documents change the order
    assert first != list(range(len(sents)))
