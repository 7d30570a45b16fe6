"""Shared fixtures: a fresh dispatcher, trackers built from small snapshots, and
Debian's chromium driven by Playwright for the browser tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
from playwright.sync_api import Browser, sync_playwright
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


# Playwright cannot download a browser here: Debian's chromium (make browser).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


# Per module: Playwright's sync API keeps an event loop running while it is open,
# which other tests' asyncio.run() would trip over.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()
