"""The store's related-story index: exact scores, ties, exclusions, replacement, compaction."""

from __future__ import annotations

import math

import pytest

from khabar.enrich import overlap


def idf(stories: int, df: int) -> float:
    """The idf the index uses, in its integer units: log((N + 1) / df) * IDF_SCALE, rounded."""
    return float(round(math.log((stories + 1) / df) * overlap.IDF_SCALE))


def test_overlap_index_scores_ties_and_exclusions() -> None:
    index = overlap.OverlapIndex()
    index.put(1, ["a", "b", "c"], [10], "h1", version=1)
    index.put(2, ["a", "b"], [10], "h2", version=2)
    index.put(3, ["c", "d"], [], "h3", version=3)
    index.put(4, ["a", "b", "c"], [], "h1", version=4)  # same body as 1
    index.put(5, ["c", "d"], [], "h5", version=5)  # ties with 3
    index.put(6, ["z"], [], "h6", version=6)  # shares nothing
    top = index.top(1, 10, tag_weight=0.5)
    assert [i for i, _ in top] == [2, 5, 3]
    # Six stories: a and b in 3 of them, c in 4.
    a, c = idf(6, 3), idf(6, 4)
    query = 2 * a + c
    assert top[0][1] == (2 * a) / query * math.sqrt(3 / 2) + 0.5
    assert top[1][1] == top[2][1] == c / query * math.sqrt(3 / 2)
    assert [i for i, _ in index.top(1, 1)] == [2]
    assert [i for i, _ in index.top(1, 10, exclude=[2])] == [5, 3]
    assert index.top(99, 5) == [] and index.top(1, 0) == []
    assert index.version(4) == 4 and index.version(99) is None and len(index) == 6


def test_overlap_index_replaces_and_compacts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(overlap, "COMPACT_MIN_ROWS", 4)
    index = overlap.OverlapIndex()
    for i in range(6):
        index.put(i, [f"w{i}", "shared"], [], f"{i:x}")
    for round_ in range(3):  # every story replaced three times: compaction must run
        for i in range(6):
            index.put(i, [f"w{i}", f"r{round_}", "shared"], [i % 2], f"{i:x}", version=round_)
    assert len(index) == 6 and index.dead_share < overlap.COMPACT_DEAD_SHARE
    assert index.version(3) == 2
    top = index.top(0, 6)
    # Story 0 now shares "r2", "shared" and tag 0 with 2 and 4; "r2", "shared" with the rest.
    assert [i for i, _ in top] == [4, 2, 5, 3, 1]
    # Live counts, not posting lengths (24 rows hold "shared"): both shared words are in
    # all 6 live stories, each story's own word in one.
    common, own = idf(6, 6), idf(6, 1)
    words = 2 * common / (own + 2 * common)
    assert top[0][1] == words + overlap.TAG_WEIGHT and top[-1][1] == words


def test_a_rare_shared_word_outranks_a_common_one() -> None:
    """Jaccard ranks story 2 first (1/3 against 1/4); idf weighting ranks story 1 first."""
    index = overlap.OverlapIndex()
    index.put(1, ["rare", "x1", "x2"], [], "h1")
    index.put(2, ["common", "y1"], [], "h2")
    for i in range(3, 13):  # "common" is in most stories
        index.put(i, ["common", f"z{i}", f"w{i}"], [], f"h{i}")
    index.put(99, ["rare", "common"], [], "h99")
    top = index.top(99, 2, tag_weight=0.0)
    assert [i for i, _ in top] == [1, 2]
    assert top[0][1] > 2 * top[1][1]


def test_a_story_scores_one_against_its_own_words() -> None:
    index = overlap.OverlapIndex()
    index.put(1, ["a", "b", "c"], [7], "h1")
    index.put(2, ["a", "b", "c"], [7], "h2")  # same words, another body
    index.put(3, ["d"], [], "h3")
    assert index.top(1, 5, tag_weight=0.25) == [(2, 1.25)]


def test_document_frequencies_follow_replacements() -> None:
    """Replacing a story moves its words' idf: the index keeps live counts, not posting lengths."""
    index = overlap.OverlapIndex()
    index.put(1, ["a", "b"], [], "h1")
    index.put(2, ["a", "c"], [], "h2")
    index.put(3, ["b", "d"], [], "h3")
    index.put(2, ["b", "c"], [], "h2b", version=1)  # "a" now only in story 1, "b" in all
    top = index.top(1, 5, tag_weight=0.0)
    b, a = idf(3, 3), idf(3, 1)
    assert top == [(3, b / (a + b)), (2, b / (a + b))]
    assert overlap.idf_weight(3, 3) == b and overlap.idf_weight(3, 0) == 0


@pytest.mark.parametrize("desk_weight", [0.0, overlap.DESK_WEIGHT, 0.3])
def test_scores_equal_the_scalar_reference(desk_weight: float) -> None:
    """top() and pair_score() plus desk_cosine() (the store's plain scan) give the same floats."""
    import random

    rng = random.Random(11)
    words = [f"w{i}" for i in range(30)]
    stories = {i: set(rng.sample(words, rng.randint(1, 12))) for i in range(1, 60)}
    tags = {i: set(rng.sample(range(5), rng.randint(0, 2))) for i in stories}
    desks = {i: (rng.choice([0, 0, 1, 3, 7]), rng.choice([0, 0, 2, 5])) for i in stories}
    index = overlap.OverlapIndex()
    for i, terms in stories.items():
        index.put(i, sorted(terms), sorted(tags[i]), f"{i:x}", desk=desks[i])
    df = {w: sum(w in t for t in stories.values()) for w in words}
    weight = {w: overlap.idf_weight(len(stories), df[w]) for w in words}
    for q, mine in stories.items():
        expected = []
        for other, theirs in stories.items():
            if other == q:
                continue
            score = overlap.pair_score(
                sum(weight[w] for w in mine & theirs),
                sum(weight[w] for w in mine),
                len(mine),
                len(theirs),
                len(tags[q] & tags[other]),
                len(tags[q]),
                overlap.TAG_WEIGHT,
            )
            if desk_weight > 0:
                score += desk_weight * overlap.desk_cosine(desks[q], desks[other])
            if score > 0:
                expected.append((other, score))
        expected.sort(key=lambda s: (-s[1], -s[0]))
        assert index.top(q, 8, desk_weight=desk_weight) == expected[:8], q


def test_the_desk_lifts_a_story_of_the_same_desk() -> None:
    index = overlap.OverlapIndex()
    index.put(1, ["vote", "count", "result"], [], "1", desk=(0, 5))  # a foreign election
    index.put(2, ["vote", "count", "result"], [], "2", desk=(0, 4))  # another foreign one
    index.put(3, ["vote", "count", "result"], [], "3", desk=(6, 0))  # a state election
    index.put(4, ["vote", "turnout"], [], "4", desk=(0, 0))
    assert [i for i, _ in index.top(1, 2)] == [3, 2]  # a tie on words: the larger id first
    assert [i for i, _ in index.top(1, 2, desk_weight=0.05)] == [2, 3]
    # Replaced and compacted, story 3 turns foreign: the tie is back.
    index.put(3, ["vote", "count", "result"], [], "3", desk=(0, 6))
    index._compact()
    assert [i for i, _ in index.top(1, 2, desk_weight=0.05)] == [3, 2]
    assert overlap.desk_cosine((0, 0), (3, 1)) == 0.0
