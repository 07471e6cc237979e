"""The polite fetcher against a loopback server: nothing leaves the machine."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from batch_support import LoopbackServer, serve, slow_drip

from khabar.errors import FetchError
from khabar.ingest.fetch import Fetcher


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    yield from serve()


def _fetcher(**kw: object) -> Fetcher:
    opts: dict[str, object] = {"host_delay": 0.0, "backoff": 0.01, "timeout": 2.0}
    opts.update(kw)
    return Fetcher(**opts)  # type: ignore[arg-type]


def test_user_agent_names_khabar_and_robots_is_obeyed(server: LoopbackServer) -> None:
    server.add("/ok", "<html><body>नमस्ते</body></html>")
    server.add("/private/x", "secret")
    with _fetcher() as f:
        assert f.fetch(server.base + "/ok").text == "<html><body>नमस्ते</body></html>"
        with pytest.raises(FetchError) as err:
            f.fetch(server.base + "/private/x")
    assert err.value.reason == "robots_disallowed"
    assert server.hits("/private/x") == 0
    assert server.hits("/robots.txt") == 1
    assert all("khabar" in headers["user-agent"] for _, headers in server.log)


def test_retries_429_and_5xx_then_succeeds(server: LoopbackServer) -> None:
    answers = iter([429, 503, 200])

    def flaky(h: BaseHTTPRequestHandler) -> None:
        status = next(answers)
        body = b"<html>ok</html>" if status == 200 else b""
        h.send_response(status)
        h.send_header("Retry-After", "0")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    server.routes["/flaky"] = flaky
    with _fetcher(retries=3) as f:
        assert f.fetch(server.base + "/flaky").status == 200
    assert server.hits("/flaky") == 3


def test_gives_up_after_retries(server: LoopbackServer) -> None:
    server.add("/down", "", status=503)
    with _fetcher(retries=2) as f, pytest.raises(FetchError) as err:
        f.fetch(server.base + "/down")
    assert err.value.reason == "http_503"
    assert server.hits("/down") == 3


def test_conditional_request_gets_304(server: LoopbackServer) -> None:
    def etagged(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            h.send_response(304)
            h.end_headers()
            return
        body = b"<html>v1</html>"
        h.send_response(200)
        h.send_header("ETag", '"v1"')
        h.send_header("Last-Modified", "Wed, 01 Apr 2020 10:00:00 GMT")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    server.routes["/page"] = etagged
    with _fetcher() as f:
        first = f.fetch(server.base + "/page")
        second = f.fetch(server.base + "/page")
    assert not first.not_modified and first.etag == '"v1"'
    assert second.not_modified and second.status == 304
    sent = [h for p, h in server.log if p == "/page"][1]
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Wed, 01 Apr 2020 10:00:00 GMT"


def test_size_limit(server: LoopbackServer) -> None:
    server.add("/big", b"x" * 50_000)
    with _fetcher(max_bytes=10_000) as f, pytest.raises(FetchError) as err:
        f.fetch(server.base + "/big")
    assert err.value.reason == "too_large"


def test_slow_drip_server_hits_the_page_time_limit(server: LoopbackServer) -> None:
    server.routes["/slow"] = slow_drip
    with _fetcher(timeout=1.0, retries=0) as f, pytest.raises(FetchError) as err:
        f.fetch(server.base + "/slow")
    assert err.value.reason == "timeout"


def test_infinite_redirect(server: LoopbackServer) -> None:
    server.add("/loop", "", status=302, headers={"Location": "/loop"})
    with _fetcher(max_redirects=4) as f, pytest.raises(FetchError) as err:
        f.fetch(server.base + "/loop")
    assert err.value.reason == "too_many_redirects"
    assert server.hits("/loop") == 5


def test_charset_from_header_and_meta(server: LoopbackServer) -> None:
    text = "<html><body>café crème</body></html>"
    server.add("/latin", text.encode("latin-1"), ctype="text/html; charset=ISO-8859-1")
    meta = '<html><head><meta charset="windows-1252"></head><body>café</body></html>'
    server.add("/meta", meta.encode("cp1252"), ctype="text/html")
    with _fetcher() as f:
        assert f.fetch(server.base + "/latin").text == text
        assert "café" in (f.fetch(server.base + "/meta").text or "")


def test_bad_urls_and_unreachable_hosts() -> None:
    with _fetcher(retries=0) as f:
        with pytest.raises(FetchError) as err:
            f.fetch("ftp://example.test/x")
        assert err.value.reason == "bad_url"
        with pytest.raises(FetchError) as err:
            f.fetch("http://127.0.0.1:9/nothing")
        assert err.value.reason == "connect_failed"


def test_fetch_many_keeps_order_and_reports_errors(server: LoopbackServer) -> None:
    for i in range(5):
        server.add(f"/p{i}", f"<html>{i}</html>")
    urls = [server.base + f"/p{i}" for i in range(5)] + [server.base + "/missing"]
    with _fetcher(host_concurrency=2) as f:
        got = list(f.fetch_many(urls))
    assert [u for u, _ in got] == urls
    assert [getattr(r, "text", None) for _, r in got[:5]] == [f"<html>{i}</html>" for i in range(5)]
    last = got[-1][1]
    assert isinstance(last, FetchError) and last.reason == "http_404"


def test_redirect_to_a_url_python_cannot_parse_is_a_fetch_error(server: LoopbackServer) -> None:
    # httpx refuses the Location while reading the response (connect_failed);
    # khabar's own join would say bad_url. Either way a drop, not a traceback.
    server.add("/odd", "", status=302, headers={"Location": "http://[::1/elsewhere"})
    with _fetcher() as f, pytest.raises(FetchError) as err:
        f.fetch(server.base + "/odd")
    assert err.value.reason in ("bad_url", "connect_failed")
