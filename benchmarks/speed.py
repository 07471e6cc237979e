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
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ["trafilatura", "khabar-lexical", "khabar-embed"]


def _aeb_pages(shared: Path) -> list[bytes]:
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
    items: list[bytes] | list[str] = _aeb_pages(shared) if corpus == "aeb" else _bbc_texts(shared)
    ok = failed = 0
    if mode == "trafilatura":
        import trafilatura

        start = time.perf_counter()
        for item in items:
            ok += trafilatura.extract(item) is not None
        elapsed = time.perf_counter() - start
    else:
        import khabar

        settings = khabar.load_settings(embed="on" if mode == "khabar-embed" else "off")
        khabar.brief("टेस्ट " * 50 + "।", settings=settings) if mode == "khabar-embed" else None
        start = time.perf_counter()
        for item in items:
            try:
                khabar.brief(item, settings=settings)
                ok += 1
            except khabar.KhabarError:
                failed += 1
        elapsed = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "items": len(items),
        "ok": ok,
        "failed": failed,
        "seconds": elapsed,
        "per_s": len(items) / elapsed,
        "peak_rss_mb": rss_mb,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument(
        "--no-embed-bbc", action="store_true", help="skip the slow embedding run on BBC Hindi"
    )
    ap.add_argument("--child", nargs=2, metavar=("MODE", "CORPUS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.child[0], args.child[1], args.shared)))
        return
    results: dict[str, dict[str, float]] = {}
    plan = [(m, "aeb") for m in MODES] + [("khabar-lexical", "bbc"), ("khabar-embed", "bbc")]
    if args.no_embed_bbc:
        plan.remove(("khabar-embed", "bbc"))
    for mode, corpus in plan:
        runs = []
        for _ in range(args.repeat):
            out = subprocess.run(
                [sys.executable, __file__, "--child", mode, corpus, "--shared", str(args.shared)],
                check=True,
                capture_output=True,
                text=True,
            )
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        best = dict(runs[0])
        best["per_s"] = statistics.median(r["per_s"] for r in runs)
        best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
        results[f"{mode}@{corpus}"] = best
    base = results["trafilatura@aeb"]["per_s"]
    print(f"{'mode':<26} {'items':>5} {'ok':>5} {'per s':>8} {'x trafilatura':>14} {'peak MB':>8}")
    for key, r in results.items():
        ratio = f"{r['per_s'] / base:.2f}" if key.endswith("@aeb") else "-"
        print(
            f"{key:<26} {r['items']:>5.0f} {r['ok']:>5.0f} {r['per_s']:>8.1f} {ratio:>14}"
            f" {r['peak_rss_mb']:>8.0f}"
        )
    out_path = ROOT / "benchmarks/results/speed.json"
    out_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
