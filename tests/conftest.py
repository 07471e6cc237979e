"""Shared fixtures: where the real evaluation data lives, and how to skip without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
