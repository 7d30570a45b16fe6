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
        ("crisis", "utter_safety_question", None, None),
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


def best_action(tmp_path: Path, tracker: DialogueStateTracker) -> str | None:
    prediction = policy(tmp_path).predict_action_probabilities(tracker, DOMAIN)
    if prediction.max_confidence == 0.0:
        return None
    return DOMAIN.action_names_or_texts[prediction.max_confidence_index]


def unsure_in_form() -> list:
    """A message the safety layer is unsure of, in the middle of a rehearsal."""
    return [
        ActionExecuted("action_listen"),
        UserUttered("can we practise?", {"name": "start_rehearsal"}),
        ActionExecuted("rehearsal_form"),
        ActiveLoop("rehearsal_form"),
        ActionExecuted("action_listen"),
        UserUttered(
            "some message",
            {"name": "crisis", "confidence": 1.0},
            entities=[{"entity": "safety_tier", "value": "check"}],
        ),
    ]


def test_an_unsure_message_gets_the_gentle_question(tmp_path: Path) -> None:
    events = unsure_in_form()
    tracker = DialogueStateTracker.from_events("a", events, slots=DOMAIN.slots)
    assert best_action(tmp_path, tracker) == "action_deactivate_loop"
    events += [ActionExecuted("action_deactivate_loop"), ActiveLoop(None)]
    tracker = DialogueStateTracker.from_events("a", events, slots=DOMAIN.slots)
    assert best_action(tmp_path, tracker) == "utter_safety_question"
    events.append(ActionExecuted("utter_safety_question"))
    tracker = DialogueStateTracker.from_events("a", events, slots=DOMAIN.slots)
    assert best_action(tmp_path, tracker) == "action_listen"


def answered(answer: str, then: str) -> DialogueStateTracker:
    events = unsure_in_form() + [
        ActionExecuted("action_deactivate_loop"),
        ActiveLoop(None),
        ActionExecuted("utter_safety_question"),
        ActionExecuted("action_listen"),
        UserUttered(f"/{answer}", {"name": answer, "confidence": 1.0}),
        ActionExecuted(then),
    ]
    return DialogueStateTracker.from_events("a", events, slots=DOMAIN.slots)


def test_yes_after_the_question_resumes_the_paused_form(tmp_path: Path) -> None:
    assert best_action(tmp_path, answered("affirm", "utter_safe_to_go_on")) == (
        "rehearsal_form"
    )


def test_no_form_to_resume_means_listening(tmp_path: Path) -> None:
    events = [
        ActionExecuted("action_listen"),
        UserUttered(
            "x",
            {"name": "crisis"},
            entities=[{"entity": "safety_tier", "value": "check"}],
        ),
        ActionExecuted("utter_safety_question"),
        ActionExecuted("action_listen"),
        UserUttered("/affirm", {"name": "affirm"}),
        ActionExecuted("utter_safe_to_go_on"),
    ]
    tracker = DialogueStateTracker.from_events("a", events, slots=DOMAIN.slots)
    assert best_action(tmp_path, tracker) == "action_listen"


def test_no_after_the_question_is_left_to_the_rules(tmp_path: Path) -> None:
    # data/rules/safety.yml answers "no" and "not sure" with utter_crisis_not_safe.
    assert best_action(tmp_path, answered("deny", "action_listen")) is None
