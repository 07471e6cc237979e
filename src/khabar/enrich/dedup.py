"""Exact and near-duplicates (story clusters across outlets: :mod:`.clusters`).

* Exact duplicates: a hash of the normalised word sequence, so whitespace,
  punctuation, Unicode spelling variants (nukta, ZWJ) and case do not matter.
* Near-duplicates: MinHash LSH over word 3-shingles built from
  :func:`khabar.lang.tokenize` tokens, never bytes or English tokens, so a
  matra or virama is never cut from its consonant. ``datasketch`` computes the
  signatures; the LSH bands are khabar's own numpy arrays (a kept text costs
  about 3 KB of memory, ~10 KB in ``datasketch.MinHashLSH``), and the index keeps the
  newest :data:`DEFAULT_CAPACITY` texts (or a time window), so memory stays
  flat however many texts pass (``benchmarks/enrich_scale.py dedup``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import heapq
from collections import deque
from dataclasses import dataclass
from typing import Any

import regex

from .. import lang
from ..errors import InputError, MissingDependencyError
from ._bands import BandIndex, lsh_bands
from ._text import fold

# Calibrated on the generated BBC Hindi duplicate set (benchmarks/enrich_dedup.py):
# edited copies (a dropped sentence, added chrome, a truncated tail, a
# rewritten lead) keep a Jaccard of 0.55-0.95; different articles stay under 0.1.
SHINGLE_WORDS = 3
NUM_PERM = 128
NEAR_DUPLICATE_JACCARD = 0.5
# LSH only proposes candidates; a lower banding threshold than the decision
# threshold keeps pairs just above it from slipping through the bands.
LSH_SLACK = 0.7
# A digit group separator: "1,250", "1 ,250", "12,34,567", "1 250". Only before
# a group of two or three digits, so "4. 1969" (an item number, then a year)
# stays two numbers: joined, it hashed apart from its copy "4 । 1969".
_DIGIT_GROUPS = regex.compile(r"(?<=\d)(?:\s*[,.]\s*|\s)(?=\d{2,3}(?!\d))")


def _words(text: str) -> list[str]:
    """Folded word tokens of ``text`` (normalised, lower-cased, nukta-free).

    "1,250" and "1 ,250" are the same number: digit groups are joined first.
    """
    return [fold(t) for t in lang.tokenize(lang.normalize(_DIGIT_GROUPS.sub("", text)))]


def _hash_words(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:16]


def normalized_hash(text: str) -> str:
    """A hash of the text's word sequence, blind to spacing, punctuation and case."""
    return _hash_words(_words(text))


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A text's folded words and their :func:`normalized_hash`, from one tokenisation.

    For callers that check a text against their own hashes before
    :meth:`DuplicateIndex.add` (the batch's global step): passing the
    fingerprint spares the index tokenising the text a second time.
    """

    words: tuple[str, ...]
    digest: str


def fingerprint(text: str) -> Fingerprint:
    """The :class:`Fingerprint` of ``text``."""
    words = _words(text)
    return Fingerprint(tuple(words), _hash_words(words))


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Word ``size``-shingles of ``text``; a shorter text is one shingle."""
    return _shingles(_words(text), size)


def _shingles(words: list[str], size: int = SHINGLE_WORDS) -> set[str]:
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _datasketch() -> Any:
    try:
        import datasketch
    except ImportError as exc:
        raise MissingDependencyError("datasketch", "dedup") from exc
    return datasketch


@functools.cache
def _permutations(num_perm: int) -> Any:
    """The permutation arrays, drawn once: MinHash draws them anew on every call."""
    return _datasketch().MinHash(num_perm=num_perm, seed=1, scheme="affine32").permutations


def minhash(text: str | Fingerprint, num_perm: int = NUM_PERM) -> Any:
    """A datasketch MinHash of the text's word shingles (a fingerprint's, untokenised again)."""
    words = list(text.words) if isinstance(text, Fingerprint) else _words(text)
    return _minhash(_shingles(words), num_perm)


def _minhash(grams: set[str], num_perm: int) -> Any:
    ds = _datasketch()
    m = ds.MinHash(
        num_perm=num_perm, seed=1, permutations=_permutations(num_perm), scheme="affine32"
    )
    m.update_batch([s.encode("utf-8") for s in grams])
    return m


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A stored text that duplicates the query: its id and estimated Jaccard."""

    id: str
    similarity: float
    exact: bool


# Texts kept by default (the batch step keeps as many): at a few thousand
# stories a day, several days of intake. Copies of a story appear within days,
# so older texts are forgotten and memory stays flat however many texts pass.
DEFAULT_CAPACITY = 50_000


class DuplicateIndex:
    """Exact and near-duplicate lookup over the most recent stored texts.

    Signatures live in one uint32 array, LSH band keys in sorted numpy arrays
    (:class:`~khabar.enrich._bands.BandIndex`), so a kept text costs about 3 KB of memory (0.9 KB
    of it in numpy arrays) instead of the ~10 KB of datasketch's
    ``MinHashLSH``; datasketch still computes the
    MinHash signatures.

    Args:
        threshold: estimated shingle Jaccard at or above which two texts are
            near-duplicates.
        num_perm: MinHash permutations (more: better estimates, more memory).
        capacity: keep at most this many texts, forgetting the oldest added,
            so memory stays flat on an endless stream; None keeps everything.
        window_days: also forget texts dated more than this many days before
            the newest date added (texts added without a date are kept).
    """

    def __init__(
        self,
        *,
        threshold: float = NEAR_DUPLICATE_JACCARD,
        num_perm: int = NUM_PERM,
        capacity: int | None = DEFAULT_CAPACITY,
        window_days: float | None = None,
    ) -> None:
        import numpy as np

        _datasketch()
        if capacity is not None and capacity < 1:
            raise InputError("capacity must be a positive number of texts", reason="bad_capacity")
        self._np = np
        self.threshold = threshold
        self.num_perm = num_perm
        self.capacity = capacity
        self.window_days = window_days
        self._bands = BandIndex(*lsh_bands(threshold * LSH_SLACK, num_perm))
        self._sigs = np.zeros((min(capacity or 1024, 1024), num_perm), dtype=np.uint32)
        self._slot_ids: list[str | None] = [None] * len(self._sigs)
        self._free = list(range(len(self._sigs) - 1, -1, -1))
        self._slot_of: dict[str, int] = {}
        self._exact: dict[str, str] = {}
        self._hash_of: dict[str, str] = {}
        self._order: deque[tuple[str, int]] = deque()  # (id, add sequence), oldest first
        self._dated: list[tuple[int, int, str]] = []  # heap of (day, sequence, id)
        self._seq_of: dict[str, int] = {}
        self._seq = 0
        self._newest_day: int | None = None

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, id: object) -> bool:
        return id in self._slot_of

    @property
    def nbytes(self) -> int:
        """Bytes held in numpy arrays (signatures and band keys), for benchmarks."""
        return int(self._sigs.nbytes) + self._bands.nbytes

    def find(self, text: str | Fingerprint) -> list[Duplicate]:
        """Stored texts that duplicate ``text``: exact first, then by similarity."""
        digest, sig = self._signature(text)
        return self._find(digest, sig, self._bands.keys(sig[None, :])[0])

    def _signature(self, text: str | Fingerprint) -> tuple[str, Any]:
        """The exact-duplicate hash and the MinHash signature, from one tokenisation."""
        fp = text if isinstance(text, Fingerprint) else fingerprint(text)
        mh = minhash(fp, self.num_perm)
        # datasketch's hash values are below 2**32 (affine32 scheme): uint32 is lossless.
        return fp.digest, mh.hashvalues.astype(self._np.uint32)

    def _find(self, digest: str, sig: Any, keys: Any) -> list[Duplicate]:
        found: dict[str, Duplicate] = {}
        exact = self._exact.get(digest)
        if exact is not None:
            found[exact] = Duplicate(exact, 1.0, True)
        slots = sorted(self._bands.query(keys))
        if slots:
            sims = (self._sigs[slots] == sig[None, :]).mean(axis=1)
            for slot, sim in zip(slots, sims.tolist(), strict=True):
                other = self._slot_ids[slot]
                if other is not None and other not in found and sim >= self.threshold:
                    found[other] = Duplicate(other, float(sim), False)
        return sorted(found.values(), key=lambda d: (not d.exact, -d.similarity, d.id))

    def add(self, id: str, text: str | Fingerprint,
            date: str | dt.date | None = None) -> list[Duplicate]:
        """Store ``text`` (or its :func:`fingerprint`) under ``id``; return what it duplicates.

        Re-adding an id replaces its text. ``date`` (ISO or a date) places the
        text in time for ``window_days``.
        """
        digest, sig = self._signature(text)
        keys = self._bands.keys(sig[None, :])[0]
        dups = [d for d in self._find(digest, sig, keys) if d.id != id]
        self.remove(id)
        slot = self._take_slot()
        self._sigs[slot] = sig
        self._slot_ids[slot] = id
        self._slot_of[id] = slot
        self._bands.insert(slot, keys)
        self._exact.setdefault(digest, id)
        self._hash_of[id] = digest
        self._seq += 1
        self._seq_of[id] = self._seq
        self._order.append((id, self._seq))
        day = day_ordinal(date) if self.window_days is not None else None
        if day is not None:
            heapq.heappush(self._dated, (day, self._seq, id))
            self._newest_day = day if self._newest_day is None else max(self._newest_day, day)
        self._evict()
        if self._bands.needs_merge(len(self._slot_of)):
            live = self._np.fromiter(self._slot_of.values(), dtype=self._np.int64)
            self._bands.rebuild(live, self._sigs[live])
        return dups

    def _take_slot(self) -> int:
        if not self._free:
            np = self._np
            old = len(self._sigs)
            size = old * 2 if self.capacity is None else min(old * 2, self.capacity + 1)
            self._sigs = np.resize(self._sigs, (size, self.num_perm))
            self._slot_ids += [None] * (size - old)
            self._free = list(range(size - 1, old - 1, -1))
        return self._free.pop()

    def _evict(self) -> None:
        if self.capacity is not None:
            while len(self._slot_of) > self.capacity:
                id, seq = self._order.popleft()
                if self._seq_of.get(id) == seq:
                    self.remove(id)
        if self.window_days is not None and self._newest_day is not None:
            cutoff = self._newest_day - self.window_days
            while self._dated and self._dated[0][0] < cutoff:
                _, seq, id = heapq.heappop(self._dated)
                if self._seq_of.get(id) == seq:
                    self.remove(id)
        # Entries of removed texts pile up in the queues: drop them from the front.
        while self._order and self._seq_of.get(self._order[0][0]) != self._order[0][1]:
            self._order.popleft()

    def remove(self, id: str) -> None:
        """Forget ``id`` (no error when it is not stored)."""
        slot = self._slot_of.pop(id, None)
        if slot is None:
            return
        # Its band keys stay until the next merge; they point at a slot whose
        # id is None (or a newer text), so lookups check signatures anyway.
        self._slot_ids[slot] = None
        self._free.append(slot)
        self._seq_of.pop(id, None)
        digest = self._hash_of.pop(id)
        if self._exact.get(digest) == id:
            del self._exact[digest]


def day_ordinal(date: str | dt.date | None) -> int | None:
    """The proleptic ordinal of a date or ISO date string; ``None`` when there is none."""
    if isinstance(date, dt.date):
        return date.toordinal()
    try:
        return dt.date.fromisoformat(str(date)[:10]).toordinal() if date else None
    except ValueError:
        return None
