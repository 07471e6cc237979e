"""The reader's pages, rendered on the server from Jinja2 templates.

Every page works without JavaScript; ``static/khabar.js`` only adds the
bullet-to-sentence highlight and sends feedback without a reload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..store import FEEDBACK_REASONS
from .api import QUERY_MAX, check_query, find_tag, found, same_origin, save_feedback
from .app import StateDep, StoreDep, client_key, state_of
from .errors import WebError
from .pagecache import PageCache, cached_page, ui_lang_of
from .schemas import FEEDBACK_TEXT_MAX, FeedbackIn, FeedbackOut
from .security import CSRF_COOKIE, CSRF_FIELD, CsrfSigner
from .view import (
    UI_COOKIE,
    UI_LANGUAGES,
    Card,
    Translator,
    body_segments,
    format_date,
    read_time,
    safe_href,
)

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
FEED_PAGE = 20
OTHER_BRIEFS = 6
RELATED = 5


def install(app: FastAPI) -> None:
    """Build the template environment (templates compile once) and the error page renderer."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("khabar.web", "templates"),
        autoescape=True,  # every page shows untrusted article text
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["hindi_date"] = format_date
    env.globals.update(read_time=read_time, safe_href=safe_href, reasons=FEEDBACK_REASONS)
    app.state.templates = env
    app.state.page_cache = PageCache(app.state.web.csrf)

    def render_error_page(request: Request, status: int, code: str, message: str) -> Response:
        return render(
            request, "error.html", {"status": status, "code": code, "message": message}, status
        )

    app.state.render_error_page = render_error_page


def ui_lang(request: Request) -> str:
    """The interface language the reader chose (cookie), Hindi by default."""
    return ui_lang_of(request)


def _render_html(request: Request, name: str, context: dict[str, Any], token: str) -> str:
    t = Translator(ui_lang(request))
    env: jinja2.Environment = request.app.state.templates
    return env.get_template(name).render(
        {
            **context,
            "t": t,
            "ui_lang": t.lang,
            "csrf_field": CSRF_FIELD,
            "csrf_token": token,
            "feedback_text_max": FEEDBACK_TEXT_MAX,
            "path": request.url.path,
        }
    )


def _csrf(request: Request) -> tuple[str, str | None]:
    """The reader's CSRF cookie, and a new one to set when they have none."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if cookie:
        return cookie, None
    new_cookie = CsrfSigner.new_cookie()
    return new_cookie, new_cookie


def _respond(
    request: Request, html: str, status: int, new_cookie: str | None, headers: dict[str, str]
) -> Response:
    response = HTMLResponse(html, status_code=status, headers=headers)
    if new_cookie:
        response.set_cookie(
            CSRF_COOKIE,
            new_cookie,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """Render a page; hands out the CSRF cookie the feedback form is bound to."""
    cookie, new_cookie = _csrf(request)
    token = state_of(request).csrf.token(cookie)
    return _respond(request, _render_html(request, name, context, token), status, new_cookie, {})


async def render_cached(
    request: Request, name: str, build: Callable[[], dict[str, Any]]
) -> Response:
    """Serve a page from the page cache, rendering it on a miss (``build()`` gives the context)."""

    def render_page(token_slot: str) -> str:
        return _render_html(request, name, build(), token_slot)

    return await cached_page(request, render_page)


@router.get("/")
async def home(
    request: Request,
    store: StoreDep,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> Response:
    """The feed: the newest briefs as cards."""

    def build() -> dict[str, Any]:
        page = store.list_briefs(cursor=cursor, limit=FEED_PAGE)
        cards = [Card.from_stored(s) for s in page.items]
        return {"cards": cards, "next_cursor": page.next_cursor}

    return await render_cached(request, "home.html", build)


@router.get("/articles/{article_id}")
async def article(
    request: Request,
    article_id: int,
    store: StoreDep,
    thanks: Annotated[int, Query(ge=0, le=1)] = 0,
) -> Response:
    """One article in the seed's layout: summary box, feedback, body, tags, related."""

    def build() -> dict[str, Any]:
        stored = found(store.get(article_id), article_id)
        data = stored.data
        related = [Card.from_stored(s) for s in store.related(article_id, k=RELATED)]
        # The same event from other outlets (khabar clusters), each once.
        cluster = store.cluster_of(article_id) or {}
        same = [
            Card.from_stored(s) for s in cluster.get("members", []) if s.article_id != article_id
        ][:RELATED]
        related = [c for c in related if c.article_id not in {s.article_id for s in same}]
        seen = {article_id, *(c.article_id for c in related), *(c.article_id for c in same)}
        others = [
            Card.from_stored(s)
            for s in store.list_briefs(limit=OTHER_BRIEFS + len(seen)).items
            if s.article_id not in seen
        ][:OTHER_BRIEFS]
        text = str(data.get("text") or "")
        return {
            "card": Card.from_stored(stored),
            "paragraphs": body_segments(text, list(data.get("sentences") or [])),
            "related": related,
            "same_story": same,
            "related_links": list(data.get("related_links") or []),
            "others": others,
            "thanks": bool(thanks),
        }

    return await render_cached(request, "article.html", build)


@router.post("/articles/{article_id}/feedback", response_model=None)
def article_feedback(
    request: Request,
    article_id: int,
    state: StateDep,
    useful: Annotated[str, Form(pattern="^(yes|no)$")],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form(max_length=40)] = "",
    text: Annotated[str, Form(max_length=FEEDBACK_TEXT_MAX)] = "",
) -> Response:
    """The feedback form: works as a plain form post and from ``khabar.js``."""
    same_origin(request)
    if not state.csrf.check(request.cookies.get(CSRF_COOKIE), csrf_token):
        raise WebError(403, "csrf_failed", "the form has expired; reload the page and try again")
    if not state.feedback_limiter.allow(client_key(request)):
        raise WebError(
            429,
            "rate_limited",
            "too much feedback from this address; try again shortly",
            headers={"Retry-After": str(state.feedback_limiter.retry_after_s())},
        )
    if reason and reason not in FEEDBACK_REASONS:
        raise WebError(422, "validation_error", "unknown feedback reason")
    stored = found(state.store.get(article_id), article_id)
    body = FeedbackIn.model_validate(
        {"useful": useful == "yes", "reason": reason or None, "text": text or None}
    )
    feedback_id = save_feedback(state, stored.brief_id, body)
    if "application/json" in request.headers.get("accept", ""):
        out = FeedbackOut(id=feedback_id, brief_id=stored.brief_id, useful=body.useful)
        return JSONResponse(out.model_dump(), status_code=201)
    return RedirectResponse(f"/articles/{article_id}?thanks=1#feedback", status_code=303)


@router.get("/tags")
def tags_page(request: Request, store: StoreDep) -> Response:
    """Every tag with its count."""
    return render(request, "tags.html", {"tags": store.tags(limit=500)})


@router.get("/tags/{slug}")
def tag_page(request: Request, slug: str, store: StoreDep) -> Response:
    """The newest briefs with one tag."""
    info = find_tag(store, slug)
    cards = [Card.from_stored(s) for s in store.by_tag(slug, limit=50)]
    return render(request, "tag.html", {"tag": info, "cards": cards})


@router.get("/search")
def search_page(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=QUERY_MAX)] = "",
) -> Response:
    """The search form and, given ``q``, its results."""
    if not q.strip():
        return render(request, "search.html", {"q": "", "cards": None})
    query = check_query(q)
    cards = [Card.from_stored(s) for s in store.search(query, limit=50)]
    return render(request, "search.html", {"q": query, "cards": cards})


@router.get("/feedback")
def dashboard(request: Request, store: StoreDep) -> Response:
    """Readers' verdicts per summarizer version."""
    return render(request, "dashboard.html", {"stats": store.feedback_stats()})


@router.get("/ui/{lang}")
def switch_ui(lang: str, next: Annotated[str, Query(max_length=500)] = "/") -> Response:
    """Switch the interface language and go back to the page the reader was on."""
    if lang not in UI_LANGUAGES:
        raise WebError(404, "not_found", f"no interface language {lang!r}")
    # Only local paths: an absolute or protocol-relative target is an open redirect.
    target = next if next.startswith("/") and not next.startswith(("//", "/\\")) else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(UI_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response
