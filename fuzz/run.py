"""Run every atheris target for a fixed number of inputs; exit 1 if any found something.

    python fuzz/run.py                        # 2,000 inputs per target (CI)
    python fuzz/run.py --runs 1000000 -j 4    # by hand; figures in docs/reliability.md
    python fuzz/run.py --targets lang --runs 50000

Per-input limits: ``--timeout`` seconds (a hang) and ``--rss-mb`` (memory).
Crash inputs land in ``build/fuzz/<target>/``; copy each into
``tests/hardening/regressions/`` with a test. The grown corpus is kept in
``build/fuzz/<target>/corpus`` so a long run resumes where it stopped.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGETS = ("extract_html", "scraped", "lang", "summarize", "readers", "enrich")
SEEDS = {
    "extract_html": ("*.html",),
    "scraped": ("*.txt",),
    "lang": ("*.txt",),
    "summarize": ("*.txt",),
    "readers": ("*.xml",),
    "enrich": ("*.txt",),
}
SEED_DIRS = (ROOT / "src" / "khabar" / "demo" / "pages", ROOT / "tests" / "hardening" / "corpus",
             ROOT / "tests" / "hardening" / "regressions")
# Per-input size caps: instrumented Python runs at a few inputs a second on
# 50 KB pages, and the bugs found so far needed far less (huge inputs are the
# hostile corpus's job, tests/hardening/test_hostile.py).
MAX_LEN = {"extract_html": 16_384, "scraped": 8_192, "lang": 4_096, "summarize": 8_192,
           "readers": 8_192, "enrich": 8_192}


@dataclass
class Result:
    """What one target run did."""

    target: str
    runs: int
    returncode: int
    seconds: float
    findings: list[str]
    log_tail: str


def _seed(target: str, out: Path) -> Path:
    """A seed directory: the target's grown corpus plus matching shipped files."""
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for directory in SEED_DIRS:
        for pattern in SEEDS[target]:
            for path in directory.glob(pattern):
                if path.stat().st_size <= 4 * MAX_LEN[target]:
                    shutil.copyfile(path, corpus / f"seed-{path.name}")
    return corpus


def run_target(target: str, *, runs: int, timeout_s: int, rss_mb: int, out_root: Path,
               seed: int = 0) -> Result:
    """One target for ``runs`` inputs in its own process; ``seed`` 0 is a random one."""
    out = out_root.resolve() / target
    corpus = _seed(target, out)
    before = set(out.glob("crash-*")) | set(out.glob("timeout-*")) | set(out.glob("oom-*"))
    cmd = [
        sys.executable, str(HERE / f"fuzz_{target}.py"), str(corpus),
        f"-runs={runs}", f"-timeout={timeout_s}", f"-rss_limit_mb={rss_mb}",
        f"-max_len={MAX_LEN[target]}", f"-artifact_prefix={out}/", "-print_final_stats=1",
        "-close_fd_mask=1",
    ]
    if seed:
        cmd.append(f"-seed={seed}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env["KHABAR_CONFIG"] = os.devnull
    if seed:
        # Set and dict orders steer coverage, so a seeded run needs fixed hashing too.
        env["PYTHONHASHSEED"] = str(seed)
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=HERE, check=False)
    after = set(out.glob("crash-*")) | set(out.glob("timeout-*")) | set(out.glob("oom-*"))
    log = proc.stderr
    (out / "last.log").write_text(log, encoding="utf-8")
    return Result(
        target=target,
        runs=runs,
        returncode=proc.returncode,
        seconds=round(time.monotonic() - started, 1),
        findings=sorted(str(p) for p in after - before),
        log_tail=log[-4000:],
    )


def main(argv: list[str] | None = None) -> int:
    """Run the targets; print a JSON summary; exit 1 on any finding."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="inputs per target")
    parser.add_argument("--targets", nargs="+", choices=TARGETS, default=list(TARGETS))
    parser.add_argument("--timeout", type=int, default=20, help="per-input seconds")
    parser.add_argument("--rss-mb", type=int, default=3072)
    parser.add_argument("-j", "--jobs", type=int, default=len(TARGETS))
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "fuzz")
    parser.add_argument("--seed", type=int, default=0,
                        help="libFuzzer seed, for a repeatable run (0: a new one each run)")
    args = parser.parse_args(argv)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(
            lambda t: run_target(t, runs=args.runs, timeout_s=args.timeout, rss_mb=args.rss_mb,
                                 out_root=args.out, seed=args.seed),
            args.targets,
        ))
    failed = [r for r in results if r.returncode != 0 or r.findings]
    for r in results:
        status = "ok" if r not in failed else "FOUND"
        print(f"{r.target:<14} {r.runs:>9,} inputs {r.seconds:>8.1f} s  {status}", flush=True)
    for r in failed:
        print(f"\n== {r.target}: exit {r.returncode}, findings {r.findings}\n{r.log_tail}")
        for finding in r.findings:
            # The artifact may live in a temporary directory that is gone when
            # someone reads the log: print enough of it to rebuild.
            print(f"{Path(finding).name}: {Path(finding).read_bytes()[:600]!r}")
    (args.out / "summary.json").write_text(
        json.dumps([asdict(r) | {"log_tail": ""} for r in results], indent=1), encoding="utf-8"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
