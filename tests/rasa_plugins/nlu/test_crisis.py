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


def test_laughing_is_not_a_wish_to_die() -> None:
    for text in ("lol I'm going to kill myself laughing", "I want to die laughing"):
        assert default_detector().find(nlp(text)) == []


def test_a_patterns_file_without_the_past_group_is_a_clear_error(
    tmp_path: Path,
) -> None:
    text = PATTERNS_FILE.read_text()
    bad = "\n".join(
        line for line in text.splitlines() if not line.startswith("  past:")
    )
    assert bad != text
    (tmp_path / "p.yml").write_text(bad)
    with pytest.raises(PatternError, match="past"):
        CrisisDetector(nlp, tmp_path / "p.yml")


def test_unknown_group_is_a_clear_error(tmp_path: Path) -> None:
    bad = PATTERNS_FILE.read_text().replace('"kms"', '"@nosuchgroup"')
    (tmp_path / "p.yml").write_text(bad)
    with pytest.raises(PatternError, match="nosuchgroup"):
        CrisisDetector(nlp, tmp_path / "p.yml")


@pytest.mark.parametrize(
    "text, direct",
    [
        ("honestly i just want to die", True),
        ("how do I practise a bid with someone who slaps me", True),
        # "hit" may be a past event, and so is a wish told in the past: left to
        # the classifier.
        ("ok so he hit me", False),
        ("when I was 19 I wanted to die, therapy helped", False),
        # A direct pattern told in the past, in its clause or its catch.
        ("ten years ago I tried to take my life, I'm well now", False),
        ("i was suicidal at uni", False),
        ("I had thoughts of ending it all back then", False),
        # The past of another clause does not reach it.
        ("I've had enough, I want to kill myself", True),
        ("i feel suicidal", True),
        # "was" after "wish" or "if" is a wish or a condition said now.
        ("i wish i was dead", True),
        ("so that was my weekend. i wish i was dead", True),
        ("everyone would be better off if i wasn't here", True),
        ("when i was 15 i wish i was dead every day", False),
    ],
)
def test_what_is_said_outright_is_direct(text: str, direct: bool) -> None:
    found = default_detector().find(nlp(text))
    assert found and any(m.direct for m in found) == direct


@pytest.mark.parametrize(
    "entry, error",
    [
        ("{direct: 3}", "direct"),
        ('{strong: "kms"}', "direct"),
        ('["kms"]', "string"),
    ],
)
def test_a_malformed_pattern_entry_is_a_clear_error(
    tmp_path: Path, entry: str, error: str
) -> None:
    bad = PATTERNS_FILE.read_text().replace('- direct: "kms"', f"- {entry}")
    assert bad != PATTERNS_FILE.read_text()
    (tmp_path / "p.yml").write_text(bad)
    with pytest.raises(PatternError, match=error):
        CrisisDetector(nlp, tmp_path / "p.yml")


def test_only_a_risk_pattern_can_be_direct(tmp_path: Path) -> None:
    text = PATTERNS_FILE.read_text()
    harmless = text.index("harmless:")
    first = text.index("  - ", harmless)
    bad = text[:first] + "  - direct: " + text[first + len("  - ") :]
    (tmp_path / "p.yml").write_text(bad)
    with pytest.raises(PatternError, match="harmless:0: only a risk pattern"):
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


THRESHOLDS = crisis.Thresholds(
    check=0.3, crisis=0.9, context=0.5, long_sentence_crisis=0.95
)
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
        # A message longer than the encoder reads: read whole or in windows it
        # only asks, from the context threshold; a sentence alone asks from the
        # check and gives the full text from long_sentence_crisis.
        (
            [],
            [],
            {"score": 0.8, "whole_score": 0.8, "sentence_score": 0.2},
            ("check", None),
        ),
        (
            [],
            [],
            {"score": 0.45, "whole_score": 0.45, "sentence_score": 0.2},
            (None, None),
        ),
        (
            [],
            [],
            {"score": 0.4, "whole_score": 0.1, "sentence_score": 0.4},
            ("check", None),
        ),
        (
            [],
            [],
            {"score": 0.92, "whole_score": 0.1, "sentence_score": 0.92},
            ("check", None),
        ),
        (
            [],
            [],
            {"score": 0.97, "whole_score": 0.1, "sentence_score": 0.97},
            ("crisis", None),
        ),
        # The whole read at its highest gives no full text.
        (
            [],
            [],
            {"score": 0.99, "whole_score": 0.99, "sentence_score": 0.5},
            ("check", None),
        ),
        # A pattern still asks in a long message.
        (
            [MATCH],
            [],
            {"score": 0.2, "whole_score": 0.2, "sentence_score": 0.2},
            ("check", "self_harm"),
        ),
    ],
)
def test_safety_tier(found, cancelled, risk, expected) -> None:
    assert crisis.safety_tier(found, cancelled, risk, THRESHOLDS) == expected


FLOORED = crisis.Thresholds(check=0.3, crisis=0.9, context=0.5, pattern_floor=0.1)
HIT = crisis.CrisisMatch("abuse", "@partner ~3 @violence me", 0, 9)
WISH = crisis.CrisisMatch("self_harm", "@want [@to] ~1 @die", 0, 11, direct=True)


@pytest.mark.parametrize(
    "found, risk, expected",
    [
        # Below the floor a pattern's catch does not count ("he hit me once,
        # years ago, we got help"), unless it is direct.
        ([HIT], {"score": 0.05, "category": "none"}, (None, None)),
        ([HIT], {"score": 0.1, "category": "none"}, ("check", "abuse")),
        ([WISH], {"score": 0.0, "category": "none"}, ("check", "self_harm")),
        ([HIT, WISH], {"score": 0.05}, ("check", "self_harm")),
        # The recent turns read together lift the floor too.
        ([HIT], {"score": 0.05, "context_score": 0.2}, ("check", "abuse")),
        # No classifier score (no RiskReader): the patterns alone decide.
        ([HIT], {}, ("check", "abuse")),
    ],
)
def test_a_pattern_counts_above_the_floor_or_when_direct(found, risk, expected) -> None:
    assert crisis.safety_tier(found, [], risk, FLOORED) == expected


@pytest.mark.parametrize(
    "score, tier, where",
    [
        # The classifier has learnt that a past, resolved hit is safe talk.
        (0.02, None, None),
        # Where it sees some risk, the pattern asks and marks its words.
        (0.2, "check", "he hit me"),
    ],
)
def test_the_matcher_weighs_a_pattern_by_the_risk_score(
    score: float, tier: str | None, where: str | None
) -> None:
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.utils.spacy_utils import SpacyModel
    from rasa.shared.nlu.training_data.message import Message

    from bids_partner.contract import RISK_KEY, safety_tier

    matcher = crisis.CrisisMatcher.create(
        {},
        LocalModelStorage(Path("/nonexistent")),
        Resource("crisis"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    text = "years ago he hit me once, we did counselling and it never happened again"
    message = Message(
        data={"text": text, RISK_KEY: {"score": score, "category": "none"}}
    )
    matcher.process([message], model=SpacyModel(model=nlp, model_name="en_relational"))
    entities = message.get("entities") or []
    assert safety_tier(entities) == tier
    marked = [e for e in entities if e["entity"] == "crisis_category"]
    assert [text[e["start"] : e["end"]] for e in marked] == ([where] if where else [])
