"""The writers' questions about the coach's ideas name concepts that exist, are
the ask_concept examples Rasa trains on, and load with clear errors; the concept
classifier is deterministic."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bids_partner.coaching import load_psychoeducation
from bids_partner.language.concepts import (
    ConceptClassifier,
    ConceptDataError,
    LabelledQuestion,
    content_examples,
    load_questions,
)
from bids_partner.settings import ROOT

QUESTIONS_DIR = ROOT / "data" / "concepts"


def test_every_topic_is_a_concept_and_every_concept_is_asked_by_each_writer() -> None:
    questions = load_questions(QUESTIONS_DIR)
    concepts = {c.id for c in load_psychoeducation().concepts}
    for writer in {q.writer for q in questions}:
        assert {q.topic for q in questions if q.writer == writer} == concepts, writer


def test_the_ask_concept_examples_are_the_writers_questions() -> None:
    nlu = load_data(str(ROOT / "data" / "nlu" / "concepts.yml"))
    examples = [m.get("text") for m in nlu.intent_examples]
    assert {m.get("intent") for m in nlu.intent_examples} == {"ask_concept"}
    assert Counter(examples) == Counter(q.text for q in load_questions(QUESTIONS_DIR))


def test_the_writer_is_the_files_name(tmp_path: Path) -> None:
    (tmp_path / "cw9.yml").write_text(
        'ask_concept:\n  - {text: "what is a bid", topic: bid}\n'
    )
    assert load_questions(tmp_path) == [LabelledQuestion("what is a bid", "bid", "cw9")]


@pytest.mark.parametrize(
    "content, error",
    [
        ("nlu: []\n", "expected a list `ask_concept`"),
        ("ask_concept:\n  - {topic: bid}\n", "question 1 needs a text"),
        ('ask_concept:\n  - {text: "what is a bid"}\n', "question 1 needs a topic"),
        ("ask_concept: [\n", "not readable YAML"),
    ],
)
def test_a_malformed_file_is_refused(tmp_path: Path, content: str, error: str) -> None:
    (tmp_path / "w.yml").write_text(content)
    with pytest.raises(ConceptDataError, match=error):
        load_questions(tmp_path)


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConceptDataError, match="no concepts files"):
        load_questions(tmp_path)


def test_each_concept_gives_its_keywords_and_its_text_as_examples() -> None:
    concepts = load_psychoeducation().concepts
    examples = content_examples(concepts)
    assert len(examples) == 2 * len(concepts)
    bid = next(c for c in concepts if c.id == "bid")
    assert LabelledQuestion(bid.text, "bid", "content") in examples
    assert {e.topic for e in examples} == {c.id for c in concepts}


def test_the_classifier_is_deterministic() -> None:
    questions = load_questions(QUESTIONS_DIR)
    texts = ["how do we get close again after the baby", "what do you mean"]

    def ranked():
        classifier = ConceptClassifier(with_encoder=False).fit(questions)
        return classifier.rank_many(texts)

    assert ranked() == ranked()


def test_the_classifier_needs_some_features() -> None:
    with pytest.raises(ValueError, match="TF-IDF or the encoder"):
        ConceptClassifier(with_tfidf=False, with_encoder=False)
