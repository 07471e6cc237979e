"""Start a real ``khabar serve`` subprocess on a free loopback port (for kill and load tests)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 120


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    env["KHABAR_CONFIG"] = os.devnull
    env["KHABAR_EMBED"] = "off"
    return env


@contextmanager
def khabar_serve(db_url: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``khabar serve --db URL`` until the block ends (or the test kills it)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "khabar", "serve", "--db", db_url, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"khabar serve exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(base + "/api/briefs?limit=1", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("khabar serve did not start") from None
                time.sleep(0.2)
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
