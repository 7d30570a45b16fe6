"""The action server killed mid-conversation: the person gets a graceful reply,
the crisis reply still works, nothing stored is lost, and the conversation goes on
once the action server is back. (Database faults: test_scale_out.py.)"""

from __future__ import annotations

import os
import signal
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest
import yaml

from benchmarks.safety_in_context import CONTEXTS, is_safety_reply
from bids_partner.settings import ROOT

pytestmark = pytest.mark.stack

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
APOLOGY = DOMAIN["responses"]["coach_unavailable"][0]["text"]


def sender() -> str:
    return f"faults-{uuid.uuid4().hex[:10]}"


@contextmanager
def action_server_killed(assistant) -> Iterator[None]:
    """SIGKILL (no clean shutdown) for the block, then a fresh action server."""
    actions = assistant.stack.actions
    os.killpg(actions.process.pid, signal.SIGKILL)
    actions.process.wait(10)
    try:
        yield
    finally:
        actions.start()
        actions.wait_until_ready(60)


@pytest.mark.parametrize("opening", ["reflection", "rehearsal", "reaching-out-form"])
def test_a_killed_action_server_gets_a_graceful_reply(assistant, opening: str) -> None:
    who = sender()
    for step in CONTEXTS[opening]:
        assert assistant.texts(who, step)
    before = assistant.stored_events(who)
    with action_server_killed(assistant):
        # A move the coach reflects (withdrawal, 0.72), so the action server is
        # needed. "she ignored me when I told her about my day" was read as a bid
        # (0.39) until data/nlu/moments/, and then met with the fallback.
        reply = assistant.texts(
            who, "she kept scrolling her phone when I told her about my day"
        )
        assert reply == APOLOGY
        assert is_safety_reply(assistant.texts(who, "i want to end my life"))
    stored = assistant.stored_events(who)
    assert stored[: len(before)] == before  # nothing already stored changed
    said = [row for row in stored[len(before) :] if row["type_name"] == "user"]
    assert len(said) == 2  # both messages were kept


def test_the_conversation_goes_on_when_the_action_server_is_back(assistant) -> None:
    who = sender()
    first = assistant.texts(who, "he never listens to me")
    assert first and first != APOLOGY
    with action_server_killed(assistant):
        assert assistant.texts(who, "he never listens to me") == APOLOGY
    again = assistant.texts(who, "he never listens to me")
    assert again and again != APOLOGY
