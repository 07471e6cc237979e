"""Properties on arbitrary input not covered elsewhere: the public entry points and the store.

``tests/extract`` and ``tests/lang`` hold the per-stage properties; these
check the bytes-in paths (decode, gzip, sniffing) end to end and that
whatever survives them can be stored and read back.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import khabar
from khabar.errors import InputError, KhabarError
from khabar.ingest import decode_bytes
from khabar.models import Article, Brief, Bullet, Sentence
from khabar.store import Store, open_store

SETTINGS = khabar.load_settings(env={}, embed="off")
SENTENCE = "राज्य सरकार ने सोमवार को नई योजना शुरू करने का फैसला किया."
_PIECES = st.sampled_from(
    [SENTENCE, "<p>", "</p>", "<html>", "<!DOCTYPE html>", "<title>", "\x00", "\ufffd",
     "\u202e", "\ud800", "ि", "्", "\u200d", "&amp;", "&lol;", "<!ENTITY a 'b'>", "\n\n"]
)
TEXTS = st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=30).map("".join)
BYTES = st.one_of(
    st.binary(max_size=2000),
    TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass")),
    TEXTS.map(lambda t: gzip.compress(t.encode("utf-8", "surrogatepass"), mtime=0)),
    TEXTS.map(lambda t: t.encode("utf-16", "surrogatepass")),
)


@settings(max_examples=120, deadline=None)
@given(BYTES)
def test_brief_of_any_bytes_is_a_brief_or_a_khabar_error(data: bytes) -> None:
    try:
        brief = khabar.brief(data, settings=SETTINGS)
    except KhabarError:
        return
    json.dumps(brief.to_dict(), ensure_ascii=False).encode("utf-8")


@settings(max_examples=120, deadline=None)
@given(TEXTS)
def test_extract_of_any_str_is_an_article_or_a_khabar_error(text: str) -> None:
    try:
        article = khabar.extract(text, settings=SETTINGS)
    except KhabarError:
        return
    # Whatever is kept must be encodable: lone surrogates never survive.
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(BYTES)
def test_decoded_text_is_clean_or_an_input_error(data: bytes) -> None:
    """Found here: a lone UTF-16 BOM decoded to "" instead of an "empty" InputError."""
    try:
        text = decode_bytes(data)
    except InputError:
        return
    assert text.strip()
    text.encode("utf-8")  # no lone surrogates
    assert "\x00" not in text[:65536]


@pytest.fixture(scope="module")
def memory_store() -> Iterator[Store]:
    store = open_store("sqlite:///:memory:")
    yield store
    store.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=TEXTS.filter(str.strip), body=TEXTS)
def test_store_roundtrips_any_clean_text(memory_store: Store, title: str, body: str) -> None:
    title = title.encode("utf-8", "replace").decode().replace("\x00", "")
    body = (body.encode("utf-8", "replace").decode().replace("\x00", "") + " " + SENTENCE).strip()
    article = Article(title=title, paragraphs=(body,), language="hi", script="Deva")
    brief = Brief(
        article=article,
        sentences=(Sentence(0, body, 0),),
        bullets=(Bullet(body, (0,)),),
        read_time_minutes=1,
        word_count=30,
    )
    stored = memory_store.upsert_brief(brief, url=None)
    again = memory_store.get(stored.article_id)
    assert again is not None
    assert again.data["title"] == title
    assert again.data["text"] == body


def test_utf16_text_with_a_nul_character_is_binary() -> None:
    """Found by the property above: UTF-16 with a BOM skipped the NUL-byte check."""
    data = ("राज्य सरकार ने फैसला किया.\x00").encode("utf-16")
    with pytest.raises(InputError) as caught:
        decode_bytes(data)
    assert caught.value.reason == "binary"
