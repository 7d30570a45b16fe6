"""A tracker's copy taken from its state is the copy Rasa makes by replaying every
event, on conversations with forms, undos, restarts and sessions, and changing
the copy leaves the original as it was."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    ConversationResumed,
    LoopInterrupted,
    SlotSet,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bids_partner.patches import tracker_copy
from tests.patches.test_history_cache import ALL, DOMAIN, fresh


def everything(tracker: DialogueStateTracker) -> Dict[str, Any]:
    return {
        "state": tracker.current_state(EventVerbosity.ALL),
        "slots": {n: (s.value, s.has_been_set) for n, s in tracker.slots.items()},
        "latest_message": tracker.latest_message,
        "latest_bot_utterance": tracker.latest_bot_utterance,
        "applied": tracker.applied_events(),
        "ids": (tracker.model_id, tracker.assistant_id, tracker.sender_source),
        "rule": (tracker.is_rule_tracker, tracker._max_event_history),
    }


@pytest.mark.parametrize("name", list(ALL))
def test_every_prefix_copies_as_rasas_replay_does(name: str) -> None:
    events = ALL[name]
    for end in range(1, len(events) + 1, 3):
        tracker = fresh(events[:end])
        tracker.model_id = "model"
        assert everything(tracker_copy.state_copy(tracker)) == everything(
            tracker_copy.ORIGINAL(tracker)
        ), (name, end)


@pytest.mark.parametrize(
    "pauses", [[ConversationPaused()], [ConversationPaused(), ConversationResumed()]]
)
def test_a_paused_conversation_copies_as_rasas_replay_does(pauses: list) -> None:
    tracker = fresh(ALL["plain turns with slots set and reset"] + pauses)
    copied = everything(tracker_copy.state_copy(tracker))
    assert copied == everything(tracker_copy.ORIGINAL(tracker))
    assert copied["state"]["paused"] is (len(pauses) == 1)


def test_changing_the_copy_leaves_the_original() -> None:
    tracker = fresh(ALL["a form with an unhappy path, twice"][:9])
    assert tracker.active_loop_name == "practice_form"
    before = everything(tracker)
    clone = tracker_copy.state_copy(tracker)
    clone.update_with_events(
        [
            SlotSet("want", "something else"),
            LoopInterrupted(True),
            ActionExecuted("action_reflect"),
            ActiveLoop(None),
        ],
        DOMAIN,
    )
    assert clone.get_slot("want") == "something else"
    assert everything(tracker) == before
