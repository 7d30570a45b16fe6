"""Judges a reply to the partner against the partner's line it answers.

In a rehearsal (and in the showing-up exercise) what matters is what the reply does
to the partner's bid, not which move the sentence makes on its own. The NLU graph
hands this component the conversation so far (Rasa passes the tracker to any
component whose `process` asks for it), so it can find the line being answered:
the partner's last line in a rehearsal, the bid the user described in the
showing-up exercise. Elsewhere it does nothing. It adds `reply_judgement` to the
parse data: the kind, its confidence, the ranking, whether the reply was too short
to judge, and the sentence that did the turning.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bids_partner.coaching import load_scenarios
from bids_partner.contract import (
    PARTNER_LINE_PATTERN,
    REHEARSAL_FEEDBACK_SLOT,
    REHEARSAL_FORM,
    REHEARSAL_REPLY_SLOT,
    REPLY_JUDGEMENT_KEY,
    SCENARIO_SLOT,
    SHOWING_UP_BID_SLOT,
    SHOWING_UP_FORM,
    SHOWING_UP_REPLY_SLOT,
)
from bids_partner.language.replies import ASK_WHEN_AGAINST, ReplyClassifier, judge
from bids_partner.language.reply_data import load_replies
from bids_partner.language.sentence_encoder import ENCODER_MODULES
from bids_partner.language.text_features import embed
from bids_partner.rasa_plugins.nlu import model_files
from bids_partner.settings import ROOT, pipeline_options

MODEL_FILE = "reply_classifier.skops"
# The modules whose code decides what the judge learns (its fingerprint).
LEARNS_WITH = (
    "bids_partner.language.sparse_models",
    "bids_partner.language.replies",
    "bids_partner.language.reply_data",
    "bids_partner.language.text_features",
    "bids_partner.language.own_need",
    *ENCODER_MODULES,
)
EXPECTED_TYPE_PREFIXES = ("numpy.", "scipy.sparse.", "sklearn.", "bids_partner.")
PARTNER_LINE = re.compile(PARTNER_LINE_PATTERN)


def answered_line(tracker: DialogueStateTracker | None) -> str | None:
    """The partner's line the next user message answers, or None outside the
    moments where a reply to the partner is expected."""
    if tracker is None:
        return None
    loop = tracker.active_loop_name
    requested = tracker.get_slot("requested_slot")
    if loop == REHEARSAL_FORM and requested == REHEARSAL_REPLY_SLOT:
        for event in reversed(tracker.events):
            if isinstance(event, BotUttered) and event.text:
                match = PARTNER_LINE.match(event.text)
                if match:
                    return event.text[match.end() :]
        return None
    if loop == REHEARSAL_FORM and requested == REHEARSAL_FEEDBACK_SLOT:
        # In a scene the user starts, a message sent instead of answering the
        # notes question is often the opening itself: judged, so it is not lost.
        scenario = load_scenarios().get(str(tracker.get_slot(SCENARIO_SLOT)))
        return scenario.opening if scenario and scenario.starts == "user" else None
    if loop == SHOWING_UP_FORM and requested == SHOWING_UP_REPLY_SLOT:
        bid = tracker.get_slot(SHOWING_UP_BID_SLOT)
        return bid if isinstance(bid, str) and bid.strip() else None
    return None


def classifier_for(config: Dict[str, Any]) -> ReplyClassifier:
    """An untrained classifier as this component's options (its defaults, then
    config.yml's) ask: what `rasa train` fits, and what the tests judge with."""
    config = {**ReplyJudge.get_default_config(), **config}
    own_need = config.get("also_needs_dir")
    return ReplyClassifier(
        C=config["C"],
        seed=config["random_state"],
        with_second_look=config["with_second_look"],
        own_need_dir=str(ROOT / own_need) if own_need else None,
    )


def shipped_classifier() -> ReplyClassifier:
    """An untrained classifier as config.yml's ReplyJudge asks (for the tests and
    benchmarks that judge as the assistant does)."""
    return classifier_for(pipeline_options(ReplyJudge.__name__))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class ReplyJudge(GraphComponent):
    """Trained on the labelled replies in `replies_dir` (data/replies/)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "replies_dir": "data/replies",
            # Labels of the toward replies that also say the user's own need
            # (none: the clauses' reach readings say it).
            "also_needs_dir": "data/replies/also_needs",
            "C": 10.0,
            "random_state": 42,
            "ask_when_against": ASK_WHEN_AGAINST,
            "with_second_look": False,
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> str | None:
        # The replies are read from disk, not from Rasa's training data: a change
        # to them, or to how they are learnt, must retrain this component instead
        # of restoring it from cache.
        data = model_files.folders_digest(
            ROOT / config.get("replies_dir", "data/replies"),
            ROOT / config.get("also_needs_dir", "data/replies/also_needs"),
        )
        return f"{data}/{model_files.code_digest(__name__, *LEARNS_WITH)}"

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: ReplyClassifier | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.classifier = classifier

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ReplyJudge:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        replies = load_replies(ROOT / self.config["replies_dir"])
        self.classifier = classifier_for(self.config).fit(replies)
        model_files.save(
            self._model_storage, self._resource, MODEL_FILE, self.classifier
        )
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ReplyJudge:
        classifier = model_files.load(
            model_storage, resource, MODEL_FILE, EXPECTED_TYPE_PREFIXES, cls.__name__
        )
        if classifier.features.with_encoder:
            # Loaded with the server, not on the first rehearsal reply (and counted
            # in the server's start-up time and memory).
            embed(["warm up"])
        return cls(config, model_storage, resource, classifier)

    def process(
        self, messages: List[Message], tracker: DialogueStateTracker | None = None
    ) -> List[Message]:
        partner = answered_line(tracker)
        if partner is None or self.classifier is None:
            return messages
        for message in messages:
            text: str = message.get(TEXT) or ""
            if text and not text.startswith("/"):
                message.set(
                    REPLY_JUDGEMENT_KEY,
                    judge(
                        self.classifier,
                        partner,
                        text,
                        float(self.config["ask_when_against"]),
                    ),
                    add_to_output=True,
                )
        return messages
