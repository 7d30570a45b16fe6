"""The REST channel on a real Sanic server: clear 4xx for bad requests, 503 when
the store is down (and no message text in the log), and a retried message id
answered from the store instead of played twice."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from types import SimpleNamespace
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import requests
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bids_partner.rasa_plugins.channels.message_checks import STORE_DOWN_REASON
from bids_partner.rasa_plugins.channels.rest import CheckedRestInput
from bids_partner.rasa_plugins.stores.errors import ConversationStoreUnavailable

SECRET = "my husband said something cruel"


class FakeStore:
    """Stands in for the tracker store: one stored message id with its replies."""

    def replies_to(
        self, sender_id: str, message_id: str
    ) -> List[Dict[str, Any]] | None:
        if (sender_id, message_id) == ("ana", "m-1"):
            return [{"recipient_id": "ana", "text": "stored reply"}]
        return None


class RestServer:
    """One Sanic app for the module (Sanic compiles its request handler once per
    process), served from a thread; each test sets the Rasa handler it needs."""

    def __init__(self) -> None:
        self.handle: Any = None
        self.loop = asyncio.new_event_loop()
        app = Sanic("rest-channel-test", configure_logging=False)
        app.ctx.agent = SimpleNamespace(tracker_store=FakeStore())

        async def on_new_message(message: UserMessage) -> None:
            await self.handle(message)

        app.blueprint(
            CheckedRestInput().blueprint(on_new_message), url_prefix="/webhooks/rest"
        )
        # Sanic turns port 0 into 8000: a socket bound here gets a free port, so
        # two test runs on one machine do not collide.
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        self.server = self.loop.run_until_complete(
            app.create_server(sock=listener, return_asyncio_server=True)
        )
        self.loop.run_until_complete(self.server.startup())
        port = self.server.server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def server() -> Iterator[RestServer]:
    running = RestServer()
    yield running
    running.stop()


JSON_HEADERS = {"Content-Type": "application/json"}


def post(
    server: RestServer, handle: Any, *bodies: Any
) -> List[Tuple[int, Any, Dict[str, str]]]:
    server.handle = handle
    results = []
    for body in bodies:
        if isinstance(body, bytes):
            response = requests.post(
                server.url, data=body, headers=JSON_HEADERS, timeout=10
            )
        else:
            response = requests.post(server.url, json=body, timeout=10)
        results.append((response.status_code, response.json(), response.headers))
    return results


async def echo(message: UserMessage) -> None:
    await message.output_channel.send_text_message(
        message.sender_id, f"heard {message.message_id}"
    )


def test_a_message_is_handed_to_rasa_and_its_replies_returned(
    server: RestServer,
) -> None:
    seen: List[UserMessage] = []

    async def handle(message: UserMessage) -> None:
        seen.append(message)
        await echo(message)

    [(status, body, _)] = post(
        server, handle, {"sender": "ana", "message": " hello ", "message_id": "m-9"}
    )
    assert status == 200
    assert body == [{"recipient_id": "ana", "text": "heard m-9"}]
    assert seen[0].text == "hello" and seen[0].input_channel == "rest"


@pytest.mark.parametrize(
    "body, status, reason",
    [
        (b"not json", 400, "JSON object"),
        (["a", "list"], 400, "JSON object"),
        ({"sender": "ana"}, 400, "'message' must be a string"),
        ({"sender": "ana", "message": "   "}, 400, "empty"),
        ({"sender": "ana", "message": "x" * 5000}, 413, "too long"),
        ({"sender": "ana", "message": "hi", "message_id": "../x"}, 400, "message_id"),
        ({"sender": "ana", "message": "hi", "metadata": "nope"}, 400, "metadata"),
    ],
)
def test_bad_requests_get_a_clear_4xx(
    server: RestServer, body: Any, status: int, reason: str
) -> None:
    async def must_not_run(message: UserMessage) -> None:
        raise AssertionError("a bad request reached Rasa")

    [(got, answer, _)] = post(server, must_not_run, body)
    assert got == status and reason in answer["error"]


def test_store_down_is_a_503_with_retry_after(server: RestServer) -> None:
    async def store_down(message: UserMessage) -> None:
        raise ConversationStoreUnavailable("down")

    [(status, body, headers)] = post(
        server, store_down, {"sender": "ana", "message": "hi"}
    )
    assert status == 503 and body == {"error": STORE_DOWN_REASON}
    assert int(headers["Retry-After"]) > 0


def test_a_failure_is_a_500_without_the_message_in_the_log(
    server: RestServer, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(message: UserMessage) -> None:
        raise RuntimeError(f"failed on {message.text}")

    caplog.set_level(logging.DEBUG)
    [(status, body, _)] = post(server, broken, {"sender": "ana", "message": SECRET})
    assert status == 500 and "could not handle" in body["error"]
    assert SECRET not in caplog.text


def test_a_retried_message_id_is_answered_from_the_store(server: RestServer) -> None:
    handled: List[str] = []

    async def handle(message: UserMessage) -> None:
        handled.append(message.message_id or "")
        await echo(message)

    results = post(
        server,
        handle,
        {"sender": "ana", "message": "hello", "message_id": "m-1"},
        {"sender": "bo", "message": "hello", "message_id": "m-1"},
    )
    assert results[0][:2] == (200, [{"recipient_id": "ana", "text": "stored reply"}])
    # The same id from another conversation is a new message.
    assert results[1][:2] == (200, [{"recipient_id": "bo", "text": "heard m-1"}])
    assert handled == ["m-1"]


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded"]
)
def test_only_json_is_accepted(server: RestServer, content_type: str | None) -> None:
    """A page on another site can post text/plain or a form without a CORS
    preflight; JSON it cannot, so only JSON reaches the bot."""
    seen: List[UserMessage] = []

    async def handle(message: UserMessage) -> None:
        seen.append(message)

    server.handle = handle
    headers = {"Content-Type": content_type} if content_type else {}
    body = json.dumps({"sender": "x", "message": "share this with my therapist"})
    response = requests.post(server.url, data=body, headers=headers, timeout=10)
    assert (
        response.status_code == 415 and "application/json" in response.json()["error"]
    )
    assert seen == []
    charset = {"Content-Type": "application/json; charset=utf-8"}
    response = requests.post(server.url, data=body, headers=charset, timeout=10)
    assert response.status_code == 200 and len(seen) == 1
