"""Run hostile inputs through khabar in a child process with time and memory limits.

The child reads job lines (JSON) on stdin and answers one JSON line per job.
Limits: ``RLIMIT_AS`` for the whole child (memory), ``signal.alarm`` per job
(time, for hangs in Python code) and a wall-clock deadline in the parent (for
hangs inside C code that never return to the interpreter). A child that
dies or stalls is replaced, and the job it was on is reported as ``crash`` or
``hang``.
"""

from __future__ import annotations

import json
import os
import resource
import selectors
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# Address space for the child: khabar plus lxml, trafilatura and numpy map
# about 1 GB before any input; a 20 MB page may legitimately take a few
# hundred MB of trees and strings on top.
MEMORY_LIMIT_BYTES = 3 * 1024**3
TIME_LIMIT_S = 60
# The parent's extra grace over the child's alarm before calling it a hang.
GRACE_S = 30


@dataclass(frozen=True, slots=True)
class Job:
    """One input file and how to feed it to khabar."""

    name: str
    path: str
    mode: str = "brief"  # brief | extract | feed (ingest.readers.read_feed_or_sitemap)
    as_str: bool = False
    time_limit_s: int = TIME_LIMIT_S


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one job."""

    name: str
    # "brief"/"article", a KhabarError subclass name, or "crash:<Type>" / "hang".
    outcome: str
    reason: str = ""
    seconds: float = 0.0
    maxrss_mb: float = 0.0
    detail: str = ""
    # The raised error's class and its bases, so "ExtractError" matches a subclass.
    classes: tuple[str, ...] = ()

    def matches(self, expect: str) -> bool:
        """Whether this is the expected outcome ("brief" or an error class name)."""
        return self.outcome == expect or expect in self.classes


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so no ``except Exception`` swallows it."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def _run_job(job: Job) -> dict[str, Any]:
    import khabar
    from khabar.errors import KhabarError

    data = Path(job.path).read_bytes()
    content: str | bytes = data.decode("utf-8", "surrogatepass") if job.as_str else data
    started = time.monotonic()
    out: dict[str, Any] = {"name": job.name}
    signal.alarm(job.time_limit_s)
    try:
        if job.mode == "feed":
            from khabar.ingest.readers import read_feed_or_sitemap

            records = list(read_feed_or_sitemap(job.name, data))
            out["outcome"] = "records"
            out["reason"] = str(len(records))
            out["biggest"] = max((len(repr(r)) for r in records), default=0)
        elif job.mode == "extract":
            article = khabar.extract(content)
            out["outcome"] = "article"
            out["title"] = article.title[:200]
        else:
            brief = khabar.brief(content)
            out["outcome"] = "brief"
            out["title"] = brief.title[:200]
            out["bullets"] = len(brief.bullets)
            json.dumps(brief.to_dict(), ensure_ascii=False).encode("utf-8")
    except KhabarError as exc:
        out["outcome"] = type(exc).__name__
        out["reason"] = exc.reason
        out["mro"] = [c.__name__ for c in type(exc).__mro__]
    except _Timeout:
        out["outcome"] = "hang"
    except MemoryError:
        out["outcome"] = "crash:MemoryError"
    except Exception as exc:
        out["outcome"] = f"crash:{type(exc).__name__}"
        out["detail"] = "".join(traceback.format_exception(exc))[-3000:]
    finally:
        signal.alarm(0)
    out["seconds"] = round(time.monotonic() - started, 3)
    out["maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def child_main() -> None:
    """The child: set limits, then answer each job line on stdin."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    signal.signal(signal.SIGALRM, _on_alarm)
    import khabar  # noqa: F401  (import once, before the clock of the first job)

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        job = Job(**json.loads(line))
        print(json.dumps(_run_job(job), ensure_ascii=False), flush=True)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    # No config file or environment settings may change what the corpus expects.
    for key in [k for k in env if k.startswith("KHABAR_")]:
        del env[key]
    env["KHABAR_CONFIG"] = os.devnull
    env["KHABAR_EMBED"] = "off"
    return env


class _Child:
    """One child process and a reader of its answer lines."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_env(),
            text=True,
            encoding="utf-8",
        )
        self._sel = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        self._sel.register(self.proc.stdout, selectors.EVENT_READ)
        if self.read_line(300) is None:
            self.kill()
            raise RuntimeError("the hostile-input child did not start")

    def read_line(self, timeout_s: float) -> dict[str, Any] | None:
        """The next answer, or None on death or timeout."""
        assert self.proc.stdout is not None
        if not self._sel.select(timeout_s):
            return None
        line = self.proc.stdout.readline()
        return json.loads(line) if line else None

    def send(self, job: Job) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(asdict(job)) + "\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


def run_jobs(jobs: list[Job]) -> dict[str, Outcome]:
    """Run every job under the limits; one child for all, replaced when it dies."""
    results: dict[str, Outcome] = {}
    child: _Child | None = None
    try:
        for job in jobs:
            if child is None:
                child = _Child()
            child.send(job)
            started = time.monotonic()
            answer = child.read_line(job.time_limit_s + GRACE_S)
            if answer is None:
                alive = child.proc.poll() is None
                child.kill()
                rc = child.proc.returncode
                child = None
                outcome = "hang" if alive else f"crash:exit{rc}"
                results[job.name] = Outcome(
                    job.name, outcome, seconds=round(time.monotonic() - started, 3)
                )
                continue
            results[job.name] = Outcome(
                name=job.name,
                outcome=answer["outcome"],
                reason=str(answer.get("reason") or answer.get("biggest", "")),
                seconds=answer["seconds"],
                maxrss_mb=answer["maxrss_mb"],
                detail=answer.get("detail", ""),
                classes=tuple(answer.get("mro", ())),
            )
    finally:
        if child is not None:
            child.close()
    return results


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        child_main()
    else:
        sys.exit("usage: hostile_runner.py --child (started by the hardening tests)")
