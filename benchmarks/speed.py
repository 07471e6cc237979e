"""Throughput and peak memory: khabar's brief beside trafilatura's extract, same pages, same run.

    python benchmarks/speed.py [--repeat 3] [--shared ../shared]

Each mode runs in its own child process so that its peak RSS is its own.
Reported: pages/s (median of ``--repeat`` runs), the ratio to trafilatura
alone, and peak RSS. Pages: the 181 ScrapingHub AEB HTML pages; articles:
the 345 BBC Hindi article texts. Results go to benchmarks/results/speed.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODES = ["trafilatura", "khabar-lexical", "khabar-embed"]


def aeb_pages(shared: Path) -> list[bytes]:
    return [
        gzip.decompress(p.read_bytes())
        for p in sorted((shared / "data/scrapinghub-aeb/html").glob("*.html.gz"))
    ]


def _bbc_texts(shared: Path) -> list[str]:
    path = shared / "data/bbc-hindi-articles/hindi-cleaned-test.jsonl"
    return [
        json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line.strip()
    ]


def _child(mode: str, corpus: str, shared: Path) -> dict[str, float]:
    """Run one mode over one corpus in this process; return counts, time and peak RSS."""
    items: list[bytes] | list[str] = aeb_pages(shared) if corpus == "aeb" else _bbc_texts(shared)
    ok = failed = 0
    if mode == "trafilatura":
        import trafilatura

        start, cpu = time.perf_counter(), time.process_time()
        for item in items:
            ok += trafilatura.extract(item) is not None
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    else:
        import khabar

        settings = khabar.load_settings(embed="on" if mode == "khabar-embed" else "off")
        khabar.brief("टेस्ट " * 50 + "।", settings=settings) if mode == "khabar-embed" else None
        start, cpu = time.perf_counter(), time.process_time()
        for item in items:
            try:
                khabar.brief(item, settings=settings)
                ok += 1
            except khabar.KhabarError:
                failed += 1
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "items": len(items),
        "ok": ok,
        "failed": failed,
        "seconds": elapsed,
        "per_s": len(items) / elapsed,
        # CPU seconds of this process: on a shared machine its ratio is steadier
        # than the wall-clock one (both tools are single-threaded).
        "per_cpu_s": len(items) / cpu,
        "peak_rss_mb": rss_mb,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument(
        "--no-embed-bbc", action="store_true", help="skip the slow embedding run on BBC Hindi"
    )
    ap.add_argument(
        "--embed-repeat", type=int, default=1,
        help="runs of the embedding modes (each takes minutes; default 1)",
    )
    ap.add_argument("--child", nargs=2, metavar=("MODE", "CORPUS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.child[0], args.child[1], args.shared)))
        return
    results: dict[str, dict[str, Any]] = {}
    runs: dict[str, list[dict[str, float]]] = {}

    def run(mode: str, corpus: str) -> None:
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, corpus, "--shared", str(args.shared)],
            check=True,
            capture_output=True,
            text=True,
        )
        record = json.loads(out.stdout.strip().splitlines()[-1])
        runs.setdefault(f"{mode}@{corpus}", []).append(record)

    # trafilatura and khabar's lexical mode run in turns, so that each pair
    # shares the machine's load of the moment; the ratio is taken per pair.
    for _ in range(args.repeat):
        run("trafilatura", "aeb")
        run("khabar-lexical", "aeb")
        run("khabar-lexical", "bbc")
    embed_plan = [("khabar-embed", "aeb"), ("khabar-embed", "bbc")]
    if args.no_embed_bbc:
        embed_plan.remove(("khabar-embed", "bbc"))
    for _ in range(min(args.repeat, args.embed_repeat)):
        for mode, corpus in embed_plan:
            run(mode, corpus)
    for key, rs in runs.items():
        best = dict(rs[0])
        best["per_s"] = statistics.median(r["per_s"] for r in rs)
        best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in rs)
        best["runs"] = len(rs)
        results[key] = best
    pairs = [
        k["per_s"] / t["per_s"]
        for t, k in zip(runs["trafilatura@aeb"], runs["khabar-lexical@aeb"], strict=True)
    ]
    cpu_pairs = [
        k["per_cpu_s"] / t["per_cpu_s"]
        for t, k in zip(runs["trafilatura@aeb"], runs["khabar-lexical@aeb"], strict=True)
    ]
    results["lexical_vs_trafilatura"] = {
        "pair_ratios": [round(r, 3) for r in pairs],
        "median": statistics.median(pairs),
        "cpu_pair_ratios": [round(r, 3) for r in cpu_pairs],
        "cpu_median": statistics.median(cpu_pairs),
        "load_average": list(os.getloadavg()),
    }
    print("khabar lexical / trafilatura, per pair:", " ".join(f"{r:.2f}" for r in pairs),
          f"median {statistics.median(pairs):.2f}")
    print("same, by CPU time:", " ".join(f"{r:.2f}" for r in cpu_pairs),
          f"median {statistics.median(cpu_pairs):.2f}")
    base = results["trafilatura@aeb"]["per_s"]
    print(f"{'mode':<26} {'items':>5} {'ok':>5} {'per s':>8} {'x trafilatura':>14} {'peak MB':>8}")
    for key, r in results.items():
        if "@" not in key:
            continue
        ratio = f"{r['per_s'] / base:.2f}" if key.endswith("@aeb") else "-"
        print(
            f"{key:<26} {r['items']:>5.0f} {r['ok']:>5.0f} {r['per_s']:>8.1f} {ratio:>14}"
            f" {r['peak_rss_mb']:>8.0f}"
        )
    out_path = ROOT / "benchmarks/results/speed.json"
    out_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
