"""Cached pages answered ahead of routing, and the server's joined writes, on real parts.

The fast path must send what the routes and the security middleware send;
the joined writes must never hold a response back or reorder bytes.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

pytest.importorskip("fastapi")

from fastapi import FastAPI
from fastapi.testclient import TestClient

from khabar.settings import Settings
from khabar.store import Store
from khabar.web.app import KhabarApp
from khabar.web.pagecache import FastPages
from khabar.web.security import CSRF_COOKIE, SECURITY_HEADERS, CsrfSigner
from khabar.web.serve import JoinedWrites, http_protocol

from .conftest import TEST_SECRET, make_app, serving

T = TypeVar("T")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

# Added by uvicorn (date) or differing per reader (cookie value, token, ETag).
PER_RESPONSE = {"date", "server", "set-cookie", "etag"}


def _scope(path: str, headers: list[tuple[bytes, bytes]], query: bytes = b"") -> dict[str, Any]:
    return {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 80),
    }


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on a loop of its own (the browser tests keep one running in this thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _fast(app: FastAPI, scope: dict[str, Any]) -> tuple[bool, list[dict[str, Any]]]:
    """Run the fast path on ``scope``; whether it answered and the messages it sent."""
    fast = app.fast_pages if isinstance(app, KhabarApp) else None
    assert isinstance(fast, FastPages)
    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    answered = _run(fast.answer(scope, send))
    return answered, sent


def _headers(message: dict[str, Any]) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in message["headers"]}


@pytest.fixture
def app(store: Store, web_settings: Settings) -> FastAPI:
    return make_app(store, web_settings)


def test_hit_sends_what_the_route_sends(app: FastAPI) -> None:
    with TestClient(app) as client:
        routed = client.get("/articles/1")  # a miss: routes and middleware
    assert routed.status_code == 200
    answered, sent = _fast(app, _scope("/articles/1", []))
    assert answered and [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    start, body = sent
    assert start["status"] == 200
    fast = _headers(start)
    route = {k: v for k, v in routed.headers.items() if k not in PER_RESPONSE}
    assert {k: v for k, v in fast.items() if k not in PER_RESPONSE} == route
    for name, value in SECURITY_HEADERS:
        assert fast[name.decode()] == value.decode()
    # Same page, a cookie and a token of its own, bound to each other.
    routed_cookie, fast_cookie = (
        h["set-cookie"].split("=", 1)[1].split(";", 1) for h in (routed.headers, fast)
    )
    assert routed_cookie[1] == fast_cookie[1] and routed_cookie[0] != fast_cookie[0]
    cookie = fast_cookie[0]
    page = body["body"].decode()
    token = TOKEN.search(page)
    assert token and CsrfSigner(TEST_SECRET).check(cookie, token.group(1))
    assert TOKEN.sub("", page) == TOKEN.sub("", routed.text)
    assert int(fast["content-length"]) == len(body["body"])


def test_hit_with_cookie_revalidates(app: FastAPI) -> None:
    with TestClient(app) as client:
        client.get("/articles/1")
        cookie = client.cookies[CSRF_COOKIE]
    header = [(b"cookie", f"{CSRF_COOKIE}={cookie}".encode())]
    answered, sent = _fast(app, _scope("/articles/1", header))
    assert answered
    start = _headers(sent[0])
    assert "set-cookie" not in start  # the reader keeps their cookie
    token = TOKEN.search(sent[1]["body"].decode())
    assert token and CsrfSigner(TEST_SECRET).check(cookie, token.group(1))
    etag = start["etag"]
    revalidate = (b"if-none-match", etag.encode())
    answered, sent = _fast(app, _scope("/articles/1", [*header, revalidate]))
    assert answered and sent[0]["status"] == 304 and sent[1]["body"] == b""
    assert _headers(sent[0])["x-frame-options"] == "DENY"
    # Another reader's cookie does not match this ETag.
    other = [(b"cookie", f"{CSRF_COOKIE}=someone-else".encode())]
    answered, sent = _fast(app, _scope("/articles/1", [*other, revalidate]))
    assert answered and sent[0]["status"] == 200


def test_fast_path_leaves_the_rest_to_the_app(app: FastAPI) -> None:
    with TestClient(app) as client:
        client.get("/articles/1")
        assert _fast(app, _scope("/articles/2", []))[0] is False  # never rendered
        assert _fast(app, _scope("/articles/1", [], b"thanks=1"))[0] is False
        with_body = [(b"content-length", b"20000")]
        assert _fast(app, _scope("/articles/1", with_body))[0] is False
        # So the body limit still holds on a cached page.
        big = client.request("GET", "/articles/1", content=b"x" * 20000)
        assert big.status_code == 413 and big.json()["error"]["code"] == "payload_too_large"
        # HEAD answers as GET would (cached or not), without the body.
        got, head = client.get("/articles/1"), client.head("/articles/1")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == got.headers["content-length"]
        assert head.headers["content-type"] == got.headers["content-type"]
        missing = client.head("/articles/424242")
        assert missing.status_code == 404 and missing.content == b""


def test_each_interface_language_gets_its_own_page(app: FastAPI) -> None:
    with TestClient(app) as client:
        hindi = client.get("/").text
        client.get("/ui/en?next=/")
        english = client.get("/").text
        ui = client.cookies["khabar_ui"]
    assert ui == "en" and english != hindi
    for cookie, expected in ((f"khabar_ui={ui}", english), ("khabar_ui=xx", hindi)):
        answered, sent = _fast(app, _scope("/", [(b"cookie", cookie.encode())]))
        assert answered and sent[1]["body"].decode() == expected  # the feed has no token


def test_token_reuse_within_a_minute() -> None:
    signer = CsrfSigner(TEST_SECRET)
    first = signer.token_for("cookie-a")
    assert signer.token_for("cookie-a") == first
    assert signer.token_for("cookie-b") != first
    assert signer.check("cookie-a", first) and not signer.check("cookie-b", first)


# -- the server's joined writes -------------------------------------------------------


@pytest.fixture
def joined_server(app: FastAPI) -> Iterator[int]:
    """The app under uvicorn with khabar's protocol (joined writes), on loopback."""
    pytest.importorskip("uvicorn")
    protocol = http_protocol()
    if isinstance(protocol, str):
        pytest.skip("httptools is not installed")
    with serving(app, protocol) as port:
        yield port


def _read_response(
    sock: socket.socket, buf: bytearray, head_only: bool = False
) -> tuple[str, bytes]:
    """One response from ``sock`` (status line, body); ``buf`` keeps bytes read ahead."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        assert chunk, "connection closed before the response head"
        buf += chunk
    head, _, rest = bytes(buf).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if head_only:
        length = 0
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed before the body ended"
        rest += chunk
    buf[:] = rest[length:]
    return lines[0], rest[:length]


def test_joined_writes_keep_every_response_whole(joined_server: int) -> None:
    with socket.create_connection(("127.0.0.1", joined_server), timeout=10) as sock:
        buf = bytearray()
        get = b"GET /articles/1 HTTP/1.1\r\nHost: t\r\n\r\n"
        sock.sendall(get)
        status, first = _read_response(sock, buf)
        assert status == "HTTP/1.1 200 OK" and first.rstrip().endswith(b"</html>")
        # Pipelined: a cached hit, a HEAD (a head and no body write after it),
        # an API error and another hit, all in one packet, answered in order.
        sock.sendall(
            get
            + b"HEAD /articles/1 HTTP/1.1\r\nHost: t\r\n\r\n"
            + b"GET /api/articles/424242 HTTP/1.1\r\nHost: t\r\n\r\n"
            + get
        )
        answers = [
            _read_response(sock, buf),
            _read_response(sock, buf, head_only=True),
            _read_response(sock, buf),
            _read_response(sock, buf),
        ]
        assert [a[0] for a in answers] == [
            "HTTP/1.1 200 OK",
            "HTTP/1.1 200 OK",
            "HTTP/1.1 404 Not Found",
            "HTTP/1.1 200 OK",
        ]
        assert TOKEN.sub("", answers[0][1].decode()) == TOKEN.sub("", first.decode())
        assert b'"article_not_found"' in answers[2][1]
        assert TOKEN.sub("", answers[3][1].decode()) == TOKEN.sub("", first.decode())
        assert not buf


def test_joined_writes_send_100_continue(joined_server: int) -> None:
    body = b'{"unknown": 1}'
    with socket.create_connection(("127.0.0.1", joined_server), timeout=10) as sock:
        sock.sendall(
            b"POST /api/briefs HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        interim = sock.recv(65536)  # held writes go out within the loop step
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        buf = bytearray(interim[len(b"HTTP/1.1 100 Continue\r\n\r\n") :])
        sock.sendall(body)
        status, answer = _read_response(sock, buf)
        assert status.startswith("HTTP/1.1 4") and b'"error"' in answer


def test_joined_writes_pass_large_writes_straight_through() -> None:
    async def run() -> list[bytes]:
        loop = asyncio.get_running_loop()
        received: list[bytes] = []
        done = asyncio.Event()

        class Sink(asyncio.Protocol):
            def data_received(self, data: bytes) -> None:
                received.append(data)
                if sum(map(len, received)) >= 3 + 100_000 + 2:
                    done.set()

        server = await loop.create_server(Sink, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        transport, _ = await loop.create_connection(asyncio.Protocol, "127.0.0.1", port)
        joined = JoinedWrites(transport, loop)
        joined.write(b"abc")
        assert joined.get_write_buffer_size() >= 3  # held
        joined.write(b"x" * 100_000)  # joined with the held bytes, in order
        joined.write(b"yz")  # held, then flushed by the loop
        await asyncio.wait_for(done.wait(), 10)
        joined.close()
        server.close()
        return received

    data = b"".join(_run(run()))
    assert data == b"abc" + b"x" * 100_000 + b"yz"
