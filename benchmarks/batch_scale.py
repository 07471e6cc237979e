"""Batch at scale: the real HTML pages of ../shared/data repeated to N records.

    .venv/bin/python benchmarks/batch_scale.py pages
    .venv/bin/python benchmarks/batch_scale.py compare [--rounds 1] [--engine dask --workers 2]
    .venv/bin/python benchmarks/batch_scale.py scale --sizes 10000 30000 [--engine dask] [--keep]
    .venv/bin/python benchmarks/batch_scale.py globalstep \
        --source build/batch_scale/out-scale-10000 --sizes 10000 100000
    .venv/bin/python benchmarks/batch_scale.py long --size 100000 [--minutes 60] [--report]

``pages`` counts every HTML page under ``../shared/data`` (``*.html``,
``*.htm``, plain or gzipped) per set. ``compare`` runs ``khabar batch`` and
trafilatura's own CLI (``--parallel`` set to the khabar worker count) on the
same unique pages, alternately, in the same run, and prints pages/s of each
from process start to process end. ``scale`` runs ``khabar batch`` on the
pages repeated to each N and samples, every 0.5 s, the RSS summed over the
whole process tree (the batch process, the Dask nanny and worker processes)
together with how many records are committed, so the memory curve over a run
is visible as well as its peak; it then checks that briefs + drops = records.
``globalstep`` measures the one part of a run whose state could grow with the
corpus, the global duplicate and cluster step, at sizes beyond what fits in a
session: it cycles the rows of a finished ``scale --keep`` output (new ids)
into a synthetic output of N rows and runs that step alone in a subprocess.
``long`` is ``scale`` for a run longer than a sitting: it runs (or, with
``--resume``, continues) one N-record batch under ``build/batch_scale/long-N/``
for at most ``--minutes``, appending every sample to ``samples.jsonl`` as it
goes, so a run killed or stopped in one session is continued in the next;
``--report`` prints the peak tree RSS per tenth of N over all segments.

Inputs are directories of symlinks under ``build/batch_scale/`` (nothing is
copied): record ``i`` is a link named ``r{i:07d}`` to page ``i mod pages``, so
each repeat is a distinct record with its own id. Results are merged into
``benchmarks/results/batch_scale.json``. The machine is shared: every result
carries the load average before and after, and the two tools of ``compare``
are measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BUILD = ROOT / "build" / "batch_scale"
RESULTS = ROOT / "benchmarks" / "results" / "batch_scale.json"
BIN = Path(sys.executable).parent
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
# Links per sub-directory: keeps each directory listing short at 100,000 records.
PER_DIR = 1000
SAMPLE_EVERY_S = 0.5
MB = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")


def find_pages(data: Path = DATA) -> list[Path]:
    """Every HTML page under ``data``, in a stable order."""
    return sorted(p for p in data.rglob("*")
                  if p.is_file() and p.name.lower().endswith(HTML_SUFFIXES))


def _suffix(page: Path) -> str:
    name = page.name.lower()
    return next(s for s in sorted(HTML_SUFFIXES, key=len, reverse=True) if name.endswith(s))


def build_input(pages: Sequence[Path], n: int, name: str) -> Path:
    """A directory of ``n`` symlinks cycling over ``pages`` (reused when already complete)."""
    root = BUILD / name
    done = root / ".complete"
    if done.exists() and done.read_text() == str(n):
        return root
    shutil.rmtree(root, ignore_errors=True)
    for i in range(n):
        page = pages[i % len(pages)]
        sub = root / f"d{i // PER_DIR:04d}"
        if i % PER_DIR == 0:
            sub.mkdir(parents=True)
        (sub / f"r{i:07d}{_suffix(page)}").symlink_to(page.resolve())
    done.write_text(str(n))
    return root


def _rss_and_parent(pid: int) -> tuple[int, int] | None:
    """(RSS in bytes, parent pid) of a process from /proc, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: fields start after the last ")".
    fields = stat[stat.rindex(b")") + 2:].split()
    return int(fields[21]) * PAGE, int(fields[1])


def _tree_rss(root: int) -> tuple[int, int, int]:
    """RSS of ``root`` and of all its descendants: (total, root alone, process count)."""
    procs: dict[int, tuple[int, int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            got = _rss_and_parent(int(entry.name))
            if got is not None:
                procs[int(entry.name)] = got
    if root not in procs:
        return 0, 0, 0
    children: dict[int, list[int]] = {}
    for pid, (_, parent) in procs.items():
        children.setdefault(parent, []).append(pid)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return sum(procs[p][0] for p in tree), procs[root][0], len(tree)


def _committed(out: Path, shard_size: int, n: int) -> int:
    """Records in committed shards (a shard is committed when its manifest exists)."""
    manifests = out / "_manifest"
    if not manifests.is_dir():
        return 0
    count = sum(1 for x in os.scandir(manifests) if x.name.startswith("part-"))
    return min(n, count * shard_size)


def run_measured(cmd: list[str], *, out: Path | None = None, n: int = 0,
                 shard_size: int = 200, log: Path) -> dict[str, Any]:
    """Run ``cmd``; sample the process tree's RSS (and progress in ``out``) until it ends."""
    load_before = os.getloadavg()
    started = time.monotonic()
    with log.open("wb") as fh:
        child = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
        samples: list[list[float]] = []
        last_record_at: float | None = None
        while child.poll() is None:
            total, own, procs = _tree_rss(child.pid)
            done = _committed(out, shard_size, n) if out is not None else 0
            now = time.monotonic() - started
            if out is not None and done >= n and last_record_at is None:
                last_record_at = now
            if total:
                samples.append([round(now, 2), done, round(total / MB, 1), round(own / MB, 1),
                                procs])
            time.sleep(SAMPLE_EVERY_S)
    seconds = time.monotonic() - started
    if child.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"{cmd[0]} failed ({child.returncode}):\n{tail}")
    return {
        "seconds": round(seconds, 1),
        "seconds_to_last_shard": last_record_at,
        "peak_tree_rss_mb": max((s[2] for s in samples), default=0.0),
        "peak_main_rss_mb": max((s[3] for s in samples), default=0.0),
        "max_processes": max((int(s[4]) for s in samples), default=0),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "samples": samples,
    }


def _khabar_cmd(inp: Path, out: Path, args: argparse.Namespace) -> list[str]:
    cmd = [str(BIN / "khabar"), "batch", str(inp), "--out", str(out), "--engine", args.engine,
           "--embed", "off"]
    if args.engine == "dask":
        cmd += ["--workers", str(args.workers)]
    return cmd


def check_counts(out: Path, n: int) -> dict[str, Any]:
    """Briefs + drops must equal the records, and each record id must appear once."""
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    status = report["counts"]["status"]
    ids: set[str] = set()
    rows = 0
    for part in sorted(out.glob("part-*.jsonl")):
        with part.open(encoding="utf-8") as fh:
            for line in fh:
                rows += 1
                ids.add(json.loads(line)["id"])
    briefs, drops = status.get("brief", 0), status.get("drop", 0)
    return {"records": n, "briefs": briefs, "drops": drops, "rows": rows,
            "distinct_ids": len(ids), "reasons": report["counts"].get("reason", {}),
            "global_step": report.get("global_step", {}),
            "add_up": briefs + drops == n == rows == len(ids)}


def _curve(samples: list[list[float]], n: int) -> list[dict[str, Any]]:
    """Tree RSS at each 10% of committed records, the peak within each tenth, and after."""
    points = []
    for tenth in range(1, 11):
        upto = n * tenth / 10
        window = [s for s in samples if n * (tenth - 1) / 10 < s[1] <= upto]
        reached = next((s for s in samples if s[1] >= upto), None)
        points.append({"progress": f"{tenth * 10}%",
                       "t_s": reached[0] if reached else None,
                       "tree_rss_mb": reached[2] if reached else None,
                       "peak_in_tenth_mb": max((s[2] for s in window), default=None),
                       "main_rss_mb": reached[3] if reached else None})
    start = [s for s in samples if s[1] == 0]
    if start:
        points.insert(0, {"progress": "start-up (no shard yet)", "t_s": start[-1][0],
                          "peak_in_tenth_mb": max(s[2] for s in start),
                          "main_rss_mb": max(s[3] for s in start)})
    return points


def _save(key: str, value: Any) -> None:
    data = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    data[key] = value
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, RESULTS)


def cmd_pages(args: argparse.Namespace) -> None:
    pages = find_pages()
    per_set = Counter(p.relative_to(DATA).parts[0] for p in pages)
    for name, count in sorted(per_set.items()):
        print(f"{name:<24}{count:>6}")
    print(f"{'all HTML pages':<24}{len(pages):>6}")
    _save("pages", {"total": len(pages), "per_set": dict(sorted(per_set.items()))})


def _measure_khabar(inp: Path, out: Path, n: int, args: argparse.Namespace,
                    log: Path) -> dict[str, Any]:
    """One measured `khabar batch` run into a fresh ``out``, its counts checked."""
    shutil.rmtree(out, ignore_errors=True)
    r = run_measured(_khabar_cmd(inp, out, args), out=out, n=n, log=log)
    r["counts"] = check_counts(out, n)
    r["pages_per_s"] = round(n / r["seconds"], 2)
    return r


def cmd_compare(args: argparse.Namespace) -> None:
    pages = find_pages()
    if args.limit:
        pages = pages[: args.limit]
    n = len(pages)
    inp = build_input(pages, n, f"unique-{n}")
    runs: dict[str, list[dict[str, Any]]] = {"khabar": [], "trafilatura": []}
    for round_no in range(args.rounds):
        out = BUILD / f"out-compare-{n}-{round_no}"
        k = _measure_khabar(inp, out, n, args, BUILD / f"compare-khabar-{round_no}.log")
        print(f"khabar batch ({args.engine}x{args.workers}) {k['pages_per_s']:>7.2f} pages/s, "
              f"{k['seconds']:.0f} s, peak tree RSS {k['peak_tree_rss_mb']:.0f} MB, "
              f"counts add up: {k['counts']['add_up']}, load {k['load_before']}", flush=True)
        shutil.rmtree(out, ignore_errors=True)
        tout = BUILD / f"out-trafilatura-{n}-{round_no}"
        shutil.rmtree(tout, ignore_errors=True)
        t = run_measured([str(BIN / "trafilatura"), "--input-dir", str(inp), "--output-dir",
                          str(tout), "--parallel", str(args.workers)],
                         log=BUILD / f"compare-trafilatura-{round_no}.log")
        t["written"] = sum(1 for _ in tout.rglob("*") if _.is_file()) if tout.exists() else 0
        t["pages_per_s"] = round(n / t["seconds"], 2)
        print(f"trafilatura CLI (--parallel {args.workers}) {t['pages_per_s']:>7.2f} pages/s, "
              f"{t['seconds']:.0f} s, {t['written']} files written, peak tree RSS "
              f"{t['peak_tree_rss_mb']:.0f} MB, load {t['load_before']}", flush=True)
        shutil.rmtree(tout, ignore_errors=True)
        for name, res in (("khabar", k), ("trafilatura", t)):
            res.pop("samples")
            runs[name].append(res)
    ratios = [k["pages_per_s"] / t["pages_per_s"]
              for k, t in zip(runs["khabar"], runs["trafilatura"], strict=True)]
    print(f"khabar / trafilatura pages/s: {', '.join(f'{r:.2f}' for r in ratios)}")
    _save(f"compare-{args.engine}x{args.workers}", {
        "pages": n, "command_khabar": " ".join(_khabar_cmd(inp, Path("OUT"), args)),
        "command_trafilatura": f"trafilatura --input-dir DIR --output-dir OUT "
                               f"--parallel {args.workers}",
        "runs": runs, "ratio_khabar_over_trafilatura": [round(r, 3) for r in ratios],
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})


def cmd_scale(args: argparse.Namespace) -> None:
    pages = find_pages()
    for n in args.sizes:
        inp = build_input(pages, n, f"n{n}")
        out = BUILD / f"out-scale-{n}"
        r = _measure_khabar(inp, out, n, args, BUILD / f"scale-{n}.log")
        # The curve keeps what the raw samples show; saved whole, they made the
        # results file 27,000 lines long.
        r["curve"] = _curve(r.pop("samples"), n)
        r["unique_pages"] = len(pages)
        r["command"] = " ".join(_khabar_cmd(inp, Path("OUT"), args))
        r["when"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        print(f"N={n}: {r['pages_per_s']:.2f} pages/s, {r['seconds']:.0f} s, peak tree RSS "
              f"{r['peak_tree_rss_mb']:.0f} MB (main process {r['peak_main_rss_mb']:.0f} MB), "
              f"counts add up: {r['counts']['add_up']} ({r['counts']['briefs']} briefs, "
              f"{r['counts']['drops']} drops), load {r['load_before']} -> {r['load_after']}",
              flush=True)
        for point in r["curve"]:
            print(f"  {point['progress']:<24} peak {point['peak_in_tenth_mb']} MB", flush=True)
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
        _save(f"scale-{args.engine}x{args.workers}-{n}", r)


_GLOBAL_STEP = """
import json, resource, sys, time
from khabar.batch.globalstep import run_global_step
from khabar.batch.shards import ShardOutput
started = time.perf_counter()
summary = run_global_step(ShardOutput(sys.argv[1]))
print(json.dumps({"summary": summary, "seconds": time.perf_counter() - started,
                  "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _synthetic_output(source: Path, n: int, out: Path, shard_size: int = 200) -> None:
    """``n`` rows cycled from ``source``'s rows, each with a new id, in shards like a run's."""
    from khabar.batch.shards import ShardOutput, read_output

    shutil.rmtree(out, ignore_errors=True)
    output = ShardOutput(out)
    output.prepare({"synthetic_from": str(source), "records": n}, resume=False)

    def cycled() -> Any:
        while True:
            yield from read_output(source)

    rows = cycled()
    for index, start in enumerate(range(0, n, shard_size)):
        shard = []
        for i in range(start, min(n, start + shard_size)):
            shard.append({**next(rows), "id": f"s{i:019d}"})
        output.write_rows(index, shard)
        output.commit(index, [r["id"] for r in shard], shard)


def cmd_globalstep(args: argparse.Namespace) -> None:
    source = Path(args.source)
    for n in args.sizes:
        out = BUILD / f"out-global-{n}"
        _synthetic_output(source, n, out)
        r = run_measured([sys.executable, "-c", _GLOBAL_STEP, str(out)],
                         log=BUILD / f"globalstep-{n}.log")
        child = json.loads((BUILD / f"globalstep-{n}.log").read_text().strip().splitlines()[-1])
        r.pop("samples")
        r.update(records=n, source=str(source), **child,
                 when=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        print(f"global step on {n} records: peak RSS {child['ru_maxrss_mb']:.0f} MB, "
              f"{child['seconds']:.0f} s, {child['summary']}, load {r['load_before']}",
              flush=True)
        shutil.rmtree(out, ignore_errors=True)
        _save(f"globalstep-{n}", r)


def _long_report(home: Path, n: int) -> dict[str, Any]:
    """Peak tree RSS per tenth of ``n`` committed records, over every segment of a long run."""
    samples: list[list[float]] = []
    segments: list[dict[str, Any]] = []
    for line in (home / "samples.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if isinstance(item, dict):
            segments.append(item)
        else:
            samples.append(item)
    report: dict[str, Any] = {"records": n, "segments": len([s for s in segments if "start" in s]),
                              "committed": max((s[1] for s in samples), default=0),
                              "curve": _curve([s[:5] for s in samples], n)}
    if (home / "out" / "report.json").exists():
        report["counts"] = check_counts(home / "out", n)
    return report


def cmd_long(args: argparse.Namespace) -> None:
    n = args.size
    home = BUILD / f"long-{n}"
    if args.report:
        print(json.dumps(_long_report(home, n), indent=1))
        return
    home.mkdir(parents=True, exist_ok=True)
    inp = build_input(find_pages(), n, f"n{n}")
    out = home / "out"
    cmd = _khabar_cmd(inp, out, args) + (["--resume"] if out.exists() else [])
    deadline = time.monotonic() + args.minutes * 60
    with (home / "batch.log").open("ab") as log, (home / "samples.jsonl").open("a") as sl:
        started = time.monotonic()
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=False).stdout.strip()
        sl.write(json.dumps({"start": time.time(), "cmd": cmd, "commit": commit}) + "\n")
        child = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        while child.poll() is None and time.monotonic() < deadline:
            total, own, procs = _tree_rss(child.pid)
            sl.write(json.dumps([round(time.monotonic() - started, 1),
                                 _committed(out, 200, n), round(total / MB, 1),
                                 round(own / MB, 1), procs, os.getloadavg()[0]]) + "\n")
            sl.flush()
            time.sleep(2)
        if child.poll() is None:  # out of time: stop; the next call resumes
            child.terminate()
            child.wait(timeout=120)
        sl.write(json.dumps({"end": time.time(), "rc": child.returncode}) + "\n")
    report = _long_report(home, n)
    print(f"N={n}: {report['committed']} records committed over {report['segments']} "
          "segment(s)", flush=True)
    for point in report["curve"]:
        print(f"  {point['progress']:<24} peak {point['peak_in_tenth_mb']} MB", flush=True)
    if "counts" in report:
        _save(f"long-{args.engine}x{args.workers}-{n}", report)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("pages")
    g = sub.add_parser("globalstep")
    g.add_argument("--source", required=True, help="a finished batch output (scale --keep)")
    g.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    lg = sub.add_parser("long")
    lg.add_argument("--size", type=int, default=100_000)
    lg.add_argument("--minutes", type=float, default=60.0)
    lg.add_argument("--engine", choices=["local", "dask"], default="dask")
    lg.add_argument("--workers", type=int, default=2)
    lg.add_argument("--report", action="store_true", help="only summarise the samples so far")
    for name in ("compare", "scale"):
        p = sub.add_parser(name)
        p.add_argument("--engine", choices=["local", "dask"], default="dask")
        p.add_argument("--workers", type=int, default=2)
        if name == "compare":
            p.add_argument("--rounds", type=int, default=1)
            p.add_argument("--limit", type=int, default=0, help="first N unique pages only")
        else:
            p.add_argument("--sizes", type=int, nargs="+", default=[10_000])
            p.add_argument("--keep", action="store_true", help="keep the output directories")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    BUILD.mkdir(parents=True, exist_ok=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    {"pages": cmd_pages, "compare": cmd_compare, "scale": cmd_scale,
     "globalstep": cmd_globalstep, "long": cmd_long}[args.what](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
