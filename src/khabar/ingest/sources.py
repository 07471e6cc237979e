"""Reading one page from a path, a URL, stdin or memory into text.

All I/O of a single-page run lives here. Bytes are checked before they are
decoded (size, compression, binary content) so that bad input ends in an
:class:`~khabar.errors.InputError` with a one-line reason, not in a parser.
"""

from __future__ import annotations

import re
import sys
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import regex

from ..errors import FetchError, InputError

_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", regex.I)
# Share of characters that may be control or replacement characters before
# we call the input binary; real pages have a handful at most.
_MAX_JUNK_RATIO = 0.01


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def _check_size(size: int, limit: int, source: str) -> None:
    if size > limit:
        raise InputError(
            f"input is {_mb(size)}, more than the {_mb(limit)} limit (setting max_input_bytes)",
            source=source,
            reason="too_large",
        )


def _gunzip(data: bytes, limit: int, source: str) -> bytes:
    """Decompress a gzip payload, refusing to inflate past ``limit`` (gzip bombs)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InputError(f"corrupt gzip data: {exc}", source=source, reason="bad_gzip") from exc
    _check_size(len(out), limit, source)
    return out


# A NUL in the first 64 KB is binary data; UTF-16 (read by its BOM) is the
# one text encoding whose bytes are full of NULs.
_NUL_WINDOW = 65_536
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_bytes(data: bytes, *, source: str = "<bytes>", max_bytes: int = 20_000_000) -> str:
    """Bytes to text: gzip unwrapped, charset found, binary refused."""
    _check_size(len(data), max_bytes, source)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, max_bytes, source)
    if not data.strip():
        raise InputError("input is empty", source=source, reason="empty")
    utf16 = data.startswith(_UTF16_BOMS)
    if not utf16 and b"\x00" in data[:_NUL_WINDOW]:
        raise InputError("input is binary data, not a page", source=source, reason="binary")
    text = _decode(data)
    if not text.strip():  # a BOM alone, or UTF-16 spaces, passed the byte check
        raise InputError("input is empty", source=source, reason="empty")
    # UTF-16 skipped the byte check (half its bytes are NUL); a NUL character
    # in the same first 64 KB (two bytes a character) is binary all the same.
    if utf16 and "\x00" in text[: _NUL_WINDOW // 2]:
        raise InputError("input is binary data, not a page", source=source, reason="binary")
    if _junk(text) > _MAX_JUNK_RATIO * len(text):
        raise InputError("input is binary data, not a page", source=source, reason="binary")
    return text


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Mostly-UTF-8 with a few broken bytes is common in scraped dumps; the
    # junk-ratio check in decode_bytes refuses it when the damage is large.
    as_utf8 = data.decode("utf-8", errors="replace")
    if _mostly_utf8(as_utf8):
        return as_utf8
    match = _META_CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii").lower() if match else ""
    if declared and declared.replace("-", "").replace("_", "") not in ("utf8", "unicode"):
        try:
            return data.decode(declared, errors="replace")
        except LookupError:
            pass
    # No usable declaration, or one that says UTF-8 over bytes that are not:
    # ask a detector rather than hand on replacement characters.
    return _guessed(data) or as_utf8


def _guessed(data: bytes) -> str | None:
    """The text in the encoding charset-normalizer finds most plausible, if any."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    # Only a confident guess: random bytes and legacy font encodings also
    # "decode" in some code page, into garbage that must be refused instead.
    if (
        best is None
        or best.encoding in ("utf_8", "ascii")
        or best.encoding.startswith(("utf_16", "utf_32"))  # never without a BOM
        or best.chaos > _MAX_CHAOS
        or best.coherence <= 0.0
    ):
        return None
    encoding = best.encoding
    # On a short page the detector cannot tell Western from Central European
    # Latin; windows-1252 is what browsers assume for an undeclared page (the
    # WHATWG default), and what a wrong "UTF-8" label usually hides.
    if encoding in _LATIN_GUESSES:
        encoding = "cp1252"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return None


# charset-normalizer's mess ratio above which a decoding is not believed.
_MAX_CHAOS = 0.1
_LATIN_GUESSES = frozenset(
    {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_15", "mac_latin2",
     "mac_roman", "cp850", "cp437"}
)


def _mostly_utf8(text: str) -> bool:
    """Many valid multi-byte characters and few broken ones: UTF-8 whatever the meta says.

    A page saying windows-1252 but holding UTF-8 Devanagari would decode to
    mojibake; real windows-1252 text has no valid multi-byte sequences.
    """
    broken = text.count("\ufffd")
    multibyte = len(text) - len(text.encode("ascii", errors="ignore")) - broken
    return multibyte > 4 * broken


# Control characters (Unicode category Cc) other than tab, newline, CR and form
# feed, plus U+FFFD. A compiled class scans a page in C: a per-character Python
# loop here was a quarter of the whole brief's time on ordinary pages, and the
# stdlib engine scans a plain class three times faster than ``regex``.
_JUNK = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def _junk(text: str) -> int:
    """Replacement and control characters in ``text`` (signs of a wrong decoding)."""
    return len(_JUNK.findall(text))


def decode_input(
    content: str | bytes, *, source: str = "<input>", max_bytes: int = 20_000_000
) -> str:
    """Accept str or bytes from the Python API and return checked text."""
    if isinstance(content, bytes):
        return decode_bytes(content, source=source, max_bytes=max_bytes)
    if not isinstance(content, str):
        raise InputError(
            f"expected str or bytes, got {type(content).__name__}", source=source, reason="bad_type"
        )
    _check_size(len(content.encode("utf-8", errors="surrogatepass")), max_bytes, source)
    if not content.strip():
        raise InputError("input is empty", source=source, reason="empty")
    if "\x00" in content:
        raise InputError("input is binary data, not a page", source=source, reason="binary")
    # Lone surrogates cannot be encoded anywhere downstream (JSON, SQLite).
    return content.encode("utf-8", errors="replace").decode("utf-8")


def is_url(spec: str) -> bool:
    """True for http(s) URLs, which :func:`read_source` fetches."""
    return spec.startswith(("http://", "https://"))


def fetch_url(url: str, *, timeout: float, user_agent: str, max_bytes: int) -> bytes:
    """GET one URL with a time and size limit. Batch fetching lives in ``khabar.batch``."""
    request = urllib.request.Request(
        url, headers={"User-Agent": user_agent, "Accept-Encoding": "gzip"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit():
                _check_size(int(length), max_bytes, url)
            data: bytes = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(
            f"HTTP {exc.code} fetching the page", url=url, reason=f"http_{exc.code}"
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(
            f"could not fetch the page: {reason}", url=url, reason="fetch_failed"
        ) from exc
    _check_size(len(data), max_bytes, url)
    return data


def read_source(
    spec: str, *, timeout: float, user_agent: str, max_bytes: int
) -> tuple[str, str | None]:
    """Read ``PATH``, ``URL`` or ``-`` (stdin); return the text and the URL if any."""
    if spec == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        return decode_bytes(data, source="<stdin>", max_bytes=max_bytes), None
    if is_url(spec):
        data = fetch_url(spec, timeout=timeout, user_agent=user_agent, max_bytes=max_bytes)
        return decode_bytes(data, source=spec, max_bytes=max_bytes), spec
    path = Path(spec)
    if path.is_dir():
        raise InputError("is a directory, not a page", source=spec, reason="not_a_file")
    try:
        size = path.stat().st_size
        _check_size(size, max_bytes, spec)
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise InputError("no such file", source=spec, reason="not_found") from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory, not a page", source=spec, reason="not_a_file") from exc
    except OSError as exc:
        raise InputError(
            f"cannot read the file: {exc.strerror}", source=spec, reason="unreadable"
        ) from exc
    return decode_bytes(data, source=spec, max_bytes=max_bytes), None
