"""Reads which of the coach's ideas a question asks about, in any words.

A question read as `ask_concept` ("how do we get close again after the baby") is
given the concept it asks about, with the classifier of language/concepts.py:
trained on the writers' topic-labelled questions (data/concepts/, written to
docs/labelling/concepts.md) and on each concept's own keywords and text in
content/psychoeducation.yml. The result goes to the parse data under `concept`:
the likeliest concept's id, its confidence, and whether that reached `threshold`
(`sure`). action_explain_concept explains the concept when the component is
sure, and otherwise falls back to the concepts' keywords, then to the menu.
Chosen, with its threshold, by cross-writer validation (`make bench-concepts-cv`).

The sentence embedding is the one the RiskReader computed for the message, when
it did (sentence_embedding.py): the component adds no encoder pass then.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bids_partner.coaching.loader import load_file
from bids_partner.coaching.schema import Psychoeducation
from bids_partner.contract import CONCEPT_KEY
from bids_partner.language.concepts import (
    INTENT as ASK_CONCEPT,
)
from bids_partner.language.concepts import (
    ConceptClassifier,
    ConceptDataError,
    content_examples,
    load_questions,
)
from bids_partner.language.sentence_encoder import ENCODER_MODULES
from bids_partner.language.text_features import embed
from bids_partner.rasa_plugins.nlu import model_files
from bids_partner.rasa_plugins.nlu.sentence_embedding import message_embedding
from bids_partner.settings import ROOT

MODEL_FILE = "concept_classifier.skops"
# The modules whose code decides what the reader learns (its fingerprint).
LEARNS_WITH = (
    "bids_partner.language.sparse_models",
    "bids_partner.language.concepts",
    "bids_partner.language.text_features",
    *ENCODER_MODULES,
)
EXPECTED_TYPE_PREFIXES = ("numpy.", "scipy.sparse.", "sklearn.", "bids_partner.")
PSYCHOEDUCATION = "psychoeducation.yml"


def load_concepts(content_dir: Path) -> Psychoeducation:
    """content/psychoeducation.yml, read afresh (training may follow an edit)."""
    return load_file(content_dir / PSYCHOEDUCATION, Psychoeducation)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class ConceptReader(GraphComponent):
    """Trained on the questions in `concepts_dir` (data/concepts/) and the
    concepts of `content_dir`/psychoeducation.yml."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "concepts_dir": "data/concepts",
            "content_dir": "content",
            # The concepts' own keywords and text as more examples of each.
            "with_content": True,
            "with_encoder": True,
            "C": 100.0,
            "random_state": 42,
            # Below it the component is unsure (`make bench-concepts-cv`).
            "threshold": 0.26,
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> str | None:
        # The questions and the concepts are read from disk, not from Rasa's
        # training data: a change to them, or to how they are learnt, must
        # retrain this component.
        digest = hashlib.sha256()
        digest.update(model_files.code_digest(__name__, *LEARNS_WITH).encode())
        digest.update(
            model_files.folders_digest(
                ROOT / config.get("concepts_dir", "data/concepts")
            ).encode()
        )
        digest.update(
            (ROOT / config.get("content_dir", "content") / PSYCHOEDUCATION).read_bytes()
        )
        return digest.hexdigest()

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: ConceptClassifier | None = None,
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
    ) -> ConceptReader:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        questions = load_questions(ROOT / self.config["concepts_dir"])
        concepts = load_concepts(ROOT / self.config["content_dir"]).concepts
        known = {c.id for c in concepts}
        unknown = sorted({q.topic for q in questions} - known)
        if unknown:
            raise ConceptDataError(
                f"{self.config['concepts_dir']}: topics that are no concept of "
                f"{PSYCHOEDUCATION}: {', '.join(unknown)}"
            )
        if self.config["with_content"]:
            questions += content_examples(concepts)
        self.classifier = ConceptClassifier(
            C=self.config["C"],
            seed=self.config["random_state"],
            with_encoder=self.config["with_encoder"],
        ).fit(questions)
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
    ) -> ConceptReader:
        classifier = model_files.load(
            model_storage, resource, MODEL_FILE, EXPECTED_TYPE_PREFIXES, cls.__name__
        )
        if classifier.with_encoder:
            embed(["warm up"])
        return cls(config, model_storage, resource, classifier)

    def process(self, messages: List[Message]) -> List[Message]:
        if self.classifier is None:
            return messages
        for message in messages:
            intent = message.get(INTENT) or {}
            text: str = message.get(TEXT) or ""
            if intent.get(INTENT_NAME_KEY) != ASK_CONCEPT or not text.strip():
                continue
            if text.startswith("/"):
                continue
            vector = (
                message_embedding(message, text)
                if self.classifier.with_encoder
                else None
            )
            name, confidence = self.classifier.rank(text, vector)[0]
            message.set(
                CONCEPT_KEY,
                {
                    "name": name,
                    "confidence": round(confidence, 4),
                    "sure": confidence >= self.config["threshold"],
                },
                add_to_output=True,
            )
        return messages
