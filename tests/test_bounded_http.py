"""The bounded page server: idle connections are dropped after a timeout, and beyond
a bound a new connection is refused at once instead of getting a thread."""

from __future__ import annotations

import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Dict, Iterator, List

import pytest
import requests

from bids_partner.bounded_http import BoundedThreadingHTTPServer

BOUND = 8
IDLE_TIMEOUT = 1.0


class Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = b"hello\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # 100 timeouts would fill the test's output


@pytest.fixture
def server() -> Iterator[BoundedThreadingHTTPServer]:
    server = BoundedThreadingHTTPServer(
        ("127.0.0.1", 0), Hello, idle_timeout=IDLE_TIMEOUT, max_connections=BOUND
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def answered(socks: List[socket.socket], within: float) -> Dict[socket.socket, bytes]:
    """What each socket the server closed within the time received before EOF."""
    done: Dict[socket.socket, bytes] = {}
    received = {sock: b"" for sock in socks}
    deadline = time.monotonic() + within
    while len(done) < len(socks) and time.monotonic() < deadline:
        waiting = [sock for sock in socks if sock not in done]
        readable, _, _ = select.select(waiting, [], [], deadline - time.monotonic())
        for sock in readable:
            try:
                chunk = sock.recv(4096)
            except ConnectionResetError:
                chunk = b""
            if chunk:
                received[sock] += chunk
            else:
                done[sock] = received[sock]
    return done


def test_idle_connections_are_bounded_and_dropped(server) -> None:
    host, port = server.server_address[:2]
    before = threading.active_count()
    idle: List[socket.socket] = []
    try:
        for _ in range(100):
            idle.append(socket.create_connection((host, port), timeout=5))
        connected = time.monotonic()
        # Those beyond the bound are answered 503 and closed at once...
        refused = answered(idle, within=0.5)
        assert len(refused) == 100 - BOUND
        assert all(got.startswith(b"HTTP/1.0 503 ") for got in refused.values())
        # ...and only those within it have a thread.
        assert threading.active_count() <= before + BOUND
        # Those are dropped when the idle timeout passes, not kept for ever.
        held = [sock for sock in idle if sock not in refused]
        assert set(answered(held, within=IDLE_TIMEOUT + 2)) == set(held)
        assert time.monotonic() - connected < IDLE_TIMEOUT + 1
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 2
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() <= before
    response = requests.get(f"http://{host}:{port}/", timeout=5)
    assert response.status_code == 200 and response.text == "hello\n"


def test_a_refused_connection_is_told_why(server) -> None:
    host, port = server.server_address[:2]
    held = [socket.create_connection((host, port), timeout=5) for _ in range(BOUND)]
    try:
        time.sleep(0.2)
        with socket.create_connection((host, port), timeout=5) as extra:
            answer = extra.recv(4096)
        assert answer.startswith(b"HTTP/1.0 503 ")
        assert b"Retry-After:" in answer
    finally:
        for sock in held:
            sock.close()


def test_a_slow_request_still_gets_an_answer_within_the_timeout(server) -> None:
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.0\r\n")
        time.sleep(IDLE_TIMEOUT / 2)
        sock.sendall(b"\r\n")
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.0 200")
