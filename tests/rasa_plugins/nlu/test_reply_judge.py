"""The reply judge finds the line a reply answers from the conversation (the
partner's last line in a rehearsal, the described bid in the showing-up exercise),
judges only there, and refuses a model file it did not write."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bids_partner.contract import PARTNER_MARK, REPLY_JUDGEMENT_KEY
from bids_partner.rasa_plugins.nlu.model_files import ModelFileError
from bids_partner.rasa_plugins.nlu.reply_judge import (
    MODEL_FILE,
    ReplyJudge,
    answered_line,
)
from bids_partner.settings import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
RESOURCE = Resource("reply_judge")


def tracker(events: List[Any]) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", events, DOMAIN.slots)


def in_rehearsal(partner_line: str) -> DialogueStateTracker:
    return tracker(
        [
            ActiveLoop("rehearsal_form"),
            SlotSet("requested_slot", "rehearsal_reply"),
            BotUttered("That turned toward Sam."),
            BotUttered(f"Sam{PARTNER_MARK}{partner_line}"),
        ]
    )


def test_in_a_rehearsal_the_partners_last_line_is_answered() -> None:
    assert answered_line(in_rehearsal("Do you still love me?")) == (
        "Do you still love me?"
    )


def test_in_the_showing_up_exercise_the_described_bid_is_answered() -> None:
    events = [
        ActiveLoop("showing_up_form"),
        SlotSet("su_bid", "she asked me to look at her drawing"),
        SlotSet("requested_slot", "su_reply"),
    ]
    assert answered_line(tracker(events)) == "she asked me to look at her drawing"


@pytest.mark.parametrize(
    "scene, judged", [("contempt_repair", True), ("reassurance", False)]
)
def test_before_the_notes_answer_only_a_scene_the_user_starts_is_judged(
    scene: str, judged: bool
) -> None:
    """A message sent instead of answering "a note after each reply?" may be the
    user's opening in a scene they start: judged against the partner's state."""
    from bids_partner.coaching import load_scenarios

    events = [
        ActiveLoop("rehearsal_form"),
        SlotSet("scenario", scene),
        SlotSet("requested_slot", "rehearsal_feedback"),
    ]
    expected = load_scenarios()[scene].opening if judged else None
    assert answered_line(tracker(events)) == expected


@pytest.mark.parametrize(
    "events",
    [
        [],
        [UserUttered("hi"), BotUttered(f"Sam{PARTNER_MARK}hello")],  # no form
        [ActiveLoop("rehearsal_form"), SlotSet("requested_slot", "scenario")],
        [ActiveLoop("reaching_out_form"), SlotSet("requested_slot", "ro_draft")],
    ],
)
def test_elsewhere_nothing_is_judged(events: List[Any]) -> None:
    assert answered_line(tracker(events)) is None


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    storage = LocalModelStorage(tmp_path_factory.mktemp("models"))
    ReplyJudge.create({}, storage, RESOURCE, context()).train(TrainingData())
    return storage


def judged(storage: LocalModelStorage, text: str, at: Any) -> Dict[str, Any] | None:
    judge = ReplyJudge.load({}, storage, RESOURCE, context())
    [message] = judge.process([Message(data={"text": text})], tracker=at)
    return message.get(REPLY_JUDGEMENT_KEY)


def test_a_loaded_judge_judges_a_rehearsal_reply(storage) -> None:
    found = judged(
        storage, "Of course I do. Come here.", in_rehearsal("Still love me?")
    )
    assert found is not None and found["kind"] == "toward"
    assert judged(storage, "ok", in_rehearsal("Still love me?")) == {"too_short": True}
    assert judged(storage, "Of course I do.", tracker([])) is None


def test_a_model_file_with_other_types_is_refused(storage, tmp_path: Path) -> None:
    import skops.io as sio

    other = LocalModelStorage(tmp_path)
    with other.write_to(RESOURCE) as folder:
        sio.dump({"x": Path("/")}, Path(folder) / MODEL_FILE)
    with pytest.raises(ModelFileError, match="refusing"):
        ReplyJudge.load({}, other, RESOURCE, context())


def test_the_fingerprint_follows_the_replies_data(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("writer: a\nreplies: []\n")
    config = {"replies_dir": str(tmp_path)}  # ROOT / an absolute path is that path
    first = ReplyJudge.fingerprint_addon(config)
    (tmp_path / "a.yml").write_text("writer: a\nreplies: [ ]\n")
    assert ReplyJudge.fingerprint_addon(config) != first


def test_the_second_look_is_trained_only_when_configured() -> None:
    from bids_partner.rasa_plugins.nlu.reply_judge import (
        classifier_for,
        shipped_classifier,
    )

    assert classifier_for({}).with_second_look is False
    assert classifier_for({"with_second_look": True}).with_second_look is True
    assert shipped_classifier().with_second_look is True
