"""Intent classifier: TF-IDF over spaCy tokens and character n-grams, with
logistic regression.

Chosen by measurement (`make bench-nlu`): on this data it beats DIET on Rasa's
count features, because idf weighting and sublinear term frequency suit short,
varied messages. It also trains in seconds and needs no TensorFlow.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bids_partner.language.sparse_models import KeptIdfVectorizer, column_major
from bids_partner.rasa_plugins.nlu import model_files

logger = logging.getLogger(__name__)
MODEL_FILE = "tfidf_intent_classifier.skops"
# Only our own sklearn, numpy and scipy objects are ever written to the file.
EXPECTED_TYPE_PREFIXES = ("numpy.", "scipy.sparse.", "sklearn.", "bids_partner.")


def _tokens_text(message: Message) -> str:
    """The message as spaCy tokenised it, lowercased, one space between tokens."""
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    if tokens:
        return " ".join(token.text.lower() for token in tokens)
    return (message.get(TEXT) or "").lower()


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class TfidfIntentClassifier(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "word_ngram_range": [1, 2],
            "char_ngram_range": [2, 5],
            "C": 10.0,
            # "balanced" keeps a large class (crisis) from winning every message
            # whose words the model has not seen.
            "class_weight": "balanced",
            "max_iter": 3000,
            "random_state": 42,
            "ranking_length": 10,
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> str | None:
        # A change to how the intents are learnt must retrain, not restore.
        return model_files.code_digest(__name__, "bids_partner.language.sparse_models")

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        models: Dict[str, Any] | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.words: TfidfVectorizer
        self.chars: TfidfVectorizer
        self.clf: LogisticRegression
        if models:
            self.words, self.chars, self.clf = (
                models["words"],
                models["chars"],
                models["clf"],
            )
        else:
            self.words = KeptIdfVectorizer(
                ngram_range=tuple(self.config["word_ngram_range"]),
                token_pattern=r"\S+",
                sublinear_tf=True,
            )
            self.chars = KeptIdfVectorizer(
                analyzer="char_wb",
                ngram_range=tuple(self.config["char_ngram_range"]),
                sublinear_tf=True,
            )
            self.clf = LogisticRegression(
                C=self.config["C"],
                class_weight=self.config["class_weight"],
                max_iter=self.config["max_iter"],
                random_state=self.config["random_state"],
            )

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TfidfIntentClassifier:
        return cls(config, model_storage, resource)

    def _features(self, messages: List[Message], fit: bool = False) -> sp.csr_matrix:
        words = [_tokens_text(m) for m in messages]
        chars = [(m.get(TEXT) or "").lower() for m in messages]
        if fit:
            return sp.hstack(
                [self.words.fit_transform(words), self.chars.fit_transform(chars)]
            ).tocsr()
        return sp.hstack(
            [self.words.transform(words), self.chars.transform(chars)]
        ).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)
        ]
        if not examples:
            logger.debug("No intent examples: %s is not trained.", type(self).__name__)
            return self._resource
        column_major(
            self.clf.fit(
                self._features(examples, fit=True),
                [e.get(INTENT) for e in examples],
            )
        )
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if not hasattr(self.clf, "classes_"):
            return messages
        with_text = [m for m in messages if m.get(TEXT)]
        if not with_text:
            return messages
        probabilities = self.clf.predict_proba(self._features(with_text))
        for message, row in zip(with_text, probabilities):
            order = np.argsort(-row)[: self.config["ranking_length"]]
            ranking = [
                {"name": str(self.clf.classes_[i]), "confidence": float(row[i])}
                for i in order
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def persist(self) -> None:
        model_files.save(
            self._model_storage,
            self._resource,
            MODEL_FILE,
            {"words": self.words, "chars": self.chars, "clf": self.clf},
        )

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfIntentClassifier:
        models = model_files.load(
            model_storage, resource, MODEL_FILE, EXPECTED_TYPE_PREFIXES, cls.__name__
        )
        return cls(config, model_storage, resource, models)
