"""Reading input: sizes, encodings, compression and binary refusal, and a real loopback fetch."""

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from khabar import FetchError, InputError
from khabar.ingest import decode_bytes, decode_input, read_source

PAGE = "<html><head><meta charset='windows-1252'></head><body>caf\xe9</body></html>"


def test_utf8_and_bom_and_meta_charset() -> None:
    assert decode_bytes("नमस्ते दुनिया".encode()) == "नमस्ते दुनिया"
    assert decode_bytes(b"\xef\xbb\xbf" + "पुतिन".encode()) == "पुतिन"
    assert "café" in decode_bytes(PAGE.encode("cp1252"))


FRENCH = "Le café était très animé ce matin à Montréal, où les élèves déjeunaient. " * 6
RUSSIAN = "Сегодня в Москве прошёл сильный дождь, и многие улицы затопило водой. " * 6
HINDI = "दिल्ली में आज भारी बारिश हुई और कई इलाकों में पानी भर गया। " * 6


def _page(charset: str | None, body: str) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("declared", "served", "body"),
    [
        ("utf-8", "cp1252", FRENCH),  # says UTF-8, serves Windows-1252
        ("utf-8", "cp1251", RUSSIAN),  # says UTF-8, serves a Cyrillic code page
        (None, "cp1252", FRENCH),  # says nothing, serves Windows-1252
        ("windows-1252", "utf-8", HINDI),  # says Windows-1252, serves UTF-8 Devanagari
        ("iso-8859-1", "utf-8", FRENCH),  # says Latin-1, serves UTF-8
    ],
)
def test_misdeclared_charsets_decode_to_the_real_text(
    declared: str | None, served: str, body: str
) -> None:
    text = decode_bytes(_page(declared, body).encode(served))
    assert body.strip() in text
    assert "\ufffd" not in text


def test_gzip_is_unwrapped_and_bombs_refused() -> None:
    assert decode_bytes(gzip.compress("समाचार".encode())) == "समाचार"
    bomb = gzip.compress(b"a" * 5_000_000)
    with pytest.raises(InputError, match="limit"):
        decode_bytes(bomb, max_bytes=1_000_000)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (bytes(range(256)) * 50, "binary"),
        (b"\x1f\x8b\x08garbage", "bad_gzip"),
    ],
)
def test_bad_bytes_get_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data)
    assert info.value.reason == reason


def test_size_limit_and_types() -> None:
    with pytest.raises(InputError, match="more than"):
        decode_input("क" * 1000, max_bytes=100)
    with pytest.raises(InputError, match="expected str or bytes"):
        decode_input(123)  # type: ignore[arg-type]
    assert decode_input("a\ud800b") == "a?b"  # lone surrogate replaced, never crashes later


def test_missing_file_and_directory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    kw = {"timeout": 1.0, "user_agent": "t", "max_bytes": 1000}
    with pytest.raises(InputError, match="no such file"):
        read_source(str(tmp_path / "nope.html"), **kw)
    with pytest.raises(InputError, match="directory"):
        read_source(str(tmp_path), **kw)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/missing":
            self.send_error(404)
            return
        self.server.seen_agent = self.headers.get("User-Agent")  # type: ignore[attr-defined]
        body = "<html><body><p>ख़बर</p></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()


def test_fetch_over_loopback(server: ThreadingHTTPServer) -> None:
    base = f"http://127.0.0.1:{server.server_address[1]}"
    text, url = read_source(base + "/a", timeout=5, user_agent="khabar-test", max_bytes=10_000)
    assert "ख़बर" in text and url == base + "/a"
    assert server.seen_agent == "khabar-test"  # type: ignore[attr-defined]
    with pytest.raises(FetchError) as info:
        read_source(base + "/missing", timeout=5, user_agent="t", max_bytes=10_000)
    assert info.value.reason == "http_404"
    with pytest.raises(FetchError):
        read_source("http://127.0.0.1:9/", timeout=2, user_agent="t", max_bytes=10_000)
