"""Fixed-rate mixed load against a real ``khabar serve`` on loopback, with memory watched.

    python benchmarks/load_soak.py                        # 10 minutes at 20 req/s
    python benchmarks/load_soak.py --duration 120 --rate 10 --out build/soak.json

The mix (weights in ``MIX``): the feed (API and page), an article (API and
page), a search, and a feedback post. Requests are scheduled open-loop at
``--rate`` per second; latency is measured from the scheduled moment, so a
stalled server shows up as latency instead of silently lowering the rate
(coordinated omission). Feedback is rate-limited per client by design: 429s
are counted as ``limited``, not errors. Errors are 5xx answers, unexpected
4xx answers and failed connections.

The server's RSS is sampled every ``--sample-s`` seconds; the report gives
it at start (after a warm-up) and end, its peak, and the growth over the
second half of the run (flat memory: growth near zero). Everything stops by
itself: a bounded schedule, a join with a deadline, then the server is killed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MIX: tuple[tuple[str, int], ...] = (
    ("feed_api", 20),
    ("feed_page", 10),
    ("article_api", 20),
    ("article_page", 15),
    ("search", 20),
    ("feedback", 15),
)
QUERIES = ("बारिश", "रेपो रेट", "इसरो", "डेंगू", "UPI", "सुप्रीम कोर्ट", "मंत्री", "विदर्भ")
START_TIMEOUT_S = 120


@dataclass
class Stats:
    """What the load generator saw."""

    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    codes: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, outcome: str) -> None:
        """Record one request."""
        with self.lock:
            self.latencies_ms.setdefault(kind, []).append(ms)
            self.codes[outcome] += 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _prepare_db(url: str | None, workdir: Path) -> str:
    """The store to serve: the given URL, or a fresh SQLite file with the demo corpus."""
    if url:
        return url
    sys.path.insert(0, str(ROOT / "src"))
    from khabar.settings import load_settings
    from khabar.store import open_store
    from khabar.web.demo import load_demo

    db = f"sqlite:///{workdir / 'soak.db'}"
    store = open_store(db)
    try:
        load_demo(store, load_settings(env={}, embed="off"))
    finally:
        store.close()
    return db


def _start_server(db: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env.update(PYTHONPATH=str(ROOT / "src"), KHABAR_CONFIG=os.devnull, KHABAR_EMBED="off")
    proc = subprocess.Popen(
        [sys.executable, "-m", "khabar", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"khabar serve exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/briefs?limit=1")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("khabar serve did not start")


class Client:
    """One keep-alive connection per worker thread."""

    def __init__(self, port: int, ids: list[tuple[int, int]], timeout_s: float) -> None:
        self.port = port
        self.ids = ids  # (article id, brief id)
        self.timeout_s = timeout_s
        self.local = threading.local()

    def _conn(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout_s)
            self.local.conn = conn
        return conn

    def request(self, kind: str, rng: random.Random) -> int:
        """Send one request of ``kind``; return the status."""
        article_id, brief_id = rng.choice(self.ids)
        body: bytes | None = None
        headers = {"Accept": "text/html" if kind.endswith("_page") else "application/json"}
        if kind == "feed_api":
            method, path = "GET", "/api/briefs?limit=20"
        elif kind == "feed_page":
            method, path = "GET", "/"
        elif kind == "article_api":
            method, path = "GET", f"/api/articles/{article_id}"
        elif kind == "article_page":
            method, path = "GET", f"/articles/{article_id}"
        elif kind == "search":
            method, path = "GET", "/api/search?q=" + urllib.parse.quote(rng.choice(QUERIES))
        else:
            method, path = "POST", f"/api/briefs/{brief_id}/feedback"
            body = json.dumps({"useful": rng.random() < 0.7}).encode()
            headers["Content-Type"] = "application/json"
        conn = self._conn()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            self.local.conn = None
            raise


def _ids(port: int) -> list[tuple[int, int]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/api/briefs?limit=100")
    items = json.loads(conn.getresponse().read())["items"]
    return [(int(i["article_id"]), int(i["brief_id"])) for i in items]


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Serve, load, sample, stop; return the report."""
    with tempfile.TemporaryDirectory() as tmp:
        db = _prepare_db(args.db, Path(tmp))
        proc, port = _start_server(db)
        try:
            return _load(args, proc, port)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def _load(args: argparse.Namespace, proc: subprocess.Popen[bytes], port: int) -> dict[str, Any]:
    client = Client(port, _ids(port), args.timeout_s)
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    stats = Stats()
    rng = random.Random(args.seed)
    # Warm-up: every kind once, so lazy loading is not counted as growth.
    for kind in kinds:
        client.request(kind, rng)
    rss: list[tuple[float, float]] = [(0.0, _rss_mb(proc.pid))]
    total = int(args.duration * args.rate)
    started = time.monotonic()

    def one(i: int) -> None:
        kind = random.Random(args.seed * 1_000_003 + i).choices(kinds, weights)[0]
        due = started + i / args.rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        try:
            status = client.request(kind, random.Random(i))
        except Exception as exc:  # a failed connection is an error, whatever its type
            stats.add(kind, (time.monotonic() - due) * 1000, "connection_error")
            with stats.lock:
                if len(stats.errors) < 20:
                    stats.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            return
        ok = 200 <= status < 400 or (kind == "feedback" and status == 429)
        outcome = "ok" if 200 <= status < 400 else "limited" if ok else f"http_{status}"
        stats.add(kind, (time.monotonic() - due) * 1000, outcome)

    stop_sampling = threading.Event()

    def sample() -> None:
        while not stop_sampling.wait(args.sample_s):
            if proc.poll() is not None:
                return
            rss.append((round(time.monotonic() - started, 1), _rss_mb(proc.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        # Submitted in order; workers sleep until each request's due time.
        for i in range(total):
            pool.submit(one, i)
    stop_sampling.set()
    sampler.join(timeout=args.sample_s + 5)
    elapsed = time.monotonic() - started
    rss.append((round(elapsed, 1), _rss_mb(proc.pid) if proc.poll() is None else 0.0))

    every = [ms for values in stats.latencies_ms.values() for ms in values]
    errors = sum(n for outcome, n in stats.codes.items() if outcome not in ("ok", "limited"))
    half = [mb for t, mb in rss if t >= elapsed / 2]
    return {
        "duration_s": round(elapsed, 1),
        "target_rate_per_s": args.rate,
        "achieved_rate_per_s": round(len(every) / elapsed, 2),
        "requests": len(every),
        "outcomes": dict(stats.codes),
        "error_rate": round(errors / max(1, len(every)), 5),
        "latency_ms": {
            "p50": round(_percentile(every, 0.50), 1),
            "p99": round(_percentile(every, 0.99), 1),
            "max": round(max(every, default=0.0), 1),
            "by_kind": {
                kind: {"n": len(v), "p50": round(_percentile(v, 0.5), 1),
                       "p99": round(_percentile(v, 0.99), 1)}
                for kind, v in sorted(stats.latencies_ms.items())
            },
        },
        "rss_mb": {
            "start": round(rss[0][1], 1),
            "end": round(rss[-1][1], 1),
            "peak": round(max(mb for _, mb in rss), 1),
            "second_half_growth": round(half[-1] - half[0], 1) if len(half) > 1 else 0.0,
            "samples": rss,
        },
        "server_alive_at_end": proc.poll() is None,
        "first_errors": stats.errors,
        "mean_latency_ms": round(statistics.fmean(every), 1) if every else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the soak and print the report; exit 1 on errors or a dead server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=600.0, help="seconds (default 600)")
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second")
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--timeout-s", type=float, default=30.0, help="per request")
    parser.add_argument("--sample-s", type=float, default=10.0, help="RSS sampling period")
    parser.add_argument("--db", help="store URL (default: a temporary SQLite demo store)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, help="also write the JSON report here")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.rate <= 0:
        parser.error("--duration and --rate must be positive")
    report = run(args)
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    summary = {k: v for k, v in report.items() if k not in ("rss_mb", "latency_ms")}
    summary["p50_ms"] = report["latency_ms"]["p50"]
    summary["p99_ms"] = report["latency_ms"]["p99"]
    summary["rss_mb"] = {k: v for k, v in report["rss_mb"].items() if k != "samples"}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0 if report["error_rate"] == 0 and report["server_alive_at_end"] else 1


if __name__ == "__main__":
    sys.exit(main())
