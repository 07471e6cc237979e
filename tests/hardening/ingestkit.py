"""``khabar ingest`` in child processes forked from a clean fork server (the kill trials).

Forking pytest itself handed each child whatever earlier tests had left in the
process: threads, connection pools, a lock held mid-call. The fork server is a
fresh interpreter that has imported khabar and nothing else, so a child starts
as a real ``khabar ingest`` does, yet in milliseconds rather than the second
a new interpreter takes to import khabar.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from multiprocessing.process import BaseProcess
from pathlib import Path

_CTX = multiprocessing.get_context("forkserver")
# Imported once, in the server, before any child is forked from it.
_CTX.set_forkserver_preload(["ingestkit", "khabar.cli", "khabar.store", "khabar.pipeline"])


def err_path(log: Path) -> Path:
    """Where a child's stderr goes: beside its stdout ``log``."""
    return log.with_suffix(".err")


def _ingest(pages: str, url: str, log: str) -> None:
    code = 1
    try:
        os.dup2(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
        os.dup2(os.open(err_path(Path(log)), os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
        sys.stdout = os.fdopen(1, "w", buffering=1, encoding="utf-8")
        sys.stderr = os.fdopen(2, "w", buffering=1, encoding="utf-8")
        from khabar.cli import main

        code = main(["ingest", pages, "--db", url, "--embed", "off"])
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _nothing() -> None:
    pass


def warm_up() -> None:
    """Start the fork server now (it imports khabar: a second or two), not inside a timing."""
    proc = _CTX.Process(target=_nothing, daemon=True)
    proc.start()
    proc.join()


def start_ingest(pages: Path, url: str, log: Path) -> BaseProcess:
    """Start ``khabar ingest PAGES --db URL``; its stdout goes to ``log``."""
    proc = _CTX.Process(target=_ingest, args=(str(pages), url, str(log)), daemon=True)
    proc.start()
    return proc


def wait(proc: BaseProcess) -> int:
    """The child's exit code once it ends (-9 when it was SIGKILLed)."""
    proc.join()
    assert proc.exitcode is not None
    return proc.exitcode
