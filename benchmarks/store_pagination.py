"""Feed pagination at depth: page 1 vs page 1,000 of a store holding N briefs.

    PYTHONPATH=src .venv/bin/python benchmarks/store_pagination.py            # 100,000 in SQLite
    PYTHONPATH=src .venv/bin/python benchmarks/store_pagination.py --n 20000 \\
        --db "$KHABAR_TEST_PG_URL"                                             # PostgreSQL

The target (issue 6): page 1,000 is served as fast as page 1, because the
feed paginates by keyset (published, id), never by OFFSET. Briefs are
synthetic (varied dates, tags, languages and sources) and loaded with
``upsert_many`` in batches; an existing store with enough briefs is reused.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from khabar.models import Article, Brief, Bullet, Sentence, Tag
from khabar.store import BriefPage, Store, open_store

WORDS = [
    "सरकार",
    "बाजार",
    "बारिश",
    "क्रिकेट",
    "चुनाव",
    "अदालत",
    "किसान",
    "रेलवे",
    "अस्पताल",
    "स्कूल",
    "बैंक",
    "पुलिस",
    "मंत्री",
    "शहर",
    "नदी",
    "उड़ान",
    "बिजली",
    "सड़क",
    "कंपनी",
    "शेयर",
]
TAGS = ("politics", "cricket", "business", "weather", "health", "courts", "tech", "travel")


def synthetic(i: int) -> Brief:
    """A small, deterministic brief; three per day so the feed has date ties."""
    words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(12)]
    body = (
        f"{' '.join(words[:6])} से जुड़ी खबर संख्या {i} आज आई.",
        f"इसमें {' '.join(words[6:])} की बात है.",
        "अधिकारियों ने आगे जानकारी देने की बात कही.",
    )
    day = 738000 + i // 3
    date = time.strftime("%Y-%m-%d", time.gmtime((day - 719163) * 86400))
    article = Article(
        title=f"{words[0]} और {words[1]}: खबर {i}",
        paragraphs=body,
        language="hi" if i % 10 else "mr",
        date=date,
        canonical_url=f"https://bench.example/{i}",
        site_name=f"source-{i % 5}",
    )
    return Brief(
        article=article,
        sentences=tuple(Sentence(id=k, text=t, paragraph=k) for k, t in enumerate(body)),
        bullets=tuple(Bullet(text=t, source_sentences=(k,)) for k, t in enumerate(body)),
        read_time_minutes=1,
        word_count=30,
        tags=(
            Tag(name=TAGS[i % len(TAGS)], english=TAGS[i % len(TAGS)], slug=TAGS[i % len(TAGS)]),
        ),
        summarizer="bench/v1",
    )


def fill(store: Store, n: int, batch: int) -> float:
    """Load briefs until the store holds ``n``; return seconds spent."""
    start = time.perf_counter()
    have = store.count()
    for first in range(have, n, batch):
        store.upsert_many(synthetic(i) for i in range(first, min(n, first + batch)))
        done = min(n, first + batch)
        if done % (batch * 10) == 0 or done == n:
            print(f"  loaded {done:,} / {n:,}", file=sys.stderr)
    return time.perf_counter() - start


def cursor_at(store: Store, page: int, size: int, **filters: str) -> tuple[str | None, int]:
    """The cursor opening page ``page`` (1-based), or the last page when there are fewer."""
    cursor: str | None = None
    reached, skip = 1, (page - 1) * size
    while skip > 0:
        step = min(size * max(1, 200 // size), skip)
        result = store.list_briefs(cursor=cursor, limit=step, **filters)
        if result.next_cursor is None:
            break
        cursor, skip, reached = result.next_cursor, skip - step, reached + step // size
    return cursor, reached


def median_ms(fn: Callable[[], BriefPage], repeat: int) -> float:
    """Median wall time of ``fn`` in milliseconds, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def measure(store: Store, size: int, repeat: int, deep: int) -> Iterator[dict[str, object]]:
    """Timings of page 1 and page ``deep``, unfiltered and with each filter."""
    for label, filters in (
        ("all", {}),
        ("tag=cricket", {"tag": "cricket"}),
        ("language=hi", {"language": "hi"}),
        ("source=source-1", {"source": "source-1"}),
    ):
        deep_cursor, reached = cursor_at(store, deep, size, **filters)
        first = median_ms(lambda f=filters: store.list_briefs(limit=size, **f), repeat)  # type: ignore[misc]
        far = median_ms(
            lambda f=filters, c=deep_cursor: store.list_briefs(cursor=c, limit=size, **f),  # type: ignore[misc]
            repeat,
        )
        yield {
            "filter": label,
            "deep_page": reached,
            "page_1_ms": round(first, 3),
            "deep_page_ms": round(far, 3),
            "ratio": round(far / first, 2) if first else None,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="store URL (default: a temporary SQLite file)")
    parser.add_argument("--n", type=int, default=100_000, help="briefs in the store")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--page-size", type=int, default=20)
    parser.add_argument("--deep", type=int, default=1000, help="the deep page to compare")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{tmp}/bench.db"
        store = open_store(url)
        try:
            load_s = fill(store, args.n, args.batch)
            rows = list(measure(store, args.page_size, args.repeat, args.deep))
            search_ms = median_ms(lambda: BriefPage(store.search("क्रिकेट"), None), args.repeat)
            count = store.count()
        finally:
            store.close()
    backend = "postgresql" if url.startswith("postgres") else "sqlite"
    result = {
        "backend": backend,
        "briefs": count,
        "load_seconds": round(load_s, 1),
        "page_size": args.page_size,
        "pages": rows,
        "search_ms": round(search_ms, 3),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
