"""khabar's lexical brief beside trafilatura's extract, page by page in turns.

    python benchmarks/speed_turns.py [--rounds 3] [--shared ../shared]

speed.py runs each tool over all 181 AEB pages in its own process, one after
the other. On this shared virtual machine the ratio of such a pair swings
from 0.43 to 0.66 even at load average 1: the host's speed changes over a few
seconds. Here each tool still has its own process (no shared caches, its own
peak RSS), but the two take turns on every page, the order flipping from page
to page, so both see the machine of the same moment. A round is a fresh pair
of processes and one pass over the pages; each process is warmed up first on
a small page outside the corpus (imports, lazily loaded models and data).
Both CPU seconds and wall seconds are summed per tool; the ratio reported is
trafilatura's time over khabar's, i.e. khabar's throughput as a share of
trafilatura's. Results go to benchmarks/results/speed_turns.json.

Caveat, measured: taking turns leaves each process the CPU caches cold after
the other's page, which slows trafilatura (27-30 pages per CPU-second here,
41-44 alone) more than khabar, so this ratio reads about 0.05 higher than
speed.py's on a quiet machine. Use it to compare two versions of khabar on a
busy machine; quote speed.py's whole-run pairs, taken on a quiet one.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

# Run as a script, this file's folder is first on sys.path: the pages are speed.py's.
from speed import aeb_pages

ROOT = Path(__file__).resolve().parents[1]
MODES = ("trafilatura", "khabar-lexical")
WARM_UP = (
    "<html><head><title>गर्मी से राहत</title></head><body><article>"
    + "<p>मौसम विभाग ने कहा कि अगले दो दिनों में उत्तर भारत में बारिश होगी और तापमान गिरेगा।</p>"
    * 8
    + "</article></body></html>"
)


def _worker(mode: str, shared: Path) -> None:
    """Answer page numbers on stdin with [cpu s, wall s, ok] on stdout."""
    pages = aeb_pages(shared)
    if mode == "trafilatura":
        import trafilatura

        def work(page: bytes | str) -> bool:
            return trafilatura.extract(page) is not None

    else:
        import khabar

        settings = khabar.load_settings(embed="off")

        def work(page: bytes | str) -> bool:
            try:
                khabar.brief(page, settings=settings)
            except khabar.KhabarError:
                return False
            return True

    work(WARM_UP)
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "rss":
            print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, flush=True)
            continue
        page = pages[int(line)]
        cpu, wall = time.process_time(), time.perf_counter()
        ok = work(page)
        print(json.dumps([time.process_time() - cpu, time.perf_counter() - wall, ok]), flush=True)


def _ask(proc: subprocess.Popen[str], line: str) -> str:
    stdin: IO[str] | None = proc.stdin
    stdout: IO[str] | None = proc.stdout
    assert stdin is not None and stdout is not None
    stdin.write(line + "\n")
    stdin.flush()
    answer = stdout.readline()
    if not answer:
        raise RuntimeError(f"worker {proc.args!r} died")
    return answer.strip()


def _round(shared: Path, count: int) -> dict[str, Any]:
    procs = {
        mode: subprocess.Popen(
            [sys.executable, __file__, "--worker", mode, "--shared", str(shared)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for mode in MODES
    }
    try:
        for proc in procs.values():
            assert proc.stdout is not None
            if proc.stdout.readline().strip() != "ready":
                raise RuntimeError("a worker failed to start")
        totals = {mode: [0.0, 0.0, 0] for mode in MODES}
        for i in range(count):
            order = MODES if i % 2 == 0 else MODES[::-1]
            for mode in order:
                cpu, wall, ok = json.loads(_ask(procs[mode], str(i)))
                totals[mode][0] += cpu
                totals[mode][1] += wall
                totals[mode][2] += int(ok)
        rss = {mode: float(_ask(procs[mode], "rss")) for mode in MODES}
    finally:
        for proc in procs.values():
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=60)
    t, k = totals["trafilatura"], totals["khabar-lexical"]
    return {
        "pages": count,
        "trafilatura": {"cpu_s": t[0], "wall_s": t[1], "ok": t[2], "peak_rss_mb": rss[MODES[0]]},
        "khabar-lexical": {"cpu_s": k[0], "wall_s": k[1], "ok": k[2], "peak_rss_mb": rss[MODES[1]]},
        "ratio_cpu": t[0] / k[0],
        "ratio_wall": t[1] / k[1],
        "load_average": list(os.getloadavg()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        _worker(args.worker, args.shared)
        return
    count = len(aeb_pages(args.shared))
    rounds = []
    for n in range(args.rounds):
        result = _round(args.shared, count)
        rounds.append(result)
        print(
            f"round {n + 1}: khabar/trafilatura {result['ratio_cpu']:.3f} (CPU), "
            f"{result['ratio_wall']:.3f} (wall); trafilatura "
            f"{count / result['trafilatura']['cpu_s']:.1f} pages/CPU-s, khabar "
            f"{count / result['khabar-lexical']['cpu_s']:.1f}; "
            f"load {result['load_average'][0]:.2f}",
            flush=True,
        )
    summary = {
        "rounds": rounds,
        "median_ratio_cpu": statistics.median(r["ratio_cpu"] for r in rounds),
        "median_ratio_wall": statistics.median(r["ratio_wall"] for r in rounds),
    }
    print(
        f"median khabar/trafilatura: {summary['median_ratio_cpu']:.3f} (CPU), "
        f"{summary['median_ratio_wall']:.3f} (wall)"
    )
    out = ROOT / "benchmarks/results/speed_turns.json"
    out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
