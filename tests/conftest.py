"""Shared fixtures: a fresh dispatcher, trackers built from small snapshots, and
Debian's chromium for the browser tests (helpers live in tests/helpers/)."""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, Iterator, List

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bids_partner.settings import QUIET_ENV
from tests.helpers.browser import launched_chromium
from tests.helpers.events import user_event

# Before any test imports Rasa or TensorFlow: no telemetry, less noise.
os.environ.update(QUIET_ENV)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


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
        parse_data: Dict[str, Any] | None = None,
    ) -> Tracker:
        latest = user_event(text, intent, entities, message_id)
        # What NLU components add to the parse data (a concept, a judgement).
        latest["parse_data"].update(parse_data or {})
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


# Per module: Playwright's sync API keeps an event loop running while it is open,
# which other tests' asyncio.run() would trip over.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as launched:
        yield launched
