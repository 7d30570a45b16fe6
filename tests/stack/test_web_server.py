"""The page server on a free port: only its own files, the Rasa URL, strict CSP."""

from __future__ import annotations

import json
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Iterator, List

import pytest
import requests

from bids_partner.contract import PARTNER_MARK
from bids_partner.settings import ROOT
from bids_partner.stack.web_server import PageHandler, content_security_policy

RASA = "http://127.0.0.1:5999"


@pytest.fixture(scope="module")
def page_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(PageHandler, rasa_url=RASA))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_page_has_the_welcome_and_the_crisis_link(page_url: str) -> None:
    response = requests.get(f"{page_url}/", timeout=5)
    assert response.status_code == 200
    text = " ".join(response.text.split())
    assert "practice tool, not therapy and not a crisis service" in text
    assert 'href="#crisis"' in response.text and "988" in response.text


def test_config_tells_the_page_where_rasa_is_and_how_partner_lines_look(
    page_url: str,
) -> None:
    body = requests.get(f"{page_url}/config.js", timeout=5).text
    prefix = "window.ASSISTANT_CONFIG = "
    assert body.startswith(prefix) and body.endswith(";\n")
    config = json.loads(body[len(prefix) : -2])
    assert config["socketUrl"] == RASA
    partner_line = re.compile(config["partnerLinePattern"])
    assert partner_line.match(f"Alex{PARTNER_MARK}So I'm failing you.")
    assert not partner_line.match("Note: Alex (partner): hi")


@pytest.mark.parametrize(
    "path", ["/../README.md", "/node_modules/rasa-webchat/package.json", "/x.py"]
)
def test_nothing_else_is_served(page_url: str, path: str) -> None:
    assert requests.get(f"{page_url}{path}", timeout=5).status_code == 404


def test_every_response_carries_the_content_security_policy(page_url: str) -> None:
    for path in ("/", "/chat.js", "/missing"):
        headers = requests.get(f"{page_url}{path}", timeout=5).headers
        assert headers["Content-Security-Policy"] == content_security_policy(RASA)
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_policy_allows_this_page_and_the_rasa_socket_only() -> None:
    policy = content_security_policy(RASA)
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert f"connect-src 'self' {RASA} ws://127.0.0.1:5999" in policy
    assert "https:" not in policy and "*" not in policy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_idle_connections_do_not_each_hold_a_thread() -> None:
    """The server as `make up` starts it: 100 idle connections (sending nothing)
    get at most 64 threads; the rest are refused at once; the page still works
    once they go. (Idle connections are also dropped after a timeout:
    tests/test_bounded_http.py, with a short one.)"""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "bids_partner.stack.web_server", "--port", str(port)],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    idle: List[socket.socket] = []
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{url}/config.js", timeout=1)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the page server did not start"
                time.sleep(0.1)
        tasks = Path(f"/proc/{process.pid}/task")
        idle_threads = len(os.listdir(tasks))
        for _ in range(100):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(0.5)
        threads = len(os.listdir(tasks))
        assert threads <= idle_threads + 64, threads
        # Those beyond the bound are answered 503 at once, and closed.
        refused: List[socket.socket] = []
        deadline = time.monotonic() + 2
        while len(refused) < 100 - 64 and time.monotonic() < deadline:
            waiting = [sock for sock in idle if sock not in refused]
            for sock in select.select(waiting, [], [], 0.1)[0]:
                assert sock.recv(4096).startswith(b"HTTP/1.0 503 ")
                refused.append(sock)
        assert len(refused) == 100 - 64
        for sock in idle:
            sock.close()
        idle.clear()
        time.sleep(0.3)
        assert requests.get(f"{url}/config.js", timeout=5).status_code == 200
    finally:
        for sock in idle:
            sock.close()
        process.terminate()
        process.wait(timeout=10)
