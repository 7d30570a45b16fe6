"""The TF-IDF intent classifier: trains, ranks, survives a save and load, and
refuses to load a file it did not write (a server without its classifier would
answer everything with the fallback)."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bids_partner.rasa_plugins.nlu.model_files import ModelFileError
from bids_partner.rasa_plugins.nlu.tfidf_classifier import (
    MODEL_FILE,
    TfidfIntentClassifier,
)

EXAMPLES = {
    "greet": ["hello", "hi there", "good morning", "hey", "hi, how are you"],
    "criticism": [
        "you never listen to me",
        "you always forget",
        "you never help around the house",
        "you are so selfish",
        "you always make it about you",
    ],
    "bid": [
        "can you give me a hug",
        "come look at this",
        "could we spend the evening together",
        "will you sit with me",
        "can we talk for a minute",
    ],
}


class Evil:
    """A type no classifier of ours ever writes."""


def training_data() -> TrainingData:
    return TrainingData(
        [
            Message(data={TEXT: text, INTENT: intent})
            for intent, texts in EXAMPLES.items()
            for text in texts
        ]
    )


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def classify(classifier: TfidfIntentClassifier, text: str) -> Message:
    [message] = classifier.process([Message(data={TEXT: text})])
    return message


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


RESOURCE = Resource("tfidf")


def trained(storage: LocalModelStorage) -> TfidfIntentClassifier:
    classifier = TfidfIntentClassifier.create({}, storage, RESOURCE, context())
    classifier.train(training_data())
    return classifier


def load(storage: LocalModelStorage) -> TfidfIntentClassifier:
    return TfidfIntentClassifier.load({}, storage, RESOURCE, context())


def test_it_ranks_every_intent_and_picks_the_closest(storage) -> None:
    message = classify(trained(storage), "you never ever listen")
    assert message.get(INTENT)["name"] == "criticism"
    ranking: List[dict] = message.get(INTENT_RANKING_KEY)
    assert {r["name"] for r in ranking} == set(EXAMPLES)
    assert ranking[0]["confidence"] >= ranking[1]["confidence"]
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6


def test_a_saved_and_loaded_classifier_answers_the_same(storage) -> None:
    before = classify(trained(storage), "could you hold me").get(INTENT_RANKING_KEY)
    after = classify(load(storage), "could you hold me").get(INTENT_RANKING_KEY)
    assert after == before


def test_training_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = trained(LocalModelStorage(tmp_path / "a"))
    second = trained(LocalModelStorage(tmp_path / "b"))
    for text in ("hey you", "you always do this", "sit with me?"):
        assert classify(first, text).get(INTENT_RANKING_KEY) == classify(
            second, text
        ).get(INTENT_RANKING_KEY)


def rewrite_model(storage: LocalModelStorage, content: object) -> None:
    with storage.write_to(RESOURCE) as folder:
        sio.dump(content, Path(folder) / MODEL_FILE)


def test_a_file_with_unexpected_types_is_refused(storage) -> None:
    trained(storage)
    rewrite_model(storage, {"words": Evil(), "chars": None, "clf": None})
    with pytest.raises(ModelFileError, match="Evil"):
        load(storage)


def test_a_types_list_that_names_a_foreign_type_is_refused(storage) -> None:
    """The list of types saved beside the model is checked too."""
    trained(storage)
    with storage.write_to(RESOURCE) as folder:
        (Path(folder) / f"{MODEL_FILE}.types.json").write_text('["tests.Evil"]')
    with pytest.raises(ModelFileError, match="Evil"):
        load(storage)


def test_a_model_saved_without_its_types_list_still_loads(storage) -> None:
    before = classify(trained(storage), "could you hold me").get(INTENT_RANKING_KEY)
    with storage.write_to(RESOURCE) as folder:
        (Path(folder) / f"{MODEL_FILE}.types.json").unlink()
    after = classify(load(storage), "could you hold me").get(INTENT_RANKING_KEY)
    assert after == before


def test_a_corrupt_file_is_refused(storage) -> None:
    trained(storage)
    with storage.write_to(RESOURCE) as folder:
        (Path(folder) / MODEL_FILE).write_bytes(b"not a model")
    with pytest.raises(ModelFileError, match="retrain"):
        load(storage)


def test_a_missing_model_is_refused(storage) -> None:
    with pytest.raises(ModelFileError):
        load(storage)


def test_its_weights_are_read_in_place_after_a_save_and_load(storage) -> None:
    # Column-major weights spare a copy of them on every message (sparse_models.py).
    trained(storage)
    assert load(storage).clf.coef_.T.flags["C_CONTIGUOUS"]
