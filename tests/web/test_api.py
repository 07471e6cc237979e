"""The JSON API against a real SQLite store holding the demo corpus."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from khabar.settings import Settings
from khabar.store import Store

from .conftest import make_app


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is the one error shape with this status (and code)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    return dict(body["error"])


def test_openapi_and_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/briefs",
        "/api/articles/{article_id}",
        "/api/articles/{article_id}/related",
        "/api/search",
        "/api/tags",
        "/api/tags/{slug}",
        "/api/clusters",
        "/api/briefs/{brief_id}/feedback",
        "/api/feedback/stats",
    } <= paths
    assert not any(p.startswith("/articles") for p in paths)  # pages stay out of the schema
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_list_briefs_newest_first_with_cursor(client: TestClient, store: Store) -> None:
    seen: list[int] = []
    dates: list[str] = []
    cursor = None
    for _ in range(20):
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/api/briefs", params=params).json()
        assert len(body["items"]) <= 3
        seen += [item["article_id"] for item in body["items"]]
        dates += [item["date"] or "" for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == store.count() == 11
    assert dates == sorted(dates, reverse=True)
    first = client.get("/api/briefs", params={"limit": 1}).json()["items"][0]
    assert {"title", "bullets", "tags", "read_time_minutes", "summarizer"} <= set(first)
    assert "text" not in first  # lists carry cards, not bodies


def test_list_briefs_filters(client: TestClient) -> None:
    rbi = client.get("/api/briefs", params={"tag": "rbi"}).json()["items"]
    assert rbi and all(any(t["slug"] == "rbi" for t in i["tags"]) for i in rbi)
    assert client.get("/api/briefs", params={"language": "en"}).json()["items"] == []
    hindi = client.get("/api/briefs", params={"language": "hi", "limit": 100}).json()["items"]
    assert len(hindi) == 11
    window = client.get(
        "/api/briefs", params={"date_from": "2025-08-01", "date_to": "2025-12-31", "limit": 100}
    ).json()["items"]
    assert window and all("2025-08-01" <= i["date"] <= "2025-12-31" for i in window)
    assert len(window) < len(hindi)
    source = next(i["site_name"] for i in hindi if i["site_name"] == "दैनिक प्रभात")
    by_source = client.get("/api/briefs", params={"source": source}).json()["items"]
    assert by_source and all(i["site_name"] == source for i in by_source)
    assert len(by_source) < len(hindi)


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not-a-cursor"},
        {"cursor": "'; DROP TABLE articles; --"},
        {"limit": 0},
        {"limit": 1000},
        {"date_from": "13-08-2025"},
        {"unknown": "x"},
    ],
)
def test_list_briefs_bad_params_are_4xx(client: TestClient, params: dict[str, Any]) -> None:
    response = client.get("/api/briefs", params=params)
    assert 400 <= response.status_code < 500
    assert_error(response, response.status_code)


def test_article_with_brief(client: TestClient) -> None:
    body = client.get("/api/articles/1").json()
    assert body["article_id"] == 1 and body["title"]
    assert len(body["bullets"]) == 3
    for bullet in body["bullets"]:
        assert all(0 <= sid < len(body["sentences"]) for sid in bullet["source_sentences"])
    assert body["text"].startswith(body["sentences"][0][:10])


def test_unknown_article_is_404(client: TestClient) -> None:
    assert_error(client.get("/api/articles/999999"), 404, "article_not_found")
    assert_error(client.get("/api/articles/999999/related"), 404, "article_not_found")
    assert_error(client.get("/api/articles/abc"), 422, "validation_error")


def test_related(client: TestClient) -> None:
    related = client.get("/api/articles/2/related", params={"k": 3}).json()
    assert len(related) <= 3
    assert all(r["article_id"] != 2 for r in related)
    # The two RBI rate-cut stories are about the same thing.
    titles = [r["title"] for r in client.get("/api/articles/2/related").json()]
    assert any("रेपो" in t for t in titles)


def test_search_hindi(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "बारिश"}).json()
    assert body["query"] == "बारिश"
    assert body["items"] and any("बारिश" in i["title"] for i in body["items"])
    assert client.get("/api/search", params={"q": "ज्वालामुखी"}).json()["items"]
    assert client.get("/api/search", params={"q": "क़ज़ाख़स्तानी"}).json()["items"] == []


@pytest.mark.parametrize("q", ["ि", "ं्", "   ", "!!!", ""])
def test_search_without_a_word_is_400(client: TestClient, q: str) -> None:
    response = client.get("/api/search", params={"q": q})
    assert response.status_code in (400, 422)
    assert_error(response, response.status_code)


@pytest.mark.parametrize("q", ["' OR 1=1 --", 'बारिश" OR "x', "NEAR(a b)", "a*", "%_"])
def test_search_sql_metacharacters_never_500(client: TestClient, q: str) -> None:
    response = client.get("/api/search", params={"q": q})
    assert response.status_code < 500
    if response.status_code == 200:
        assert isinstance(response.json()["items"], list)


def test_tags_and_tag(client: TestClient) -> None:
    tags = client.get("/api/tags", params={"limit": 500}).json()
    assert tags and all({"name", "english", "slug", "count"} == set(t) for t in tags)
    counts = [t["count"] for t in tags]
    assert counts == sorted(counts, reverse=True)
    one = client.get("/api/tags/rbi").json()
    assert one["tag"]["slug"] == "rbi"
    assert len(one["items"]) == one["tag"]["count"]
    assert_error(client.get("/api/tags/no-such-tag"), 404, "tag_not_found")


def test_clusters_shape(client: TestClient) -> None:
    clusters = client.get("/api/clusters").json()
    assert isinstance(clusters, list)
    for c in clusters:
        assert c["representative"]["article_id"] in {m["article_id"] for m in c["members"]} | {
            c["representative"]["article_id"]
        }


def test_feedback_roundtrip_and_stats(client: TestClient) -> None:
    def stats() -> dict[str, dict[str, Any]]:
        return {row["summarizer"]: row for row in client.get("/api/feedback/stats").json()}

    article = client.get("/api/articles/3").json()
    name = article["summarizer"]
    before = stats().get(name, {"total": 0, "useful": 0, "not_useful": 0, "reasons": {}})
    url = f"/api/briefs/{article['brief_id']}/feedback"
    ok = client.post(url, json={"useful": True})
    assert ok.status_code == 201 and ok.json()["brief_id"] == article["brief_id"]
    no = client.post(url, json={"useful": False, "reason": "too_long", "text": "थोड़ा लंबा"})
    assert no.status_code == 201 and no.json()["id"] > ok.json()["id"]
    after = stats()[name]
    assert after["total"] == before["total"] + 2
    assert after["useful"] == before["useful"] + 1
    assert after["not_useful"] == before["not_useful"] + 1
    assert after["reasons"].get("too_long", 0) == before["reasons"].get("too_long", 0) + 1


@pytest.mark.parametrize(
    "body",
    [
        {"useful": "maybe"},
        {"useful": True, "reason": "boring"},
        {"useful": True, "text": "x" * 1001},
        {"useful": True, "extra": 1},
        {},
    ],
)
def test_feedback_invalid_is_422(client: TestClient, body: dict[str, Any]) -> None:
    assert_error(client.post("/api/briefs/1/feedback", json=body), 422, "validation_error")


def test_feedback_malformed_json_and_unknown_brief(client: TestClient) -> None:
    bad = client.post(
        "/api/briefs/1/feedback",
        content=b'{"useful": tru',
        headers={"content-type": "application/json"},
    )
    assert_error(bad, 422, "validation_error")
    assert_error(client.post("/api/briefs/987654/feedback", json={"useful": True}), 404)


@pytest.mark.parametrize("origin", ["https://evil.example", "http://[::1", "http://h:99999"])
def test_feedback_from_another_origin_is_403(client: TestClient, origin: str) -> None:
    # An Origin Python cannot parse had raised ValueError inside the check.
    response = client.post("/api/briefs/1/feedback", json={"useful": True},
                           headers={"origin": origin})
    assert_error(response, 403, "cross_origin")


def test_feedback_rate_limited_429(store: Store, web_settings: Settings) -> None:
    app = make_app(store, web_settings, feedback_burst=2, feedback_rate_per_s=0.001)
    with TestClient(app) as c:
        codes = [
            c.post("/api/briefs/1/feedback", json={"useful": True}).status_code for _ in range(3)
        ]
        assert codes == [201, 201, 429]
        limited = c.post("/api/briefs/1/feedback", json={"useful": True})
        assert_error(limited, 429, "rate_limited")
        assert int(limited.headers["retry-after"]) >= 1


def test_body_size_limit_413(client: TestClient) -> None:
    big = b'{"useful": true, "text": "' + b"a" * 40_000 + b'"}'
    response = client.post(
        "/api/briefs/1/feedback", content=big, headers={"content-type": "application/json"}
    )
    assert_error(response, 413, "payload_too_large")

    def chunks() -> Any:  # no Content-Length: the limit must hold while streaming
        yield b'{"useful": true, "text": "'
        for _ in range(40):
            yield b"a" * 1000
        yield b'"}'

    streamed = client.post(
        "/api/briefs/1/feedback", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_error(streamed, 413, "payload_too_large")


@pytest.fixture
def fresh(tmp_path: Any, web_settings: Settings) -> Iterator[TestClient]:
    """A client over an empty store of its own, for tests that write briefs."""
    from khabar.store import open_store

    s = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    with TestClient(make_app(s, web_settings)) as c:
        c.store = s  # type: ignore[attr-defined]
        yield c
    s.close()


def test_create_brief_from_html_is_idempotent(fresh: TestClient) -> None:
    client, store = fresh, fresh.store  # type: ignore[attr-defined]
    paragraphs = "".join(
        f"<p>जयपुर में {n} दिन तक चले पुस्तक मेले में हजारों पाठक पहुंचे और आयोजकों ने बताया कि "
        f"इस बार बच्चों की किताबों की बिक्री सबसे ज्यादा रही, जबकि हिंदी उपन्यासों की मांग भी बढ़ी.</p>"
        for n in range(2, 8)
    )
    html = (
        "<html lang='hi'><head><title>जयपुर पुस्तक मेला</title>"
        "<meta property='article:published_time' content='2025-09-01'>"
        "<meta property='og:image' content='/photos/mela.jpg'>"
        "<meta property='article:section' content='राजस्थान'></head>"
        f"<body><article><h1>जयपुर पुस्तक मेले में उमड़े पाठक</h1>"
        "<figure><img src='/photos/mela.jpg'><figcaption>मेले में किताबें देखते बच्चे</figcaption>"
        f"</figure>{paragraphs}<span class='byline'>By Ravi Sharma</span></article></body></html>"
    )
    url = "https://books.example/jaipur-pustak-mela"
    count = store.count()
    first = client.post("/api/briefs", json={"html": html, "url": url})
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["title"] == "जयपुर पुस्तक मेले में उमड़े पाठक"
    assert body["bullets"] and body["read_time_minutes"] >= 1
    assert body["lead_image"] == "https://books.example/photos/mela.jpg"
    assert body["image_caption"] == "मेले में किताबें देखते बच्चे"
    assert body["categories"] == ["राजस्थान"] and body["authors"] == ["Ravi Sharma"]
    again = client.post("/api/briefs", json={"html": html, "url": url})
    assert again.json()["article_id"] == body["article_id"]
    assert store.count() == count + 1
    assert client.get(f"/api/articles/{body['article_id']}").status_code == 200


def test_create_brief_from_text(fresh: TestClient, seed_text: str) -> None:
    response = fresh.post("/api/briefs", json={"text": seed_text})
    assert response.status_code == 201, response.text
    body = response.json()
    assert "पुतिन" in body["title"] and len(body["bullets"]) == 3


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 422),
        ({"html": "<p>x</p>", "text": "x"}, 422),
        ({"html": "", "url": None}, 400),
        ({"text": "बहुत छोटा"}, 422),
        ({"html": "<html><body><p>hi</p></body></html>", "colour": "red"}, 422),
        ({"url": "ftp://example.com/x"}, 400),
        ({"url": "file:///etc/passwd"}, 400),
    ],
)
def test_create_brief_bad_input(fresh: TestClient, body: dict[str, Any], status: int) -> None:
    assert_error(fresh.post("/api/briefs", json=body), status)


def test_create_brief_refuses_private_urls(store: Store, web_settings: Settings) -> None:
    with TestClient(make_app(store, web_settings, allow_private_urls=False)) as c:
        response = c.post("/api/briefs", json={"url": "http://127.0.0.1:9/page"})
        assert_error(response, 400, "url_not_allowed")


def test_create_brief_fetches_url(fresh: TestClient, seed_text: str) -> None:
    import http.server
    import threading

    payload = seed_text.encode("utf-8")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/seed"
        response = fresh.post("/api/briefs", json={"url": url})
        assert response.status_code == 201, response.text
        assert response.json()["url"] == url
    finally:
        server.shutdown()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("DELETE", "/api/briefs", 405),
        ("PUT", "/api/articles/1", 405),
        ("GET", "/api/no/such/route", 404),
        ("GET", "/api/feedback/stats/extra", 404),
    ],
)
def test_error_shape_everywhere(client: TestClient, method: str, path: str, status: int) -> None:
    assert_error(client.request(method, path), status)


def test_store_failure_is_503(web_settings: Settings, tmp_path: Any) -> None:
    from khabar.store import open_store

    broken = open_store(f"sqlite:///{tmp_path / 'gone.db'}")
    broken.close()
    with TestClient(make_app(broken, web_settings)) as c:
        assert_error(c.get("/api/briefs"), 503, "store_unavailable")
        assert_error(c.post("/api/briefs/1/feedback", json={"useful": True}), 503)
