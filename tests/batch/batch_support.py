"""Helpers for batch tests: a loopback HTTP server and small inputs built from the demo pages."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from khabar.demo import demo_pages

Route = Callable[[BaseHTTPRequestHandler], None]


class LoopbackServer:
    """A ThreadingHTTPServer on 127.0.0.1 whose paths map to handler functions."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def add(self, path: str, body: bytes | str, *, status: int = 200,
            ctype: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body

        def route(h: BaseHTTPRequestHandler) -> None:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(data)

        self.routes[path] = route

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve() -> Iterator[LoopbackServer]:
    """A running loopback server with a robots.txt that keeps out of /private/."""
    srv = LoopbackServer()
    srv.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", ctype="text/plain")
    yield srv
    srv.close()


def slow_drip(h: BaseHTTPRequestHandler) -> None:
    """A server that sends one byte every half second, forever."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    for _ in range(600):
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(0.5)


def demo_texts() -> list[tuple[str, bytes]]:
    """(name, bytes) of the shipped demo pages, HTML and text."""
    return [(p.file, p.read_bytes()) for p in demo_pages()]


def write_jsonl(path: Path, demo: list[tuple[str, bytes]], n: int) -> Path:
    """A JSONL input of ``n`` records cycling through the demo pages, each made distinct."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            name, data = demo[i % len(demo)]
            field = "html" if name.endswith(".html") else "text"
            text = data.decode("utf-8")
            fh.write(json.dumps({field: text, "url": f"https://example.test/{i}/{name}"},
                                ensure_ascii=False) + "\n")
    return path
