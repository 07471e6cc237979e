"""Shared plumbing of the atheris targets: instrumented imports and the libFuzzer entry.

A target's ``one_input(data)`` may return or raise a ``KhabarError``;
anything else (another exception, a libFuzzer timeout, an RSS blow-up) is a
finding. Run a target directly (libFuzzer flags pass through) or via
``fuzz/run.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[1]


def with_khabar() -> None:
    """Import khabar with coverage instrumentation (khabar only: fast enough for CI)."""
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    with atheris.instrument_imports(include=["khabar"]):
        import khabar
        import khabar.extract
        import khabar.summarize  # noqa: F401


def text_of(data: bytes) -> str:
    """Fuzz bytes as text: UTF-8 with surrogate escapes (lone surrogates included)."""
    return data.decode("utf-8", "surrogateescape")


def main(one_input: Callable[[bytes], None]) -> None:
    """Hand ``one_input`` to libFuzzer with the command-line flags."""
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
