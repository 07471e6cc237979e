"""``khabar serve``: the reader's API and pages over a store."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``serve`` to the ``khabar`` command line."""
    p = sub.add_parser(
        "serve", parents=[common], help="serve the API and the reader's pages (needs [serve])"
    )
    p.add_argument("--db", help="store URL (default: SQLite in the data directory)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.set_defaults(handler=_cmd_serve)


def _cmd_serve(args: argparse.Namespace) -> int:
    from ..cli import settings_from_args
    from ..errors import ConfigError
    from ..store import open_store
    from .serve import listen, serve

    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port must be between 0 and 65535 (got {args.port})")
    settings = settings_from_args(args)
    sock = listen(args.host, args.port)
    try:
        store = open_store(args.db)
    except BaseException:
        sock.close()
        raise
    try:
        if store.count() == 0:
            # A typo in --db opens a new, empty SQLite file: say so, or the
            # reader would only show an empty front page.
            print(
                f"khabar serve: the store {args.db or '(default)'} holds no briefs yet; "
                "add some with `khabar ingest`",
                file=sys.stderr,
                flush=True,
            )
        serve(store, settings, host=args.host, sock=sock)
    finally:
        store.close()
    return 0
