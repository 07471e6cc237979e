"""Story clusters across outlets (khabar.enrich.clusters)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import khabar
from khabar.enrich.clusters import DAY_SHARE, StoryItem, cluster_stories

DEMO = Path(khabar.__file__).parent / "demo" / "pages"

A = (
    "भारतीय रिज़र्व बैंक ने रेपो रेट में कटौती की है। इससे होम लोन और कार लोन सस्ते होंगे। "
    "गवर्नर ने कहा कि महंगाई काबू में है और विकास दर को सहारा देना ज़रूरी है।"
)


def at(degrees: float) -> list[float]:
    return [math.cos(math.radians(degrees)), math.sin(math.radians(degrees))]


def test_demo_pages_on_one_event_cluster_together() -> None:
    manifest = json.loads((DEMO / "MANIFEST.json").read_text("utf-8"))
    items = []
    for page in manifest:
        article = khabar.extract((DEMO / page["file"]).read_bytes())
        text = f"{article.title}\n{article.text}"
        items.append(StoryItem(page["file"], text, page["date"], page["file"]))
    clusters = cluster_stories(items, embeddings=False)
    events: dict[str, set[str]] = {}
    for page in manifest:
        events.setdefault(page["event"], set()).add(page["file"])
    assert sorted(sorted(c.members) for c in clusters) == sorted(sorted(v) for v in events.values())
    rbi = clusters[0]
    assert len(rbi.members) == 2 and rbi.representative in rbi.members
    assert set(rbi.sources) == set(rbi.members)


def test_time_window_separates_same_words_far_apart() -> None:
    items = [StoryItem("x", A, "2025-01-01"), StoryItem("y", A, "2025-03-01"), StoryItem("z", A)]
    clusters = cluster_stories(items, embeddings=False)
    # The undated copy may join either; the two dated ones never share a cluster.
    assert not any({"x", "y"} <= set(c.members) for c in clusters)


def test_a_chain_of_similar_pairs_is_not_one_event() -> None:
    """Stories 20 degrees apart link pairwise, the ends (40 degrees) do not."""
    items = [StoryItem(name, name, vector=at(d))
             for name, d in (("a", 0), ("b", 20), ("c", 40), ("d", 60))]
    clusters = cluster_stories(items, threshold=0.9)  # cos 20 deg = 0.94, cos 40 deg = 0.77
    assert all(len(c.members) <= 2 for c in clusters), clusters
    assert {"a", "b"} in [set(c.members) for c in clusters]
    # Copies of one story stay together, however many there are.
    copies = [StoryItem(f"{i}", "x", vector=at(i * 0.5)) for i in range(8)]
    assert [len(c.members) for c in cluster_stories(copies, threshold=0.9)] == [8]


def test_stories_a_day_apart_must_be_more_alike() -> None:
    """cos 22 deg (0.927) clears 0.92 on one day; a day apart it must clear 0.932."""
    assert math.cos(math.radians(22)) < 0.92 + 0.08 * DAY_SHARE
    same_day = [StoryItem("a", "a", "2020-03-22", vector=at(0)),
                StoryItem("b", "b", "2020-03-22", vector=at(22))]
    next_day = [same_day[0], StoryItem("b", "b", "2020-03-23", vector=at(22))]
    close = [same_day[0], StoryItem("b", "b", "2020-03-23", vector=at(10))]  # cos 0.985
    undated = [same_day[0], StoryItem("b", "b", vector=at(22))]

    def sizes(items: list[StoryItem], **kw: float) -> list[int]:
        return [len(c.members) for c in cluster_stories(items, threshold=0.92, **kw)]

    assert sizes(same_day) == [2]
    assert sizes(next_day) == [1, 1]
    assert sizes(next_day, day_share=0.0) == [2]
    assert sizes(close) == [2]
    assert sizes(undated) == [2]  # no date, no gap
