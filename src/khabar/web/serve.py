"""Running the app with uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
import threading
from typing import Any

from ..errors import ConfigError, MissingDependencyError
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


def listen(host: str = "127.0.0.1", port: int = 8000) -> socket.socket:
    """A socket bound to ``host:port`` (port 0: any free one), or why it cannot be.

    Bound before any work is done, so ``khabar demo`` does not brief its corpus
    only to find the port taken, and the error says what to do instead of
    uvicorn's log line.

    Raises:
        ConfigError: the port is taken, not ours to use, or the host is not an
            address of this machine (``reason`` ``"port_in_use"`` for the first).
    """
    if not 0 <= port <= 65535:
        raise ConfigError(f"the port must be between 0 and 65535 (got {port})", reason="bad_port")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ConfigError(f"cannot listen on {host}: {exc.strerror}", reason="bad_host") from exc
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    # What uvicorn sets too: a restarted server may rebind while old
    # connections sit in TIME_WAIT. It does not let two servers share a port.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"port {port} on {host} is already in use (another khabar serve or demo?); "
                "stop it or choose another with --port",
                reason="port_in_use",
            ) from exc
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}", reason="cannot_listen"
        ) from exc
    return sock


def serve(
    store: Store,
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    sock: socket.socket | None = None,
) -> None:
    """Serve the reader over ``store`` until interrupted; prints the address first.

    ``sock`` is a socket from :func:`listen` (else one is bound to
    ``host:port`` here); the printed address has its real port.

    Raises:
        ConfigError: the address cannot be listened on (see :func:`listen`).
    """
    try:
        import uvicorn
    except ImportError as exc:
        raise MissingDependencyError("uvicorn", "serve") from exc
    from .app import create_app

    if sock is None:
        sock = listen(host, port)
    app = create_app(store, settings)
    start_warm_up(store)
    shown = f"[{host}]" if ":" in host else host
    print(f"khabar reader: http://{shown}:{sock.getsockname()[1]}", flush=True)
    # One process: the rate limiter and the per-process CSRF secret live in memory.
    # "auto" takes uvloop when installed (the [serve] extra lists it and
    # httptools); without them uvicorn falls back to asyncio and h11.
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        loop="auto",
        http=http_protocol(),
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
