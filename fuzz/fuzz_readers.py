"""Fuzz the feed/sitemap reader: any bytes give records or drops, never an exception."""

from __future__ import annotations

import _harness

_harness.with_khabar()

from khabar.errors import KhabarError  # noqa: E402
from khabar.ingest.readers import read_feed_or_sitemap  # noqa: E402


def one_input(data: bytes) -> None:
    """One feed or sitemap document."""
    try:
        records = list(read_feed_or_sitemap("fuzz.xml", data))
    except KhabarError:
        return
    # Unexpanded entities keep every record about the input's size.
    assert all(len(repr(r)) < 4 * len(data) + 4096 for r in records)


if __name__ == "__main__":
    _harness.main(one_input)
