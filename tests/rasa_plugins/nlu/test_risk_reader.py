"""RiskReader reads the recent turns since the last safety reply together with the
new message, scores typed messages only, and keeps the scores in the parse data."""

from __future__ import annotations

from typing import Any, Dict, List

import numpy as np
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from bids_partner.contract import RISK_KEY
from bids_partner.language.risk import NONE, LabelledRisk, RiskClassifier
from bids_partner.language.text_features import (
    embed,
    read_whole_by_the_encoder,
    sentences,
    windows_the_encoder_reads,
)
from bids_partner.rasa_plugins.nlu import model_files, sentence_embedding
from bids_partner.rasa_plugins.nlu.risk_reader import (
    CONTEXT_CHARS_PER_TURN,
    EXPECTED_TYPE_PREFIXES,
    MODEL_FILE,
    RiskReader,
    newest_turns_the_encoder_reads,
    nlu_examples,
    recent_user_texts,
)


def tracker(events: List[Any]) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", events)


def said(text: str) -> List[Any]:
    return [UserUttered(text), ActionExecuted("action_listen")]


def test_recent_turns_start_after_the_last_safety_reply() -> None:
    events = [
        *said("nobody would notice"),
        ActionExecuted("utter_safety_question"),
        BotUttered("are you safe?"),
        *said("/affirm"),
        *said("we fought"),
        *said("he left"),
        *said("i'm tired"),
    ]
    assert recent_user_texts(tracker(events), 2) == ["he left", "i'm tired"]
    assert recent_user_texts(tracker(events), 5) == [
        "we fought",
        "he left",
        "i'm tired",
    ]


def test_recent_turns_start_with_the_session() -> None:
    events = [*said("old"), SessionStarted(), *said("new")]
    assert recent_user_texts(tracker(events), 3) == ["new"]
    assert recent_user_texts(None, 3) == []


def reader(tmp_path) -> RiskReader:
    classifier = RiskClassifier(with_encoder=False).fit(
        [
            LabelledRisk("i want to die", "clear", "self_harm"),
            LabelledRisk("he hits me", "clear", "abuse"),
            LabelledRisk("i might hurt him", "clear", "harm_to_others"),
            LabelledRisk("we had lunch", NONE, NONE),
            LabelledRisk("i love her", NONE, NONE),
        ]
    )
    return RiskReader({}, LocalModelStorage(tmp_path), Resource("r"), classifier)


def test_typed_messages_are_scored_alone_and_with_the_recent_turns(tmp_path) -> None:
    typed, payload = (
        Message(data={"text": "i want to die"}),
        Message(data={"text": "/affirm"}),
    )
    reader(tmp_path).process(
        [typed, payload], tracker([*said("we had lunch"), *said("i love her")])
    )
    risk = typed.get(RISK_KEY)
    assert risk["category"] == "self_harm" and 0.0 <= risk["score"] <= 1.0
    assert risk["context_turns"] == 3 and "context_score" in risk
    assert payload.get(RISK_KEY) is None


def test_without_earlier_turns_only_the_message_is_scored(tmp_path) -> None:
    message = Message(data={"text": "we had lunch"})
    reader(tmp_path).process([message], tracker([]))
    assert set(message.get(RISK_KEY)) == {"score", "category"}


def test_long_turns_are_cut_when_read_together(tmp_path, monkeypatch) -> None:
    risk_reader = reader(tmp_path)
    seen = []
    original = risk_reader.classifier.scores

    def spy(texts, vectors=None):
        seen.extend(texts)
        return original(texts, vectors)

    monkeypatch.setattr(risk_reader.classifier, "scores", spy)
    long = "we had lunch " * 400
    risk_reader.process([Message(data={"text": long})], tracker(said(long)))
    alone, together = seen
    assert alone == long
    assert len(together) <= 2 * CONTEXT_CHARS_PER_TURN + 10


def test_with_the_encoder_the_embedding_is_left_for_later_components(
    tmp_path,
) -> None:
    # The ConceptReader reads it instead of encoding the message a second time.
    classifier = RiskClassifier(with_encoder=True).fit(
        [
            LabelledRisk("i want to die", "clear", "self_harm"),
            LabelledRisk("we had lunch", NONE, NONE),
        ]
    )
    risk_reader = RiskReader({}, LocalModelStorage(tmp_path), Resource("r"), classifier)
    message = Message(data={"text": "what is a bid"})
    risk_reader.process([message], tracker(said("we had lunch")))
    kept = message.get(sentence_embedding.EMBEDDING_KEY)
    assert kept is not None
    assert np.allclose(kept, embed(["what is a bid"], remember=False)[0], atol=1e-5)
    assert sentence_embedding.EMBEDDING_KEY not in message.as_dict(
        only_output_properties=True
    )
    without = Message(data={"text": "what is a bid"})
    reader(tmp_path).process([without], tracker([]))
    assert without.get(sentence_embedding.EMBEDDING_KEY) is None


def test_a_classifier_with_scope_marks_is_saved_and_loaded(tmp_path) -> None:
    # The marks' vectorizer is saved with the model: the served scores are the
    # trained ones.
    classifier = RiskClassifier(with_encoder=False, with_shapes=True).fit(
        [
            LabelledRisk("i will hurt myself", "clear", "self_harm"),
            LabelledRisk("i would never hurt myself", NONE, NONE),
            LabelledRisk("we had lunch", NONE, NONE),
        ]
    )
    storage, resource = LocalModelStorage(tmp_path), Resource("r")
    model_files.save(storage, resource, MODEL_FILE, classifier)
    loaded = model_files.load(
        storage, resource, MODEL_FILE, EXPECTED_TYPE_PREFIXES, "RiskReader"
    )
    text = "i dont hurt myself"
    assert loaded.shapes is not None
    assert loaded.score(text) == classifier.score(text)


def test_the_fingerprint_follows_the_data_and_how_it_is_learnt(
    tmp_path, monkeypatch
) -> None:
    # Rasa restores a component from its cache when the fingerprint is the same:
    # a changed labelling scheme with the same data must still retrain it.
    from bids_partner.rasa_plugins.nlu import risk_reader

    (tmp_path / "s.yml").write_text("writer: s\nmessages: []\n")
    config = {"safety_dir": str(tmp_path), "replies_dir": str(tmp_path)}
    first = RiskReader.fingerprint_addon(config)
    monkeypatch.setattr(
        risk_reader.model_files, "code_digest", lambda *modules: "another scheme"
    )
    second = RiskReader.fingerprint_addon(config)
    (tmp_path / "s.yml").write_text("writer: s\nmessages: [ ]\n")
    assert len({first, second, RiskReader.fingerprint_addon(config)}) == 3


def spied_encoder_reader(
    tmp_path, monkeypatch, items: List[LabelledRisk]
) -> tuple[RiskReader, Dict[str, Any]]:
    """A RiskReader with the encoder, trained on `items`, and what its
    classifier was last asked to score (texts and vectors)."""
    classifier = RiskClassifier(with_encoder=True).fit(items)
    risk_reader = RiskReader({}, LocalModelStorage(tmp_path), Resource("r"), classifier)
    seen: Dict[str, Any] = {}
    original = classifier.scores

    def spy(texts, vectors=None):
        seen.update(texts=texts, vectors=vectors)
        return original(texts, vectors)

    monkeypatch.setattr(risk_reader.classifier, "scores", spy)
    return risk_reader, seen


def test_the_encoder_reads_the_newest_of_long_recent_turns(
    tmp_path, monkeypatch
) -> None:
    # The encoder reads a text's first 126 tokens: read from the oldest turn, a
    # long conversation would leave out the message being read.
    risk_reader, seen = spied_encoder_reader(
        tmp_path,
        monkeypatch,
        [
            LabelledRisk("i want to die", "clear", "self_harm"),
            LabelledRisk("we had lunch", NONE, NONE),
        ],
    )
    story = "we talked about the school run, the car, his mum and the holidays. " * 7
    message = "i keep thinking about the tracks"
    earlier = [*said(story[:400] + " first"), *said(story[:400] + " second")]
    risk_reader.process([Message(data={"text": message})], tracker(earlier))
    texts, vectors = seen["texts"], seen["vectors"]
    assert "first" in texts[1] and texts[1].endswith(message)  # TF-IDF: all
    read = newest_turns_the_encoder_reads(
        [story[:400] + " first", story[:400] + " second", message]
    )
    assert "first" not in read and "second" in read and read.endswith(message)
    assert np.allclose(vectors[1], embed([read], remember=False)[0], atol=1e-5)
    assert not np.allclose(vectors[1], embed([texts[1]], remember=False)[0], atol=1e-3)


def test_a_message_too_long_for_the_encoder_is_read_alone() -> None:
    long = "i keep thinking about the tracks by my work " * 30
    assert newest_turns_the_encoder_reads(["we had lunch", long]) == long.strip()
    assert newest_turns_the_encoder_reads(["hi", "bye"]).endswith("bye")


def test_a_long_text_is_cut_into_overlapping_windows_read_whole() -> None:
    sentences = [
        f"Sentence number {i} is about the school run and the car." for i in range(40)
    ]
    text = " ".join(sentences)
    windows = windows_the_encoder_reads(text)
    assert len(windows) > 2 and all(read_whole_by_the_encoder(w) for w in windows)
    for sentence in sentences:  # each read, whole, in some window
        assert any(sentence in window for window in windows)
    for before, after in zip(windows, windows[1:]):  # the last sentence is shared
        assert after.startswith(before.rsplit(". ", 1)[-1])
    assert windows_the_encoder_reads("we had lunch.") == ["we had lunch."]
    run_on = "and then he said it again " * 80  # no stops at all
    cut = windows_the_encoder_reads(run_on)
    assert len(cut) > 2 and all(read_whole_by_the_encoder(w) for w in cut)
    assert " ".join(cut).split()[-6:] == run_on.split()[-6:]


def test_a_long_message_is_as_risky_as_its_riskiest_part(tmp_path, monkeypatch) -> None:
    # The encoder reads a text's first tokens: risk told at the end of a long
    # message was read through TF-IDF alone, diluted by everything before it.
    risk_reader, seen = spied_encoder_reader(
        tmp_path,
        monkeypatch,
        [
            LabelledRisk("i want to die", "clear", "self_harm"),
            LabelledRisk("i keep thinking about the tracks", "clear", "self_harm"),
            LabelledRisk("we had lunch", NONE, NONE),
            LabelledRisk("the school run and the car", NONE, NONE),
        ],
    )
    classifier = risk_reader.classifier
    story = "We talked about the school run and the car and his mum. " * 12
    long = story + "I keep thinking about the tracks."
    message = Message(data={"text": long})
    risk_reader.process([message], tracker([]))
    texts = seen["texts"]
    # Each window, then each sentence alone: a window still holds some story.
    parts = [*windows_the_encoder_reads(long), *sentences(long)]
    assert texts == [long, *parts]
    assert texts[-1] == "I keep thinking about the tracks."
    assert np.allclose(
        seen["vectors"][-1], embed([parts[-1]], remember=False)[0], atol=1e-5
    )
    risk = message.get(RISK_KEY)
    assert risk["parts"] == len(parts)
    every = [s for s, _ in RiskClassifier.scores(classifier, texts, seen["vectors"])]
    assert risk["score"] == round(max(every), 4) and every[-1] > every[0]
    # The whole and its windows, and the sentences alone, are kept apart: the
    # CrisisMatcher weighs them differently (crisis.classifier_tier).
    windows = len(windows_the_encoder_reads(long))
    assert risk["whole_score"] == round(max(every[: 1 + windows]), 4)
    assert risk["sentence_score"] == round(max(every[1 + windows :]), 4)
    assert risk["sentence_score"] == risk["score"] > risk["whole_score"]
    short = Message(data={"text": "we had lunch"})
    risk_reader.process([short], tracker([]))
    assert seen["texts"] == ["we had lunch"]
    assert not {"parts", "whole_score", "sentence_score"} & set(short.get(RISK_KEY))


def test_an_intent_for_the_intent_classifier_only_stays_out_of_the_risk_classifier(
    tmp_path,
) -> None:
    (tmp_path / "nlu.yml").write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: withdrawal\n"
        "  metadata:\n"
        "    intent_classifier_only: true\n"
        "  examples: |\n"
        "    - he goes straight to his phone when he gets home\n"
        "- intent: bid\n"
        "  examples: |\n"
        "    - come look at the moon with me\n"
        "- intent: crisis\n"
        "  examples: |\n"
        "    - i want to end it all\n",
        encoding="utf-8",
    )
    read = {(r.text, r.risk) for r in nlu_examples(load_data(str(tmp_path)))}
    assert read == {
        ("come look at the moon with me", NONE),
        ("i want to end it all", "clear"),
    }
