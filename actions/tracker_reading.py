"""Small readers of the conversation tracker shared by the actions."""

from __future__ import annotations

from rasa_sdk import Tracker


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    """The value of `entity` in the latest user message, if the NLU found one."""
    value = next(tracker.get_latest_entity_values(entity), None)
    return str(value) if value is not None else None
