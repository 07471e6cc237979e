"""Fixtures for the web tests: a real SQLite store holding the demo corpus and XSS bait."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web tests need the [serve] extra")

from fastapi import FastAPI
from fastapi.testclient import TestClient

from khabar.models import Article, Brief, Bullet, Sentence, Tag
from khabar.settings import Settings, load_settings
from khabar.store import Store, open_store
from khabar.web.app import WebOptions, create_app
from khabar.web.demo import load_demo

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Script-running payloads; none may ever run in a page.
XSS = (
    "<img src=x onerror=window.__xss=1>",
    '"><script>window.__xss=2</script>',
    "</textarea><svg onload=window.__xss=3>",
    "<a href=javascript:window.__xss=4>x</a>",
)
XSS_URL = "https://xss.example/metro-news"
TEST_SECRET = b"k" * 32


@pytest.fixture(scope="session")
def web_settings() -> Settings:
    # No config file or environment; lexical summarizer so loading stays quick.
    return load_settings(env={}, embed="off")


def xss_brief() -> Brief:
    """A brief whose every field carries a payload, as if extraction had let it through."""
    p = XSS
    texts = (
        f"दिल्ली मेट्रो ने सोमवार को नई लाइन शुरू की {p[0]} जिससे यात्रियों को राहत मिलेगी.",
        f"अधिकारियों ने बताया कि लाइन पर हर पांच मिनट में ट्रेन चलेगी {p[1]}.",
        f"नई लाइन पर बारह स्टेशन हैं {p[2]} और इसकी लंबाई बीस किलोमीटर है.",
        f"यात्रियों ने फैसले का स्वागत किया {p[3]} और कहा कि समय बचेगा.",
    )
    article = Article(
        title=f"मेट्रो की नई लाइन {p[0]} {p[1]}",
        paragraphs=(f"{texts[0]} {texts[1]}", f"{texts[2]} {texts[3]}"),
        language="hi",
        script="Deva",
        standfirst=f"स्टैंडफर्स्ट {p[2]}",
        date="2025-08-14",
        canonical_url=XSS_URL,
        site_name=f"साइट {p[3]}",
        related_links=("javascript:window.__xss=9", f"शीर्षक {p[0]}"),
    )
    return Brief(
        article=article,
        sentences=tuple(Sentence(id=i, text=t, paragraph=i // 2) for i, t in enumerate(texts)),
        bullets=tuple(Bullet(text=t, source_sentences=(i,)) for i, t in enumerate(texts[:3])),
        read_time_minutes=1,
        word_count=60,
        tags=(Tag(name=f"टैग {p[1]}", english=f"Tag {p[0]}", slug="xss-tag"),),
        summarizer="extractive-lexical/v2",
    )


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, web_settings: Settings) -> str:
    """URL of a SQLite store with the demo corpus and the XSS brief, built once."""
    path = tmp_path_factory.mktemp("web") / "demo.db"
    store = open_store(f"sqlite:///{path}")
    try:
        assert load_demo(store, web_settings) == 10
        store.upsert_brief(xss_brief(), url=XSS_URL)
    finally:
        store.close()
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def store(demo_db: str) -> Iterator[Store]:
    s = open_store(demo_db)
    yield s
    s.close()


@pytest.fixture(scope="session")
def xss_id(store: Store) -> int:
    found = store.get_by_url(XSS_URL)
    assert found is not None
    return found.article_id


def make_app(store: Store, settings: Settings, **options: Any) -> FastAPI:
    """An app whose rate limits are out of the way unless a test sets them."""
    defaults: dict[str, Any] = {
        "secret": TEST_SECRET,
        "feedback_burst": 10_000,
        "create_burst": 10_000,
        "allow_private_urls": True,
    }
    return create_app(store, settings, WebOptions(**{**defaults, **options}))


@pytest.fixture
def client(store: Store, web_settings: Settings) -> Iterator[TestClient]:
    with TestClient(make_app(store, web_settings)) as c:
        yield c


def browser_or_skip() -> Any:
    """Playwright's sync API, or a skip (a failure with KHABAR_REQUIRE_BROWSER=1)."""
    reason = None
    try:
        from playwright import sync_api
    except ImportError:
        reason = "playwright is not installed (pip install playwright)"
        sync_api = None
    if reason is None and not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        reason = f"{CHROMIUM} is absent (apt-get install chromium fonts-noto-core)"
    if reason is not None:
        if os.environ.get("KHABAR_REQUIRE_BROWSER") == "1" or os.environ.get("CI") == "true":
            pytest.fail(reason + " and KHABAR_REQUIRE_BROWSER=1 / CI=true")
        pytest.skip(reason)
    return sync_api


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(app: Any, http: Any) -> Iterator[int]:
    """``app`` under uvicorn in a thread on a free loopback port; yields the port."""
    uvicorn = pytest.importorskip("uvicorn")
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", http=http)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(store: Store, web_settings: Settings) -> Iterator[str]:
    """The app served by uvicorn in a thread on a free loopback port, as `khabar serve` runs it."""
    pytest.importorskip("uvicorn")
    from khabar.web.serve import http_protocol

    with serving(make_app(store, web_settings), http_protocol()) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def browser(live_server: str) -> Iterator[Any]:
    sync_api = browser_or_skip()
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="hi-IN")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots go: $KHABAR_ARTIFACTS or build/test-artifacts."""
    root = Path(os.environ.get("KHABAR_ARTIFACTS", Path(__file__).parents[2] / "build"))
    out = root / "test-artifacts"
    out.mkdir(parents=True, exist_ok=True)
    return out
