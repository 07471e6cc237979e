"""The per-page work of a batch: one record in, one row out (a brief or a drop).

This module runs inside workers (in-process for the local engine, in Dask
worker processes otherwise), so it holds no global state except the
per-process caches that make models and connections load once per worker.
Errors never escape: a :class:`~khabar.errors.KhabarError` becomes a drop
with its stage and reason, anything else a drop with stage ``internal``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..errors import FetchError, InputError, KhabarError
from ..ingest.readers import Record, load_file
from ..ingest.records import date_in_path, is_url
from ..pipeline import brief as make_brief
from ..settings import Settings

Row = dict[str, Any]

#: Row fields, in the order they are written.
ROW_FIELDS = ("id", "source", "locator", "url", "status", "stage", "reason", "message", "brief")


def drop_row(record: Record, stage: str, reason: str, message: str) -> Row:
    """The row of a record that did not become a brief."""
    return {
        "id": record.id,
        "source": record.source,
        "locator": record.locator,
        "url": record.url,
        "status": "drop",
        "stage": stage,
        "reason": reason,
        "message": message[:300],
        "brief": None,
    }


@functools.cache
def _fetcher(user_agent: str, timeout: float, max_bytes: int) -> Any:
    """One polite fetcher per worker process, so host delays hold within a worker."""
    from ..ingest.fetch import Fetcher

    return Fetcher(user_agent=user_agent, timeout=timeout, max_bytes=max_bytes)


def process_record(
    record: Record, settings: Settings, content: str | bytes | None = None, *, keep: bool = False
) -> Row:
    """Brief one record (its ``content``, the one given, or its file's), or say why not.

    A deferred file record is read here, in the worker, with the reader's own
    checks: a file gone or spoilt since it was listed is a ``read`` drop with
    the reason the reader would have given. With ``keep`` the
    :class:`~khabar.models.Brief` itself rides along under the ``_brief`` key,
    for the store; writers drop keys starting with ``_``.
    """
    if record.error is not None:
        return drop_row(record, "read", record.error[0], record.error[1])
    body = content if content is not None else record.content
    if body is None and record.file is not None:
        try:
            body = load_file(record.file)
        except InputError as exc:
            return drop_row(record, "read", exc.reason, exc.message)
    if body is None:
        return drop_row(record, "fetch", "no_content", "nothing to brief")
    try:
        result = make_brief(body, record.url, settings=settings)
    except KhabarError as exc:
        return drop_row(record, exc.stage, exc.reason, exc.message)
    except Exception as exc:  # a bug must cost one page, never the run
        return drop_row(record, "internal", f"internal_{type(exc).__name__}", str(exc))
    if result.article.date is None and record.url is None and not is_url(record.source):
        # A story of a daily dump file with no date of its own: the file's day
        # (story clusters compare dates within a window; undated, any matched).
        day = date_in_path(record.source)
        if day is not None:
            result = replace(result, article=replace(result.article, date=day),
                             notes=(*result.notes, f"date from the file name: {day}"))
    row = drop_row(record, "done", "", "")
    row.update(status="brief", reason=None, message=None, brief=result.to_dict())
    if keep:
        row["_brief"] = result
    return row


def _to_fetch(record: Record) -> str | None:
    """The URL to fetch for a record that has no content of its own."""
    if record.content is None and record.file is None and record.error is None:
        return record.url or None
    return None


def process_records(
    records: Sequence[Record], settings: Settings, *, keep: bool = False
) -> list[Row]:
    """Brief a shard of records in order; URL records are fetched first, concurrently."""
    fetched: dict[str, str | bytes | FetchError] = {}
    urls = [url for r in records if (url := _to_fetch(r))]
    if urls:
        try:
            fetcher = _fetcher(settings.user_agent, settings.fetch_timeout_s,
                               settings.max_input_bytes)
            for url, result in fetcher.fetch_many(dict.fromkeys(urls)):
                fetched[url] = result if isinstance(result, FetchError) else (
                    result.text if result.text is not None else result.content
                )
        except KhabarError as exc:  # httpx missing: every URL record is a drop
            fetched = {u: FetchError(exc.message, url=u, reason=exc.reason) for u in urls}
    rows: list[Row] = []
    for record in records:
        url = _to_fetch(record)
        got = fetched.get(url) if url else None
        if isinstance(got, FetchError):
            rows.append(drop_row(record, "fetch", got.reason, got.message))
        else:
            rows.append(process_record(record, settings, got, keep=keep))
    return rows


def warm_up(settings: Settings) -> bool:
    """Load the models and data files of this process once (Dask runs it on every worker)."""
    from ..ingest.readers import record_id

    probe = Record(id=record_id("warm-up", ""), source="warm-up", locator="", kind="text",
                   content="khabar\n\n" + "यह एक परीक्षण वाक्य है। " * 40)
    process_record(probe, settings)
    return True


__all__ = ["ROW_FIELDS", "Row", "drop_row", "process_record", "process_records", "warm_up"]
