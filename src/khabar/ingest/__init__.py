"""Ingest: getting page bytes in and decoded, from files, URLs and stdin."""

from .sources import decode_bytes, decode_input, fetch_url, is_url, read_source

__all__ = ["decode_bytes", "decode_input", "fetch_url", "is_url", "read_source"]
