from pathlib import Path

import pytest
import spacy

from bids_partner.language.spacy_pipeline import ensure_pipeline
from bids_partner.rasa_plugins.nlu import crisis
from bids_partner.rasa_plugins.nlu.crisis import (
    PATTERNS_FILE,
    CrisisDetector,
    PatternError,
    default_detector,
)

nlp = spacy.load(ensure_pipeline())


def categories(text: str) -> set:
    return {m.category for m in default_detector().find(nlp(text))}


@pytest.mark.parametrize(
    "text, category",
    [
        ("i wanna kil myslef", "self_harm"),
        ("I don't want to be alive anymore", "self_harm"),
        ("he choked me last week", "abuse"),
        ("he wont let me see my friends", "abuse"),
        ("I'm going to hurt him when he gets home", "harm_others"),
    ],
)
def test_crisis_patterns_find_the_category(text: str, category: str) -> None:
    assert category in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd never hurt myself",  # negation before the match
        "I'm not suicidal, just sad",  # negation inside the match
        "this fight is killing me",  # idiom
        "he beat me at chess again",  # harmless use
        "i swear ill kill him if he spoils the finale lol",  # joking
        "I want to end it with him, we're not working",  # a breakup
    ],
)
def test_near_misses_do_not_match(text: str) -> None:
    assert categories(text) == set()


def test_saying_no_is_not_a_negation() -> None:
    assert "abuse" in categories("every time i say no he pressures me until i give in")


def test_match_reports_character_offsets() -> None:
    text = "ok so he hit me"
    [match] = default_detector().find(nlp(text))
    assert text[match.start : match.end] == "he hit me"


def test_unknown_group_is_a_clear_error(tmp_path: Path) -> None:
    bad = PATTERNS_FILE.read_text().replace('"kms"', '"@nosuchgroup"')
    (tmp_path / "p.yml").write_text(bad)
    with pytest.raises(PatternError, match="nosuchgroup"):
        CrisisDetector(nlp, tmp_path / "p.yml")


def test_malformed_patterns_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "p.yml").write_text("groups: [oops")
    with pytest.raises(PatternError):
        CrisisDetector(nlp, tmp_path / "p.yml")


def test_the_matcher_uses_the_pipeline_spacynlp_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.utils.spacy_utils import SpacyModel
    from rasa.shared.nlu.training_data.message import Message

    from bids_partner.rasa_plugins.nlu import crisis

    def no_second_load(*_: object, **__: object) -> None:
        raise AssertionError("the server must not load or build spaCy again")

    monkeypatch.setattr(crisis.spacy, "load", no_second_load)
    monkeypatch.setattr(crisis, "ensure_pipeline", no_second_load)
    matcher = crisis.CrisisMatcher.create(
        {},
        LocalModelStorage(Path("/nonexistent")),
        Resource("crisis"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    model = SpacyModel(model=nlp, model_name="en_relational")
    [message] = matcher.process(
        [Message(data={"text": "i wanna kil myslef"})], model=model
    )
    assert message.get("intent")["name"] == "crisis"
    assert matcher.detector(model).nlp is nlp


THRESHOLDS = crisis.Thresholds(check=0.3, crisis=0.9, context=0.5)
MATCH = crisis.CrisisMatch("self_harm", "want to die", 0, 11)


@pytest.mark.parametrize(
    "found, cancelled, risk, expected",
    [
        # The classifier alone: nothing, the question, the full text.
        ([], [], {"score": 0.1, "category": "abuse"}, (None, None)),
        ([], [], {"score": 0.5, "category": "abuse"}, ("check", "abuse")),
        ([], [], {"score": 0.95, "category": "abuse"}, ("crisis", "abuse")),
        # A pattern asks at least, and names the category.
        ([MATCH], [], {"score": 0.0, "category": "abuse"}, ("check", "self_harm")),
        ([MATCH], [], {"score": 0.95}, ("crisis", "self_harm")),
        # Crisis words negated or idiomatic: asked about, never more.
        ([], [MATCH], {"score": 0.95, "category": "self_harm"}, ("check", "self_harm")),
        # The recent turns together can only ask.
        (
            [],
            [],
            {"score": 0.1, "context_score": 0.99, "context_category": "self_harm"},
            ("check", "self_harm"),
        ),
        ([], [], {"score": 0.1, "context_score": 0.4}, (None, None)),
    ],
)
def test_safety_tier(found, cancelled, risk, expected) -> None:
    assert crisis.safety_tier(found, cancelled, risk, THRESHOLDS) == expected
