"""Shared fixtures: a fresh dispatcher, and trackers built from small snapshots."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def user_event(
    text: str,
    intent: str,
    entities: List[Dict[str, Any]] | None = None,
    message_id: str | None = None,
) -> Dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "message_id": message_id,
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": 0.95},
            "intent_ranking": [{"name": intent, "confidence": 0.95}],
            "entities": entities or [],
            "message_id": message_id,
        },
    }


def bot_event(text: str) -> Dict[str, Any]:
    return {"event": "bot", "text": text}


@pytest.fixture
def make_tracker() -> Callable[..., Tracker]:
    """Tracker.from_dict for a conversation whose last user turn is given."""

    def make(
        text: str,
        intent: str,
        entities: List[Dict[str, Any]] | None = None,
        slots: Dict[str, Any] | None = None,
        history: List[Dict[str, Any]] | None = None,
        message_id: str | None = None,
    ) -> Tracker:
        latest = user_event(text, intent, entities, message_id)
        return Tracker.from_dict(
            {
                "sender_id": "test-user",
                "slots": slots or {},
                "latest_message": latest["parse_data"],
                "events": [*(history or []), latest],
                "paused": False,
                "followup_action": None,
                "active_loop": {},
                "latest_action_name": "action_listen",
            }
        )

    return make
