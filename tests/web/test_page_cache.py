"""The page cache: pages follow the store at once, each reader keeps their own CSRF token."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from khabar.settings import Settings
from khabar.store import Store, open_store
from khabar.web.pagecache import PageCache
from khabar.web.security import CSRF_COOKIE

from .conftest import make_app

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
from storekit import make_brief

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
BODY = ["दिल्ली में आज तेज बारिश हुई.", "कई सड़कों पर पानी भर गया.", "मौसम विभाग ने चेतावनी दी."]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    store = open_store(url)
    store.upsert_brief(make_brief("दिल्ली में बारिश", BODY, url="https://e.in/rain"))
    yield url, store
    store.close()


def test_page_follows_an_update_from_another_process(
    db: tuple[str, Store], web_settings: Settings
) -> None:
    url, store = db
    with TestClient(make_app(store, web_settings)) as client:
        assert "दिल्ली में बारिश" in client.get("/articles/1").text
        assert "दिल्ली में बारिश" in client.get("/").text
        # Another process (its own store object) ingests a new version of the page.
        other = open_store(url)
        try:
            other.upsert(make_brief("मुंबई में बाढ़", BODY, url="https://e.in/rain"))
            other.upsert_brief(make_brief("नई खबर आई", BODY[:2], url="https://e.in/new"))
        finally:
            other.close()
        article = client.get("/articles/1").text
        assert "मुंबई में बाढ़" in article and "दिल्ली में बारिश" not in article
        feed = client.get("/").text
        assert "नई खबर आई" in feed and "मुंबई में बाढ़" in feed


def test_cached_page_carries_each_readers_own_token(
    db: tuple[str, Store], web_settings: Settings
) -> None:
    _, store = db
    app = make_app(store, web_settings)
    with TestClient(app) as one, TestClient(app) as two:
        first, second = one.get("/articles/1"), two.get("/articles/1")
        assert len(app.state.page_cache) >= 1  # the second answer came from the cache
        cache: PageCache = app.state.page_cache
        for r in (first, second):
            assert cache.token_slot not in r.text
        t1, t2 = TOKEN.search(first.text), TOKEN.search(second.text)
        assert t1 and t2 and t1.group(1) != t2.group(1)
        assert one.cookies.get(CSRF_COOKIE) != two.cookies.get(CSRF_COOKIE)
        form = {"csrf_token": t1.group(1), "useful": "yes"}
        ok = one.post("/articles/1/feedback", data=form, follow_redirects=False)
        assert ok.status_code == 303
        crossed = two.post("/articles/1/feedback", data={"csrf_token": t1.group(1), "useful": "no"})
        assert crossed.status_code == 403


def test_etag_revalidation(db: tuple[str, Store], web_settings: Settings) -> None:
    _, store = db
    with TestClient(make_app(store, web_settings)) as client:
        first = client.get("/articles/1")
        assert "etag" not in first.headers  # no cookie yet: a fresh one is set, nothing to match
        assert first.headers["cache-control"] == "private, no-cache"
        second = client.get("/articles/1")
        etag = second.headers["etag"]
        again = client.get("/articles/1", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["x-content-type-options"] == "nosniff"  # headers stay on a 304
        english = client.get("/articles/1", headers={"If-None-Match": etag, "Cookie": ""})
        assert english.status_code == 200
        store.upsert(make_brief("बदली हुई खबर", BODY, url="https://e.in/rain"))
        changed = client.get("/articles/1", headers={"If-None-Match": etag})
        assert changed.status_code == 200 and "बदली हुई खबर" in changed.text
        assert changed.headers["etag"] != etag


def test_interface_language_is_part_of_the_key(
    db: tuple[str, Store], web_settings: Settings
) -> None:
    _, store = db
    with TestClient(make_app(store, web_settings)) as client:
        hindi = client.get("/").text
        client.get("/ui/en?next=/")
        english = client.get("/").text
        assert '<html lang="hi">' in hindi
        assert english != hindi
        client.get("/ui/hi?next=/")
        assert client.get("/").text.replace("\n", "") == hindi.replace("\n", "")


def test_errors_are_not_cached(db: tuple[str, Store], web_settings: Settings) -> None:
    _, store = db
    with TestClient(make_app(store, web_settings)) as client:
        for _ in range(2):
            r = client.get("/articles/424242", headers={"accept": "application/json"})
            assert r.status_code == 404 and r.json()["error"]["code"] == "article_not_found"
        assert client.get("/?cursor=not-a-cursor").status_code == 400
        store.upsert_brief(make_brief("देर से आई खबर", BODY[:2], url="https://e.in/late"))
        assert client.get("/articles/2").status_code == 200


def test_closed_store_gives_503_not_a_stale_page(tmp_path: Path, web_settings: Settings) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'gone.db'}")
    store.upsert_brief(make_brief("खबर", BODY, url="https://e.in/gone"))
    with TestClient(make_app(store, web_settings)) as client:
        assert client.get("/articles/1").status_code == 200
        store.close()
        r = client.get("/articles/1", headers={"accept": "application/json"})
        assert r.status_code == 503 and r.json()["error"]["code"] == "store_unavailable"
