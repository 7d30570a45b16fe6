"""500 requests at once, 10 per conversation: every one is answered, and each
conversation is stored whole, once, one complete turn after the other."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

import aiohttp
import pytest

from bids_partner.settings import SERVER_BACKLOG

pytestmark = pytest.mark.stack

CONVERSATIONS = 50
MESSAGES_EACH = 10
# A busy 2-core machine (CI with a benchmark beside it) took over two minutes.
TIMEOUT = 300.0

# Ordinary lines the assistant understands (data/nlu), none of them a crisis and
# none starting a form, so every one gets a reply of its own.
LINES = [
    "you never listen to me",
    "I miss you",
    "what is a bid?",
    "thanks",
    "my wife rolls her eyes at me when i talk",
    "she says i'm lazy and it hurts",
    "he walks out whenever we argue",
    "hello",
    "my husband is always on his phone at dinner",
    "what does turning toward mean?",
]

Reply = Tuple[int, List[Dict[str, Any]] | str]


def conversation_texts(number: int) -> List[str]:
    """Ten distinct lines, "(number.index)" tagged so each can be found again."""
    return [
        f"{LINES[(number + index) % len(LINES)]} ({number}.{index})"
        for index in range(MESSAGES_EACH)
    ]


async def post(
    session: aiohttp.ClientSession, url: str, sender: str, text: str
) -> Reply:
    async with session.post(url, json={"sender": sender, "message": text}) as response:
        body = await response.text()
        try:
            return response.status, json.loads(body)
        except ValueError:
            return response.status, body[:200]


async def burst(
    url: str, messages: List[Tuple[str, str]]
) -> Tuple[List[Reply | BaseException], float]:
    connector = aiohttp.TCPConnector(limit=len(messages))
    timeout = aiohttp.ClientTimeout(total=TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        replies = await asyncio.gather(
            *(post(session, url, sender, text) for sender, text in messages),
            return_exceptions=True,
        )
        return replies, time.perf_counter() - started


def turns(events: List[Dict[str, Any]]) -> List[List[Dict[str, Any]]]:
    """The events split before each user event; the first part is the session start."""
    parts: List[List[Dict[str, Any]]] = [[]]
    for event in events:
        if event["type_name"] == "user":
            parts.append([])
        parts[-1].append(event)
    return parts


def text_of(event: Dict[str, Any]) -> str | None:
    return json.loads(event["data"]).get("text")


@dataclass
class Burst:
    conversations: Dict[str, List[str]]  # sender -> the texts it sent
    messages: List[Tuple[str, str]]  # (sender, text), in sending order
    replies: List[Reply | BaseException]
    elapsed: float
    events: Dict[str, List[Dict[str, Any]]]  # sender -> stored events, afterwards


@pytest.fixture(scope="module")
def sent(assistant) -> Burst:
    run = uuid.uuid4().hex[:8]
    conversations = {
        f"burst-{run}-{number:02d}": conversation_texts(number)
        for number in range(CONVERSATIONS)
    }
    messages = [(s, text) for s, texts in conversations.items() for text in texts]
    replies, elapsed = asyncio.run(
        burst(f"{assistant.url}/webhooks/rest/webhook", messages)
    )
    events = {sender: assistant.stored_events(sender) for sender in conversations}
    return Burst(conversations, messages, replies, elapsed, events)


def answered(reply: Reply | BaseException) -> bool:
    return (
        not isinstance(reply, BaseException)
        and reply[0] == 200
        and isinstance(reply[1], list)
        and any(m.get("text") for m in reply[1])
    )


def test_every_request_gets_a_reply(sent: Burst, capsys) -> None:
    with capsys.disabled():
        print(
            f"\nburst: {len(sent.messages)} requests at once "
            f"({CONVERSATIONS} conversations x {MESSAGES_EACH}), "
            f"all answered after {sent.elapsed:.1f} s"
        )
    tally = Counter(
        type(r).__name__ if isinstance(r, BaseException) else r[0] for r in sent.replies
    )
    unanswered = [
        (sender, text, reply)
        for (sender, text), reply in zip(sent.messages, sent.replies)
        if not answered(reply)
    ]
    assert not unanswered, f"tally {dict(tally)}; first: {unanswered[:5]}"


def test_each_message_is_stored_once(sent: Burst) -> None:
    for sender, texts in sent.conversations.items():
        stored = [text_of(e) for e in sent.events[sender] if e["type_name"] == "user"]
        assert sorted(stored) == sorted(texts), sender


def test_no_event_is_stored_twice(sent: Burst) -> None:
    # The data column holds the event with its timestamp: equal rows are copies.
    twice = {
        sender: [
            f"{json.loads(d)['event']} {json.loads(d).get('name') or ''}"
            for d, n in Counter(e["data"] for e in events).items()
            if n > 1
        ]
        for sender, events in sent.events.items()
    }
    twice = {sender: copies for sender, copies in twice.items() if copies}
    assert not twice, (
        f"{len(twice)} of {CONVERSATIONS} conversations have events stored more "
        f"than once, e.g. {next(iter(twice.items()))}"
    )


def test_turns_are_whole_and_not_interleaved(sent: Burst) -> None:
    answers = {
        message: [m["text"] for m in reply[1] if m.get("text")]
        for message, reply in zip(sent.messages, sent.replies)
        if answered(reply)
    }
    for sender, events in sent.events.items():
        # Copies of a row are test_no_event_is_stored_twice's business.
        unique = list({e["data"]: e for e in events}.values())
        session_start, *user_turns = turns(unique)
        assert session_start and not any(e["type_name"] == "bot" for e in session_start)
        assert len(user_turns) == MESSAGES_EACH, sender
        for turn in user_turns:
            said = text_of(turn[0])
            actions = [e["action_name"] for e in turn if e["type_name"] == "action"]
            # A turn ends by listening, once: another turn cut in otherwise.
            assert actions and actions[-1] == "action_listen", (sender, said, actions)
            assert actions.count("action_listen") == 1, (sender, said, actions)
            # The reply stored after this message is the one its request got back.
            bot = [text_of(e) for e in turn if e["type_name"] == "bot"]
            assert [text for text in bot if text] == answers[(sender, said)], (
                sender,
                said,
            )


def test_the_server_queues_a_whole_burst_of_connections(assistant) -> None:
    # A listening socket's Send-Q in `ss` is its backlog. Sanic's default of 100
    # let a busy server reset some of the 500 connections of the burst.
    port = assistant.stack.config.rasa_port
    listening = subprocess.run(
        ["ss", "-ltnH", f"sport = :{port}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert int(listening[2]) >= int(SERVER_BACKLOG) >= 2 * CONVERSATIONS * MESSAGES_EACH
