"""A polite HTTP fetcher for batch runs and feed watching (httpx).

Polite means: robots.txt is read once per host and obeyed; requests to one
host are spaced by a minimum delay and capped in number at once; 429 and
5xx answers are retried with exponential backoff (and ``Retry-After``);
pages already seen are asked for conditionally (ETag, Last-Modified); every
page has a size and a wall-clock limit, so a server that sends one byte a
minute or 200 MB cannot stall a run; and the user agent names khabar.

Every failure is a :class:`~khabar.errors.FetchError` whose ``reason`` a
batch report counts (``robots_disallowed``, ``http_404``, ``timeout``,
``too_large``, ``too_many_redirects``, ``bad_url``, ``connect_failed``).
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from .._urls import join_url, split_url
from ..errors import FetchError, MissingDependencyError
from .sources import decode_bytes

# Seconds between two requests to one host; 1 s is the common crawler courtesy.
DEFAULT_HOST_DELAY_S = 1.0
# The longest Retry-After we honour before giving up on a page.
MAX_RETRY_AFTER_S = 60.0
_REDIRECTS = (301, 302, 303, 307, 308)
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_KEEP_OUT = ["User-agent: *", "Disallow: /"]


def _httpx() -> Any:
    try:
        import httpx
    except ImportError as exc:
        raise MissingDependencyError("httpx", "batch") from exc
    return httpx


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetched page: the bytes, the decoded text and the validators for next time."""

    url: str
    final_url: str
    status: int
    content: bytes
    text: str | None
    encoding: str | None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # a 304: the page did not change since the last fetch


@dataclass
class _Host:
    """Per-host politeness state."""

    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0
    robots: urllib.robotparser.RobotFileParser | None = None
    unreachable: str | None = None  # why robots.txt could not be asked for at all
    robots_ready: threading.Event = field(default_factory=threading.Event)


class Fetcher:
    """Fetch pages politely; thread-safe, one instance per process.

    Args:
        user_agent: sent with every request; names khabar.
        timeout: wall-clock seconds for one page, body included.
        max_bytes: a larger body is refused (``too_large``).
        host_delay: minimum seconds between two requests to one host.
        host_concurrency: requests to one host at the same time.
        workers: threads used by :meth:`fetch_many`.
        retries: extra attempts on 429, 5xx and connection errors.
        backoff: first retry delay in seconds, doubled on each attempt.
        obey_robots: read and obey robots.txt.
        max_redirects: hops followed before ``too_many_redirects``.
        transport: an httpx transport (tests pass a mock one).
    """

    def __init__(
        self,
        *,
        user_agent: str = "khabar/0.1 (+https://github.com/khabar-news/khabar)",
        timeout: float = 20.0,
        max_bytes: int = 20_000_000,
        host_delay: float = DEFAULT_HOST_DELAY_S,
        host_concurrency: int = 2,
        workers: int = 8,
        retries: int = 3,
        backoff: float = 0.5,
        obey_robots: bool = True,
        max_redirects: int = 5,
        transport: Any = None,
    ) -> None:
        httpx = _httpx()
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.host_delay = host_delay
        self.host_concurrency = host_concurrency
        self.workers = workers
        self.retries = retries
        self.backoff = backoff
        self.obey_robots = obey_robots
        self.max_redirects = max_redirects
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            transport=transport,
        )
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._validators: dict[str, tuple[str | None, str | None]] = {}

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness ----------------------------------------------------------

    def _host(self, origin: str) -> _Host:
        with self._hosts_lock:
            host = self._hosts.get(origin)
            if host is None:
                host = self._hosts[origin] = _Host(threading.Semaphore(self.host_concurrency))
            return host

    def _wait_turn(self, host: _Host) -> None:
        """Sleep until this host may be asked again, and book the next slot."""
        with host.lock:
            now = time.monotonic()
            wait = host.next_at - now
            host.next_at = max(now, host.next_at) + self.host_delay
        if wait > 0:
            time.sleep(wait)

    def allowed(self, url: str) -> bool:
        """True when robots.txt of the URL's host lets khabar fetch it.

        Raises :class:`FetchError` (``connect_failed``) when the host cannot be reached.
        """
        if not self.obey_robots:
            return True
        origin = _origin(url)
        host = self._host(origin)
        with host.lock:
            first = host.robots is None and not host.robots_ready.is_set()
            if first:
                host.robots = urllib.robotparser.RobotFileParser()
        if first:
            self._load_robots(origin, host)
        host.robots_ready.wait(self.timeout + 1)
        if host.unreachable:
            raise FetchError(f"host unreachable: {host.unreachable}", url=url,
                             reason="connect_failed")
        robots = host.robots
        return robots is None or robots.can_fetch(self.user_agent, url)

    def _load_robots(self, origin: str, host: _Host) -> None:
        """Read robots.txt: 4xx means no rules; 5xx or no answer means keep out (RFC 9309)."""
        robots = host.robots
        assert robots is not None
        try:
            self._wait_turn(host)
            resp = self._client.get(origin + "/robots.txt", follow_redirects=True)
            if resp.status_code >= 500:
                robots.parse(_KEEP_OUT)
            elif resp.status_code >= 400:
                robots.parse([])
            else:
                robots.parse(resp.text.splitlines())
        except Exception as exc:  # any transport failure: be safe, stay out
            robots.parse(_KEEP_OUT)
            host.unreachable = str(exc)[:200] or type(exc).__name__
        finally:
            host.robots_ready.set()

    # -- fetching --------------------------------------------------------------

    def fetch(self, url: str) -> FetchResult:
        """GET one page politely; raise :class:`FetchError` with a reason on failure."""
        if not _is_http(url):
            raise FetchError("not an http(s) URL", url=url, reason="bad_url")
        current = url
        for _hop in range(self.max_redirects + 1):
            if not self.allowed(current):
                raise FetchError("robots.txt disallows this URL", url=current,
                                 reason="robots_disallowed")
            status, headers, body = self._get_with_retries(current)
            if status in _REDIRECTS and headers.get("location"):
                joined = join_url(current, headers["location"])
                if joined is None or not _is_http(joined):
                    raise FetchError("redirect to a non-http URL", url=url, reason="bad_url")
                current = joined
                continue
            return self._result(url, current, status, headers, body)
        raise FetchError(f"more than {self.max_redirects} redirects", url=url,
                         reason="too_many_redirects")

    def fetch_bytes(self, url: str) -> bytes:
        """The body of one page (for readers that expand feeds and sitemaps)."""
        return self.fetch(url).content

    def fetch_many(self, urls: Iterable[str]) -> Iterator[tuple[str, FetchResult | FetchError]]:
        """Fetch many URLs on a thread pool, results in input order."""
        def one(u: str) -> FetchResult | FetchError:
            try:
                return self.fetch(u)
            except FetchError as exc:
                return exc

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            items = list(urls)
            yield from zip(items, pool.map(one, items), strict=True)

    def _get_with_retries(self, url: str) -> tuple[int, dict[str, str], bytes]:
        host = self._host(_origin(url))
        delay = self.backoff
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            with host.slots:
                self._wait_turn(host)
                try:
                    status, headers, body = self._get_once(url)
                except FetchError as exc:
                    if last or exc.reason not in ("connect_failed", "timeout"):
                        raise
                    status, headers, body = 0, {}, b""
            if status not in _RETRY_STATUS and status != 0:
                return status, headers, body
            if last:
                raise FetchError(f"HTTP {status} after {self.retries + 1} attempts", url=url,
                                 reason=f"http_{status}" if status else "connect_failed")
            wait = max(delay, _retry_after(headers.get("retry-after")))
            if wait > MAX_RETRY_AFTER_S:
                raise FetchError(f"server asks to wait {wait:.0f} s", url=url,
                                 reason=f"http_{status}")
            time.sleep(wait)
            delay *= 2
        raise AssertionError("unreachable")

    def _get_once(self, url: str) -> tuple[int, dict[str, str], bytes]:
        """One request, streamed, with the size and wall-clock limits enforced."""
        httpx = _httpx()
        headers: dict[str, str] = {}
        etag, modified = self._validators.get(url, (None, None))
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        deadline = time.monotonic() + self.timeout
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                length = resp.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(f"page is {int(length)} bytes, over the limit", url=url,
                                     reason="too_large")
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError("page is over the size limit", url=url,
                                         reason="too_large")
                    if time.monotonic() > deadline:
                        raise FetchError(f"page took over {self.timeout} s", url=url,
                                         reason="timeout")
                    chunks.append(chunk)
                return resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, b"".join(
                    chunks
                )
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out: {exc}", url=url, reason="timeout") from exc
        except httpx.InvalidURL as exc:
            raise FetchError(f"bad URL: {exc}", url=url, reason="bad_url") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"could not fetch: {exc}", url=url, reason="connect_failed") from exc

    def _result(
        self, url: str, final: str, status: int, headers: dict[str, str], body: bytes
    ) -> FetchResult:
        etag, modified = headers.get("etag"), headers.get("last-modified")
        if status == 304:
            old = self._validators.get(url, (None, None))
            return FetchResult(url, final, status, b"", None, None, old[0], old[1], True)
        if status >= 400 or status < 200:
            raise FetchError(f"HTTP {status}", url=url, reason=f"http_{status}")
        if etag or modified:
            self._validators[url] = (etag, modified)
        encoding, text = _decode(body, headers.get("content-type", ""), url, self.max_bytes)
        return FetchResult(url, final, status, body, text, encoding, etag, modified)


def _decode(body: bytes, content_type: str, url: str, max_bytes: int) -> tuple[str | None, str]:
    """Text of a body: the header's charset, else the page's meta tag or a guess."""
    charset = None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ").lower()
    if charset and body:
        try:
            return charset, body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    if not body.strip():
        return None, ""
    try:
        return "utf-8", body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        if best is not None and best.encoding:
            return best.encoding, body.decode(best.encoding, errors="replace")
    except ImportError:
        pass
    return None, decode_bytes(body, source=url, max_bytes=max_bytes)


def _retry_after(value: str | None) -> float:
    """Seconds from a Retry-After header (seconds or an HTTP date); 0 when absent."""
    if not value:
        return 0.0
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return 0.0


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _is_http(url: str) -> bool:
    parts = split_url(url)
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


__all__ = ["FetchResult", "Fetcher"]
