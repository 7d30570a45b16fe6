"""Finds an event class by its type name from a table instead of a class walk.

Rasa's `Event.resolve_by_type` walks every subclass of `Event` (and checks each
for abstract methods) for each stored event it reads back: 8% of a turn's time,
growing with the length of the conversation. Names found once are remembered;
anything else goes to Rasa's own lookup, so unknown names fail as before.
"""

from __future__ import annotations

from typing import Dict, Type

from rasa.shared.core.events import Event

ORIGINAL = Event.resolve_by_type
_FOUND: Dict[str, Type[Event]] = {}


def resolve_by_type(
    type_name: str, default: Type[Event] | None = None
) -> Type[Event] | None:
    found = _FOUND.get(type_name)
    if found is not None:
        return found
    resolved = ORIGINAL(type_name, default)
    # Only a real match is remembered: `default` depends on the caller.
    if resolved is not None and resolved is not default:
        _FOUND[type_name] = resolved
    return resolved


def apply() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)
