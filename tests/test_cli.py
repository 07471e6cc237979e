"""The CLI as users run it: a real subprocess, exit codes, one-line errors."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import require_shared


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "khabar", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "KHABAR_EMBED": "off", "HOME": "/tmp"},
        cwd=Path(__file__).parent,
    )


def test_brief_json_from_file() -> None:
    seed = require_shared("seed", "ndtv-hindi-2025-08-13.txt")
    out = run("brief", str(seed), "--format", "json")
    assert out.returncode == 0, out.stderr.decode()
    data = json.loads(out.stdout)
    assert data["read_time_minutes"] == 2 and len(data["bullets"]) == 3
    assert all(b["source_sentences"] for b in data["bullets"])


def test_brief_md_and_text_from_stdin() -> None:
    seed = require_shared("seed", "ndtv-hindi-2025-08-13.txt").read_bytes()
    md = run("brief", "-", "--format", "md", stdin=seed)
    assert md.returncode == 0 and md.stdout.decode().startswith("# ट्रंप से मुलाकात")
    text = run("brief", "-", stdin=seed)
    assert "AI समरी" in text.stdout.decode() and "Read Time: 2 mins" in text.stdout.decode()


def test_demo_prints_a_table() -> None:
    out = run("demo", "--no-serve")
    assert out.returncode == 0, out.stderr.decode()
    assert "10 of 10 demo pages briefed" in out.stdout.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.html", b"", "empty"),
        ("binary.bin", bytes(range(256)) * 100, "binary"),
        ("huge.html", b"<p>" + "क".encode() * 17_000_000 + b"</p>", "limit"),
        ("nav.html", b"<html><body><nav><a href='/'>home</a></nav></body></html>", ""),
        ("chinese.txt", ("这是一个中文新闻页面。" * 40).encode(), "language"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out = run("brief", str(path))
    err = out.stderr.decode()
    assert out.returncode == 2, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("khabar: error:")
    assert message in err


def test_missing_file_and_bad_flag() -> None:
    out = run("brief", "/nonexistent/page.html")
    assert out.returncode == 2 and "no such file" in out.stderr.decode()
    assert run("brief", "x", "--format", "pdf").returncode == 2  # argparse's own usage error


def test_text_and_md_show_authors_and_site(tmp_path: Path) -> None:
    body = "".join(
        f"<p>The council met on day {n} and voted on the budget for roads, schools and the "
        "new bus routes after a long debate that ran late into the evening.</p>"
        for n in range(1, 7)
    )
    page = tmp_path / "council.html"
    page.write_text(
        '<html lang="en"><head><meta property="og:site_name" content="City Times">'
        '<meta property="og:type" content="article"><title>Council passes budget</title></head>'
        f'<body><article><h1>Council passes budget</h1><span class="byline">By Jane Roe</span>'
        f"{body}</article></body></html>", "utf-8")
    text = run("brief", str(page)).stdout.decode()
    assert text.splitlines()[2] == "Jane Roe · City Times"
    md = run("brief", str(page), "--format", "md").stdout.decode()
    assert "*Jane Roe · City Times*" in md


def _listening() -> socket.socket:
    """A socket listening on a free loopback port (what another server would hold)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


@pytest.mark.parametrize("command", [("serve", "--db", "sqlite:///:memory:"), ("demo",)])
def test_a_taken_port_is_one_line_before_any_work(command: tuple[str, ...]) -> None:
    pytest.importorskip("uvicorn", reason="needs the [serve] extra")
    with _listening() as taken:
        port = str(taken.getsockname()[1])
        out = run(*command, "--port", port)
    err = out.stderr.decode()
    assert out.returncode == 2, err
    assert f"port {port} on 127.0.0.1 is already in use" in err and "--port" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "demo pages briefed" not in out.stdout.decode()  # said before briefing the corpus


def test_serve_on_port_0_prints_the_port_it_got_and_serves_there(tmp_path: Path) -> None:
    pytest.importorskip("uvicorn", reason="needs the [serve] extra")
    proc = subprocess.Popen(
        [sys.executable, "-m", "khabar", "serve", "--db", f"sqlite:///{tmp_path / 'k.db'}",
         "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "KHABAR_EMBED": "off", "HOME": "/tmp"},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()  # printed before uvicorn starts
        address = line.removeprefix("khabar reader: ").strip()
        port = int(address.rsplit(":", 1)[1])
        assert line.startswith("khabar reader: http://127.0.0.1:") and port > 0, line
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{address}/api/briefs?limit=1", timeout=5) as resp:
                    assert resp.status == 200
                    assert json.load(resp)["items"] == []
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
    finally:
        proc.kill()
        proc.wait()
    assert proc.stderr is not None
    # A new store (or a typo in --db) is said, not served silently empty.
    assert "holds no briefs yet" in proc.stderr.read().decode()


def test_table_cells_are_cut_between_graphemes() -> None:
    import regex

    from khabar.cli import _cell, _width

    text = "IMD ने जारी किया रेड अलर्ट"
    clusters = regex.findall(r"\X", text)
    boundaries = {"".join(clusters[:n]).rstrip() for n in range(len(clusters) + 1)}
    for width in range(4, 30):
        cell = _cell(text, width)
        assert _width(cell) == width, (width, cell)
        # A cut keeps whole graphemes: never a bare "र्" or a lone matra before "…".
        assert cell.rstrip().removesuffix("…").rstrip() in boundaries, (width, cell)
