"""One error shape for the whole web app: ``{"error": {code, message, details}}``.

API paths (and clients that ask for JSON) get that JSON body; a reader's
browser gets the same code and message on an HTML page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ..errors import (
    ConfigError,
    FetchError,
    InputError,
    KhabarError,
    MissingDependencyError,
    NotAnArticleError,
    StoreError,
)

log = logging.getLogger("khabar.web")
_CODE = re.compile(r"[a-z][a-z0-9_]{0,40}")

STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    502: "bad_gateway",
    503: "unavailable",
}


class WebError(Exception):
    """An error a route raises on purpose, with its HTTP status and error code."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The JSON body of every error."""
    return {"error": {"code": code, "message": message, "details": details}}


def khabar_status(exc: KhabarError) -> tuple[int, str]:
    """HTTP status and error code for a pipeline or store error."""
    if isinstance(exc, StoreError):
        return 503, "store_unavailable"
    if isinstance(exc, FetchError):
        return 502, "fetch_failed"
    if isinstance(exc, InputError):
        # The store names what was wrong (bad_cursor, bad_date, bad_reason, not_found).
        if exc.reason == "not_found":
            return 404, "not_found"
        code = exc.reason if _CODE.fullmatch(exc.reason) else "bad_input"
        return 400, code
    if isinstance(exc, NotAnArticleError):
        return 422, "not_an_article"
    if isinstance(exc, MissingDependencyError | ConfigError):
        return 500, "server_misconfigured"
    return 422, "cannot_brief"


def wants_json(request: Request) -> bool:
    """True for API paths and for clients that prefer JSON to HTML."""
    path = request.url.path
    if path.startswith("/api/") or path in ("/api", "/openapi.json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def render_error(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The error as JSON or as an HTML page, whichever the client wants."""
    if wants_json(request):
        return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)
    render = getattr(request.app.state, "render_error_page", None)
    if render is None:
        return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)
    response: Response = render(request, status, code, message)
    if headers:
        response.headers.update(headers)
    return response


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors without the raw input or exception objects (not JSON-safe)."""
    return [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type")}
        for e in exc.errors()
    ]


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through :func:`render_error`."""

    async def on_web_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WebError)
        return render_error(request, exc.status, exc.code, exc.message, exc.details, exc.headers)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404 and message == "Not Found":
            message = "no such page or resource"
        return render_error(request, exc.status_code, code, message, None, exc.headers)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = _validation_details(exc)
        first = details[0] if details else {"loc": [], "msg": "invalid request"}
        where = ".".join(first["loc"])
        return render_error(
            request, 422, "validation_error", f"{where}: {first['msg']}".strip(": "), details
        )

    async def on_khabar(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, KhabarError)
        status, code = khabar_status(exc)
        if status >= 500:
            log.warning("request failed: %s", exc)
        details = {"stage": exc.stage, "reason": exc.reason}
        return render_error(request, status, code, exc.message, details)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return render_error(request, 500, "internal_error", "internal server error")

    app.add_exception_handler(WebError, on_web_error)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(KhabarError, on_khabar)
    app.add_exception_handler(Exception, on_unexpected)
