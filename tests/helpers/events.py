"""Tracker events in the shape rasa_sdk receives them."""

from __future__ import annotations

from typing import Any, Dict, List


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
