"""Running the app with uvicorn."""

from __future__ import annotations

from ..errors import MissingDependencyError
from ..settings import Settings
from ..store import Store


def serve(store: Store, settings: Settings, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the reader over ``store`` until interrupted; prints the address first."""
    try:
        import uvicorn
    except ImportError as exc:
        raise MissingDependencyError("uvicorn", "serve") from exc
    from .app import create_app

    app = create_app(store, settings)
    shown = f"[{host}]" if ":" in host else host
    print(f"khabar reader: http://{shown}:{port}", flush=True)
    # One process: the rate limiter and the per-process CSRF secret live in memory.
    # "auto" takes uvloop and httptools when installed (the [serve] extra lists
    # them); without them uvicorn falls back to asyncio and the pure-Python h11.
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        loop="auto",
        http="auto",
    )
