from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bids_partner.rasa_plugins.policies.crisis_first import (
    CrisisFirstPolicy,
    next_safety_action,
)
from bids_partner.settings import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


@pytest.mark.parametrize(
    "intent, latest, loop, expected",
    [
        ("crisis", "action_listen", None, "utter_crisis"),
        ("crisis", "action_listen", "rehearsal_form", "action_deactivate_loop"),
        ("crisis", "action_deactivate_loop", None, "utter_crisis"),
        ("crisis", "utter_crisis", None, "action_listen"),
        ("crisis", "action_reflect_move", None, None),
        ("criticism", "action_listen", "rehearsal_form", None),
        (None, "action_listen", None, None),
    ],
)
def test_next_safety_action(intent, latest, loop, expected) -> None:
    assert (
        next_safety_action(intent, latest, loop, "crisis", "utter_crisis") == expected
    )


def policy(tmp_path: Path) -> CrisisFirstPolicy:
    return CrisisFirstPolicy.create(
        CrisisFirstPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("crisis_first"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def tracker_in_form(intent: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "someone",
        [
            ActionExecuted("action_listen"),
            UserUttered("can we practise?", {"name": "start_rehearsal"}),
            ActionExecuted("rehearsal_form"),
            ActiveLoop("rehearsal_form"),
            ActionExecuted("action_listen"),
            UserUttered("some message", {"name": intent, "confidence": 0.9}),
        ],
        slots=DOMAIN.slots,
    )


def test_a_crisis_inside_a_form_leaves_the_form_first(tmp_path: Path) -> None:
    prediction = policy(tmp_path).predict_action_probabilities(
        tracker_in_form("crisis"), DOMAIN
    )
    best = DOMAIN.action_names_or_texts[prediction.max_confidence_index]
    assert best == "action_deactivate_loop" and prediction.max_confidence == 1.0
    # It outranks RulePolicy's "continue the form" (a no-user prediction, 6).
    assert prediction.is_no_user_prediction and prediction.policy_priority > 6


def test_other_messages_are_left_to_the_other_policies(tmp_path: Path) -> None:
    prediction = policy(tmp_path).predict_action_probabilities(
        tracker_in_form("criticism"), DOMAIN
    )
    assert prediction.max_confidence == 0.0
