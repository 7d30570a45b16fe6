"""The tracker sent to the action server leaves out what no action reads from
earlier events, and the actions answer exactly as they do with Rasa's own payload,
over a long conversation of reflections, their follow-ups and buttons."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any, Dict, List

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.reflection import (
    FOLLOWUP_ACTION,
    ActionReflectionFollowup,
    ActionReflectMove,
)
from bids_partner.contract import MOVES
from bids_partner.patches import action_payload

METADATA = {"model_id": "0123456789abcdef", "assistant_id": "bids-practice-partner"}
SAID = "when she came home I kept scrolling and she went quiet, I feel awful"


def user(text: str, intent: str, actor: str = "self") -> UserUttered:
    ranking = [{"name": intent, "confidence": 0.9}] + [
        {"name": move, "confidence": 0.01} for move in MOVES if move != intent
    ]
    entities = [{"entity": "actor", "value": actor, "start": 0, "end": 1}]
    parse_data = {
        "intent": ranking[0],
        "entities": entities,
        "text": text,
        "intent_ranking": ranking,
        "text_tokens": [[0, 4], [5, 8]],
        "risk": {"score": 0.02, "tier": "none"},
    }
    return UserUttered(text, ranking[0], entities, parse_data, metadata=METADATA)


def payloads(events: List[Event]) -> tuple[Dict[str, Any], Dict[str, Any]]:
    """Rasa's own call body for the follow-up action, and the slimmed one."""
    tracker = DialogueStateTracker.from_events("long-talk", events)
    action = RemoteAction(FOLLOWUP_ACTION, EndpointConfig("http://127.0.0.1:1/webhook"))
    domain = Domain.empty()
    return (
        action_payload.ORIGINAL(action, tracker, domain),
        action_payload.action_call_format(action, tracker, domain),
    )


def answer(action: Any, body: Dict[str, Any], seed: int) -> List[Any]:
    random.seed(seed)
    dispatcher = CollectingDispatcher()
    # A round trip through JSON: what the action server receives.
    tracker = Tracker.from_dict(json.loads(json.dumps(body["tracker"])))
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return [dispatcher.messages, events]


def said_by_bot(events: List[Event], messages: List[Dict[str, Any]]) -> None:
    for message in messages:
        data = {"buttons": message["buttons"]} if message.get("buttons") else {}
        events.append(BotUttered(message.get("text"), data, metadata=METADATA))


def test_the_actions_answer_the_slimmed_payload_as_they_answer_rasas() -> None:
    events: List[Event] = [ActionExecuted("action_listen", metadata=METADATA)]
    compared = 0
    for turn in range(36):
        move = MOVES[turn % len(MOVES)]
        events.append(user(SAID, move, actor="self" if turn % 2 else "partner"))
        full, slim = payloads(events)
        assert json.loads(slim.encoded) == json.loads(json.dumps(slim))
        reflected = answer(ActionReflectMove(), full, turn)
        assert answer(ActionReflectMove(), slim, turn) == reflected
        events.append(ActionExecuted("action_reflect_move", metadata=METADATA))
        said_by_bot(events, reflected[0])
        events.append(SlotSet("actor", "self", metadata=METADATA))
        events.append(ActionExecuted(FOLLOWUP_ACTION, metadata=METADATA))
        events.append(ActionExecuted("action_listen", metadata=METADATA))
        events.append(
            user("yes" if turn % 3 else "no", "affirm" if turn % 3 else "deny")
        )
        full, slim = payloads(events)
        followed = answer(ActionReflectionFollowup(), full, turn)
        assert answer(ActionReflectionFollowup(), slim, turn) == followed
        said_by_bot(events, followed[0])
        events.append(ActionExecuted("action_listen", metadata=METADATA))
        compared += 2
    assert compared == 72
    # The buttons an offer carries survive: the follow-up reads them.
    assert any(
        e.get("event") == "bot" and (e.get("data") or {}).get("buttons")
        for e in slim["tracker"]["events"]
    )
    assert len(json.dumps(slim)) < 0.5 * len(json.dumps(full))


def test_the_latest_message_and_what_follows_go_as_rasa_sends_them() -> None:
    events: List[Event] = [
        ActionExecuted("action_listen", metadata=METADATA),
        user("first", "bid"),
        BotUttered("hello", {}, metadata=METADATA),
        ActionExecuted("action_listen", metadata=METADATA),
        user("second", "turning_toward"),
        SlotSet("rehearsal_reply", "second", metadata=METADATA),
    ]
    full, slim = payloads(events)
    full_events, slim_events = full["tracker"]["events"], slim["tracker"]["events"]
    assert len(slim_events) == len(full_events)
    assert slim_events[-2:] == full_events[-2:]
    assert "intent_ranking" in slim_events[-2]["parse_data"]
    first = next(e for e in slim_events if e.get("text") == "first")
    assert set(first["parse_data"]) == {"intent", "entities", "text", "message_id"}
    assert all("metadata" not in e for e in slim_events[:-2])
    assert "data" not in slim_events[2]
    assert slim["tracker"]["latest_message"] == full["tracker"]["latest_message"]


def test_apart_from_the_events_the_request_is_rasas_and_a_second_call_agrees() -> None:
    events: List[Event] = [ActionExecuted("action_listen", metadata=METADATA)]
    for turn in range(6):
        events += [
            user(f"message {turn}", MOVES[turn % len(MOVES)]),
            ActionExecuted("action_reflect_move", metadata=METADATA),
            BotUttered(f"reply {turn}", {"buttons": [{"title": "Yes"}]}),
            SlotSet("actor", "self", metadata=METADATA),
            ActionExecuted("action_listen", metadata=METADATA),
        ]
    tracker = DialogueStateTracker.from_events("long-talk", events)
    action = RemoteAction(FOLLOWUP_ACTION, EndpointConfig("http://127.0.0.1:1/webhook"))
    domain = Domain.empty()
    full = action_payload.ORIGINAL(action, tracker, domain)
    first = action_payload.action_call_format(action, tracker, domain)
    second = action_payload.action_call_format(action, tracker, domain)  # cached
    expected = action_payload.slim_events(full["tracker"]["events"])
    assert first["tracker"]["events"] == second["tracker"]["events"] == expected
    for request in (first, second):
        assert json.loads(request.encoded) == json.loads(json.dumps(request))
        assert {**request, "tracker": None} == {**full, "tracker": None}
        assert {**request["tracker"], "events": None} == {
            **full["tracker"],
            "events": None,
        }


def test_a_conversation_without_a_user_message_is_sent_whole() -> None:
    full, slim = payloads([ActionExecuted("action_listen", metadata=METADATA)])
    assert slim == full
