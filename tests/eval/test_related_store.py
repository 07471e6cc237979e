"""What readers get: ``Store.related`` on briefed BBC Hindi articles, beside plain TF-IDF."""

from __future__ import annotations

import pytest

from conftest import require_shared
from khabar.eval import datasets
from khabar.eval.neighbours import TfidfBaseline, precision_at_k
from khabar.eval.related import store_related


@pytest.mark.shared
def test_served_related_stories_beat_tfidf_on_bbc_hindi() -> None:
    data = require_shared("data")
    require_shared("data", "bbc-hindi-articles")
    docs = datasets.load_bbc_categories(data)
    labels = [d.label for d in docs]
    texts = [d.text for d in docs]
    base = TfidfBaseline(texts)
    tfidf = precision_at_k(labels, [base.nearest(t, 5, exclude=i) for i, t in enumerate(texts)])
    served = store_related(docs, log=lambda _: None)["khabar-store"]
    # Every text is briefed since promo phrases glued to a paragraph stopped
    # dropping the paragraph (16 had been refused).
    assert served["briefed"] == len(docs), served["refused"]
    # With headline-and-bullet terms and Jaccard it was 0.576 against 0.630;
    # 0.723 now.
    assert served["p_at_5"] > tfidf + 0.05, (served["p_at_5"], tfidf)
    assert served["p_at_5_briefed"] >= served["p_at_5"]
    assert set(served["by_category"]) == set(labels)
