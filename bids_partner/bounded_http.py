"""A ThreadingHTTPServer that a crowd of idle connections cannot exhaust.

The standard library's server gives every accepted connection a thread and waits
for its request for ever: 300 connections that send nothing are 300 threads. Here
each connection has a socket timeout (a client that sends nothing, or stalls, is
dropped) and at most `max_connections` are served at once; beyond that a new one
is answered 503 and closed at once, on the accepting thread, without a thread of
its own. Used by the chat page's server and the transcripts review page.
"""

from __future__ import annotations

import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Tuple

IDLE_TIMEOUT = 10.0  # seconds a connection may wait for (more of) its request
MAX_CONNECTIONS = 64
# A whole, tiny response: written without waiting, so a client that never reads
# cannot hold the accepting thread.
BUSY = (
    b"HTTP/1.0 503 Service Unavailable\r\n"
    b"Content-Type: text/plain\r\n"
    b"Content-Length: 5\r\n"
    b"Retry-After: 5\r\n"
    b"Connection: close\r\n"
    b"\r\n"
    b"busy\n"
)


class BoundedThreadingHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a per-connection socket timeout and a bound on
    concurrent connections. A handler class's own `timeout`, if set, replaces the
    idle timeout for its connections (StreamRequestHandler.setup applies it)."""

    daemon_threads = True
    # socketserver's listen backlog is 5: a burst of connections beyond it waits
    # for SYN retransmits (1 s, 3 s...). Accepting is cheap here, so queue more.
    request_queue_size = 128

    def __init__(
        self,
        address: Tuple[str, int],
        handler: Callable[..., BaseHTTPRequestHandler],
        bind_and_activate: bool = True,
        *,
        idle_timeout: float = IDLE_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        if idle_timeout <= 0 or max_connections < 1:
            raise ValueError("idle_timeout and max_connections must be positive")
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections
        self._slots = threading.BoundedSemaphore(max_connections)
        self._refusing = False  # log the start of a refusal streak, not each one
        super().__init__(address, handler, bind_and_activate)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self._refuse(request)
            return
        self._refusing = False  # only the accepting thread touches it
        try:
            request.settimeout(self.idle_timeout)
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()  # no thread was started to release it
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _refuse(self, request: socket.socket) -> None:
        if not self._refusing:
            self._refusing = True
            sys.stderr.write(
                f"{self.max_connections} connections open: refusing new ones (503) "
                "until some close\n"
            )
        try:
            request.setblocking(False)
            request.send(BUSY)
        except OSError:
            pass  # the client is gone or not reading: closing is answer enough
        self.shutdown_request(request)
