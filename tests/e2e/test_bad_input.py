"""Bad input gets a clear 4xx or a graceful reply; the server and the store survive."""

import uuid

import pytest
import requests

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def earlier_conversation(assistant) -> tuple:
    sender = f"keep-{uuid.uuid4().hex[:8]}"
    assistant.texts(sender, "hello")
    assistant.texts(sender, "she says i'm lazy and it hurts")
    return sender, assistant.stored_events(sender)


def raw_post(assistant, body: bytes) -> requests.Response:
    return requests.post(
        f"{assistant.url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"\xff\xfe\x00binary",
        b"[1, 2, 3]",
        b'"just a string"',
        b'{"sender": "x"}',
        b'{"message": "hi"}',
        b'{"sender": "x", "message": 42}',
        b'{"sender": "x", "message": "   "}',
        b'{"sender": "x", "message": "\\u0000\\u0007"}',
        b'{"sender": "x", "message": "hi", "metadata": "nope"}',
    ],
)
def test_malformed_requests_get_400(assistant, earlier_conversation, body) -> None:
    response = raw_post(assistant, body)
    assert response.status_code == 400
    assert "error" in response.json()


def test_100_kb_message_is_refused_with_413(assistant, earlier_conversation) -> None:
    response = assistant.post({"sender": "big", "message": "a" * 100_000})
    assert response.status_code == 413
    assert "too long" in response.json()["error"]


@pytest.mark.parametrize(
    "text",
    ["😢😢😢", "🙂", "\u200b\u200bhello\u200b", "אני מרגיש בודד", "he left\x07 again"],
)
def test_odd_but_valid_messages_get_a_reply(
    assistant, earlier_conversation, text
) -> None:
    replies = assistant.say(f"odd-{uuid.uuid4().hex[:6]}", text)
    assert replies and all(r.get("text") for r in replies)


def test_earlier_conversation_is_intact_and_server_alive(
    assistant, earlier_conversation
) -> None:
    # Runs after the bad requests above (file order), checks nothing was lost.
    sender, before = earlier_conversation
    assert assistant.stored_events(sender) == before
    assert len([e for e in before if e["type_name"] == "user"]) == 2
    assert assistant.stack.dead() is None
    assert assistant.texts(sender, "bye")
