"""``khabar eval related``: precision@5 broken down by the query's category."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import require_shared, run_eval_json
from khabar.eval.neighbours import precision_at_k, precision_by_label


def test_precision_by_label_splits_the_overall_figure() -> None:
    labels = ["a", "a", "a", "b"]
    found = [[1, 2], [0, 3], [3, 3], [0, 1]]
    by = precision_by_label(labels, found, k=2)
    assert list(by) == ["a", "b"]  # most frequent first
    assert by == {"a": pytest.approx(3 / 6, abs=1e-4), "b": 0.0}
    # The per-label figures, weighted by queries, give back the overall one.
    overall = precision_at_k(labels, found, k=2)
    assert overall == pytest.approx((3 * by["a"] + 1 * by["b"]) / 4, abs=1e-4)


def test_short_answers_are_charged_per_label() -> None:
    assert precision_by_label(["a", "a", "b"], [[1], [], [0]], k=2) == {"a": 0.25, "b": 0.0}


@pytest.mark.shared
def test_bbc_hindi_table_names_every_category(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = require_shared("data")
    require_shared("data", "bbc-hindi-articles")
    arts = run_eval_json(tmp_path, "related", "--data", str(data), "--sets", "articles",
                         "--limit", "120", "--embed", "off")["sets"]["articles"]
    out = capsys.readouterr().out
    assert "by query category" in out
    for name, row in arts["rows"].items():
        by = row["by_category"]
        assert set(by) == set(arts["categories"]), name
        mean = sum(by[c] * n for c, n in arts["categories"].items()) / arts["articles"]
        assert mean == pytest.approx(row["p_at_5"], abs=1e-3), name
