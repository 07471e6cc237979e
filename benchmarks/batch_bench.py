"""Batch throughput (local vs Dask) and peak memory as the input grows.

    PYTHONPATH=src .venv/bin/python benchmarks/batch_bench.py speed  [--limit N]
    PYTHONPATH=src .venv/bin/python benchmarks/batch_bench.py memory [--sizes 1000 5000]
    PYTHONPATH=src .venv/bin/python benchmarks/batch_bench.py html   [--limit 500]

``speed`` briefs the Hindi COVID-19 daily files (split into stories) and the
BBC Hindi articles with the local engine, Dask with 1 worker and Dask with 2
workers, and prints pages/s for each (median of ``--runs``). ``memory`` runs
``khabar batch`` in a subprocess on the BBC articles repeated to each size and
prints the peak RSS of that process (local engine). ``html`` times
``khabar batch`` and trafilatura's CLI on the same WCXB HTML pages. Sentence embeddings are
off, as in ``khabar batch`` by default. Measure on an idle machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def _bbc_jsonl(path: Path, n: int) -> Path:
    """The BBC Hindi articles as batch JSONL, cycled to ``n`` records (copies get distinct URLs)."""
    rows = [json.loads(x) for x in (DATA / "bbc-hindi-articles" / "hindi-cleaned-test.jsonl")
            .open(encoding="utf-8")]
    with path.open("w", encoding="utf-8") as fh:
        for i, row in zip(range(n), itertools.cycle(rows), strict=False):
            fh.write(json.dumps({"text": row["text"], "url": f"https://bbc.test/{i}"},
                                ensure_ascii=False) + "\n")
    return path


def _covid_jsonl(path: Path, n: int) -> Path:
    """The COVID-19 daily files split into stories, cycled to ``n`` records."""
    from khabar.ingest.readers import iter_records

    stories = [r.content for r in iter_records([str(DATA / "hindi-covid-news" / "raw")],
                                               text_mode="stories")]
    with path.open("w", encoding="utf-8") as fh:
        for i, text in zip(range(n), itertools.cycle(stories), strict=False):
            fh.write(json.dumps({"text": text, "url": f"https://covid.test/{i}"},
                                ensure_ascii=False) + "\n")
    return path


def _run(inputs: list[str], engine: str, workers: int, tmp: Path) -> tuple[float, int]:
    from khabar.batch import run_batch
    from khabar.batch.progress import Progress
    from khabar.settings import load_settings

    out = Path(tempfile.mkdtemp(dir=tmp))
    started = time.perf_counter()
    result = run_batch(inputs, out, settings=load_settings(env={}, embed="off"), engine=engine,
                       workers=workers, progress=Progress(quiet=True), global_step=False,
                       shard_size=50)
    return time.perf_counter() - started, result.total


def speed(args: argparse.Namespace) -> None:
    """Each configuration once per round, rounds alternating, so drift hits all alike."""
    configs = (("local", 1), ("dask", 1), ("dask", 2))
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        corpora = {"covid-stories": _covid_jsonl(tmp / "covid.jsonl", args.limit),
                   "bbc-hindi": _bbc_jsonl(tmp / "bbc.jsonl", args.limit)}
        for name, path in corpora.items():
            rates: dict[str, list[float]] = {f"{e}x{w}": [] for e, w in configs}
            for round_ in range(args.runs):
                for engine, workers in configs:
                    seconds, n = _run([str(path)], engine, workers, tmp)
                    rates[f"{engine}x{workers}"].append(n / seconds)
                ratio = rates["daskx2"][-1] / rates["daskx1"][-1]
                print(f"{name} round {round_ + 1}: "
                      + ", ".join(f"{k} {v[-1]:.1f}" for k, v in rates.items())
                      + f" pages/s; dask 2/1 workers {ratio:.2f}x", flush=True)
            med = {k: statistics.median(v) for k, v in rates.items()}
            ratios = [b / a for a, b in zip(rates["daskx1"], rates["daskx2"], strict=True)]
            print(f"{name}: medians " + ", ".join(f"{k} {v:.1f}" for k, v in med.items())
                  + f" pages/s ({args.limit} records, cluster start-up included); "
                  f"dask 2/1 workers per round {', '.join(f'{r:.2f}' for r in ratios)}, "
                  f"median {statistics.median(ratios):.2f}x; dask x2 / local x1 "
                  f"{med['daskx2'] / med['localx1']:.2f}x", flush=True)


def memory(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        for n in args.sizes:
            path = _bbc_jsonl(tmp / f"bbc-{n}.jsonl", n)
            cmd = [sys.executable, "-c", (
                "import resource, sys; from khabar.cli import main; code = main(sys.argv[1:]); "
                "print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); "
                "sys.exit(code)"),
                "batch", str(path), "--out", str(tmp / f"out-{n}"), "--quiet", "--embed", "off"]
            started = time.perf_counter()
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            seconds = time.perf_counter() - started
            peak = next(int(x.split()[1]) for x in proc.stdout.splitlines()
                        if x.startswith("PEAK_KB"))
            print(f"{n:>7} records: peak RSS {peak / 1024:.0f} MB, {n / seconds:.1f} pages/s",
                  flush=True)


def html(args: argparse.Namespace) -> None:
    """khabar batch beside trafilatura's own CLI on the same real HTML pages, same run."""
    import gzip
    import shutil

    pages = sorted((DATA / "wcxb-dev" / "dev" / "html").glob("*.html.gz"))[: args.limit]
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        src = tmp / "pages"
        src.mkdir()
        for page in pages:
            (src / page.name[:-3]).write_bytes(gzip.decompress(page.read_bytes()))
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        bindir = Path(sys.executable).parent
        runs = {
            "khabar batch (local)": [sys.executable, "-m", "khabar", "batch", str(src), "--out",
                                     str(tmp / "k"), "--quiet", "--no-dedup", "--embed", "off"],
            "trafilatura CLI": [str(bindir / "trafilatura"), "--input-dir", str(src),
                                "--output-dir", str(tmp / "t")],
        }
        for name, cmd in runs.items():
            started = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True, check=True)
            seconds = time.perf_counter() - started
            print(f"{name:<24} {len(pages) / seconds:>8.2f} pages/s ({len(pages)} pages)",
                  flush=True)
        shutil.rmtree(tmp / "t", ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("speed")
    s.add_argument("--limit", type=int, default=600, help="records per corpus")
    s.add_argument("--runs", type=int, default=1)
    h = sub.add_parser("html")
    h.add_argument("--limit", type=int, default=500, help="WCXB pages")
    m = sub.add_parser("memory")
    m.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    args = parser.parse_args()
    if not DATA.exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    {"speed": speed, "memory": memory, "html": html}[args.what](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
