"""The JSON API under ``/api``: thin routes over the store and the pipeline."""

from __future__ import annotations

import ipaddress
import socket
from typing import Annotated

import regex
from fastapi import APIRouter, Depends, Query, Request

from .._urls import split_url
from ..errors import InputError
from ..ingest import decode_bytes, fetch_url
from ..pipeline import brief as make_brief
from ..store import StoredBrief
from .app import SettingsDep, StateDep, StoreDep, client_key
from .errors import WebError
from .schemas import (
    ArticleOut,
    BriefIn,
    BriefListOut,
    BriefOut,
    ClusterOut,
    ErrorOut,
    FeedbackIn,
    FeedbackOut,
    FeedbackStatOut,
    ListQuery,
    SearchOut,
    TagCountOut,
    TagPageOut,
)

ERRORS = {code: {"model": ErrorOut} for code in (400, 403, 404, 413, 422, 429, 502, 503)}
router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)  # type: ignore[arg-type]

# A query must hold at least one letter or digit: a lone matra or a run of
# punctuation matches nothing and would only exercise the FTS parser.
_HAS_WORD = regex.compile(r"[\p{L}\p{N}]")
QUERY_MAX = 200
TAGS_SCAN_LIMIT = 10_000


def same_origin(request: Request) -> None:
    """Refuse state-changing requests that a browser sent from another origin."""
    origin = request.headers.get("origin")
    if origin is None:  # not a browser, or a same-origin GET-style navigation
        return
    host = request.headers.get("host", "")
    parts = split_url(origin)
    if parts is None or parts.netloc != host:
        raise WebError(403, "cross_origin", "cross-origin requests may not change data")


SameOrigin = Annotated[None, Depends(same_origin)]


def found(stored: StoredBrief | None, article_id: int) -> StoredBrief:
    """The stored brief, or a 404 in the error shape."""
    if stored is None:
        raise WebError(404, "article_not_found", f"no article with id {article_id}")
    return stored


def check_query(q: str) -> str:
    """A trimmed search query, or a 400 when it cannot match anything."""
    q = q.strip()
    if not q or not _HAS_WORD.search(q):
        raise WebError(400, "invalid_query", "the search query needs at least one letter or digit")
    return q


def check_fetch_url(url: str, *, allow_private: bool) -> None:
    """Refuse URLs that are not http(s) or that point into the server's own network."""
    parts = split_url(url)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebError(400, "invalid_url", "url must be an absolute http(s) URL")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise WebError(400, "invalid_url", f"cannot resolve host {parts.hostname!r}") from exc
    for info in infos:
        if not ipaddress.ip_address(info[4][0]).is_global:
            raise WebError(400, "url_not_allowed", "url points to a private or local address")


@router.post("/briefs", status_code=201, response_model=ArticleOut, summary="Create a brief")
def create_brief(
    body: BriefIn, state: StateDep, settings: SettingsDep, request: Request, _: SameOrigin
) -> ArticleOut:
    """Brief a page given as HTML, scraped text or a URL to fetch, store it, return it."""
    if not state.create_limiter.allow(client_key(request)):
        raise WebError(429, "rate_limited", "too many briefs; try again shortly")
    content: str | None = body.html if body.html is not None else body.text
    if content is None:
        assert body.url is not None
        check_fetch_url(body.url, allow_private=state.options.allow_private_urls)
        data = fetch_url(
            body.url,
            timeout=settings.fetch_timeout_s,
            user_agent=settings.user_agent,
            max_bytes=settings.max_input_bytes,
        )
        content = decode_bytes(data, source=body.url, max_bytes=settings.max_input_bytes)
    if not content.strip():
        raise InputError("the page is empty", source=body.url or "<request>", reason="empty")
    result = make_brief(content, body.url, settings=settings)
    stored = state.store.upsert_brief(result, url=body.url)
    return ArticleOut.from_stored(stored)


@router.get("/briefs", response_model=BriefListOut, summary="List briefs, newest first")
def list_briefs(store: StoreDep, query: Annotated[ListQuery, Query()]) -> BriefListOut:
    """One page of briefs; follow ``next_cursor`` for the next one."""
    page = store.list_briefs(
        cursor=query.cursor,
        limit=query.limit,
        tag=query.tag,
        language=query.language,
        source=query.source,
        date_from=query.date_from.isoformat() if query.date_from else None,
        date_to=query.date_to.isoformat() if query.date_to else None,
    )
    return BriefListOut(
        items=[BriefOut.from_stored(s) for s in page.items], next_cursor=page.next_cursor
    )


@router.get("/articles/{article_id}", response_model=ArticleOut, summary="One article")
def get_article(article_id: int, store: StoreDep) -> ArticleOut:
    """The article with its brief, body and numbered sentences."""
    return ArticleOut.from_stored(found(store.get(article_id), article_id))


@router.get("/articles/{article_id}/related", response_model=list[BriefOut])
def related(
    article_id: int, store: StoreDep, k: Annotated[int, Query(ge=1, le=50)] = 5
) -> list[BriefOut]:
    """Stories related to one article, most related first."""
    found(store.get(article_id), article_id)
    return [BriefOut.from_stored(s) for s in store.related(article_id, k=k)]


@router.get("/search", response_model=SearchOut, summary="Full-text search")
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=QUERY_MAX)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchOut:
    """Briefs whose text matches ``q`` (Hindi-aware full-text search)."""
    query = check_query(q)
    return SearchOut(
        query=query, items=[BriefOut.from_stored(s) for s in store.search(query, limit=limit)]
    )


@router.get("/tags", response_model=list[TagCountOut], summary="Tags by use")
def tags(store: StoreDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[TagCountOut]:
    """The most used tags with their article counts."""
    return [
        TagCountOut(name=n, english=e, slug=s, count=c) for n, e, s, c in store.tags(limit=limit)
    ]


def find_tag(store: StoreDep, slug: str) -> TagCountOut:
    """One tag by slug, or a 404."""
    for name, english, tag_slug, count in store.tags(limit=TAGS_SCAN_LIMIT):
        if tag_slug == slug:
            return TagCountOut(name=name, english=english, slug=tag_slug, count=count)
    raise WebError(404, "tag_not_found", f"no tag {slug!r}")


@router.get("/tags/{slug}", response_model=TagPageOut, summary="Briefs with one tag")
def tag(slug: str, store: StoreDep, limit: Annotated[int, Query(ge=1, le=100)] = 20) -> TagPageOut:
    """One tag and the newest briefs that carry it."""
    info = find_tag(store, slug)
    return TagPageOut(
        tag=info, items=[BriefOut.from_stored(s) for s in store.by_tag(slug, limit=limit)]
    )


@router.get("/clusters", response_model=list[ClusterOut], summary="Story clusters")
def clusters(store: StoreDep, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[ClusterOut]:
    """Groups of briefs about the same story, each with a representative."""
    return [
        ClusterOut(
            id=c["id"],
            representative=BriefOut.from_stored(c["representative"]),
            members=[BriefOut.from_stored(m) for m in c["members"]],
        )
        for c in store.clusters(limit=limit)
    ]


@router.post(
    "/briefs/{brief_id}/feedback",
    status_code=201,
    response_model=FeedbackOut,
    summary="Rate a summary",
)
def feedback(
    brief_id: int, body: FeedbackIn, state: StateDep, request: Request, _: SameOrigin
) -> FeedbackOut:
    """Record whether a reader found a summary useful, and optionally why not."""
    if not state.feedback_limiter.allow(client_key(request)):
        raise WebError(
            429,
            "rate_limited",
            "too much feedback from this address; try again shortly",
            headers={"Retry-After": str(state.feedback_limiter.retry_after_s())},
        )
    feedback_id = save_feedback(state, brief_id, body)
    return FeedbackOut(id=feedback_id, brief_id=brief_id, useful=body.useful)


def save_feedback(state: StateDep, brief_id: int, body: FeedbackIn) -> int:
    """Store one verdict; a 404 when the brief does not exist."""
    text = body.text.strip() if body.text else None
    try:
        return state.store.add_feedback(
            brief_id, useful=body.useful, reason=body.reason, text=text or None
        )
    except InputError as exc:
        if exc.reason == "not_found":
            raise WebError(404, "brief_not_found", f"no brief with id {brief_id}") from exc
        raise


@router.get("/feedback/stats", response_model=list[FeedbackStatOut], summary="Feedback stats")
def feedback_stats(store: StoreDep) -> list[FeedbackStatOut]:
    """Feedback counts and useful rate per summarizer name and version."""
    return [FeedbackStatOut.model_validate(row) for row in store.feedback_stats()]


__all__ = ["router"]
