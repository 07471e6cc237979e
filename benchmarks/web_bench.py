"""The reader under load on loopback: `khabar serve` (SQLite) beside nginx serving the same HTML.

    PYTHONPATH=src .venv/bin/python benchmarks/web_bench.py
    PYTHONPATH=src .venv/bin/python benchmarks/web_bench.py --seconds 10 --rounds 3 \\
        --connections 16 --rate 200 --out benchmarks/results/web.json

The issue 6 target: the feed ``/`` and an article page ``/articles/{id}``
served by khabar at >= 0.25x nginx's requests/s, and p99 < 50 ms at 200
requests/s. The store is the demo corpus plus ``--extra`` variants of its
briefs (new URLs, dates and a changed paragraph), so the feed has full pages
and related stories have candidates to rank. nginx (Debian's ``nginx``, one
worker, like khabar's one process) serves the very pages khabar rendered,
saved as static files. Per round and page, the servers take turns (the
order alternates between rounds) so that load from other jobs hits both:

- closed loop: ``wrk`` (Debian's ``wrk``; when it is not on PATH, Python
  keep-alive clients) with ``--connections`` connections for ``--seconds``
  -> requests/s, p50, p99;
- open loop at ``--rate`` requests/s: requests start on a fixed schedule and
  latency counts from the scheduled moment, so a stalled server shows up as
  latency instead of a lower rate (wrk cannot hold a rate; wrk2 is not in
  Debian) -> p50, p99, late starts.

The load generators send no cookies, so every khabar answer carries a new
CSRF cookie and its HMAC token (a returning reader's token is reused for a
minute): the first visit, khabar's dearest cached page.

Only 127.0.0.1 is contacted; every run is bounded by ``--seconds``, and the
servers are stopped at the end. The machine's load average is recorded
around every measurement: ratios within a round are the trustworthy figures.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 60.0
# Open-loop clients: at 200/s a 50 ms answer keeps ~10 busy; 32 leaves room
# for stalls without the generator itself becoming the bottleneck.
OPEN_LOOP_WORKERS = 32


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(port: int, proc: subprocess.Popen[bytes]) -> None:
    """Return once something listens on ``port``; fail if ``proc`` dies or time runs out."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port}")


def percentile(ordered: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of sorted values, nearest rank."""
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def summary(latencies: list[float], seconds: float, errors: int = 0) -> dict[str, Any]:
    """Requests/s and latency quantiles (ms) of one run."""
    ordered = sorted(latencies)
    if not ordered:
        return {"requests": 0, "errors": errors}
    return {
        "requests": len(ordered),
        "errors": errors,
        "rps": round(len(ordered) / seconds, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


# -- closed loop ----------------------------------------------------------------------


_WRK_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk_closed_loop(port: int, path: str, seconds: float, connections: int) -> dict[str, Any]:
    """``wrk`` with one thread (the other core serves) and ``connections`` keep-alive sockets."""
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "5s",
            "--latency",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    lat = {q: float(v) * _UNIT_MS[u] for q, v, u in _WRK_LATENCY.findall(out)}
    if rps is None or total is None or set(lat) != {"50", "99"}:
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    return {
        "tool": "wrk",
        "requests": int(total.group(1)),
        "errors": (int(bad.group(1)) if bad else 0)
        + (sum(int(g) for g in sock.groups()) if sock else 0),
        "rps": float(rps.group(1)),
        "p50_ms": round(lat["50"], 2),
        "p99_ms": round(lat["99"], 2),
    }


def _get(conn: http.client.HTTPConnection, port: int, path: str
         ) -> tuple[http.client.HTTPConnection, bool]:
    """GET ``path`` on a kept-alive connection; a new connection after a failure."""
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return conn, response.status == 200
    except OSError:
        conn.close()
        return http.client.HTTPConnection("127.0.0.1", port, timeout=10), False

def python_closed_loop(port: int, path: str, seconds: float, connections: int) -> dict[str, Any]:
    """The fallback without wrk: keep-alive clients that ask again as soon as answered.

    Python clients share one GIL, so this measures less than wrk does; the
    figures are comparable only with the nginx figures of the same run.
    """
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < stop:
            start = time.perf_counter()
            conn, ok = _get(conn, port, path)
            if ok:
                mine.append(time.perf_counter() - start)
            else:
                bad += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 15)
    return {"tool": "python", **summary(latencies, seconds, errors)}


# -- open loop ------------------------------------------------------------------------


def open_loop(port: int, path: str, seconds: float, rate: float) -> dict[str, Any]:
    """Requests due every ``1/rate`` s, taken by whichever client is free.

    Latency runs from the moment a request was due, so a request that had to
    wait for a free client (because earlier ones were slow) counts its wait:
    no coordinated omission.
    """
    total = int(seconds * rate)
    start = time.perf_counter() + 0.2
    slots = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    errors = 0
    late = 0

    def worker() -> None:
        nonlocal errors, late
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        bad = lagging = 0
        while True:
            with lock:
                i = next(slots)
            if i >= total:
                break
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.001:
                lagging += 1
            conn, ok = _get(conn, port, path)
            if ok:
                mine.append(time.perf_counter() - due)
            else:
                bad += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad
            late += lagging

    threads = [threading.Thread(target=worker) for _ in range(OPEN_LOOP_WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 20)
    return {"rate": rate, "late_starts": late, **summary(latencies, seconds, errors)}


# -- servers --------------------------------------------------------------------------


def build_store(db: str, extra: int) -> int:
    """The demo corpus plus ``extra`` variants of its briefs; returns an article id to load."""
    from khabar import brief, load_settings
    from khabar.demo import demo_pages
    from khabar.store import open_store

    settings = load_settings(embed="off")
    bases = [brief(p.read_bytes(), settings=settings) for p in demo_pages()]
    store = open_store(db)
    try:
        stored = store.upsert_many(bases)
        variants = []
        for i in range(extra):
            base = bases[i % len(bases)]
            art = replace(
                base.article,
                canonical_url=f"https://bench.example/{i}",
                date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                paragraphs=(*base.article.paragraphs, f"अद्यतन संख्या {i}।"),
            )
            variants.append(replace(base, article=art))
        store.upsert_many(variants)
        return stored[0][0].article_id
    finally:
        store.close()


def start_khabar(db: str) -> tuple[subprocess.Popen[bytes], int]:
    """``khabar serve`` in its own process, as a reader would run it."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "khabar",
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--embed",
            "off",
        ],
        stdout=subprocess.DEVNULL,
        env=env,
    )
    wait_for(port, proc)
    return proc, port


def start_nginx(root: Path) -> tuple[subprocess.Popen[bytes], int] | None:
    """nginx serving ``root/www`` with one worker, or None when nginx is not installed."""
    binary = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if binary is None:
        return None
    port = free_port()
    root.chmod(0o755)  # the worker process may run as another user
    conf = root / "nginx.conf"
    conf.write_text(
        f"daemon off; worker_processes 1; pid {root}/nginx.pid; error_log {root}/error.log;\n"
        "events { worker_connections 1024; }\n"
        "http { access_log off; keepalive_requests 1000000;\n"
        f"  server {{ listen 127.0.0.1:{port}; root {root}/www;\n"
        "    location / { try_files $uri $uri/index.html =404; default_type text/html; } } }\n"
    )
    proc = subprocess.Popen([binary, "-c", str(conf), "-p", str(root)], stderr=subprocess.DEVNULL)
    wait_for(port, proc)
    return proc, port


def snapshot(port: int, root: Path, paths: list[str]) -> dict[str, int]:
    """Save the pages khabar serves for nginx to serve; returns their sizes in bytes."""
    sizes = {}
    for path in paths:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        if response.status != 200:
            raise RuntimeError(f"khabar answered {response.status} for {path}")
        target = root / "www" / path.lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        target.parent.chmod(0o755)
        sizes[path] = len(body)
    (root / "www").chmod(0o755)
    return sizes


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server we started, killing it if it does not exit."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def load() -> float:
    """The 1-minute load average."""
    return round(os.getloadavg()[0], 2)


def measured(run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``run()``'s figures with the load average before and after."""
    before = load()
    result = run()
    return {**result, "load_before": before, "load_after": load()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    parser.add_argument("--connections", type=int, default=16, help="closed-loop connections")
    parser.add_argument("--rate", type=float, default=200.0, help="open-loop requests/s")
    parser.add_argument("--extra", type=int, default=190, help="brief variants beside the demo")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/web.json")
    args = parser.parse_args()
    use_wrk = shutil.which("wrk") is not None
    closed = wrk_closed_loop if use_wrk else python_closed_loop

    with tempfile.TemporaryDirectory(prefix="khabar-web-bench-") as tmp:
        root = Path(tmp)
        db = f"sqlite:///{root / 'bench.db'}"
        article_id = build_store(db, args.extra)
        pages = {"feed": "/", "article": f"/articles/{article_id}"}
        khabar, khabar_port = start_khabar(db)
        nginx = None
        try:
            sizes = snapshot(khabar_port, root, list(pages.values()))
            nginx = start_nginx(root)
            ports = {"khabar": khabar_port}
            if nginx is not None:
                ports["nginx"] = nginx[1]
            # Warm both (khabar's page cache, imports, nginx's open files).
            for port in ports.values():
                for path in pages.values():
                    python_closed_loop(port, path, 1.0, 2)
            rounds: list[dict[str, Any]] = []
            for r in range(args.rounds):
                order = list(ports) if r % 2 == 0 else list(reversed(ports))
                this: dict[str, Any] = {"order": order}
                for page, path in pages.items():
                    for server in order:
                        port = ports[server]
                        this[f"{server} {page} closed"] = measured(
                            partial(closed, port, path, args.seconds, args.connections)
                        )
                        this[f"{server} {page} open"] = measured(
                            partial(open_loop, port, path, args.seconds, args.rate)
                        )
                    if "nginx" in ports:
                        k, n = this[f"khabar {page} closed"], this[f"nginx {page} closed"]
                        this[f"{page} ratio"] = round(k["rps"] / n["rps"], 4) if n["rps"] else None
                rounds.append(this)
                print(json.dumps({"round": r + 1, **this}, ensure_ascii=False), flush=True)
        finally:
            stop(khabar)
            if nginx is not None:
                stop(nginx[0])

    result = {
        "command": "benchmarks/web_bench.py " + " ".join(sys.argv[1:]),
        "closed_loop_tool": "wrk -t1" if use_wrk else "python threads",
        "connections": args.connections,
        "seconds": args.seconds,
        "open_loop_rate": args.rate,
        "store": f"SQLite, demo corpus + {args.extra} variants",
        "page_bytes": sizes,
        "nginx": "nginx, 1 worker" if nginx is not None else "not installed: skipped",
        "cpus": os.cpu_count(),
        "rounds": rounds,
        "median": medians(rounds, list(pages), "nginx" in ports),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["median"], ensure_ascii=False, indent=2))


def medians(rounds: list[dict[str, Any]], pages: list[str], nginx: bool) -> dict[str, Any]:
    """Per page: the median over rounds of each figure, and of the per-round ratio."""
    out: dict[str, Any] = {}
    servers = ["khabar", "nginx"] if nginx else ["khabar"]
    for page in pages:
        for server in servers:
            for kind, keys in (
                ("closed", ("rps", "p50_ms", "p99_ms")),
                ("open", ("p50_ms", "p99_ms")),
            ):
                runs = [r[f"{server} {page} {kind}"] for r in rounds]
                out[f"{server} {page} {kind}"] = {
                    k: statistics.median(x[k] for x in runs if k in x) for k in keys
                } | {"load": statistics.median(x["load_before"] for x in runs)}
        if nginx:
            ratios = [r[f"{page} ratio"] for r in rounds if r.get(f"{page} ratio") is not None]
            out[f"{page} ratio khabar/nginx rps"] = statistics.median(ratios) if ratios else None
    return out


if __name__ == "__main__":
    main()
