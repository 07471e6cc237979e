"""Ingest: getting pages in, from files, URLs, stdin, feeds, sitemaps, WARCs and dumps."""

from .fetch import Fetcher, FetchResult
from .readers import Record, expand_inputs, iter_records, record_id
from .sources import decode_bytes, decode_input, fetch_url, is_url, read_source
from .stories import split_dump, split_stories

__all__ = [
    "FetchResult",
    "Fetcher",
    "Record",
    "decode_bytes",
    "decode_input",
    "expand_inputs",
    "fetch_url",
    "is_url",
    "iter_records",
    "read_source",
    "record_id",
    "split_dump",
    "split_stories",
]
