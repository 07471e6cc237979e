"""The reader: a JSON API and server-rendered pages over a :mod:`khabar.store`.

Needs the ``[serve]`` extra (FastAPI, Jinja2, uvicorn); import
:func:`create_app` from :mod:`khabar.web.app`.
"""

from __future__ import annotations

__all__ = ["create_app", "serve"]

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .serve import serve


def __getattr__(name: str) -> Any:
    # Lazy, so ``import khabar.web.commands`` works without FastAPI installed.
    if name == "create_app":
        from .app import create_app

        return create_app
    if name == "serve":
        from .serve import serve

        return serve
    raise AttributeError(name)
