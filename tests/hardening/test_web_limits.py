"""Web limits over real HTTP against ``khabar serve``: sizes, origins, CSRF, rate, headers.

``tests/web`` proves these through Starlette's TestClient; here the same
rules are checked on the wire (uvicorn's parser, real Content-Length and
chunked bodies) and on error responses, which TestClient tests rarely see.
"""

from __future__ import annotations

import http.client
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytest.importorskip("uvicorn", reason="needs the [serve] extra")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servekit import khabar_serve

from khabar.settings import load_settings
from khabar.store import open_store
from khabar.web.security import SECURITY_HEADERS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, int]]:
    """(host, port, a brief id) of a real server over the demo corpus."""
    from khabar.web.demo import load_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('limits') / 'demo.db'}"
    store = open_store(url)
    try:
        load_demo(store, load_settings(env={}, embed="off"))
        brief_id = store.list_briefs(limit=1).items[0].brief_id
    finally:
        store.close()
    with khabar_serve(url) as (_proc, base):
        parts = urlsplit(base)
        assert parts.hostname and parts.port
        yield parts.hostname, parts.port, brief_id


def _conn(server: tuple[str, int, int]) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(server[0], server[1], timeout=30)


def _assert_security_headers(response: http.client.HTTPResponse) -> None:
    for name, value in SECURITY_HEADERS:
        assert response.getheader(name.decode()) == value.decode(), name


def test_declared_oversize_body_is_refused_before_it_is_sent(server: tuple[str, int, int]) -> None:
    conn = _conn(server)
    conn.putrequest("POST", f"/api/briefs/{server[2]}/feedback")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(500_000_000))
    conn.endheaders()  # no body at all: the answer must not wait for 500 MB
    response = conn.getresponse()
    assert response.status == 413
    assert json.loads(response.read())["error"]["code"] == "payload_too_large"
    _assert_security_headers(response)


def test_chunked_oversize_body_is_cut_off(server: tuple[str, int, int]) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"useful": true, "text": "'
        for _ in range(200):
            yield b"a" * 1024
        yield b'"}'

    conn = _conn(server)
    conn.request("POST", f"/api/briefs/{server[2]}/feedback", body=chunks(),
                 headers={"Content-Type": "application/json"}, encode_chunked=True)
    response = conn.getresponse()
    assert response.status == 413
    _assert_security_headers(response)


def test_create_brief_body_limit_is_twice_max_input(server: tuple[str, int, int]) -> None:
    conn = _conn(server)
    conn.putrequest("POST", "/api/briefs")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(2 * load_settings(env={}).max_input_bytes + 10_000))
    conn.endheaders()
    assert conn.getresponse().status == 413


@pytest.mark.parametrize("origin", ["null", "http://127.0.0.1:1", "https://evil.example"])
def test_cross_origin_feedback_is_403_on_the_wire(
    server: tuple[str, int, int], origin: str
) -> None:
    conn = _conn(server)
    conn.request("POST", f"/api/briefs/{server[2]}/feedback", body=b'{"useful": true}',
                 headers={"Content-Type": "application/json", "Origin": origin})
    response = conn.getresponse()
    assert response.status == 403
    assert json.loads(response.read())["error"]["code"] == "cross_origin"


def test_form_feedback_without_cookie_or_token_is_403(server: tuple[str, int, int]) -> None:
    conn = _conn(server)
    conn.request("POST", "/articles/1/feedback", body=b"useful=yes&csrf_token=1.abc",
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    assert response.status == 403
    assert b"csrf_failed" in response.read()
    _assert_security_headers(response)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/articles/999999", 404),
        ("GET", "/no/such/page", 404),
        ("GET", "/api/search?q=", 422),
        ("DELETE", "/api/briefs", 405),
        ("HEAD", "/", 200),  # answered as GET, without the body
        ("GET", "/static/khabar.js", 200),
    ],
)
def test_security_headers_on_every_kind_of_response(
    server: tuple[str, int, int], method: str, path: str, status: int
) -> None:
    conn = _conn(server)
    conn.request(method, path)
    response = conn.getresponse()
    response.read()
    assert response.status == status
    _assert_security_headers(response)
