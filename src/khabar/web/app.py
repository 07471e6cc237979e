"""The web app factory: the REST API under ``/api`` and the reader's pages.

Everything the routes need (store, settings, CSRF signer, rate limiter,
templates) is built here once and reached through ``Annotated``
dependencies, so a test can build an app around any store.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from importlib import resources
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from .. import __version__
from ..settings import Settings
from ..store import Store
from .errors import error_body, install_error_handlers
from .pagecache import FastPages
from .security import CsrfSigner, RateLimiter, SecurityMiddleware

SECRET_ENV = "KHABAR_WEB_SECRET"
# Feedback bodies are tiny (text is capped at 1,000 characters, at most 9
# bytes each once form-encoded); anything much larger is not a reader.
SMALL_BODY_LIMIT = 16 * 1024


@dataclass(frozen=True, slots=True)
class WebOptions:
    """Knobs of the web layer that are not reading settings."""

    # HMAC key for CSRF tokens; random per process unless given or set in
    # $KHABAR_WEB_SECRET (needed when several workers share cookies).
    secret: bytes | None = None
    # Feedback: a burst of 5, then one every 6 s per client address.
    feedback_rate_per_s: float = 1 / 6
    feedback_burst: int = 5
    # Creating a brief runs the whole pipeline (and may fetch a URL).
    create_rate_per_s: float = 1.0
    create_burst: int = 10
    # Fetching URLs that resolve to loopback or private addresses lets a
    # caller probe the server's network (SSRF); tests on loopback allow it.
    allow_private_urls: bool = False


@dataclass(frozen=True, slots=True)
class WebState:
    """What the routes share, built once per app."""

    store: Store
    settings: Settings
    options: WebOptions
    csrf: CsrfSigner
    feedback_limiter: RateLimiter
    create_limiter: RateLimiter


class KhabarApp(FastAPI):
    """FastAPI that answers cached pages before its middleware stack and routing.

    A cache hit is a dictionary lookup; going through Starlette's middleware
    and router around it cost several times more than the lookup.
    :class:`khabar.web.pagecache.FastPages` sends the same headers the
    routes and :class:`khabar.web.security.SecurityMiddleware` would.
    """

    fast_pages: FastPages | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            # Link checkers and uptime monitors ask with HEAD: answer as GET
            # would, status and headers, without the body (RFC 9110, 9.3.2).
            scope, send = {**scope, "method": "GET"}, _without_body(send)
        fast = self.fast_pages
        if (
            fast is not None
            and scope["type"] == "http"
            and scope["method"] == "GET"
            and await fast.answer(scope, send)
        ):
            return
        await super().__call__(scope, receive, send)


def _without_body(send: Send) -> Send:
    """``send`` with every body message emptied (headers, Content-Length included, kept)."""

    async def head_send(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return head_send


def state_of(request: Request) -> WebState:
    """The app's shared state (a plain function, for code outside dependencies)."""
    state: WebState = request.app.state.web
    return state


# The dependencies are async although they do no I/O: FastAPI runs a sync
# dependency in its threadpool, a hop that costs more than a cached page.
async def get_state(request: Request) -> WebState:
    """The app's shared state."""
    return state_of(request)


async def get_store(request: Request) -> Store:
    """The store this app serves."""
    return state_of(request).store


async def get_settings(request: Request) -> Settings:
    """The settings this app was built with."""
    return state_of(request).settings


StateDep = Annotated[WebState, Depends(get_state)]
StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def client_key(request: Request) -> str:
    """The rate-limit key of a request: its peer address."""
    return request.client.host if request.client else "unknown"


def _secret(options: WebOptions) -> bytes:
    if options.secret is not None:
        return options.secret
    env = os.environ.get(SECRET_ENV)
    return env.encode() if env else secrets.token_bytes(32)


def create_app(store: Store, settings: Settings, options: WebOptions | None = None) -> FastAPI:
    """Build the khabar web app around an open ``store``.

    The app serves the JSON API under ``/api`` (schema at ``/openapi.json``,
    docs at ``/docs``), the reader's pages at ``/``, ``/articles/{id}``,
    ``/tags/{slug}``, ``/search`` and ``/feedback``, and static files at
    ``/static``. The caller owns ``store`` and closes it.
    """
    from . import api, pages

    options = options or WebOptions()
    app = KhabarApp(
        title="khabar",
        version=__version__,
        description="Hindi-first news briefs: articles, 3-bullet summaries, tags and feedback.",
        responses={422: {"description": "invalid request"}},
    )
    app.state.web = WebState(
        store=store,
        settings=settings,
        options=options,
        csrf=CsrfSigner(_secret(options)),
        feedback_limiter=RateLimiter(
            rate_per_s=options.feedback_rate_per_s, burst=options.feedback_burst
        ),
        create_limiter=RateLimiter(
            rate_per_s=options.create_rate_per_s, burst=options.create_burst
        ),
    )
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    pages.install(app)
    static = resources.files("khabar.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    # JSON-escaped Devanagari takes 6 bytes a character, so the raw-page limit doubles.
    big = 2 * settings.max_input_bytes + 4096

    def limit_for(method: str, path: str) -> int:
        return big if (method == "POST" and path == "/api/briefs") else SMALL_BODY_LIMIT

    async def too_large(scope: Scope, receive: Receive, send: Send) -> None:
        from fastapi.responses import JSONResponse

        body = error_body("payload_too_large", "the request body is too large")
        await JSONResponse(body, status_code=413)(scope, receive, send)

    app.add_middleware(SecurityMiddleware, limit_for=limit_for, too_large=too_large)
    app.fast_pages = FastPages(app.state.page_cache, store)
    return app
