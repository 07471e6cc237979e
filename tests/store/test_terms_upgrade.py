"""Stored related-story terms: the whole body counts, and terms of older code are rewritten."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from storekit import BACKENDS, make_brief, store_url

from khabar import lang
from khabar.models import Brief
from khabar.store import Store, open_store
from khabar.store import related as store_related
from khabar.store.base import (
    DESK_PREFIX,
    MAX_BODY_TERMS,
    TERMS_VERSION,
    article_terms,
    split_terms,
)

# Headlines and bullets say nothing of the topic; only the bodies do.
TOPICS = {
    "cricket": ["बल्लेबाज", "गेंदबाज", "विकेट", "शतक", "पारी", "कप्तान", "मैदान"],
    "rain": ["मानसून", "बादल", "बाढ़", "तूफान", "नमी", "चेतावनी", "मौसम"],
    "court": ["न्यायाधीश", "याचिका", "सुनवाई", "वकील", "फैसला", "अदालत", "जमानत"],
}
LEAD = "आज दिन भर की बड़ी खबरें यहां पढ़िए।"


def topic_story(i: int, topic: str, rng: random.Random) -> Brief:
    body = [LEAD] + [
        " ".join(rng.sample(TOPICS[topic], 4)) + " पर विस्तार से जानकारी दी गई।" for _ in range(3)
    ]
    return make_brief(
        f"आज की खबर {i}", body, url=f"https://t.example/{i}", bullets=[LEAD], tags=[]
    )


def head_only_terms(data: dict[str, Any]) -> str:
    """The terms khabar wrote before TERMS_VERSION 2: headline, standfirst, bullets only."""
    text = " ".join(
        [data.get("title") or "", data.get("standfirst") or ""]
        + [b["text"] for b in data.get("bullets", [])]
    )
    return " ".join(sorted({lang.stem(w, "hi") for w in lang.content_words(text, "hi")}))


def stored_terms(store: Store) -> dict[int, tuple[str, Any]]:
    with store._reading() as conn:  # type: ignore[attr-defined]
        rows = conn.execute("SELECT id, terms, terms_version FROM articles").fetchall()
    return {int(r[0]): (r[1], r[2]) for r in rows}


def ids(found: Sequence[Any]) -> list[int]:
    return [b.article_id for b in found]


def test_article_terms_take_the_body_and_cap_it() -> None:
    body = ["शतक " * 3 + "विकेट", *(f"शब्द{n}" for n in range(MAX_BODY_TERMS + 50))]
    data = make_brief("खबर", body, bullets=["खबर"]).to_dict()
    terms, desk = split_terms(article_terms(data))
    assert desk == (0, 0)  # no gazetteer name
    assert lang.stem("शतक", "hi") in terms and lang.stem("विकेट", "hi") in terms
    assert len(terms) == MAX_BODY_TERMS + 1  # the headline's word, and the capped body
    assert "शब्द0" in terms and f"शब्द{MAX_BODY_TERMS + 49}" not in terms  # ties: earlier first


def test_the_desk_token_counts_home_and_foreign_names() -> None:
    data = make_brief("मॉस्को में पुतिन", ["लखनऊ में बैठक हुई, फिर मॉस्को से बयान आया।"],
                      bullets=["लखनऊ में बैठक"]).to_dict()
    text = article_terms(data)
    assert text.split()[-1].startswith(DESK_PREFIX)
    words, desk = split_terms(text)
    assert desk == (2, 3)  # लखनऊ twice; मॉस्को twice and पुतिन once
    assert not any(w.startswith("~") for w in words)
    assert split_terms("a b ~desk:x:1") == (["a", "b"], (0, 0))  # a bad token counts nothing
    assert split_terms("") == ([], (0, 0))


@pytest.mark.parametrize("backend", BACKENDS)
def test_terms_of_older_code_are_rewritten(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stories of one topic here are one template: related() would take them
    # for copies of each other, and this test is about terms, not copies.
    monkeypatch.setattr(store_related, "RELATED_NEAR_DUPLICATE", 2.0)
    rng = random.Random(8)
    topic_of: dict[int, str] = {}
    with store_url(backend, tmp_path) as url:
        store = open_store(url)
        try:
            for i in range(12):
                topic = list(TOPICS)[i % 3]
                topic_of[store.upsert_brief(topic_story(i, topic, rng)).article_id] = topic
            # Turn it into a database written by older code (schema step 3): terms
            # of the headline and bullets only, and no terms_version column.
            with store._writing() as conn:  # type: ignore[attr-defined]
                for aid in topic_of:
                    data = store.get(aid).data  # type: ignore[union-attr]
                    conn.execute(
                        store._q("UPDATE articles SET terms = ? WHERE id = ?"),  # type: ignore[attr-defined]
                        (head_only_terms(data), aid),
                    )
                conn.execute("ALTER TABLE articles DROP COLUMN terms_version")
                conn.execute("DELETE FROM schema_migrations WHERE version = 4")
        finally:
            store.close()

        store = open_store(url)  # schema step 4 again: every row is stale
        try:
            assert {v for _, v in stored_terms(store).values()} == {None}
            for aid, topic in topic_of.items():
                found = ids(store.related(aid, k=3))
                assert found == store._related_exact(aid, k=3)  # type: ignore[attr-defined]
                # The bodies are what tells the topics apart: old terms could not.
                assert [topic_of[o] for o in found] == [topic] * 3, aid
            for aid, (terms, version) in stored_terms(store).items():
                assert version == TERMS_VERSION
                assert terms == article_terms(store.get(aid).data)  # type: ignore[union-attr]
        finally:
            store.close()

        # Rewritten once: a new process reads them as they are.
        store = open_store(url)
        try:
            with store._writing() as conn:  # type: ignore[attr-defined]
                conn.execute(
                    store._q("UPDATE articles SET terms = ? WHERE id = ?"),  # type: ignore[attr-defined]
                    ("चिह्न", 1),
                )
            store.related(2)
            assert stored_terms(store)[1] == ("चिह्न", TERMS_VERSION)
        finally:
            store.close()


def test_a_store_on_head_terms_mixes_the_topics(tmp_path: Path) -> None:
    """The same stories ranked on headline-and-bullet terms (the old ones) are not sorted
    by topic: the check above can only pass on the body's words."""
    from khabar.enrich.overlap import OverlapIndex

    rng = random.Random(8)
    briefs = [topic_story(i, list(TOPICS)[i % 3], rng) for i in range(12)]
    index = OverlapIndex()
    for i, b in enumerate(briefs):
        index.put(i, head_only_terms(b.to_dict()).split(), [], f"{i:x}")
    pure = sum(all(o % 3 == i % 3 for o, _ in index.top(i, 3)) for i in range(12))
    assert pure < 12
