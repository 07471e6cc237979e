"""Story clusters of the stored briefs: ``khabar clusters``.

The newest stored briefs are grouped by :func:`khabar.enrich.dedup.
cluster_stories` (the same event told by several outlets within
:data:`~khabar.enrich.dedup.STORY_WINDOW_DAYS` days; near-duplicates fall
in too) and the groups of two or more replace those briefs' clusters, which
the REST API serves at ``/api/v1/clusters``. When every brief has a vector
(``khabar vectors``) stories are compared by embedding similarity, otherwise
by TF-IDF over their headline and lead, as the batch global step does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .dedup import StoryItem, cluster_stories

if TYPE_CHECKING:
    from ..store.base import Store, StoredBrief

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
