"""The ConceptReader reads which of the coach's ideas a question asks about, in
words that name no keyword, says when it is unsure, reads only ask_concept
messages, reuses the sentence embedding an earlier component left on the message,
and refuses data or a model file it did not expect."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.psychoeducation import choose_concept, find_concept
from bids_partner.coaching import load_psychoeducation
from bids_partner.contract import CONCEPT_KEY
from bids_partner.language.concepts import ConceptDataError
from bids_partner.language.text_features import embed
from bids_partner.rasa_plugins.nlu import sentence_embedding
from bids_partner.rasa_plugins.nlu.concept_reader import MODEL_FILE, ConceptReader
from bids_partner.rasa_plugins.nlu.model_files import ModelFileError

RESOURCE = Resource("concept_reader")
NO_KEYWORD = "how do we get close again after the baby"
VAGUE = "what do you mean"


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    storage = LocalModelStorage(tmp_path_factory.mktemp("models"))
    ConceptReader.create({}, storage, RESOURCE, context()).train(TrainingData())
    return storage


@pytest.fixture(scope="module")
def reader(storage: LocalModelStorage) -> ConceptReader:
    return ConceptReader.load({}, storage, RESOURCE, context())


def asked(text: str, intent: str = "ask_concept") -> Message:
    return Message(data={"text": text, "intent": {"name": intent, "confidence": 0.9}})


def read(reader: ConceptReader, message: Message) -> Dict[str, Any] | None:
    [message] = reader.process([message])
    return message.get(CONCEPT_KEY)


def test_a_question_naming_no_keyword_is_read_as_its_concept(reader) -> None:
    assert find_concept(NO_KEYWORD, load_psychoeducation().concepts) is None
    found = read(reader, asked(NO_KEYWORD))
    assert found is not None
    assert found["name"] == "building_closeness" and found["sure"] is True
    assert found["confidence"] >= reader.config["threshold"]


def test_the_parse_data_takes_the_action_to_that_concept(reader) -> None:
    message = asked(NO_KEYWORD)
    reader.process([message])
    parse_data = message.as_dict(only_output_properties=True)
    chosen = choose_concept(parse_data, load_psychoeducation().concepts)
    assert chosen is not None and chosen.id == "building_closeness"


def test_a_vague_question_is_read_unsure(reader) -> None:
    found = read(reader, asked(VAGUE))
    assert found is not None and found["sure"] is False
    assert found["confidence"] < reader.config["threshold"]


@pytest.mark.parametrize(
    "message",
    [
        asked(NO_KEYWORD, intent="bid"),
        asked("/ask_concept"),
        asked("   "),
        Message(data={"text": NO_KEYWORD}),  # no intent
    ],
)
def test_only_typed_ask_concept_messages_are_read(reader, message: Message) -> None:
    assert read(reader, message) is None


def test_the_embedding_left_on_the_message_is_used(reader, monkeypatch) -> None:
    vector = embed([NO_KEYWORD], remember=False)[0]

    def no_second_pass(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the message was encoded again")

    monkeypatch.setattr(sentence_embedding, "embed", no_second_pass)
    monkeypatch.setattr("bids_partner.language.text_features.embed", no_second_pass)
    message = asked(NO_KEYWORD)
    sentence_embedding.keep(message, vector)
    assert read(reader, message)["name"] == "building_closeness"


def test_it_reads_the_embedding_it_is_given(reader) -> None:
    # The embedding of another question turns the reading toward that one.
    other = embed(["what is stonewalling and why is it so bad"], remember=False)[0]
    plain = read(reader, asked(NO_KEYWORD))
    message = asked(NO_KEYWORD)
    sentence_embedding.keep(message, other)
    assert read(reader, message)["confidence"] != plain["confidence"]


def test_without_an_embedding_it_encodes_the_message_once(reader) -> None:
    message = asked(NO_KEYWORD)
    read(reader, message)
    kept = message.get(sentence_embedding.EMBEDDING_KEY)
    assert kept is not None
    assert np.allclose(kept, embed([NO_KEYWORD], remember=False)[0], atol=1e-5)
    assert sentence_embedding.EMBEDDING_KEY not in message.as_dict(
        only_output_properties=True
    )


def test_without_the_encoder_it_reads_by_tfidf_alone(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    config = {"with_encoder": False}
    ConceptReader.create(config, storage, RESOURCE, context()).train(TrainingData())
    loaded = ConceptReader.load(config, storage, RESOURCE, context())
    assert not loaded.classifier.with_encoder
    found = read(loaded, asked("what is stonewalling and why is it so bad"))
    assert found["name"] == "stonewalling" and found["sure"] is True


def test_training_refuses_a_topic_that_is_no_concept(tmp_path: Path) -> None:
    (tmp_path / "w.yml").write_text(
        'ask_concept:\n  - {text: "what is a flibbertigibbet", topic: flibbert}\n'
    )
    component = ConceptReader.create(
        {"concepts_dir": str(tmp_path)},
        LocalModelStorage(tmp_path),
        RESOURCE,
        context(),
    )
    with pytest.raises(ConceptDataError, match="flibbert"):
        component.train(TrainingData())


def test_a_model_file_with_other_types_is_refused(tmp_path: Path) -> None:
    import skops.io as sio

    other = LocalModelStorage(tmp_path)
    with other.write_to(RESOURCE) as folder:
        sio.dump({"x": Path("/")}, Path(folder) / MODEL_FILE)
    with pytest.raises(ModelFileError, match="refusing"):
        ConceptReader.load({}, other, RESOURCE, context())


def test_the_fingerprint_follows_the_questions_and_the_concepts(tmp_path) -> None:
    questions, content = tmp_path / "concepts", tmp_path / "content"
    questions.mkdir()
    content.mkdir()
    (questions / "w.yml").write_text("ask_concept: []\n")
    (content / "psychoeducation.yml").write_text("version: 1\n")
    # ROOT / an absolute path is that path.
    config = {"concepts_dir": str(questions), "content_dir": str(content)}
    first = ConceptReader.fingerprint_addon(config)
    (questions / "w.yml").write_text("ask_concept: [ ]\n")
    second = ConceptReader.fingerprint_addon(config)
    (content / "psychoeducation.yml").write_text("version: 2\n")
    assert len({first, second, ConceptReader.fingerprint_addon(config)}) == 3
