"""The store's related-story index: exact scores, ties, exclusions, replacement, compaction."""

from __future__ import annotations

import pytest

from khabar.enrich import overlap


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
    assert top[0][1] == pytest.approx(2 / 3 + 0.5)
    assert top[1][1] == top[2][1] == pytest.approx(1 / 4)
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
    assert top[0][1] == pytest.approx(2 / 4 + 0.5) and top[-1][1] == pytest.approx(2 / 4)
