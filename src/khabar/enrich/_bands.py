"""MinHash LSH bands as numpy arrays: the near-duplicate index's memory-lean core.

:class:`khabar.enrich.dedup.DuplicateIndex` keeps one 64-bit key per
(text, band) here instead of datasketch's dict-of-sets, which is what lets
it hold tens of thousands of texts in a few hundred MB
(``benchmarks/enrich_scale.py dedup``).
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) whose S-curve best separates pairs at ``threshold``.

    The (b, r) with b * r <= num_perm that minimises the area of false
    positives below the threshold plus false negatives above it, both
    weighted equally; for 0.35 and 128 permutations it is (32, 4).
    """
    import numpy as np

    pairs = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)])
    b, r = pairs[:, :1].astype(float), pairs[:, 1:].astype(float)
    below = np.linspace(0.0, threshold, 200)[None, :]
    above = np.linspace(threshold, 1.0, 200)[None, :]
    fp = np.trapezoid(1 - (1 - below**r) ** b, below, axis=1)
    fn = np.trapezoid((1 - above**r) ** b, above, axis=1)
    best = pairs[int(np.argmin(fp + fn))]
    return int(best[0]), int(best[1])


class BandIndex:
    """LSH band keys in two numpy arrays: a sorted main part and a short unsorted tail.

    One 64-bit key per (text, band) and the text's slot: 12 bytes per band,
    where a dict-of-sets LSH spends about 300. Lookups binary-search the main
    part and scan the tail; the tail is merged (the main part rebuilt from the
    live signatures, which also drops evicted texts) once it outgrows
    :data:`TAIL_SHARE` of the live texts.
    """

    def __init__(self, bands: int, rows: int) -> None:
        import numpy as np

        self._np = np
        self.bands, self.rows = bands, rows
        self._keys = np.zeros(0, dtype=np.uint64)
        self._slots = np.zeros(0, dtype=np.int32)
        self._tail_keys = np.zeros((TAIL_MIN, bands), dtype=np.uint64)
        self._tail_slots = np.zeros(TAIL_MIN, dtype=np.int32)
        self._tail = 0

    def keys(self, signatures: Any) -> Any:
        """The band keys of signatures (n x num_perm uint32), n x bands uint64."""
        np = self._np
        parts = signatures[:, : self.bands * self.rows].reshape(-1, self.bands, self.rows)
        h = np.zeros(parts.shape[:2], dtype=np.uint64)
        for i in range(self.rows):
            h = (h ^ parts[:, :, i].astype(np.uint64)) * _MIX1
        h ^= (np.arange(1, self.bands + 1, dtype=np.uint64) * _MIX2)[None, :]
        h ^= h >> np.uint64(31)
        h *= _MIX3
        h ^= h >> np.uint64(29)
        return h

    def insert(self, slot: int, keys: Any) -> None:
        np = self._np
        if self._tail == len(self._tail_slots):
            grow = len(self._tail_slots) * 2
            self._tail_keys = np.resize(self._tail_keys, (grow, self.bands))
            self._tail_slots = np.resize(self._tail_slots, grow)
        self._tail_keys[self._tail] = keys
        self._tail_slots[self._tail] = slot
        self._tail += 1

    def query(self, keys: Any) -> set[int]:
        """Slots sharing at least one band key with ``keys``."""
        np = self._np
        found: set[int] = set()
        if len(self._keys):
            lo = np.searchsorted(self._keys, keys, "left")
            hi = np.searchsorted(self._keys, keys, "right")
            for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
                if b > a:
                    found.update(self._slots[a:b].tolist())
        if self._tail:
            hits = (self._tail_keys[: self._tail] == keys[None, :]).any(axis=1)
            found.update(self._tail_slots[: self._tail][hits].tolist())
        return found

    def needs_merge(self, live: int) -> bool:
        return self._tail > max(TAIL_MIN, int(live * TAIL_SHARE))

    def rebuild(self, slots: Any, signatures: Any) -> None:
        """Replace everything with the keys of these live slots."""
        np = self._np
        keys = self.keys(signatures).ravel()
        owners = np.repeat(slots.astype(np.int32), self.bands)
        order = np.argsort(keys, kind="stable")
        self._keys, self._slots = keys[order], owners[order]
        self._tail = 0
        if len(self._tail_slots) > TAIL_MIN * 4:
            self._tail_keys = np.zeros((TAIL_MIN, self.bands), dtype=np.uint64)
            self._tail_slots = np.zeros(TAIL_MIN, dtype=np.int32)

    @property
    def nbytes(self) -> int:
        arrays = (self._keys, self._slots, self._tail_keys, self._tail_slots)
        return sum(int(a.nbytes) for a in arrays)


# Odd 64-bit constants (from splitmix64) mixing band values into one key.
_MIX1 = 0x9E3779B97F4A7C15
_MIX2 = 0xBF58476D1CE4E5B9
_MIX3 = 0x94D049BB133111EB
# The tail is merged when it exceeds this share of live texts (at least TAIL_MIN):
# merging costs a sort of all keys, so merges grow rarer as the index grows.
TAIL_SHARE = 0.125
TAIL_MIN = 1024
