"""The name model of issue 17: it learned the context, not the names (the names
here are held out of its training lists), it leaves ordinary words alone, and
its build is deterministic and cached."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

from bids_partner.transcripts.anonymizer import Anonymizer, Placeholders
from bids_partner.transcripts.name_model import (
    SETTINGS,
    NameModel,
    ensure_name_model,
    fingerprint,
    is_current,
)
from bids_partner.transcripts.synthetic import (
    Generator,
    nlu_messages,
    training_names,
)

# Names the generator never uses (names.yml: held_out) and the sentences'
# shapes the templates do not have word for word.
UNSEEN = [
    ("me and bramble had the worst night", "bramble"),
    ("caught her texting quill at 1am", "quill"),
    ("Sorrel from work keeps covering for him", "Sorrel"),
    ("my best friend thistle reckons I should go", "thistle"),
    ("Juniper (my sister) won't talk to me", "Juniper"),
    ("i told thaddeus the truth", "thaddeus"),
    ("ottoline and I are moving out", "ottoline"),
    ("Marigold said I was being cold", "Marigold"),
    ("went round to branwen's flat after the row", "branwen"),
    ("my husband Peregrine never says sorry", "Peregrine"),
    ("dr oyelaran thinks it's burnout", "oyelaran"),
    ("so wren from church messaged me", "wren"),
    ("I keep calling Ifunanya and she won't pick up", "Ifunanya"),
    ("Ysolde, my stepmum, moved in last week", "Ysolde"),
]
# The model alone misses some (11 of 14 found when this was written).
MIN_MODEL_FOUND = 10
# Rules and model together (12 of 14 when written; the rules alone fewer).
MIN_UNION_FOUND = 12
KEEP = [
    "his mum changed her will",
    "every autumn we go camping",
    "there's a glimmer of hope",
    "he's a keen deer hunter",
    "love you babe",
    "cheers mate",
    "text the crisis line on 741741",
]


@pytest.fixture(scope="module")
def model() -> NameModel:
    return NameModel()


@pytest.fixture(scope="module")
def anonymizer() -> Anonymizer:
    return Anonymizer("union")


def test_the_test_names_are_not_in_the_training_lists() -> None:
    names = training_names()
    assert not [name for _, name in UNSEEN if name.lower() in names]


def test_the_model_finds_names_it_never_saw_from_their_context(
    model: NameModel,
) -> None:
    texts = [text for text, _ in UNSEEN]
    missed = [
        name
        for (text, name), spans in zip(UNSEEN, model.spans(texts))
        if name not in [text[start:end] for start, end, _ in spans]
    ]
    assert len(UNSEEN) - len(missed) >= MIN_MODEL_FOUND, missed


def test_the_anonymizer_masks_more_of_them_than_the_rules_alone(
    anonymizer: Anonymizer,
) -> None:
    rules = Anonymizer("rules")
    found = {
        finders: [
            name
            for text, name in UNSEEN
            if name not in finders.anonymize(text, Placeholders())
        ]
        for finders in (anonymizer, rules)
    }
    assert len(found[anonymizer]) >= MIN_UNION_FOUND, found[anonymizer]
    assert set(found[rules]) < set(found[anonymizer])


@pytest.mark.parametrize("text", KEEP)
def test_ordinary_words_stay(anonymizer: Anonymizer, text: str) -> None:
    assert anonymizer.anonymize(text, Placeholders()) == text


@pytest.mark.parametrize("text", KEEP[:3])
def test_the_model_alone_reads_these_as_words(model: NameModel, text: str) -> None:
    """The model on its own: "her will", "every autumn", "a glimmer of hope"
    (it does call "a keen deer hunter" a name; the anonymizer then asks for a
    person's context too)."""
    assert model.spans([text]) == [[]]


def test_a_batch_reads_each_message_as_one_at_a_time_would(
    anonymizer: Anonymizer,
) -> None:
    texts = [text for text, _ in UNSEEN] + KEEP
    one_by_one = [anonymizer._findings(text) for text in texts]
    fresh = Anonymizer("union")
    fresh.prefetch(texts)
    assert [fresh._cache[text] for text in texts] == one_by_one


def _predictions(path: Path, texts: List[str]) -> List[list]:
    return NameModel(path).spans(texts)


def test_two_builds_from_the_same_inputs_predict_the_same(tmp_path: Path) -> None:
    """Small settings so the test trains in seconds; the same code path."""
    small = {**SETTINGS, "sentences": 400, "epochs": 1}
    first = ensure_name_model(tmp_path / "a", settings=small)
    second = ensure_name_model(tmp_path / "b", settings=small)
    probe = [text for text, _ in UNSEEN] + KEEP
    probe += [s.text for s in Generator().generate(50, seed=99)]
    assert _predictions(first, probe) == _predictions(second, probe)
    assert (first / "ner" / "model").read_bytes() == (
        second / "ner" / "model"
    ).read_bytes()
    # Built once: the same inputs find it current; other settings do not.
    assert is_current(first, small)
    assert not is_current(first, {**small, "epochs": 2})
    assert fingerprint(small) != fingerprint(SETTINGS)


def test_a_change_to_the_word_lists_changes_the_fingerprint(
    tmp_path, monkeypatch
) -> None:
    """The synthetic sentences filter names with lexicons.py: a list changed
    there must retrain the model."""
    from bids_partner.transcripts import lexicons
    from bids_partner.transcripts.synthetic import inputs_fingerprint

    before = inputs_fingerprint()
    changed = tmp_path / "lexicons.py"
    changed.write_text(
        Path(lexicons.__file__).read_text(encoding="utf-8") + "\n# a new word\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(lexicons, "__file__", str(changed))
    assert inputs_fingerprint() != before


def test_intents_for_the_intent_classifier_alone_are_no_carrier_sentences(
    tmp_path: Path,
) -> None:
    """Told moments would change the name model (contract.INTENT_CLASSIFIER_ONLY)."""
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
        "    - come look at the moon with me\n",
        encoding="utf-8",
    )
    assert nlu_messages(tmp_path) == ["come look at the moon with me"]
