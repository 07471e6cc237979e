"""The hostile-input corpus through khabar.brief and the CLI: a typed outcome, in time and memory.

Each case in ``make_corpus.CASES`` names its expected outcome: a brief, or
one :class:`~khabar.errors.KhabarError` subclass. Inputs run in a child
process under ``RLIMIT_AS`` and a per-input time limit (``hostile_runner``),
so a hang, a crash or a memory blow-up fails the case instead of the suite.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from hostile_runner import MEMORY_LIMIT_BYTES, ROOT, Job, Outcome, run_jobs
from make_corpus import (
    CASES,
    CORPUS_DIR,
    KNOWN_FAILURES,
    MAX_COMMITTED_BYTES,
    SLOW_CASES,
    Case,
    committed,
)

SLOW = os.environ.get("KHABAR_HARDENING_SLOW") == "1"
SLOW_TIME_LIMIT_S = 180
CLI_TIMEOUT_S = 180

FAST = [c for c in CASES if c.name not in SLOW_CASES]
SLOW_ONES = [c for c in CASES if c.name in SLOW_CASES]


def _param(case: Case) -> object:
    marks = []
    if case.name in KNOWN_FAILURES:
        marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[case.name]))
    return pytest.param(case, id=case.name, marks=marks)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fast case written to a temporary directory."""
    out = tmp_path_factory.mktemp("hostile")
    for case in FAST:
        (out / case.name).write_bytes(case.build())
    return out


@pytest.fixture(scope="module")
def outcomes(corpus: Path) -> dict[str, Outcome]:
    """Each fast case through khabar.brief in one limited child process."""
    jobs = [Job(c.name, str(corpus / c.name), as_str=c.as_str) for c in FAST]
    return run_jobs(jobs)


@pytest.mark.parametrize("case", [_param(c) for c in FAST])
def test_hostile_input_has_the_expected_typed_outcome(
    case: Case, outcomes: dict[str, Outcome]
) -> None:
    got = outcomes[case.name]
    assert not got.outcome.startswith(("crash", "hang")), (got.outcome, got.detail)
    assert got.matches(case.expect), f"{case.name}: expected {case.expect}, got {got}"


def test_every_case_stays_in_its_limits(outcomes: dict[str, Outcome]) -> None:
    # The child's address space is capped; its peak RSS must stay well inside.
    peak = max(o.maxrss_mb for o in outcomes.values())
    assert peak * 1024**2 < MEMORY_LIMIT_BYTES
    assert set(outcomes) == {c.name for c in FAST}


def test_committed_corpus_matches_the_generator() -> None:
    manifest = json.loads((CORPUS_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
    assert [m["name"] for m in manifest] == [c.name for c in CASES if committed(c)]
    for case in CASES:
        if committed(case):
            data = (CORPUS_DIR / case.name).read_bytes()
            assert data == case.build(), case.name
            assert len(data) <= MAX_COMMITTED_BYTES, case.name


def test_rtl_overrides_never_reach_the_brief(corpus: Path) -> None:
    import khabar

    data = json.dumps(khabar.brief((corpus / "rtl-overrides.html").read_bytes()).to_dict())
    for control in ("\\u202e", "\\u202c", "\\u2066", "\\u2069"):
        assert control not in data


def test_overlong_utf8_never_becomes_markup(corpus: Path) -> None:
    from khabar.ingest import decode_bytes

    text = decode_bytes((corpus / "utf8-overlong.html").read_bytes())
    assert "\ufffdp>" in text or "\ufffd\ufffdp>" in text


def test_billion_laughs_feed_and_sitemap_readers_do_not_expand(corpus: Path) -> None:
    pytest.importorskip("feedparser")
    jobs = [
        Job(f"{name}", str(corpus / name), mode="feed")
        for name in ("laughs-feed.xml", "laughs-sitemap.xml")
    ]
    results = run_jobs(jobs)
    for name, got in results.items():
        assert got.outcome == "records", (name, got)
    # The expanded text would be 3 GB; an unexpanded record is a few hundred bytes.
    assert all(int(got.reason or 0) < 100_000 for got in results.values())


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def test_cli_gives_exit_0_or_2_never_a_traceback(corpus: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    env["KHABAR_CONFIG"] = os.devnull
    cases = [c for c in FAST if c.cli]
    procs = {
        c.name: subprocess.Popen(
            [sys.executable, "-m", "khabar", "brief", str(corpus / c.name), "--format", "json",
             "--embed", "off"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, preexec_fn=_limit_memory,
        )
        for c in cases
    }
    for case in cases:
        out, err = procs[case.name].communicate(timeout=CLI_TIMEOUT_S)
        code = procs[case.name].returncode
        if case.expect == "brief":
            assert code == 0, (case.name, err)
            assert json.loads(out)["bullets"]
        else:
            assert code == 2, (case.name, code, err)
            assert err.decode().startswith("khabar: error: ") and err.count(b"\n") == 1


@pytest.mark.skipif(not SLOW, reason="minutes-long inputs: set KHABAR_HARDENING_SLOW=1")
@pytest.mark.parametrize("case", [_param(c) for c in SLOW_ONES])
def test_slow_hostile_inputs(case: Case, tmp_path: Path) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.build())
    got = run_jobs([Job(case.name, str(path), time_limit_s=SLOW_TIME_LIMIT_S)])[case.name]
    assert not got.outcome.startswith(("crash", "hang")), (got.outcome, got.detail)
    assert got.matches(case.expect), got
