"""The store contract: the objects it returns, the protocol both backends follow, and helpers.

Nothing here touches a database; :mod:`khabar.store.sql` holds the shared SQL
and :mod:`khabar.store.sqlite` / :mod:`khabar.store.postgres` the backends.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from .._urls import split_url
from ..errors import InputError, LanguageError
from ..lang import normalize, tokenize
from ..models import Brief

#: Why a reader found a summary not useful; the web form offers exactly these.
FEEDBACK_REASONS: tuple[str, ...] = (
    "inaccurate",
    "missing_key_point",
    "too_long",
    "hard_to_read",
    "wrong_language",
    "other",
)

#: What :meth:`Store.upsert` did with a brief.
UpsertStatus = Literal["stored", "updated", "rebriefed", "unchanged"]

# A feed page bigger than this is a scrape, not a reader; clamp rather than refuse.
MAX_LIMIT = 200
# Free-text feedback is a comment box, not an upload.
MAX_FEEDBACK_CHARS = 2000
# Longer queries are pasted articles; their first words are enough to search.
MAX_QUERY_TOKENS = 16
# Search ranks (bm25 / ts_rank) only the newest this-many matches: ranking every
# match of a common word costs 0.5 s at 100,000 briefs, ranking 500 costs 13 ms
# (benchmarks/store_pagination.py). News readers want recent matches anyway.
SEARCH_WINDOW = 500
#: What :func:`article_terms` computes; stored beside the terms. Bump it when
#: the function changes, or the gazetteer its desk counts read: the store recomputes
#: (and rewrites) rows of another version. 3: the desk token (DESK_PREFIX); 4: the
#: gazetteer's Bengali file and more countries (session 19) move some desk counts.
TERMS_VERSION = 4
# The terms end with one token "~desk:<home>:<abroad>": the story's mentions of
# names of the home country and of others (khabar.enrich.entities.desk_counts),
# which related() weighs apart from the words. "~" starts no content word.
DESK_PREFIX = "~desk:"
# The home desk's country: khabar serves Hindi-first newsrooms.
HOME_COUNTRY = "IN"
# The body's most frequent words kept as terms: long articles would otherwise
# bring thousands of rare words, each a posting to hold and to read per
# lookup. On the 344 BBC Hindi articles (mean 142 distinct stems), 200 cuts
# 41 of them and changed precision@5 by under 0.01 (khabar eval related).
MAX_BODY_TERMS = 200


@dataclass(frozen=True)
class StoredBrief:
    """One stored article with its current brief; ``data`` is ``Brief.to_dict()``."""

    article_id: int
    brief_id: int
    url: str | None
    content_hash: str
    revision: int
    created_at: str
    updated_at: str
    data: dict[str, Any]


@dataclass(frozen=True)
class BriefPage:
    """One page of the feed; pass ``next_cursor`` back for the next page (None at the end)."""

    items: list[StoredBrief]
    next_cursor: str | None


class Store(Protocol):
    """What every backend offers; both behave the same on the same schema."""

    def upsert_brief(self, brief: Brief, *, url: str | None = None) -> StoredBrief: ...
    def upsert(
        self, brief: Brief, *, url: str | None = None
    ) -> tuple[StoredBrief, UpsertStatus]: ...
    def upsert_many(
        self, items: Iterable[Brief | tuple[Brief, str | None]]
    ) -> list[tuple[StoredBrief, UpsertStatus]]: ...
    def get(self, article_id: int) -> StoredBrief | None: ...
    def get_by_url(self, url: str) -> StoredBrief | None: ...
    def get_brief(self, brief_id: int) -> StoredBrief | None: ...
    def list_briefs(
        self,
        *,
        cursor: str | None = None,
        limit: int = 20,
        tag: str | None = None,
        language: str | None = None,
        source: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> BriefPage: ...
    def search(self, query: str, *, limit: int = 20) -> list[StoredBrief]: ...
    def tags(self, *, limit: int = 100) -> list[tuple[str, str, str, int]]: ...
    def by_tag(self, slug: str, *, limit: int = 20) -> list[StoredBrief]: ...
    def related(self, article_id: int, *, k: int = 5) -> list[StoredBrief]: ...
    def warm_up(self) -> None: ...
    def set_vectors(
        self, items: Iterable[tuple[int, int, Sequence[float]]], *, model: str
    ) -> int: ...
    def vector_backlog(self, *, model: str, limit: int = 100) -> list[StoredBrief]: ...
    def vectors_of(self, article_ids: Sequence[int]) -> dict[int, Any]: ...
    def set_related(self, article_id: int, related: Sequence[int | tuple[int, float]]) -> None: ...
    def clusters(self, *, limit: int = 50, min_size: int = 2) -> list[dict[str, Any]]: ...
    def cluster_of(self, article_id: int) -> dict[str, Any] | None: ...
    def set_clusters(
        self, groups: Iterable[Any], *, scope: Iterable[int] | None = None
    ) -> int: ...
    def add_feedback(
        self, brief_id: int, *, useful: bool, reason: str | None = None, text: str | None = None
    ) -> int: ...
    def feedback_stats(self) -> list[dict[str, Any]]: ...
    def generation(self) -> int: ...
    def count(self) -> int: ...
    def close(self) -> None: ...


def utcnow() -> str:
    """The current UTC time as ISO 8601 text with microseconds (sorts as text)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def encode_cursor(published: str, article_id: int) -> str:
    """An opaque cursor for keyset pagination: the last item's sort key."""
    raw = json.dumps([published, article_id], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    """The sort key inside a cursor; :class:`InputError` (reason ``bad_cursor``) if forged."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise InputError("invalid cursor", reason="bad_cursor") from exc
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], str)
        or not isinstance(value[1], int)
        or isinstance(value[1], bool)
        or not 0 <= value[1] < 2**63  # beyond what either database can compare
        or len(value[0]) > 32
    ):
        raise InputError("invalid cursor", reason="bad_cursor")
    return value[0], value[1]


def check_date(value: str | None, name: str) -> str | None:
    """An ISO date (YYYY-MM-DD) filter, or :class:`InputError` (reason ``bad_date``)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must be a date like 2025-08-13", reason="bad_date") from exc


def check_limit(limit: int) -> int:
    """A page size in 1..MAX_LIMIT; below 1 is an :class:`InputError`."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InputError("limit must be a positive integer", reason="bad_limit")
    return min(limit, MAX_LIMIT)


def search_tokens(text: str) -> list[str]:
    """Words to index or search: khabar's tokens of the NFC-normalised text, lowercased.

    Both backends index these tokens joined by spaces, so SQLite and
    PostgreSQL split words the same way khabar does; tokens without a letter
    or digit (a matra alone, punctuation) are dropped.
    """
    return [t.lower() for t in tokenize(normalize(text)) if any(c.isalnum() for c in t)]


def search_document(data: dict[str, Any]) -> str:
    """The text a brief is found by: headline, standfirst, bullets, tags and body."""
    parts: list[str] = [data.get("title") or "", data.get("standfirst") or ""]
    parts += [b.get("text", "") for b in data.get("bullets", [])]
    parts += [f"{t.get('name', '')} {t.get('english', '')}" for t in data.get("tags", [])]
    parts.append(data.get("text") or "")
    return " ".join(search_tokens("\n".join(parts)))


def article_terms(data: dict[str, Any]) -> str:
    """Stemmed content words of a brief, space-separated: what :meth:`Store.related` compares.

    Every content word of the headline, standfirst and bullets, and the
    :data:`MAX_BODY_TERMS` most frequent of the body (ties to the earlier),
    then the desk token (:data:`DESK_PREFIX`; :func:`split_terms` takes it
    apart). Stored with the article at ingest, marked :data:`TERMS_VERSION`.
    """
    from collections import Counter

    from .. import lang  # the stemmers load on first use

    head = " ".join(
        [data.get("title") or "", data.get("standfirst") or ""]
        + [b.get("text", "") for b in data.get("bullets", [])]
    )
    body = data.get("text") or ""
    code = data.get("language") or "hi"
    try:
        head_words, body_words = lang.content_words(head, code), lang.content_words(body, code)
        stems = {w: lang.stem(w, code) for w in {*head_words, *body_words}}
    except LanguageError:
        head_words, body_words = lang.content_words(head, "hi"), lang.content_words(body, "hi")
        stems = {w: w for w in {*head_words, *body_words}}
    counts = Counter(stems[w] for w in body_words)
    words = {stems[w] for w in head_words} | {w for w, _ in counts.most_common(MAX_BODY_TERMS)}
    from ..enrich.entities import desk_counts  # loads the gazetteer on first use

    home, abroad = desk_counts(f"{head}\n{body}", home=HOME_COUNTRY)
    terms = sorted(w for w in words if w and not w.isspace() and not w.startswith("~"))
    return " ".join([*terms, f"{DESK_PREFIX}{home}:{abroad}"])


def split_terms(text: str) -> tuple[list[str], tuple[int, int]]:
    """Stored terms as (words, (home, abroad) desk counts); (0, 0) when there is no desk token."""
    words = text.split()
    desk = (0, 0)
    if words and words[-1].startswith(DESK_PREFIX):
        parts = words.pop()[len(DESK_PREFIX):].split(":")
        with contextlib.suppress(ValueError):
            if len(parts) == 2:
                desk = (max(0, int(parts[0])), max(0, int(parts[1])))
    return words, desk


def split_summarizer(name: str) -> tuple[str, str]:
    """``"extractive-embed/v2"`` -> ``("extractive-embed", "v2")``; no slash, no version."""
    base, _, version = name.partition("/")
    return base, version


def source_of(brief: Brief, url: str | None) -> str | None:
    """The outlet: the site name the page gives, else the URL's host without ``www.``."""
    if brief.article.site_name:
        return brief.article.site_name
    if url:
        parts = split_url(url)
        host = (parts.hostname if parts is not None else None) or ""
        return host.removeprefix("www.") or None
    return None


def check_feedback(reason: str | None, text: str | None) -> tuple[str | None, str | None]:
    """Validated feedback reason and NFC text; :class:`InputError` on anything else."""
    if reason is not None and reason not in FEEDBACK_REASONS:
        raise InputError(
            f"unknown feedback reason {reason!r}; use one of {', '.join(FEEDBACK_REASONS)}",
            reason="bad_reason",
        )
    if text is not None:
        text = normalize(text).strip() or None
    if text is not None and len(text) > MAX_FEEDBACK_CHARS:
        raise InputError(
            f"feedback text is longer than {MAX_FEEDBACK_CHARS} characters", reason="too_long"
        )
    return reason, text
