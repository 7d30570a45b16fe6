"""The name probe of issue 17: it masks a name only the sentence gives away,
leaves the same words where they are words, runs the encoder only when there
is a word to ask about, and is rebuilt only when what it is made from changes."""

from __future__ import annotations

import pytest
import spacy

from bids_partner.language.sentence_encoder import MAX_TOKENS
from bids_partner.transcripts.anonymizer import Anonymizer, Placeholders
from bids_partner.transcripts.name_probe import (
    PROBE_DIR,
    SETTINGS,
    _labels,
    fingerprint,
    is_current,
)

# Written for this test, not taken from any writer's set: lowercase names that
# are words too, where neither the rules nor the name model had a cue.
CONTEXT_ONLY = [
    ("honestly hazel never even replies to my texts anymore", "hazel"),
    ("ok so hunter never answers when i call him", "hunter"),
]
KEEP = [
    "he went on a hunt with his dad, a keen deer hunter",
    "there is no hope left in me, i feel numb",
    "my husband will not talk about money",
    "the autumn leaves made me think of my mum",
    "i feel so alone tonight and i dont know why",
]


@pytest.fixture(scope="module")
def anonymizer() -> Anonymizer:
    return Anonymizer("union", probe=True)


def _without_probe(anonymizer: Anonymizer, text: str) -> str:
    probe = anonymizer.probe
    anonymizer.use_probe(None)
    try:
        return anonymizer.anonymize(text, Placeholders())
    finally:
        anonymizer.use_probe(probe)


@pytest.mark.parametrize("text, name", CONTEXT_ONLY)
def test_a_name_only_the_sentence_gives_away_is_masked(
    anonymizer: Anonymizer, text: str, name: str
) -> None:
    assert name not in anonymizer.anonymize(text, Placeholders()).split()
    # Without the probe it survives: the probe is what masks it.
    assert name in _without_probe(anonymizer, text).split()


@pytest.mark.parametrize("text", KEEP)
def test_the_same_words_as_words_stay(anonymizer: Anonymizer, text: str) -> None:
    assert anonymizer.anonymize(text, Placeholders()) == text


def test_the_encoder_runs_only_for_a_word_to_ask_about(
    anonymizer: Anonymizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(docs):
        raise AssertionError("the encoder ran")

    monkeypatch.setattr(anonymizer._features, "of", refuse)
    anonymizer.use_probe(anonymizer.probe)  # forget what was read
    # Every word is either masked by the rules or no name at all.
    text = "I told Daniel I feel so alone, call me on 07700 900123"
    assert anonymizer.anonymize(text, Placeholders()) == (
        "I told [PERSON_1] I feel so alone, call me on [PHONE_1]"
    )
    with pytest.raises(AssertionError, match="the encoder ran"):
        anonymizer.anonymize("honestly hazel never replies", Placeholders())


def test_labels_mark_people_places_and_other_identifiers() -> None:
    doc = spacy.blank("en").make_doc("me and jo went to Leeds, jo@x.io")
    labels = _labels(doc, [(7, 9, "PERSON"), (18, 23, "PLACE")], [(25, 32)])
    assert [(t.text, int(label)) for t, label in zip(doc, labels)] == [
        ("me", 0),
        ("and", 0),
        ("jo", 1),
        ("went", 0),
        ("to", 0),
        ("Leeds", 2),
        (",", 0),
        ("jo@x.io", -1),
    ]


def test_the_built_probe_is_current_and_its_fingerprint_follows_the_settings() -> None:
    assert is_current(PROBE_DIR)
    assert fingerprint(dict(SETTINGS, C=SETTINGS["C"] * 2)) != fingerprint()
    assert not is_current(PROBE_DIR, dict(SETTINGS, threshold=0.5))


def test_a_long_message_is_read_whole_in_stretches(anonymizer: Anonymizer) -> None:
    """Every word of a message longer than the encoder reads gets a state (a
    word past the first window used to get none, and the probe read it from
    zeros); each stretch fits the encoder."""
    features = anonymizer._features
    story = "we argued about the dishes again and i went quiet for hours. " * 30
    doc = spacy.blank("en").make_doc(story + "honestly hazel never replies")
    windows = features._windows(doc)
    assert len(windows) > 1
    assert all(len(ids) <= MAX_TOKENS for _, ids, _ in windows)
    assert sum(len(first) for _, _, first in windows) == len(doc)
    [states] = features.states([doc])
    spoken = [t.i for t in doc if not t.is_space]
    assert all(states[i].any() for i in spoken)
    assert not any(states[t.i].any() for t in doc if t.is_space)


def test_a_names_other_word_joins_it(anonymizer: Anonymizer) -> None:
    """ "ling" is an English word and never asked about alone; beside a name
    the probe found, and read as a name itself, it is the name's other word."""
    text = "wei ling keeps asking when we are getting married"
    assert anonymizer.anonymize(text, Placeholders()) == (
        "[PERSON_1] keeps asking when we are getting married"
    )
    assert _without_probe(anonymizer, text) == text
