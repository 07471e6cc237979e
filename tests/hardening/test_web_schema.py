"""Schemathesis against the app's OpenAPI schema: no 5xx, responses as documented.

A bounded number of examples per operation (``KHABAR_SCHEMATHESIS_EXAMPLES``,
default 25) against the ASGI app over a SQLite store holding the demo corpus.
URL fetching is replaced by an offline stub: no test leaves the machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("fastapi")

from hypothesis import HealthCheck, settings  # noqa: E402

from khabar.settings import load_settings  # noqa: E402
from khabar.store import open_store  # noqa: E402
from khabar.web.app import WebOptions, create_app  # noqa: E402
from khabar.web.demo import load_demo  # noqa: E402

EXAMPLES = int(os.environ.get("KHABAR_SCHEMATHESIS_EXAMPLES", "25"))


def _offline_fetch(url: str, **kw: Any) -> bytes:
    """A recorded page for every URL: the create route runs end to end without network."""
    from khabar.demo import demo_pages

    return demo_pages()[0].read_bytes()


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from khabar.web import api

    path: Path = tmp_path_factory.mktemp("schema") / "demo.db"
    settings_ = load_settings(env={}, embed="off")
    store = open_store(f"sqlite:///{path}")
    load_demo(store, settings_)
    options = WebOptions(secret=b"s" * 32, feedback_burst=1_000_000, create_burst=1_000_000,
                         allow_private_urls=True)
    app = create_app(store, settings_, options)
    saved = api.fetch_url
    api.fetch_url = _offline_fetch  # type: ignore[assignment]
    try:
        yield schemathesis.openapi.from_asgi("/openapi.json", app)
    finally:
        api.fetch_url = saved  # type: ignore[assignment]
        store.close()


def _operations(schema: Any) -> list[Any]:
    ops = []
    for result in schema.get_all_operations():
        ops.append(result.ok())  # a schema the loader cannot read fails here
    return ops


def _fuzz_operation(operation: Any, excluded: list[Any]) -> None:
    """EXAMPLES generated cases of one operation, each sent and checked."""
    from hypothesis import given

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    def check(case: Any) -> None:
        case.call_and_validate(excluded_checks=excluded)

    check()


def test_api_conforms_to_its_schema(api_schema: Any) -> None:
    """Every operation, EXAMPLES generated cases each: no 5xx, documented codes and bodies."""
    # schemathesis' own pytest plugin breaks on this pytest version, so the
    # operations are driven here through their hypothesis strategies.
    # "Schema-valid data must be accepted" is left out: a cursor is opaque and
    # a page may be no article, so schema-valid values are rightly 400/422.
    # It did find one real gap (``{}`` documented as a valid BriefIn); the
    # test below pins that fix.
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    operations = _operations(api_schema)
    assert len(operations) >= 10
    for operation in operations:
        _fuzz_operation(operation, [positive_data_acceptance])


def test_brief_in_schema_says_one_source_is_required(api_schema: Any) -> None:
    from fastapi.testclient import TestClient

    app = api_schema.app
    body = TestClient(app).get("/openapi.json").json()["components"]["schemas"]["BriefIn"]
    assert {tuple(rule["required"]) for rule in body["anyOf"]} == {("html",), ("text",), ("url",)}
    assert body["not"]["required"] == ["html", "text"]
