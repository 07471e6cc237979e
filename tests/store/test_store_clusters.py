"""``khabar clusters``: story clusters of the stored briefs, by words or by the stored vectors."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from storekit import BACKENDS, fresh_store, make_brief, store_url

from khabar.enrich.clusters import cluster_store
from khabar.store import Store, open_store

ROOT = Path(__file__).resolve().parents[2]

FLOOD = [
    "असम में ब्रह्मपुत्र नदी का जलस्तर खतरे के निशान से ऊपर पहुंच गया है।",
    "राज्य के बारह जिलों में बाढ़ से दो लाख से ज्यादा लोग प्रभावित हुए हैं।",
    "आपदा प्रबंधन विभाग ने राहत शिविरों में भोजन और दवाएं भेजी हैं।",
]
MATCH = [
    "भारत ने तीसरे टेस्ट मैच में इंग्लैंड को पांच विकेट से हरा दिया।",
    "कप्तान ने दूसरी पारी में शानदार शतक लगाया और टीम को जीत दिलाई।",
    "इस जीत के साथ भारत ने सीरीज में दो-एक की बढ़त बना ली है।",
]
BUDGET = [
    "वित्त मंत्री ने संसद में नए वित्त वर्ष का बजट पेश किया।",
    "बजट में किसानों और छोटे कारोबारियों के लिए कई योजनाओं की घोषणा हुई।",
    "विपक्ष ने बजट को आम लोगों की उम्मीदों से दूर बताया।",
]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with fresh_store(request.param, tmp_path) as s:
        yield s


def _fill(store: Store) -> dict[str, int]:
    briefs = {
        "flood-a": make_brief("असम में बाढ़ से हालात गंभीर", FLOOD, url="https://a.example/1",
                              site="पहला अखबार"),
        # The same event from another outlet: its own headline, a reworded sentence.
        "flood-b": make_brief(
            "ब्रह्मपुत्र खतरे के निशान के पार",
            [*FLOOD[:2], "राहत शिविरों में भोजन और दवाएं भेजी गई हैं।"],
            url="https://b.example/1",
            site="दूसरा चैनल",
        ),
        "match": make_brief("भारत की शानदार जीत", MATCH, url="https://a.example/2"),
        "budget": make_brief("बजट पेश", BUDGET, url="https://a.example/3"),
    }
    return {name: store.upsert_brief(b).article_id for name, b in briefs.items()}


def test_the_same_event_from_two_outlets_is_one_cluster(store: Store) -> None:
    ids = _fill(store)
    assert cluster_store(store) == (1, 4)
    [cluster] = store.clusters()
    assert {m.article_id for m in cluster["members"]} == {ids["flood-a"], ids["flood-b"]}
    assert cluster_store(store) == (1, 4)  # a second run replaces, not adds
    assert len(store.clusters()) == 1


def test_a_window_run_keeps_the_clusters_of_older_stories(store: Store) -> None:
    ids = _fill(store)
    older = [ids["match"], ids["budget"]]
    store.set_clusters([older])  # an earlier run's cluster of two stories now past the window
    for name in ("flood-a", "flood-b"):  # the newest two: the next run's window
        store.upsert_brief(make_brief(f"{name} ताज़ा", FLOOD, url=f"https://{name}.example/9"))
    assert cluster_store(store, limit=2) == (1, 2)
    got = sorted(sorted(m.article_id for m in c["members"]) for c in store.clusters())
    assert len(got) == 2 and sorted(older) in got


def test_stored_vectors_decide_when_every_brief_has_one(store: Store) -> None:
    ids = _fill(store)
    e = np.eye(4)
    vectors = {"flood-a": e[0], "flood-b": e[1], "match": e[2], "budget": e[2] + 0.01 * e[3]}
    stored = {b.article_id: b for b in store.vector_backlog(model="m", limit=10)}
    store.set_vectors(
        [(ids[n], stored[ids[n]].brief_id, v) for n, v in vectors.items()], model="m"
    )
    # By meaning now: the match and the budget are "one event", the floods not.
    assert cluster_store(store) == (1, 4)
    [cluster] = store.clusters()
    assert {m.article_id for m in cluster["members"]} == {ids["match"], ids["budget"]}


def test_khabar_clusters_command(tmp_path: Path) -> None:
    with store_url("sqlite", tmp_path) as url:
        store = open_store(url)
        try:
            _fill(store)
        finally:
            store.close()
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
        run = subprocess.run(
            [sys.executable, "-m", "khabar", "clusters", "--db", url],
            capture_output=True, text=True, env=env, timeout=300, check=False,
        )
        assert run.returncode == 0, run.stderr
        assert "1 cluster(s) of 2 or more among 4 brief(s)" in run.stderr
        bad = subprocess.run(
            [sys.executable, "-m", "khabar", "clusters", "--db", url, "--limit", "0"],
            capture_output=True, text=True, env=env, timeout=300, check=False,
        )
        assert bad.returncode == 2 and "--limit" in bad.stderr
