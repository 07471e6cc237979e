"""Shared fixtures: where the real evaluation data lives, and how to skip without it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# On CI the property tests draw the same examples every run (derandomize), so
# a red run is repeatable and a rare input cannot fail one landing in ten.
# Local runs keep drawing new examples: that is where new bugs turn up, and
# each one found becomes an @example or a regression test.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KHABAR_SHARED", ROOT.parent / "shared"))


def require_shared(*parts: str) -> Path:
    """Path inside ../shared; skip (or fail with KHABAR_REQUIRE_SHARED=1) when absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        msg = f"real data not found at {path} (../shared is absent)"
        if os.environ.get("KHABAR_REQUIRE_SHARED") == "1":
            pytest.fail(msg + " and KHABAR_REQUIRE_SHARED=1")
        pytest.skip(msg)
    return path


@pytest.fixture
def seed_text() -> str:
    return require_shared("seed", "ndtv-hindi-2025-08-13.txt").read_text(encoding="utf-8")


def run_eval_json(tmp_path: Path, *args: str, flag: str = "--json") -> dict[str, Any]:
    """Run ``khabar eval ARGS`` writing its figures to a JSON file; check it exits 0; load it."""
    from khabar.cli import main

    out = tmp_path / f"eval-{args[0]}.json"
    code = main(["eval", *args, flag, str(out)])
    assert code == 0, f"khabar eval {' '.join(args)} exited {code}"
    loaded: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return loaded
