"""Locust users for the load benchmarks (benchmarks/load.py runs them headless).

    .venv/bin/locust -f benchmarks/locustfile.py --headless -u 8 -r 8 -t 30s \\
        --host http://127.0.0.1:5005 --csv results/load/ours-8 RestConversation

Two kinds of simulated user, each in its own conversations, one request at a time
and no think time (a closed loop: the figure is how many turns the server gets
through):
- RestConversation: a script's conversation over the REST channel, TURNS turns
  (default 20) under one sender id, then a new conversation under a new one.
  Works for any Rasa bot with the REST channel (ours and the stock bot).
- SocketIOPage (ours only: the stock bot has no web page and no socket channel):
  what a visit to the chat page does (web/chat.js with rasa-webchat): GET the
  page and /config.js from the web server (where the socket is), connect
  socket.io with the page's Origin, `session_request` (the Rasa server issues
  the conversation id in `session_confirm`: bids_partner/web_sessions.py; the
  page never chooses it), the widget's `/greet`, then TURNS `user_uttered`
  frames, each answered by `bot_uttered`. A turn is timed until the last of
  the replies its text gets (counted once per process over REST, in a
  conversation of its own), so that a late reply is never taken for the next
  turn's.
Turns are reported as "REST turn" and "socket.io turn", so the turns/s and p95
of a run are those rows of Locust's CSV. Settings come from the environment:
BENCH_TURN_MESSAGE (default "you never listen to me"), BENCH_TURNS, BENCH_WEB_URL
(the chat page's server, for SocketIOPage), BENCH_HOSTS (several Rasa servers,
comma-separated: each REST conversation goes to the next one in turn, as a load
balancer that keeps a conversation on one server would send it;
benchmarks/scale_out.py).
"""

from __future__ import annotations

import itertools
import os
import queue
import time
import uuid
from typing import Any, Dict, List

import requests
import socketio
from locust import HttpUser, User, constant, task
from locust.exception import StopUser

TURN_MESSAGE = os.environ.get("BENCH_TURN_MESSAGE", "you never listen to me")
TURNS = int(os.environ.get("BENCH_TURNS", "20"))
WEB_URL = os.environ.get("BENCH_WEB_URL", "http://127.0.0.1:8080").rstrip("/")
HOSTS = [h.rstrip("/") for h in os.environ.get("BENCH_HOSTS", "").split(",") if h]
TIMEOUT_S = 60.0
_next_host = itertools.count()


class RestConversation(HttpUser):
    wait_time = constant(0)

    @task
    def conversation(self) -> None:
        sender = f"locust-rest-{uuid.uuid4().hex[:12]}"
        base = HOSTS[next(_next_host) % len(HOSTS)] if HOSTS else ""
        for _ in range(TURNS):
            with self.client.post(
                f"{base}/webhooks/rest/webhook",
                json={"sender": sender, "message": TURN_MESSAGE},
                name="REST turn",
                timeout=TIMEOUT_S,
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                elif not response.json():
                    response.failure("no bot message")


_replies_per_text: Dict[str, int] = {}


def replies_to(rasa_url: str, text: str) -> int:
    """How many bot messages `text` gets in a new conversation (once per process)."""
    if text not in _replies_per_text:
        response = requests.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": f"locust-count-{uuid.uuid4().hex[:12]}", "message": text},
            timeout=TIMEOUT_S,
        )
        response.raise_for_status()
        _replies_per_text[text] = max(1, len(response.json()))
    return _replies_per_text[text]


class SocketIOPage(User):
    wait_time = constant(0)

    def _fire(self, name: str, started: float, error: Exception | None) -> None:
        self.environment.events.request.fire(
            request_type="socket.io",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )

    def _get(self, path: str) -> str:
        started = time.perf_counter()
        error: Exception | None = None
        try:
            response = requests.get(f"{WEB_URL}{path}", timeout=TIMEOUT_S)
            response.raise_for_status()
            return response.text
        except requests.RequestException as failure:
            error = failure
            raise StopUser() from failure
        finally:
            self.environment.events.request.fire(
                request_type="GET",
                name=f"page {path}",
                response_time=(time.perf_counter() - started) * 1000,
                response_length=0,
                exception=error,
                context={},
            )

    @task
    def visit(self) -> None:
        rasa_url = (self.host or "").rstrip("/")
        self._get("/")
        self._get("/config.js")  # where the page finds the socket (rasa_url)
        greet_replies = replies_to(rasa_url, "/greet")
        turn_replies = replies_to(rasa_url, TURN_MESSAGE)
        inbox: queue.Queue[Any] = queue.Queue()
        confirmed: queue.Queue[str] = queue.Queue()
        client = socketio.Client(reconnection=False)
        client.on("bot_uttered", inbox.put)
        client.on("session_confirm", confirmed.put)
        started = time.perf_counter()
        try:
            client.connect(
                rasa_url,
                headers={"Origin": WEB_URL},
                socketio_path="/socket.io",
                wait_timeout=TIMEOUT_S,
            )
            client.emit("session_request", {"session_id": None})
            session_id = confirmed.get(timeout=TIMEOUT_S)
        except Exception as failure:  # noqa: BLE001 (any failure counts as one)
            self._fire("socket.io connect + session", started, failure)
            client.disconnect()
            return
        self._fire("socket.io connect + session", started, None)
        try:
            self._turn(client, inbox, session_id, "/greet", greet_replies, "greet")
            for _ in range(TURNS):
                self._turn(client, inbox, session_id, TURN_MESSAGE, turn_replies)
        finally:
            client.disconnect()

    def _turn(
        self,
        client: socketio.Client,
        inbox: queue.Queue[Any],
        session_id: str,
        text: str,
        replies: int,
        label: str = "turn",
    ) -> None:
        started = time.perf_counter()
        got: List[Any] = []
        error: Exception | None = None
        try:
            client.emit("user_uttered", {"message": text, "session_id": session_id})
            while len(got) < replies:
                got.append(inbox.get(timeout=TIMEOUT_S))
        except queue.Empty:
            error = TimeoutError(f"{len(got)} of {replies} replies")
        self._fire(f"socket.io {label}", started, error)
