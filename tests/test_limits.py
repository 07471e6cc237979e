"""The per-page wall-clock limit (issue: pages whose extraction would run for minutes)."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import khabar
from khabar import pipeline
from khabar.errors import ExtractError
from khabar.limits import page_time_limit

DEMO = Path(khabar.__file__).parent / "demo" / "pages"
PAGE = next(p for p in sorted(DEMO.iterdir()) if p.suffix == ".html").read_bytes()


def _stall(*args: Any, **kwargs: Any) -> Any:
    time.sleep(30)  # stands in for an extractor stuck on hostile markup
    raise AssertionError("the time limit did not stop the stalled page")


def test_a_stalled_page_is_stopped_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "extract_page", _stall)
    settings = khabar.load_settings(env={}, page_time_limit_s=0.3)
    with pytest.raises(ExtractError) as info:
        khabar.brief(PAGE, settings=settings)
    assert info.value.reason == "time_limit"
    assert "page_time_limit_s" in str(info.value)
    # The alarm is cleared and the default handler restored afterwards.
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL


def test_normal_pages_are_untouched_and_zero_means_no_limit() -> None:
    settings = khabar.load_settings(env={}, page_time_limit_s=0)
    assert khabar.brief(PAGE, settings=settings).bullets
    assert khabar.brief(PAGE, settings=khabar.load_settings(env={})).bullets


def test_a_program_with_its_own_alarm_keeps_it() -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        with page_time_limit(0.05):
            time.sleep(0.2)
        assert signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert fired == []  # khabar set no alarm of its own


def test_outside_the_main_thread_the_limit_is_skipped() -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with page_time_limit(0.05):
                time.sleep(0.2)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert errors == []


def test_negative_limits_are_refused() -> None:
    with pytest.raises(khabar.KhabarError):
        khabar.load_settings(env={}, page_time_limit_s=-1)
