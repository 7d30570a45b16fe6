"""No in-memory fallback around a store that must not lose conversations.

Rasa's agent wraps every tracker store in a FailSafeTrackerStore which, when the
database fails, answers as if the conversation were new and keeps it in memory:
silent data loss for conversations people expect to find again. A store class
that sets `keeps_no_memory_fallback = True` is used as it is; any other store
keeps Rasa's wrapper.
"""

from __future__ import annotations

from typing import Any

from rasa.core.agent import Agent
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain

ORIGINAL = Agent._create_tracker_store


def create_tracker_store(store: TrackerStore | None, domain: Domain) -> Any:
    if getattr(store, "keeps_no_memory_fallback", False):
        store.domain = domain
        return store
    return ORIGINAL(store, domain)


def apply() -> None:
    Agent._create_tracker_store = staticmethod(create_tracker_store)
