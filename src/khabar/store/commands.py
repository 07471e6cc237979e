"""``khabar ingest PATH|URL... [--db URL]``: brief pages and store them.

The CLI (:mod:`khabar.cli`) finds this module and calls :func:`add_commands`.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

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
    p_ingest.set_defaults(handler=_cmd_ingest)


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
    finally:
        store.close()
    summary = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
    print(f"khabar ingest: {sum(counts.values())} page(s): {summary or 'none'}", file=sys.stderr)
    return EXIT_ERROR if counts["error"] or not counts else EXIT_OK
