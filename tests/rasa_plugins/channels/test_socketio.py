from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bids_partner.coaching import load_chat_service_texts
from bids_partner.rasa_plugins.channels.socketio import (
    DEFAULT_ORIGINS,
    CheckedSocketIOInput,
    SocketIOOutputWithCustom,
    allowed_origins,
    handle_checked,
)
from bids_partner.rasa_plugins.stores.errors import ConversationStoreUnavailable


def test_origins_are_parsed_from_a_comma_separated_list() -> None:
    assert allowed_origins(" http://localhost:8080/ ,http://127.0.0.1:8080,") == [
        "http://localhost:8080",
        "http://127.0.0.1:8080",
    ]
    assert allowed_origins(None) == []


def test_origins_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_ORIGINS", "http://localhost:9000")
    channel = CheckedSocketIOInput.from_credentials({"session_persistence": True})
    assert channel.origins == ["http://localhost:9000"]
    assert channel.session_persistence is True


def test_default_origins_are_the_local_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_ORIGINS", raising=False)
    channel = CheckedSocketIOInput.from_credentials(None)
    assert channel.origins == allowed_origins(DEFAULT_ORIGINS)


def chat_reply(text: str, handler: Callable[[UserMessage], Awaitable[None]]) -> str:
    output = CollectingOutputChannel()
    asyncio.run(handle_checked(UserMessage(text, output, "someone"), handler))
    return "\n".join(m["text"] for m in output.messages)


async def store_down(_: UserMessage) -> None:
    raise ConversationStoreUnavailable("down")


async def answers(message: UserMessage) -> None:
    await message.output_channel.send_text_message(message.sender_id, "reply")


def test_the_chat_says_when_the_conversation_store_is_down() -> None:
    said = chat_reply("hello", store_down)
    assert said == load_chat_service_texts().store_down and "Get help now" in said


def test_checked_messages_reach_rasa_and_bad_ones_get_a_reason() -> None:
    assert chat_reply("hello", answers) == "reply"
    assert chat_reply("   ", answers) == "Sorry, I can't read that: message is empty."


class RecordingSio:
    def __init__(self) -> None:
        self.emitted: list = []

    async def emit(self, event: str, data: object = None, **kwargs: object) -> None:
        self.emitted.append((event, data, kwargs))


def test_a_custom_response_reaches_the_page_as_in_rest() -> None:
    # Rasa's own output passes the dict as emit's keyword arguments: a TypeError
    # that lost the whole turn ("delete this conversation" among them).
    sio = RecordingSio()
    output = SocketIOOutputWithCustom(sio, "bot_uttered")
    asyncio.run(output.send_custom_json("web-1", {"conversation_forgotten": True}))
    assert sio.emitted == [
        ("bot_uttered", {"custom": {"conversation_forgotten": True}}, {"room": "web-1"})
    ]
