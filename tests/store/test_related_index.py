"""Store.related() on its term index: the same top-k as a plain scan, kept in sync with writes."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from storekit import BACKENDS, fresh_store, make_brief, store_url

from khabar.enrich import overlap
from khabar.models import Brief
from khabar.store import Store, StoredBrief, open_store
from khabar.store import related as store_related

# Few words and tags, so stories share many of them and scores tie often:
# the index must break ties exactly as the scan does (larger id first).
WORDS = [
    "सरकार",
    "बाजार",
    "बारिश",
    "क्रिकेट",
    "चुनाव",
    "अदालत",
    "किसान",
    "रेलवे",
    "अस्पताल",
    "स्कूल",
    "बैंक",
    "पुलिस",
    "मंत्री",
    "शहर",
    "नदी",
    "उड़ान",
    "बिजली",
    "सड़क",
    "कंपनी",
    "शेयर",
]
TAGS = ("राजनीति", "खेल", "मौसम", "व्यापार", "अदालत")
# Gazetteer places of the home desk and of the foreign desk: stories get desk
# counts, which the index and the scan must weigh alike.
PLACES = ("लखनऊ", "पटना", "मॉस्को", "लंदन", "")


def story(i: int, rng: random.Random, *, variant: int = 0) -> Brief:
    words = rng.sample(WORDS, 6)
    body = [
        f"{' '.join(words[:3])} पर आज नई जानकारी आई।",
        f"{' '.join(words[3:])} के बारे में अधिकारियों ने बताया।",
        f"यह खबर संख्या {i} है और संस्करण {variant} है।",
        f"{rng.choice(PLACES)} {rng.choice(PLACES)} से रिपोर्ट।",
    ]
    tags = rng.sample(TAGS, rng.randint(0, 2))
    return make_brief(
        f"{words[0]} और {words[1]} की खबर", body, url=f"https://r.example/{i}", tags=tags
    )


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with fresh_store(request.param, tmp_path) as s:
        yield s


@pytest.fixture(params=["postings", "row-masks"])
def counting(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways the index counts shared words: posting lists, and row masks for common words."""
    if request.param == "row-masks":
        monkeypatch.setattr(overlap, "DENSE_MIN_ROWS", 1)
        monkeypatch.setattr(overlap, "DENSE_SHARE", 4)
    return str(request.param)


def ids(found: Sequence[StoredBrief]) -> list[int]:
    return [b.article_id for b in found]


def assert_same_as_scan(store: Store, k: int = 5) -> None:
    scan = store._related_exact  # type: ignore[attr-defined]
    with store._reading() as conn:  # type: ignore[attr-defined]
        all_ids = [int(r[0]) for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    for aid in all_ids:
        assert ids(store.related(aid, k=k)) == scan(aid, k=k), aid


def test_index_top_k_equals_the_plain_scan(store: Store, counting: str) -> None:
    rng = random.Random(3)
    briefs = [story(i, rng) for i in range(40)]
    stored = [store.upsert_brief(b) for b in briefs]
    # A copy of one body under another URL: never related to its original.
    original = briefs[0].article.paragraphs
    copy = store.upsert_brief(make_brief("अलग शीर्षक", original, url="https://r.example/copy"))
    assert_same_as_scan(store)
    assert copy.article_id not in ids(store.related(stored[0].article_id, k=40))
    assert len(store.related(stored[1].article_id, k=100)) <= 40


def test_index_follows_new_and_updated_briefs(store: Store, counting: str) -> None:
    rng = random.Random(4)
    for i in range(20):
        store.upsert_brief(story(i, rng))
    first = store.related(1, k=3)  # builds the index
    assert first
    for i in range(20, 30):  # new stories after the index was built
        store.upsert_brief(story(i, rng))
    for i in range(0, 20, 3):  # and new words for old ones (same URL, new body)
        store.upsert_brief(story(i, rng, variant=1))
    assert_same_as_scan(store)


def test_a_second_store_object_sees_writes_of_the_first(tmp_path: Path) -> None:
    with store_url("sqlite", tmp_path) as url:
        reader, writer = open_store(url), open_store(url)
        try:
            rng = random.Random(5)
            for i in range(10):
                writer.upsert_brief(story(i, rng))
            reader.related(1)
            late = writer.upsert_brief(story(99, rng))
            assert ids(reader.related(late.article_id, k=5)) == reader._related_exact(  # type: ignore[attr-defined]
                late.article_id, k=5
            )
            assert reader.related(late.article_id)
        finally:
            reader.close()
            writer.close()


def test_checksum_rebuilds_an_index_that_missed_a_write(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(6)
    for i in range(15):
        store.upsert_brief(story(i, rng))
    store.related(1)
    # Simulate a commit that incremental syncs cannot see (on PostgreSQL, one
    # older than the sync margin): syncing does nothing, the checksum must notice.
    monkeypatch.setattr(type(store), "_related_sync", lambda self, conn, state: None)
    late = store.upsert_brief(story(50, rng))
    monkeypatch.setattr(store_related, "RELATED_FULL_CHECK_S", 0.0)
    assert ids(store.related(late.article_id, k=5)) == store._related_exact(  # type: ignore[attr-defined]
        late.article_id, k=5
    )
    assert store.related(late.article_id)


def test_unknown_and_bad_ids(store: Store) -> None:
    assert store.related(1) == []
    store.upsert_brief(story(1, random.Random(7)))
    assert store.related(1) == []  # alone: nothing to relate
    assert store.related(999) == [] and store.related(-1) == [] and store.related(1, k=0) == []


def test_serve_warm_up_builds_the_index_before_any_request(store: Store) -> None:
    from khabar.web.serve import start_warm_up

    rng = random.Random(5)
    for i in range(15):
        store.upsert_brief(story(i, rng))
    assert "_related_state" not in store.__dict__
    start_warm_up(store).join(timeout=60)
    state = store.__dict__.get("_related_state")
    assert state is not None and len(state.index) == 15
    assert_same_as_scan(store)  # and it serves the same answers as a scan


def test_an_edited_copy_is_not_related_to_its_story(store: Store) -> None:
    body = [
        "नगर निगम ने शहर के पुराने बाजार में नई पाइपलाइन बिछाने का काम शुरू किया।",
        "अधिकारियों के मुताबिक काम तीन हफ्ते चलेगा और दो सड़कें बंद रहेंगी।",
        "व्यापारियों ने कहा कि त्योहारों से पहले काम पूरा होना चाहिए।",
        "निगम आयुक्त ने बताया कि पानी की आपूर्ति रात में बहाल की जाएगी।",
        "पिछले साल बारिश में इस बाजार की सड़कों पर पानी भर गया था।",
    ]
    story_ = store.upsert_brief(make_brief("बाजार में पाइपलाइन का काम", body, url="https://n/1"))
    # Another outlet: new headline, its own chrome line, the last paragraph cut.
    copy = store.upsert_brief(
        make_brief("पुराने बाजार की सड़कें बंद", [*body[:4], "ऐप डाउनलोड करें"], url="https://n/2")
    )
    other = store.upsert_brief(
        make_brief(
            "बारिश से सड़कों पर पानी",
            [
                "तेज बारिश के बाद शहर की कई सड़कों पर पानी भर गया।",
                "नगर निगम ने पंप लगाकर पानी निकालने का काम शुरू किया।",
                "बाजार की कई दुकानों में पानी घुस गया और व्यापारियों को नुकसान हुआ।",
            ],
            url="https://n/3",
        )
    )
    assert ids(store.related(story_.article_id, k=5)) == [other.article_id]
    assert ids(store.related(copy.article_id, k=5)) == [other.article_id]
    assert_same_as_scan(store)
