"""Load the reader on loopback: `khabar serve` (SQLite) beside nginx serving the same HTML.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/web_bench.py [--seconds 5] [--rate 200]``

Two measurements per page (feed ``/`` and article ``/articles/1``):
- closed loop: N keep-alive clients as fast as possible -> requests/s, p50, p99;
- open loop at ``--rate`` requests/s -> p50, p99 (the target is p99 < 50 ms at 200/s).
nginx is used when the ``nginx`` binary is on PATH (Debian package ``nginx``); else skipped.
Also times feed pagination on page 1 and page 1,000 of a store with ``--briefs`` briefs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(conn: http.client.HTTPConnection, path: str) -> float:
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status} for {path}")
    return time.perf_counter() - start


def closed_loop(port: int, path: str, seconds: float, clients: int) -> dict[str, float]:
    """Clients that send the next request as soon as the last one is answered."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.perf_counter() < stop:
            mine.append(_get(conn, path))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summary(latencies, seconds)


def open_loop(port: int, path: str, seconds: float, rate: float) -> dict[str, float]:
    """Requests started on a fixed schedule, so slow answers cannot slow the load down."""
    latencies: list[float] = []
    lock = threading.Lock()
    total = int(seconds * rate)
    workers = 16
    start = time.perf_counter() + 0.1

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for i in range(offset, total, workers):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            done = time.perf_counter() - max(due, start)  # latency from the scheduled time
            with lock:
                latencies.append(done)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summary(latencies, seconds)


def summary(latencies: list[float], seconds: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "rps": round(len(ordered) / seconds, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 2),
    }


def start_khabar(db: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen(
        ["python", "-m", "khabar", "serve", "--db", db, "--port", str(port), "--embed", "off"],
        stdout=subprocess.DEVNULL,
    )
    wait_for(port)
    return proc, port


def wait_for(port: int) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port}")


def start_nginx(root: Path) -> tuple[subprocess.Popen[bytes], int] | None:
    if shutil.which("nginx") is None:
        return None
    port = free_port()
    conf = root / "nginx.conf"
    conf.write_text(
        f"daemon off; worker_processes 1; pid {root}/nginx.pid; error_log {root}/error.log;\n"
        f"events {{ worker_connections 1024; }}\n"
        f"http {{ access_log off; server {{ listen 127.0.0.1:{port}; root {root}/www;\n"
        f"  location / {{ try_files $uri $uri/index.html =404; default_type text/html; }} }} }}\n"
    )
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root)])
    wait_for(port)
    return proc, port


def snapshot(port: int, root: Path, paths: list[str]) -> None:
    """Save the pages khabar serves, for nginx to serve as static files."""
    for path in paths:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", path)
        body = conn.getresponse().read()
        target = root / "www" / path.lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)


def pagination(briefs: int) -> dict[str, Any]:
    """Time page 1 and page 1,000 of a feed of ``briefs`` briefs (20 a page)."""
    from dataclasses import replace

    from khabar import brief, load_settings
    from khabar.demo import demo_pages
    from khabar.store import open_store

    settings = load_settings(embed="off")
    base = brief(demo_pages()[0].read_bytes(), settings=settings)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/feed.db")
        for i in range(briefs):
            art = replace(
                base.article,
                canonical_url=f"https://bench.example/{i}",
                date=f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                paragraphs=(*base.article.paragraphs, f"संख्या {i}"),
            )
            store.upsert_brief(replace(base, article=art))
        timings: dict[str, float] = {}
        cursor = None
        for page in range(1, 1001):
            t0 = time.perf_counter()
            result = store.list_briefs(cursor=cursor, limit=20)
            elapsed = time.perf_counter() - t0
            if page in (1, 1000):
                timings[f"page_{page}_ms"] = round(elapsed * 1000, 3)
            cursor = result.next_cursor
            if cursor is None:
                break
        store.close()
    return {"briefs": briefs, **timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--briefs", type=int, default=100_000)
    args = parser.parse_args()
    from khabar import load_settings
    from khabar.store import open_store
    from khabar.web.demo import load_demo

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = f"sqlite:///{root / 'bench.db'}"
        store = open_store(db)
        load_demo(store, load_settings(embed="off"))
        store.close()
        paths = ["/", "/articles/1"]
        proc, port = start_khabar(db)
        servers = {"khabar": port}
        snapshot(port, root, paths)
        nginx = start_nginx(root)
        if nginx is not None:
            servers["nginx"] = nginx[1]
        try:
            for name, p in servers.items():
                for path in paths:
                    results[f"{name} {path}"] = {
                        "closed": closed_loop(p, path, args.seconds, args.clients),
                        f"open@{args.rate:g}": open_loop(p, path, args.seconds, args.rate),
                    }
        finally:
            proc.terminate()
            if nginx is not None:
                nginx[0].terminate()
    results["pagination"] = pagination(args.briefs)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
