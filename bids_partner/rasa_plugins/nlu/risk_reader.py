"""Scores a message for risk, alone and read together with the recent turns.

The classifier (language/risk.py) is trained on the labelled messages of
data/safety/, on the intents' examples (the crisis intent's as risk, the others
as ordinary talk), and on the rehearsal replies and the moments described in the
showing-up exercise of data/replies/ (ordinary talk).
Risk can build over several messages ("nobody would notice if I was gone" ...
"i keep thinking about the tracks"), so the user's last few messages since the
assistant last answered a risk are also read as one text. The scores go to the
parse data under `risk`; the CrisisMatcher after this component decides what the
assistant does with them.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bids_partner.contract import (
    RISK_KEY,
    SAFETY_RESPONSES,
    intent_classifier_only,
)
from bids_partner.language.risk import (
    NONE,
    ORDINARY,
    UNSPECIFIED,
    LabelledRisk,
    RiskClassifier,
    join_turns,
    load_safety,
    training_items,
)
from bids_partner.language.sentence_encoder import ENCODER_MODULES
from bids_partner.language.text_features import (
    embed,
    read_whole_by_the_encoder,
    sentences,
    windows_the_encoder_reads,
)
from bids_partner.rasa_plugins.nlu import model_files, sentence_embedding
from bids_partner.settings import ROOT

MODEL_FILE = "risk_classifier.skops"
# The modules whose code decides what the classifier learns (its fingerprint).
LEARNS_WITH = (
    "bids_partner.language.sparse_models",
    "bids_partner.language.risk",
    "bids_partner.language.risk_shapes",
    # Not the judge's code (language/replies.py): only the replies' loading.
    "bids_partner.language.reply_data",
    "bids_partner.language.text_features",
    *ENCODER_MODULES,
)
EXPECTED_TYPE_PREFIXES = ("numpy.", "scipy.sparse.", "sklearn.", "bids_partner.")
CRISIS_INTENT = "crisis"
# Each turn read together with the others is cut to its last characters: risk that
# builds is told in short messages, and a long one is read whole on its own (a
# turn's cost grows with the text: 4,000 characters take ~40 ms, three ~110 ms).
CONTEXT_CHARS_PER_TURN = 500


def newest_turns_the_encoder_reads(turns: List[str]) -> str:
    """The turns joined, the oldest left out until the encoder reads them whole:
    it reads a text's first tokens only, and the newest turn, the message being
    read, is the one the recent turns are read for (whatever its length, it is
    kept)."""
    for start in range(len(turns) - 1):
        joined = join_turns(turns[start:])
        if read_whole_by_the_encoder(joined):
            return joined
    return join_turns(turns[-1:])


def recent_user_texts(tracker: DialogueStateTracker | None, turns: int) -> List[str]:
    """The user's last `turns` typed messages, oldest first, since the session
    started or the assistant last answered a risk."""
    if tracker is None or turns <= 0:
        return []
    found: List[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        if isinstance(event, ActionExecuted) and event.action_name in SAFETY_RESPONSES:
            break
        if isinstance(event, UserUttered):
            text = event.text or ""
            if text.strip() and not text.startswith("/"):
                found.append(text)
                if len(found) == turns:
                    break
    return found[::-1]


def nlu_examples(training_data: TrainingData) -> List[LabelledRisk]:
    """The intents' examples: the crisis intent's as risk of no named category,
    every other intent's as the ordinary talk of the assistant."""
    return [
        LabelledRisk(m.get(TEXT), "clear", UNSPECIFIED, "nlu")
        if m.get(INTENT) == CRISIS_INTENT
        else LabelledRisk(m.get(TEXT), NONE, NONE, "nlu", ORDINARY)
        for m in training_data.intent_examples
        if m.get(TEXT)
        and not intent_classifier_only((m.get(METADATA) or {}).get(METADATA_INTENT))
    ]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class RiskReader(GraphComponent):
    """Trained on the labelled messages in `safety_dir` (data/safety/)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "safety_dir": "data/safety",
            # Replies to a partner, read as ordinary talk (the reply judge's data).
            "replies_dir": "data/replies",
            "C": 4.0,
            "random_state": 42,
            # Sentence embeddings (config.yml turns them on) ask everyday talk
            # less at the same recall (`make bench-safety`) but cost the
            # encoder's time on every message and about two minutes of training.
            "with_encoder": False,
            # Words marked with the negation or the past they sit in
            # (language/risk_shapes.py): negated near-misses are asked less at
            # the same recall, but unsure risk is missed a little more
            # (`benchmarks/safety_cv.py --with-shapes`); off in config.yml.
            "with_shapes": False,
            # Earlier messages read with the new one: 2 means the last three together.
            "context_turns": 2,
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> str | None:
        # The labelled messages are read from disk, not from Rasa's training data:
        # a change to them, or to how they are learnt, must retrain this component.
        data = model_files.folders_digest(
            ROOT / config.get("safety_dir", "data/safety"),
            ROOT / config.get("replies_dir", "data/replies"),
        )
        code = model_files.code_digest(__name__, *LEARNS_WITH)
        return f"{data}/{code}"

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: RiskClassifier | None = None,
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
    ) -> RiskReader:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        seed = self.config["random_state"]
        self.classifier = RiskClassifier(
            C=self.config["C"],
            seed=seed,
            with_encoder=self.config["with_encoder"],
            with_shapes=self.config["with_shapes"],
        ).fit(
            training_items(
                load_safety(ROOT / self.config["safety_dir"]),
                nlu_examples(training_data),
                ROOT / self.config["replies_dir"],
                seed,
            )
        )
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
    ) -> RiskReader:
        classifier = model_files.load(
            model_storage, resource, MODEL_FILE, EXPECTED_TYPE_PREFIXES, cls.__name__
        )
        if classifier.with_encoder:
            embed(["warm up"])
        return cls(config, model_storage, resource, classifier)

    def process(
        self, messages: List[Message], tracker: DialogueStateTracker | None = None
    ) -> List[Message]:
        if self.classifier is None:
            return messages
        earlier = recent_user_texts(tracker, self.config["context_turns"])
        for message in messages:
            text: str = message.get(TEXT) or ""
            if not text.strip() or text.startswith("/"):
                continue
            together = [t[-CONTEXT_CHARS_PER_TURN:] for t in (*earlier, text)]
            windows, alone = self._parts(text)
            parts = [text, *windows, *alone]
            texts = list(parts)
            if earlier:
                texts.append(join_turns(together))
            vectors = None
            if self.classifier.with_encoder:
                # Encoded here once, and left on the message for the components
                # after this one that read it too (the ConceptReader).
                # TF-IDF reads every recent turn; the encoder, the newest it
                # reads whole.
                encoded = list(parts)
                if earlier:
                    encoded.append(newest_turns_the_encoder_reads(together))
                vectors = embed(encoded, remember=False)
                sentence_embedding.keep(message, vectors[0])
            scored = self.classifier.scores(texts, vectors)
            # A long message shows the risk of its riskiest part.
            score, category = max(scored[: len(parts)], key=lambda s: s[0])
            risk: Dict[str, Any] = {"score": round(score, 4), "category": category}
            if alone:
                risk["parts"] = len(parts) - 1
                risk["whole_score"] = round(
                    max(s for s, _ in scored[: 1 + len(windows)]), 4
                )
                risk["sentence_score"] = round(
                    max(s for s, _ in scored[1 + len(windows) : len(parts)]), 4
                )
            if earlier:
                risk["context_score"] = round(scored[-1][0], 4)
                risk["context_category"] = scored[-1][1]
                risk["context_turns"] = len(earlier) + 1
            message.set(RISK_KEY, risk, add_to_output=True)
        return messages

    def _parts(self, text: str) -> Tuple[List[str], List[str]]:
        """A message longer than the encoder reads, in windows it reads whole,
        and each of its sentences alone: the encoder reads a text's start only,
        and risk told at the end of a long message would reach the classifier
        through TF-IDF alone, diluted by the rest. A window still holds some of
        the story before the risk: with s25, "I'm going to kill my husband"
        after the tests' long everyday story scored 0.066 in its window
        (results/session28/summary.md). A message the encoder reads whole has
        no parts."""
        if not self.classifier.with_encoder or read_whole_by_the_encoder(text):
            return [], []
        return windows_the_encoder_reads(text), sentences(text)
