"""``khabar demo``'s reader: the demo corpus in a store, served on loopback."""

from __future__ import annotations

import socket
import sys
import tempfile
from pathlib import Path

from ..errors import KhabarError
from ..settings import Settings
from ..store import Store, open_store


def load_demo(store: Store, settings: Settings) -> int:
    """Brief every demo page into ``store``; returns how many were stored."""
    from ..demo import demo_pages
    from ..pipeline import brief

    stored = 0
    for page in demo_pages():
        try:
            store.upsert_brief(brief(page.read_bytes(), settings=settings))
        except KhabarError as exc:
            print(f"khabar demo: skipped {page.file}: {exc}", file=sys.stderr)
            continue
        stored += 1
    return stored


def serve_demo(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    sock: socket.socket | None = None,
) -> None:
    """Load the demo corpus into a fresh SQLite store in a temp dir and serve the reader.

    ``sock``: a socket from :func:`khabar.web.serve.listen`, bound before the
    demo's table was printed (else ``host:port`` is bound here). Prints
    ``khabar reader: http://127.0.0.1:8000`` (with the real host and port)
    before serving; returns when the server is stopped.
    """
    from .serve import listen, serve

    if sock is None:
        sock = listen(host, port)
    with tempfile.TemporaryDirectory(prefix="khabar-demo-") as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'demo.db'}")
        try:
            count = load_demo(store, settings)
            print(f"khabar demo: {count} briefs loaded", flush=True)
            serve(store, settings, host=host, sock=sock)
        finally:
            store.close()
            sock.close()
