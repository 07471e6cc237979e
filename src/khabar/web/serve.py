"""Running the app with uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any

from ..errors import MissingDependencyError
from ..settings import Settings
from ..store import Store

# Writes up to this size may be held back to go out with the next one: a
# response head (~1 KB) always is; a large body is never copied to join it.
HOLD_MAX_BYTES = 16 * 1024


class JoinedWrites(asyncio.Transport):
    """A transport that sends a small write together with the write that follows it.

    uvicorn writes a response's status line and headers, then its body, as
    two writes: two ``send`` calls on the socket, and on loopback two wakeups
    of the client. Here the head waits for the body and both leave in one
    call. A held write never waits past the current event-loop step (a
    response without a body, or a ``100 Continue``, goes out then), and
    nothing is reordered.
    """

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None
        self._flush_scheduled = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        held = self._held
        if held is not None:
            self._held = None
            self._transport.write(held + bytes(data))
        elif len(data) <= HOLD_MAX_BYTES and not self._transport.is_closing():
            self._held = bytes(data)
            if not self._flush_scheduled:
                self._flush_scheduled = True
                self._loop.call_soon(self._flush)
        else:
            self._transport.write(data)

    def _flush(self) -> None:
        self._flush_scheduled = False
        held = self._held
        if held is not None:
            self._held = None
            self._transport.write(held)

    def writelines(self, list_of_data: Any) -> None:
        self.write(b"".join(list_of_data))

    def write_eof(self) -> None:
        self._flush()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + len(self._held or b"")

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()


def http_protocol() -> type[asyncio.Protocol] | str:
    """uvicorn's httptools protocol with :class:`JoinedWrites`, or "auto" without httptools."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # httptools is missing: uvicorn falls back to the pure-Python h11
        return "auto"

    class JoinedWritesProtocol(HttpToolsProtocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(JoinedWrites(transport, self.loop))

    return JoinedWritesProtocol


def start_warm_up(store: Store) -> threading.Thread:
    """Build the store's in-process indexes in a daemon thread while the server starts.

    A failure here only costs the speed-up: the first request that needs the
    index builds it again and reports any error the usual way.
    """

    def run() -> None:
        with contextlib.suppress(Exception):
            store.warm_up()

    thread = threading.Thread(target=run, name="khabar-warm-up", daemon=True)
    thread.start()
    return thread


def serve(store: Store, settings: Settings, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the reader over ``store`` until interrupted; prints the address first."""
    try:
        import uvicorn
    except ImportError as exc:
        raise MissingDependencyError("uvicorn", "serve") from exc
    from .app import create_app

    app = create_app(store, settings)
    start_warm_up(store)
    shown = f"[{host}]" if ":" in host else host
    print(f"khabar reader: http://{shown}:{port}", flush=True)
    # One process: the rate limiter and the per-process CSRF secret live in memory.
    # "auto" takes uvloop when installed (the [serve] extra lists it and
    # httptools); without them uvicorn falls back to asyncio and h11.
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        loop="auto",
        http=http_protocol(),
    )
