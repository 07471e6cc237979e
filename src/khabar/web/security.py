"""Web security: CSRF tokens, a per-client rate limit, body size limit, headers.

The feedback form is the only state-changing page, so it carries a CSRF
token bound to a random cookie (signed double submit): a forged cross-site
form cannot read the cookie, so it cannot compute the token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "khabar_csrf"
CSRF_FIELD = "csrf_token"
# A page left open for a day can still send its feedback; older tokens are refused.
CSRF_MAX_AGE_S = 24 * 3600
# A reader's pages within a minute carry the same token: one HMAC a minute per
# reader instead of one a page, and a token is at most a minute older when issued.
TOKEN_REUSE_S = 60
TOKEN_CACHE_SIZE = 4096

# Scripts and styles only from our own origin: an injected inline script or
# handler attribute cannot run even if escaping ever failed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
# FastAPI's /docs page loads Swagger UI from a CDN with an inline script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: "
    "https://fastapi.tiangolo.com; frame-ancestors 'none'"
)


class CsrfSigner:
    """Issues and checks form tokens: ``timestamp.hmac(secret, cookie|timestamp)``."""

    def __init__(self, secret: bytes, *, max_age_s: int = CSRF_MAX_AGE_S) -> None:
        if len(secret) < 16:
            raise ValueError("the CSRF secret must be at least 16 bytes")
        self._secret = secret
        self._max_age_s = max_age_s
        self._recent: dict[str, tuple[int, str]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def new_cookie() -> str:
        """A fresh random value for the CSRF cookie."""
        return secrets.token_urlsafe(24)

    def _mac(self, cookie: str, stamp: str) -> str:
        msg = f"{cookie}|{stamp}".encode()
        return hmac.new(self._secret, msg, hashlib.sha256).hexdigest()

    def token(self, cookie: str, *, now: float | None = None) -> str:
        """The token to put in a form served to the holder of ``cookie``."""
        stamp = str(int(time.time() if now is None else now))
        return f"{stamp}.{self._mac(cookie, stamp)}"

    def token_for(self, cookie: str) -> str:
        """Like :meth:`token`, but reuses the token issued to ``cookie`` in the last minute.

        Tokens are not single-use (any unexpired one is accepted), so reuse
        only moves the issue time back by under :data:`TOKEN_REUSE_S`.
        """
        now = int(time.time())
        hit = self._recent.get(cookie)
        if hit is not None and 0 <= now - hit[0] < TOKEN_REUSE_S:
            return hit[1]
        token = self.token(cookie, now=now)
        with self._lock:
            self._recent[cookie] = (now, token)
            if len(self._recent) > TOKEN_CACHE_SIZE:
                # Oldest first (insertion order): a crawler cannot grow the table.
                del self._recent[next(iter(self._recent))]
        return token

    def check(self, cookie: str | None, token: str | None, *, now: float | None = None) -> bool:
        """True when ``token`` was issued for ``cookie`` and has not expired."""
        if not cookie or not token or "." not in token:
            return False
        stamp, _, mac = token.partition(".")
        if not stamp.isdigit() or not hmac.compare_digest(mac, self._mac(cookie, stamp)):
            return False
        age = (time.time() if now is None else now) - int(stamp)
        return -60 <= age <= self._max_age_s


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """An in-memory token bucket per client key (one process, one bucket table).

    ``burst`` requests may arrive at once; after that one more is allowed
    every ``1 / rate_per_s`` seconds. The table keeps the ``max_clients``
    most recently seen clients so a flood of addresses cannot grow it forever.
    """

    def __init__(
        self,
        *,
        rate_per_s: float,
        burst: int,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take one token for ``key``; False when its bucket is empty."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.pop(key, None) or _Bucket(float(self.burst), now)
            bucket.tokens = min(
                float(self.burst), bucket.tokens + (now - bucket.stamp) * self.rate_per_s
            )
            bucket.stamp = now
            self._buckets[key] = bucket
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
            if bucket.tokens < 1.0:
                return False
            bucket.tokens -= 1.0
            return True

    def retry_after_s(self) -> int:
        """Seconds until one more token arrives (for the Retry-After header)."""
        return max(1, int(1.0 / self.rate_per_s + 0.999))


class BodyTooLarge(HTTPException):
    """Raised inside the app when a streamed body passes its limit."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail="the request body is too large")


LimitFor = Callable[[str, str], int]


class SecurityMiddleware:
    """Adds security headers to every response and caps request body size.

    The cap is checked on ``Content-Length`` before the app runs and again
    while the body streams in, so a chunked upload cannot bypass it.
    """

    def __init__(self, app: ASGIApp, *, limit_for: LimitFor, too_large: ASGIApp) -> None:
        self.app = app
        self.limit_for = limit_for
        self.too_large = too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        csp = DOCS_CSP.encode() if path in ("/docs", "/redoc") else None

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {h for h, _ in SECURITY_HEADERS}
                ]
                for name, value in SECURITY_HEADERS:
                    if name == b"content-security-policy" and csp is not None:
                        value = csp
                    headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        limit = self.limit_for(scope["method"], path)
        length = _content_length(scope)
        if length is not None and length > limit:
            await self.too_large(scope, receive, send_with_headers)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            await self.too_large(scope, receive, send_with_headers)


def _content_length(scope: Scope) -> int | None:
    """The declared body length, or None when absent or unreadable."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
