"""The reader's pages, rendered on the server from Jinja2 templates.

Every page works without JavaScript; ``static/khabar.js`` only adds the
bullet-to-sentence highlight and sends feedback without a reload.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from ..store import FEEDBACK_REASONS, Store
from .api import QUERY_MAX, check_query, find_tag, found, same_origin, save_feedback
from .app import StateDep, StoreDep, client_key, get_state
from .errors import WebError
from .schemas import FEEDBACK_TEXT_MAX, FeedbackIn, FeedbackOut
from .security import CSRF_COOKIE, CSRF_FIELD, CsrfSigner
from .view import (
    UI_LANGUAGES,
    Card,
    Translator,
    body_segments,
    format_date,
    read_time,
    safe_href,
)

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
UI_COOKIE = "khabar_ui"
FEED_PAGE = 20
OTHER_BRIEFS = 6
RELATED = 5
# Related stories change only when articles arrive; a minute of staleness is fine.
RELATED_TTL_S = 60.0


def install(app: FastAPI) -> None:
    """Build the template environment and the HTML error page renderer."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("khabar.web", "templates"),
        autoescape=True,  # every page shows untrusted article text
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["hindi_date"] = format_date
    env.globals.update(read_time=read_time, safe_href=safe_href, reasons=FEEDBACK_REASONS)
    app.state.templates = Jinja2Templates(env=env)
    app.state.related_cache = TTLCache(RELATED_TTL_S)

    def render_error_page(request: Request, status: int, code: str, message: str) -> Response:
        return render(
            request, "error.html", {"status": status, "code": code, "message": message}, status
        )

    app.state.render_error_page = render_error_page


def ui_lang(request: Request) -> str:
    """The interface language the reader chose (cookie), Hindi by default."""
    lang = request.cookies.get(UI_COOKIE, "hi")
    return lang if lang in UI_LANGUAGES else "hi"


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """Render a page; hands out the CSRF cookie the feedback form is bound to."""
    state = get_state(request)
    cookie = request.cookies.get(CSRF_COOKIE)
    new_cookie = None if cookie else CsrfSigner.new_cookie()
    t = Translator(ui_lang(request))
    context = {
        **context,
        "t": t,
        "ui_lang": t.lang,
        "csrf_field": CSRF_FIELD,
        "csrf_token": state.csrf.token(cookie or new_cookie or ""),
        "feedback_text_max": FEEDBACK_TEXT_MAX,
        "path": request.url.path,
    }
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(request, name, context, status_code=status)
    if new_cookie:
        response.set_cookie(
            CSRF_COOKIE,
            new_cookie,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


@router.get("/")
def home(
    request: Request,
    store: StoreDep,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> Response:
    """The feed: the newest briefs as cards."""
    page = store.list_briefs(cursor=cursor, limit=FEED_PAGE)
    cards = [Card.from_stored(s) for s in page.items]
    return render(request, "home.html", {"cards": cards, "next_cursor": page.next_cursor})


@router.get("/articles/{article_id}")
def article(
    request: Request,
    article_id: int,
    store: StoreDep,
    thanks: Annotated[int, Query(ge=0, le=1)] = 0,
) -> Response:
    """One article in the seed's layout: summary box, feedback, body, tags, related."""
    stored = found(store.get(article_id), article_id)
    data = stored.data
    related = related_cards(request, store, article_id)
    seen = {article_id, *(c.article_id for c in related)}
    others = [
        Card.from_stored(s)
        for s in store.list_briefs(limit=OTHER_BRIEFS + len(seen)).items
        if s.article_id not in seen
    ][:OTHER_BRIEFS]
    context = {
        "card": Card.from_stored(stored),
        "paragraphs": body_segments(str(data.get("text") or ""), list(data.get("sentences") or [])),
        "related": related,
        "related_links": list(data.get("related_links") or []),
        "others": others,
        "thanks": bool(thanks),
    }
    return render(request, "article.html", context)


def related_cards(request: Request, store: Store, article_id: int) -> list[Card]:
    """Related stories, cached for a minute: the store computes them on every call."""
    cache: TTLCache = request.app.state.related_cache
    hit = cache.get(article_id)
    if hit is None:
        hit = [Card.from_stored(s) for s in store.related(article_id, k=RELATED)]
        cache.put(article_id, hit)
    return hit


class TTLCache:
    """A small thread-safe cache whose entries expire, bounded in size."""

    def __init__(self, ttl_s: float, max_items: int = 2048) -> None:
        self.ttl_s = ttl_s
        self.max_items = max_items
        self._items: OrderedDict[int, tuple[float, list[Card]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: int) -> list[Card] | None:
        """The value if present and fresh."""
        with self._lock:
            item = self._items.get(key)
            if item is None or time.monotonic() - item[0] > self.ttl_s:
                return None
            return item[1]

    def put(self, key: int, value: list[Card]) -> None:
        """Store a value, dropping the oldest when full."""
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)


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
