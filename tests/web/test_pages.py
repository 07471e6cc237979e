"""The server-rendered pages, without a browser: content, escaping, the feedback form."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from khabar.settings import Settings
from khabar.store import Store
from khabar.web.security import CSRF_COOKIE

from .conftest import XSS, make_app

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(client: TestClient, article_id: int) -> str:
    """Load the article page (which sets the CSRF cookie) and read the form's token."""
    page = client.get(f"/articles/{article_id}")
    match = TOKEN.search(page.text)
    assert match, "the article page has no CSRF token"
    return match.group(1)


def parsed_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag of a page as the browser's parser would see it."""
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def stats_total(client: TestClient) -> int:
    return sum(int(r["total"]) for r in client.get("/api/feedback/stats").json())


def test_home_lists_cards(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<html lang="hi">' in r.text
    assert "Read Time:" in r.text and "मुंबई में मूसलाधार बारिश" in r.text
    assert r.text.count('class="card"') == 11


def test_article_page_layout(client: TestClient) -> None:
    r = client.get("/articles/1")
    text = r.text
    assert r.status_code == 200
    for needle in (
        "<h1>मुंबई में मूसलाधार बारिश",
        'class="standfirst"',
        "Read Time: 3 mins",
        "AI समरी",
        "क्या हमारी AI समरी आपके लिए उपयोगी रही? हमें बताएं।",
        "अन्य न्यूज़ ब्रीफ",
        'href="/tags/imd"',
        'id="s0"',
    ):
        assert needle in text, needle
    assert text.count('class="bullet"') == 3
    # Every bullet points at sentences that exist in the body.
    for sources in re.findall(r'data-sources="([\d ]+)"', text):
        for sid in sources.split():
            assert f'id="s{sid}"' in text
    # Order of the seed: summary box, then feedback, then body, then tags.
    assert text.index("AI समरी") < text.index("उपयोगी रही") < text.index('id="s0"')
    assert text.index('id="s0"') < text.index('href="/tags/imd"') < text.index("अन्य न्यूज़ ब्रीफ")


def test_unknown_article_page_is_html_404(client: TestClient) -> None:
    r = client.get("/articles/424242")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'data-code="article_not_found"' in r.text
    assert client.get("/no/such/page").status_code == 404


def test_tag_search_dashboard_pages(client: TestClient) -> None:
    tag = client.get("/tags/rbi")
    assert tag.status_code == 200 and "RBI ने रेपो रेट" in tag.text
    assert client.get("/tags/nope-nope").status_code == 404
    tags = client.get("/tags")
    assert 'href="/tags/rbi"' in tags.text
    found = client.get("/search", params={"q": "बारिश"})
    assert found.status_code == 200 and "मुंबई में मूसलाधार बारिश" in found.text
    assert client.get("/search").status_code == 200
    assert client.get("/search", params={"q": "ि"}).status_code == 400
    assert client.get("/feedback").status_code == 200


def test_english_toggle(client: TestClient) -> None:
    r = client.get("/ui/en", params={"next": "/articles/1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/articles/1"
    page = client.get("/articles/1")
    assert "Was our AI summary useful to you?" in page.text
    assert '<html lang="hi">' in page.text  # the content stays Hindi
    evil = client.get("/ui/hi", params={"next": "//evil.example/"}, follow_redirects=False)
    assert evil.headers["location"] == "/"


def test_feedback_form_post_stores_and_redirects(client: TestClient) -> None:
    token = form_token(client, 2)
    before = stats_total(client)
    r = client.post(
        "/articles/2/feedback",
        data={"csrf_token": token, "useful": "no", "reason": "missing_key_point", "text": "कम"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/articles/2?thanks=1")
    assert stats_total(client) == before + 1
    thanks = client.get(r.headers["location"])
    assert "धन्यवाद" in thanks.text


def test_feedback_form_json_for_script(client: TestClient) -> None:
    token = form_token(client, 2)
    r = client.post(
        "/articles/2/feedback",
        data={"csrf_token": token, "useful": "yes"},
        headers={"accept": "application/json"},
    )
    assert r.status_code == 201 and r.json()["useful"] is True


@pytest.mark.parametrize("token", ["", "123.abc", "9999999999.deadbeef"])
def test_feedback_form_rejects_bad_csrf(client: TestClient, token: str) -> None:
    form_token(client, 2)
    before = stats_total(client)
    r = client.post("/articles/2/feedback", data={"csrf_token": token, "useful": "yes"})
    assert r.status_code == 403 and 'data-code="csrf_failed"' in r.text
    assert stats_total(client) == before


def test_feedback_form_token_is_bound_to_cookie(
    client: TestClient, store: Store, web_settings: Settings
) -> None:
    token = form_token(client, 2)
    # Another browser (its own cookie) cannot use a token issued to this one.
    with TestClient(make_app(store, web_settings)) as other:
        other.get("/")
        assert other.cookies.get(CSRF_COOKIE) != client.cookies.get(CSRF_COOKIE)
        r = other.post("/articles/2/feedback", data={"csrf_token": token, "useful": "yes"})
        assert r.status_code == 403


def test_feedback_form_rate_limited(store: Store, web_settings: Settings) -> None:
    app = make_app(store, web_settings, feedback_burst=1, feedback_rate_per_s=0.001)
    with TestClient(app) as c:
        token = form_token(c, 2)
        data = {"csrf_token": token, "useful": "yes"}
        assert c.post("/articles/2/feedback", data=data, follow_redirects=False).status_code == 303
        limited = c.post("/articles/2/feedback", data=data)
        assert limited.status_code == 429 and "retry-after" in limited.headers


def test_feedback_form_size_limit(client: TestClient) -> None:
    token = form_token(client, 2)
    data = {"csrf_token": token, "useful": "yes", "text": "क" * 5000}
    r = client.post("/articles/2/feedback", data=data)
    assert r.status_code == 413


def test_security_headers_on_pages_and_api(client: TestClient) -> None:
    for path in ("/", "/articles/1", "/api/briefs", "/static/khabar.css"):
        h = client.get(path).headers
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert "script-src 'self'" in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff"
        assert h["x-frame-options"] == "DENY"
        assert h["referrer-policy"] == "same-origin"


def test_xss_payloads_are_escaped(client: TestClient, xss_id: int) -> None:
    pages: list[Any] = [
        client.get(f"/articles/{xss_id}"),
        client.get("/"),
        client.get("/tags/xss-tag"),
        client.get("/search", params={"q": XSS[0]}),
    ]
    for r in pages:
        assert r.status_code in (200, 400)
        for payload in XSS:
            assert payload not in r.text
        tags = parsed_tags(r.text)
        assert not [t for t in tags if any(name.startswith("on") for name, _ in t[1])]
        assert [t for t in tags if t[0] in ("script", "svg", "img", "iframe")] == [
            ("script", [("src", "/static/khabar.js"), ("defer", None)])
        ]
        assert 'href="javascript:' not in r.text
    article = pages[0].text
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in article  # shown, as text


def test_article_page_lists_the_same_story_from_other_outlets(
    client: TestClient, store: Store
) -> None:
    before = [[m.article_id for m in c["members"]] for c in store.clusters(limit=200)]
    store.set_clusters([[1, 2]])  # as `khabar clusters` would store them
    try:
        page = client.get("/articles/1").text
        other = store.get(2)
        assert other is not None
        assert "यही ख़बर दूसरे स्रोतों में" in page
        section = page[page.index('class="same-story"') :]
        assert 'href="/articles/2"' in section[: section.index("</section>")]
        # Not offered twice: not among "read also" as well.
        related = page[page.index('class="related"') :] if 'class="related"' in page else ""
        assert 'href="/articles/2"' not in related[: related.find("</section>")]
        assert "यही ख़बर" not in client.get("/articles/3").text
    finally:
        store.set_clusters(before)
