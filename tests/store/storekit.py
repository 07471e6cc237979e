"""Helpers for the store tests: a fresh store per test on either backend, and small briefs."""

from __future__ import annotations

import os
import urllib.parse
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from khabar.models import Article, Brief, Bullet, Sentence, Tag
from khabar.store import Store, open_store

PG_ENV = "KHABAR_TEST_PG_URL"
BACKENDS = ("sqlite", "postgres")


def pg_url_or_skip() -> str:
    """The test server's URL; skip without one, or fail when KHABAR_REQUIRE_PG=1."""
    url = os.environ.get(PG_ENV)
    required = os.environ.get("KHABAR_REQUIRE_PG") == "1"
    if not url:
        msg = f"{PG_ENV} is not set (run scripts/pg-setup.sh)"
        if required:
            pytest.fail(msg + " and KHABAR_REQUIRE_PG=1")
        pytest.skip(msg)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        if required:
            pytest.fail("psycopg is not installed and KHABAR_REQUIRE_PG=1")
        pytest.skip("psycopg is not installed (pip install 'khabar[postgres]')")
    return url


def with_search_path(url: str, schema: str) -> str:
    """``url`` with libpq options that put ``schema`` first on the search path."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query)
    query.append(("options", f"-csearch_path={schema}"))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


@contextmanager
def pg_schema() -> Iterator[str]:
    """A store URL in a new, empty schema that is dropped afterwards."""
    import psycopg

    url = pg_url_or_skip()
    schema = f"khabar_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_search_path(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@contextmanager
def store_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A URL of a fresh, empty database on ``backend``."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'khabar.db'}"
    else:
        with pg_schema() as url:
            yield url


@contextmanager
def fresh_store(backend: str, tmp_path: Path) -> Iterator[Store]:
    """An open store on a fresh database, closed afterwards."""
    with store_url(backend, tmp_path) as url:
        store = open_store(url)
        try:
            yield store
        finally:
            store.close()


def make_brief(
    title: str,
    body: Sequence[str],
    *,
    url: str | None = None,
    date: str | None = "2025-08-13",
    tags: Sequence[str] = (),
    language: str = "hi",
    site: str | None = "समाचार दर्पण",
    summarizer: str = "extractive/v1",
    bullets: Sequence[str] | None = None,
) -> Brief:
    """A small hand-made brief: one sentence per body item, bullets citing them."""
    article = Article(
        title=title,
        paragraphs=tuple(body),
        language=language,
        script="Deva",
        date=date,
        canonical_url=url,
        site_name=site,
        related_links=("यह भी पढ़ें: एक और खबर",),
    )
    sentences = tuple(Sentence(id=i, text=t, paragraph=i) for i, t in enumerate(body))
    texts = list(bullets) if bullets is not None else list(body[:3])
    return Brief(
        article=article,
        sentences=sentences,
        bullets=tuple(
            Bullet(text=t, source_sentences=(i,), support=0.75) for i, t in enumerate(texts)
        ),
        read_time_minutes=1,
        word_count=sum(len(t.split()) for t in body),
        tags=tuple(Tag(name=t, english=t.title(), slug=t.lower().replace(" ", "-")) for t in tags),
        summarizer=summarizer,
    )
