"""URL splitting that says "unreadable" instead of raising.

``urllib.parse`` raises ``ValueError`` on a broken IPv6 host ("http://[::1/x",
"http://a]b/") and, lazily, on a bad bracketed host or an out-of-range port
when ``hostname`` or ``port`` is read. Pages, feeds, headers and redirects
are written by strangers: a fuzzed page's og:image of that kind had stopped
extraction with a traceback (tests/hardening/test_regressions.py).
"""

from __future__ import annotations

from urllib.parse import SplitResult, urljoin, urlsplit


def split_url(url: str) -> SplitResult | None:
    """``urlsplit(url)`` with its host and port checked; None when Python cannot read it."""
    try:
        parts = urlsplit(url)
        _ = parts.hostname, parts.port  # both validate lazily
    except ValueError:
        return None
    return parts


def join_url(base: str, link: str) -> str | None:
    """``urljoin(base, link)``; None when either cannot be read."""
    try:
        joined = urljoin(base, link)
    except ValueError:
        return None
    return joined if split_url(joined) is not None else None
