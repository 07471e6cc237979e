"""The ``khabar batch`` and ``khabar watch`` commands (registered by :mod:`khabar.cli`)."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from typing import Any

from ..errors import ConfigError

EXIT_OK = 0


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``batch`` and ``watch`` to the CLI's subparsers."""
    p = sub.add_parser("batch", parents=[common],
                       help="brief many pages: files, directories, globs, WARC, feeds, URL lists")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files, directories, globs, WARC(.gz), JSONL, feeds, sitemaps, URL lists")
    p.add_argument("--out", required=True, help="output directory (one file per shard)")
    p.add_argument("--db", help="also upsert briefs into this store URL (sqlite:///..., postgresql://...)")
    p.add_argument("--engine", choices=["local", "dask"], default="local")
    p.add_argument("--workers", type=int, default=2, help="Dask worker processes (default 2)")
    p.add_argument("--scheduler", help="a running Dask scheduler address (implies dask)")
    p.add_argument("--resume", action="store_true", help="continue the run already in --out")
    p.add_argument("--format", dest="out_format", choices=["jsonl", "parquet"], default=None,
                   help="shard files (default: jsonl)")
    p.add_argument("--shard-size", type=int, default=None, help="records per shard (default 200)")
    p.add_argument("--text-mode", choices=["auto", "page", "dump", "stories"], default="auto",
                   help="how .txt files are cut into pages (default: auto, per file)")
    p.add_argument("--no-dedup", action="store_true",
                   help="skip the global duplicate and story-cluster step")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.set_defaults(handler=_cmd_batch)

    w = sub.add_parser("watch", parents=[common], help="poll feeds and store briefs of new items")
    w.add_argument("feeds", nargs="+", metavar="FEED_URL")
    w.add_argument("--every", default="10m", help="poll interval: 90s, 10m, 1h (default 10m)")
    w.add_argument("--db", help="store URL (default: the user's SQLite store)")
    w.add_argument("--state", help="JSON file of items already seen (default: next to the store)")
    w.add_argument("--max-polls", type=int, default=None, help="stop after this many polls")
    w.set_defaults(handler=_cmd_watch)


def _settings(args: argparse.Namespace) -> Any:
    from ..cli import settings_from_args

    # Sentence embeddings cost ~50x the rest of a page on CPU; a batch turns
    # them on only when asked (--embed on / auto).
    if args.embed is None:
        args.embed = "off"
    return settings_from_args(args)


def _cmd_batch(args: argparse.Namespace) -> int:
    from .progress import Progress
    from .runner import DEFAULT_SHARD_SIZE, run_batch
    from .shards import OutputFormat

    fmt: OutputFormat = "parquet" if args.out_format == "parquet" else "jsonl"
    if fmt == "parquet" and importlib.util.find_spec("pyarrow") is None:
        raise ConfigError("--format parquet needs pyarrow: pip install 'khabar[batch]'")
    if args.workers < 1:
        raise ConfigError("--workers must be at least 1")
    result = run_batch(
        args.inputs, args.out, settings=_settings(args), engine=args.engine,
        workers=args.workers, scheduler=args.scheduler, resume=args.resume, db=args.db,
        fmt=fmt, shard_size=args.shard_size or DEFAULT_SHARD_SIZE, text_mode=args.text_mode,
        global_step=not args.no_dedup, progress=Progress(quiet=args.quiet),
    )
    print(result.report())
    if result.global_step:
        print("global step: " + ", ".join(f"{k} {v}" for k, v in result.global_step.items()))
    print(f"output: {result.out}")
    return EXIT_OK


def _cmd_watch(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..store import open_store
    from .watch import FeedWatcher, PollResult, default_state_path, parse_every

    every = parse_every(args.every)
    settings = _settings(args)
    store = open_store(args.db)

    def report(r: PollResult) -> None:
        if r.error:
            status = f"error {r.error}"
        elif r.not_modified:
            status = "not modified"
        else:
            status = f"{r.new} new, {r.stored} stored"
            if r.drops:
                status += ", dropped " + ", ".join(f"{k} {v}" for k, v in sorted(r.drops.items()))
        print(f"khabar watch: {r.feed}: {status}", file=sys.stderr, flush=True)

    try:
        watcher = FeedWatcher(args.feeds, store, settings,
                              state_path=Path(args.state) if args.state else default_state_path())
        watcher.run(every, max_polls=args.max_polls, report=report)
    finally:
        store.close()
    return EXIT_OK


__all__ = ["add_commands"]
