"""Rendered pages kept in memory until the stored content they show changes.

The feed and article pages are the same for every reader except for the
interface language and the CSRF token in the feedback form. A page is kept
per (path, query string, interface language) for one store generation, as
UTF-8 bytes with a placeholder where the token goes; every response fills in
the reader's own token. :meth:`khabar.store.Store.generation` advances with
every write that changes what these pages show, in this process or another,
so a cached page is never older than the store.

Routes fill the cache (:func:`cached_page` with a renderer);
:class:`PageCacheMiddleware` answers later requests for the very same path
and query from it before routing, and passes everything else (and every
miss) to the app, so validation and errors stay the routes' own.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import KhabarError
from ..store import Store
from .security import CSRF_COOKIE, CsrfSigner
from .view import UI_COOKIE, UI_LANGUAGES

# Feed pages by cursor and article pages by id; an LRU bound keeps a crawler
# walking every cursor from growing the cache without limit (~20 KB a page).
MAX_PAGES = 1024
# A 304 lets the browser keep the CSRF token of its copy, so the ETag changes
# every hour: a revalidated token is then under an hour old, far inside its
# 24-hour lifetime (khabar.web.security.CSRF_MAX_AGE_S).
ETAG_TOKEN_WINDOW_S = 3600
CACHE_HEADERS = {"Cache-Control": "private, no-cache", "Vary": "Cookie"}

PageKey = tuple[str, bytes, str]


class PageCache:
    """A thread-safe LRU of rendered pages for one store generation at a time."""

    def __init__(self, max_pages: int = MAX_PAGES) -> None:
        self.max_pages = max_pages
        # Random per process: article text cannot contain it by chance or by design.
        self.token_slot = f"khabar-csrf-{secrets.token_hex(16)}"
        self._slot_bytes = self.token_slot.encode("ascii")
        self._generation: int | None = None
        self._pages: OrderedDict[PageKey, bytes] = OrderedDict()
        self._paths: dict[tuple[str, bytes], int] = {}
        self._lock = threading.Lock()

    def may_hold(self, path: str, query: bytes) -> bool:
        """A cheap pre-check: True when some language's copy of the page may be cached."""
        return (path, query) in self._paths

    def get(self, generation: int, key: PageKey) -> bytes | None:
        """The page rendered at ``generation``, or None (a new generation empties the cache)."""
        with self._lock:
            if generation != self._generation:
                self._pages.clear()
                self._paths.clear()
                self._generation = generation
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, generation: int, key: PageKey, html: str) -> bytes:
        """Keep a page rendered from the store at ``generation``; returns it as bytes."""
        page = html.encode("utf-8")
        with self._lock:
            # Rendered from another generation than the cache's: do not mix.
            if generation == self._generation and key not in self._pages:
                self._pages[key] = page
                self._paths[key[:2]] = self._paths.get(key[:2], 0) + 1
                while len(self._pages) > self.max_pages:
                    old, _ = self._pages.popitem(last=False)
                    if self._paths[old[:2]] <= 1:
                        del self._paths[old[:2]]
                    else:
                        self._paths[old[:2]] -= 1
        return page

    def fill(self, page: bytes, token: str) -> bytes:
        """The page with the reader's CSRF token in its slot."""
        return page.replace(self._slot_bytes, token.encode("ascii"))

    def __len__(self) -> int:
        return len(self._pages)


def ui_lang_of(conn: HTTPConnection) -> str:
    """The interface language the reader chose (cookie), Hindi by default."""
    lang = conn.cookies.get(UI_COOKIE, "hi")
    return lang if lang in UI_LANGUAGES else "hi"


def page_etag(generation: int, key: PageKey, csrf_cookie: str, now: float | None = None) -> str:
    """A weak ETag for one reader's copy of a cached page.

    It covers what the page shows (generation, path, query, interface
    language) and the reader's CSRF cookie and token window, so a 304 never
    leaves a browser with a form token that does not match its cookie or
    has expired.
    """
    window = int((time.time() if now is None else now) // ETAG_TOKEN_WINDOW_S)
    raw = f"{generation}|{key!r}|{csrf_cookie}|{window}".encode()
    return 'W/"' + hashlib.blake2b(raw, digest_size=12).hexdigest() + '"'


async def store_generation(store: Store) -> int:
    """The store's generation, read without a thread hop where that is safe.

    A cache hit is a dictionary lookup, so the hop to the threadpool would
    cost more than the page. SQLite answers from a local file in ~10 us and
    in WAL mode a reader never waits for a writer, so it is read on the
    event loop; a network database may stall, so it is read in a thread.
    """
    if getattr(store, "dialect", None) == "sqlite":
        return store.generation()
    return await run_in_threadpool(store.generation)


async def cached_page(conn: HTTPConnection, render: Callable[[str], str] | None) -> Response | None:
    """The page for this request from the cache, or rendered by ``render(token_slot)`` and kept.

    Without ``render`` (the middleware) a miss returns None. Browsers
    revalidate (``no-cache``) and get a 304 while the page, their cookie and
    token window are unchanged. A reader without a CSRF cookie gets one.
    """
    app = conn.scope["app"]
    cache: PageCache = app.state.page_cache
    state = app.state.web
    generation = await store_generation(state.store)
    key: PageKey = (conn.scope["path"], conn.scope["query_string"], ui_lang_of(conn))
    cookie = conn.cookies.get(CSRF_COOKIE)
    new_cookie = None if cookie else CsrfSigner.new_cookie()
    headers = dict(CACHE_HEADERS)
    if cookie:
        etag = page_etag(generation, key, cookie)
        headers["ETag"] = etag
        if etag in _etags(conn.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
    page = cache.get(generation, key)
    if page is None:
        if render is None:
            return None
        page = cache.put(generation, key, await run_in_threadpool(render, cache.token_slot))
    csrf: CsrfSigner = state.csrf
    body = cache.fill(page, csrf.token(cookie or new_cookie or ""))
    response = Response(body, headers=headers, media_type="text/html")
    if new_cookie:
        response.set_cookie(
            CSRF_COOKIE,
            new_cookie,
            httponly=True,
            samesite="lax",
            secure=conn.url.scheme == "https",
        )
    return response


def _etags(header: str) -> set[str]:
    """The entity tags of an If-None-Match header (weak comparison: W/ is ignored)."""
    tags = {part.strip() for part in header.split(",") if part.strip()}
    return tags | {t.removeprefix("W/") for t in tags} | {f"W/{t}" for t in tags}


class PageCacheMiddleware:
    """Answers a GET for a page the routes cached, before routing; passes on the rest."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            cache: PageCache | None = getattr(scope["app"].state, "page_cache", None)
            if cache is not None and cache.may_hold(scope["path"], scope["query_string"]):
                try:
                    response = await cached_page(HTTPConnection(scope), None)
                except KhabarError:  # the store is down: the route answers with a 503
                    response = None
                if response is not None:
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)
