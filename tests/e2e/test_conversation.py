"""A first conversation through the running stack, checked in the tracker store."""

import stat
import uuid
from pathlib import Path

import pytest
import requests
import yaml

from actions.reflection import reflection_options
from bids_partner.coaching import load_reflections
from bids_partner.settings import ROOT

pytestmark = pytest.mark.stack


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:8]}"


def test_the_api_token_is_not_in_any_command_line(assistant) -> None:
    """/proc/PID/cmdline is world-readable: the secret travels in the environment."""
    pids = [p.process.pid for p in assistant.stack.processes if p.process]
    assert len(pids) == 3
    for pid in pids:
        command_line = Path(f"/proc/{pid}/cmdline").read_bytes()
        assert assistant.token.encode() not in command_line
    rasa = Path(f"/proc/{assistant.stack.rasa.process.pid}/cmdline").read_bytes()
    assert b"bids_partner.stack.rasa_server" in rasa
    # And the API is on, with that token.
    assert assistant.parse("hello")["text"] == "hello"


def test_greet_reflect_goodbye_lands_in_sqlite(assistant) -> None:
    sender = new_sender()
    greeting = assistant.texts(sender, "hi there")
    assert "practice" in greeting and "not a crisis service" in greeting

    said = "my wife rolls her eyes at me when i talk"
    reply = assistant.texts(sender, said)
    # No feeling word in it: the partner-side texts with their guessed feelings.
    options = reflection_options(
        load_reflections(), "contempt", "partner", "wife", [], said
    )
    expected = [option.text for option in options]
    assert expected
    # From the custom action, in the user's words, then a check-in; a partner's
    # contempt gets the gentle question about safety and respect instead.
    assert any(reply.startswith(text + " ") for text in expected), reply
    assert "safe" in reply[-200:] and reply.rstrip().endswith("?")

    assert "Take care" in assistant.texts(sender, "bye, thanks for today")

    # The tracker database holds people's words: the owner's to read only.
    assert stat.S_IMODE(assistant.db_path.stat().st_mode) == 0o600
    events = assistant.stored_events(sender)
    user_intents = [e["intent_name"] for e in events if e["type_name"] == "user"]
    assert user_intents == ["greet", "contempt", "goodbye"]
    actions = [e["action_name"] for e in events if e["type_name"] == "action"]
    assert "action_reflect_move" in actions
    assert sum(e["type_name"] == "bot" for e in events) == 3


def test_actor_and_partner_word_are_remembered(assistant) -> None:
    sender = new_sender()
    assistant.texts(sender, "my boyfriend walks out whenever we argue")
    reply = assistant.texts(sender, "he never listens to me")
    assert "your boyfriend" in reply  # the partner word carried over


def test_crisis_reply_is_served_from_the_domain(assistant) -> None:
    reply = assistant.texts(new_sender(), "i want to kill myself")
    assert "988" in reply and "1-800-799-7233" in reply and "911" in reply
    # Immediate danger first; then what to do when afraid of hurting someone (a
    # child included), and outside the US.
    assert reply.index("911") < reply.index("988")
    assert "step away" in reply and "1-800-422-4453" in reply
    assert "local emergency number" in reply and "findahelpline.com" in reply


def test_out_of_scope_gets_the_out_of_scope_or_fallback_reply(assistant) -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    # A new conversation names nobody yet: the variations without {partner_role}.
    allowed = {
        " ".join(variation["text"].split())
        for name in ("utter_out_of_scope", "utter_default")
        for variation in domain[name]
        if "{partner_role}" not in variation["text"]
    }
    reply = assistant.texts(new_sender(), "what's the weather in paris tomorrow")
    assert " ".join(reply.split()) in allowed


def test_http_api_requires_the_token(assistant) -> None:
    url = f"{assistant.url}/conversations/anyone/tracker"
    assert requests.get(url, timeout=10).status_code in (401, 403)
    ok = requests.get(url, params={"token": assistant.token}, timeout=10)
    assert ok.status_code == 200
