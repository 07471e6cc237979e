"""PostgreSQL drops a store's connection (a restart, an admin, a network blip): the next
upsert is tried again on a new connection and stores, without a second copy."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from storekit import make_brief, pg_schema, pg_url_or_skip

from khabar.errors import StoreError
from khabar.store.postgres import CHECK_IDLE_S, PostgresStore


def _with_name(url: str, name: str) -> str:
    return f"{url}&application_name={name}"


def _drop_connections(name: str) -> int:
    """Terminate every server process of connections named ``name``; how many."""
    import psycopg

    with psycopg.connect(pg_url_or_skip(), autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (name,),
        ).fetchall()
    return sum(1 for (done,) in rows if done)


@contextmanager
def _named_store(pool: bool) -> Iterator[tuple[PostgresStore, str]]:
    """A store in a fresh schema whose connections carry a name of their own."""
    name = f"khabar_retry_{uuid.uuid4().hex[:8]}"
    with pg_schema() as url:
        store = PostgresStore(_with_name(url, name), pool=pool)
        try:
            yield store, name
        finally:
            store.close()


@pytest.mark.parametrize("pool", [True, False], ids=["pool", "one-connection"])
def test_an_upsert_after_the_server_dropped_the_connection_stores(pool: bool) -> None:
    with _named_store(pool) as (store, name):
        first, _ = store.upsert(make_brief("पहली खबर", ["पहला वाक्य है।"], url="https://a.example/1"))
        assert _drop_connections(name) >= 1
        second, status = store.upsert(
            make_brief("दूसरी खबर", ["दूसरा वाक्य है।"], url="https://a.example/2"))
        assert status == "stored"
        again, status = store.upsert(
            make_brief("दूसरी खबर", ["दूसरा वाक्य है।"], url="https://a.example/2"))
        assert status == "unchanged" and again.article_id == second.article_id
        assert store.count() == 2 and first.article_id != second.article_id


def test_an_error_that_does_not_pass_is_not_retried() -> None:
    """A closed store is said at once (reason "closed"), not after the retry delays."""
    with pg_schema() as url:
        store = PostgresStore(url, pool=False)
        store.close()
        with pytest.raises(StoreError) as info:
            store.upsert(make_brief("खबर", ["एक वाक्य है।"], url="https://a.example/3"))
        assert info.value.reason == "closed"


@pytest.mark.parametrize("pool", [True, False], ids=["pool", "one-connection"])
def test_a_read_after_the_server_dropped_the_connection_is_answered(pool: bool) -> None:
    with _named_store(pool) as (store, name):
        store.upsert(make_brief("पहली खबर", ["पहला वाक्य है।"], url="https://a.example/1"))
        assert store.count() == 1
        assert _drop_connections(name) >= 1
        time.sleep(CHECK_IDLE_S + 0.1)  # a restart takes longer than that
        assert store.count() == 1  # the idle connection was checked and replaced
