"""Rendered pages kept in memory until the stored content they show changes.

The feed and article pages are the same for every reader except for the
interface language and the CSRF token in the feedback form. A page is kept
per (path, query string, interface language) for one store generation, as
UTF-8 bytes split where the token goes; every response joins the parts with
the reader's own token. :meth:`khabar.store.Store.generation` advances with
every write that changes what these pages show, in this process or another,
and is read on every request, so a cached page is never older than the store.
(SQLite reads it from an 8-byte change hint that writers touch right after
committing; a writer that fails to touch it is seen within 100 ms, see
:mod:`khabar.store.sqlite`.)

Routes fill the cache (:func:`cached_page` with a renderer). Later requests
for the very same path and query are answered by :class:`FastPages` before
any routing or middleware, as two raw ASGI messages whose headers (security
headers included) are the ones the routes send; everything else, and every
miss, goes to the app, so validation and errors stay the routes' own.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection, cookie_parser
from starlette.responses import Response
from starlette.types import Scope, Send

from ..errors import KhabarError
from ..store import Store
from .security import CSRF_COOKIE, SECURITY_HEADERS, CsrfSigner
from .view import UI_COOKIE, UI_LANGUAGES

# Feed pages by cursor and article pages by id; an LRU bound keeps a crawler
# walking every cursor from growing the cache without limit (~20 KB a page).
MAX_PAGES = 1024
# A 304 lets the browser keep the CSRF token of its copy, so the ETag changes
# every hour: a revalidated token is then under an hour old, far inside its
# 24-hour lifetime (khabar.web.security.CSRF_MAX_AGE_S).
ETAG_TOKEN_WINDOW_S = 3600

PageKey = tuple[str, bytes, str]
RawHeaders = list[tuple[bytes, bytes]]
# (status, headers without the security headers, body)
Answer = tuple[int, RawHeaders, bytes]

_CACHE_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"cache-control", b"private, no-cache"),
    (b"vary", b"Cookie"),
)
_HTML = (b"content-type", b"text/html; charset=utf-8")
# A request with a body is left to the app, whose middleware limits its size.
_BODY_HEADERS = frozenset({b"content-length", b"transfer-encoding"})
_NO_COOKIES: dict[str, str] = {}
# Cookie headers up to this size are parsed once and remembered; longer ones
# (not ours: khabar's two cookies take ~60 bytes) are parsed every time, so
# that the memo cannot be filled with large headers.
COOKIE_MEMO_MAX_BYTES = 512


def _set_cookie_parts(secure: bool) -> tuple[bytes, bytes]:
    """The CSRF ``Set-Cookie`` value around the cookie, exactly as Starlette writes it."""
    probe = "0khabar0probe0"
    response = Response()
    response.set_cookie(CSRF_COOKIE, probe, httponly=True, samesite="lax", secure=secure)
    value = next(v for k, v in response.raw_headers if k == b"set-cookie")
    before, after = value.split(probe.encode("ascii"))
    return before, after


_SET_COOKIE = {secure: _set_cookie_parts(secure) for secure in (False, True)}


@dataclass(frozen=True, slots=True)
class CachedPage:
    """One rendered page as the bytes around its CSRF token slots."""

    parts: tuple[bytes, ...]

    def fill(self, token: str) -> bytes:
        """The page with ``token`` in every slot."""
        return token.encode("ascii").join(self.parts)


class PageCache:
    """A thread-safe LRU of rendered pages for one store generation at a time."""

    def __init__(self, csrf: CsrfSigner, max_pages: int = MAX_PAGES) -> None:
        self.csrf = csrf
        self.max_pages = max_pages
        # Random per process: article text cannot contain it by chance or by design.
        self.token_slot = f"khabar-csrf-{secrets.token_hex(16)}"
        self._slot_bytes = self.token_slot.encode("ascii")
        self._generation: int | None = None
        self._pages: OrderedDict[PageKey, CachedPage] = OrderedDict()
        self._paths: dict[tuple[str, bytes], int] = {}
        self._lock = threading.Lock()

    def may_hold(self, path: str, query: bytes) -> bool:
        """A cheap pre-check: True when some language's copy of the page may be cached."""
        return (path, query) in self._paths

    def get(self, generation: int, key: PageKey) -> CachedPage | None:
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

    def put(self, generation: int, key: PageKey, html: str) -> CachedPage:
        """Keep a page rendered from the store at ``generation``; returns it."""
        page = CachedPage(tuple(html.encode("utf-8").split(self._slot_bytes)))
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

    def respond(
        self,
        generation: int,
        key: PageKey,
        cookie: str | None,
        if_none_match: str,
        https: bool,
        page: CachedPage | None = None,
    ) -> Answer | None:
        """The answer for one reader: a 304, the page with their token, or None if not cached.

        Browsers revalidate (``no-cache``) and get a 304 while the page, their
        cookie and token window are unchanged. A reader without a CSRF cookie
        gets one (and no ETag: there is nothing their copy could match).
        """
        headers = list(_CACHE_HEADERS)
        if cookie:
            etag = page_etag(generation, key, cookie)
            headers.append((b"etag", etag.encode("ascii")))
            if if_none_match and etag in _etags(if_none_match):
                return 304, headers, b""
        if page is None:
            page = self.get(generation, key)
            if page is None:
                return None
        if cookie:
            body = page.fill(self.csrf.token_for(cookie))
        else:
            new_cookie = CsrfSigner.new_cookie()
            body = page.fill(self.csrf.token(new_cookie))
            before, after = _SET_COOKIE[https]
            headers.append((b"set-cookie", before + new_cookie.encode("ascii") + after))
        headers.append((b"content-length", str(len(body)).encode("ascii")))
        headers.append(_HTML)
        return 200, headers, body

    def __len__(self) -> int:
        return len(self._pages)


def ui_lang_of(conn: HTTPConnection) -> str:
    """The interface language the reader chose (cookie), Hindi by default."""
    return _ui_lang(conn.cookies)


def _ui_lang(cookies: dict[str, str]) -> str:
    lang = cookies.get(UI_COOKIE, "hi")
    return lang if lang in UI_LANGUAGES else "hi"


def _cookies(header: bytes) -> dict[str, str]:
    """A Cookie header parsed as Starlette parses it; callers must not change the dict."""
    if len(header) <= COOKIE_MEMO_MAX_BYTES:
        return _memo_cookies(header)
    return cookie_parser(header.decode("latin-1"))


@lru_cache(maxsize=1024)
def _memo_cookies(header: bytes) -> dict[str, str]:
    return cookie_parser(header.decode("latin-1"))


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


def _etags(header: str) -> set[str]:
    """The entity tags of an If-None-Match header (weak comparison: W/ is ignored)."""
    tags = {part.strip() for part in header.split(",") if part.strip()}
    return tags | {t.removeprefix("W/") for t in tags} | {f"W/{t}" for t in tags}


async def store_generation(store: Store) -> int:
    """The store's generation, read without a thread hop where that is safe.

    A cache hit is a dictionary lookup, so the hop to the threadpool would
    cost more than the page. SQLite answers from its change hint in ~2 us
    (a query in WAL mode, which never waits for a writer, when the hint
    moved), so it is read on the event loop; a network database may stall,
    so it is read in a thread.
    """
    if getattr(store, "dialect", None) == "sqlite":
        return store.generation()
    return await run_in_threadpool(store.generation)


async def cached_page(conn: HTTPConnection, render: Callable[[str], str]) -> Response:
    """The page for this request from the cache, or rendered by ``render(token_slot)`` and kept."""
    app = conn.scope["app"]
    cache: PageCache = app.state.page_cache
    generation = await store_generation(app.state.web.store)
    key: PageKey = (conn.scope["path"], conn.scope["query_string"], ui_lang_of(conn))
    cookie = conn.cookies.get(CSRF_COOKIE)
    if_none_match = conn.headers.get("if-none-match", "")
    https = conn.url.scheme == "https"
    answer = cache.respond(generation, key, cookie, if_none_match, https)
    if answer is None:
        page = cache.put(generation, key, await run_in_threadpool(render, cache.token_slot))
        answer = cache.respond(generation, key, cookie, if_none_match, https, page)
        assert answer is not None  # given the page, there is always an answer
    status, headers, body = answer
    response = Response(body, status_code=status)
    response.raw_headers = headers  # the security middleware adds its headers
    return response


class FastPages:
    """Answers a GET for a page the routes cached, ahead of routing and middleware.

    Only plain GETs of a (path, query) the cache may hold, without a body,
    are looked at; a miss, a store error or anything else returns False and
    the app handles the request as usual.
    """

    def __init__(self, cache: PageCache, store: Store) -> None:
        self.cache = cache
        self.store = store
        self._inline = getattr(store, "dialect", None) == "sqlite"

    async def answer(self, scope: Scope, send: Send) -> bool:
        """Send the cached page (or a 304) for ``scope``; False when the app must answer."""
        path: str = scope["path"]
        query: bytes = scope["query_string"]
        if not self.cache.may_hold(path, query):
            return False
        cookie_header = if_none_match = b""
        for name, value in scope["headers"]:
            if name == b"cookie":
                cookie_header = cookie_header or value  # Starlette reads the first
            elif name == b"if-none-match":
                if_none_match = if_none_match or value
            elif name in _BODY_HEADERS:
                return False
        cookies = _cookies(cookie_header) if cookie_header else _NO_COOKIES
        try:
            if self._inline:
                generation = self.store.generation()
            else:
                generation = await run_in_threadpool(self.store.generation)
        except KhabarError:  # the store is down: the route answers with a 503
            return False
        answer = self.cache.respond(
            generation,
            (path, query, _ui_lang(cookies)),
            cookies.get(CSRF_COOKIE),
            if_none_match.decode("latin-1"),
            scope.get("scheme") == "https",
        )
        if answer is None:
            return False
        status, headers, body = answer
        headers.extend(SECURITY_HEADERS)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return True
