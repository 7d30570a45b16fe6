"""The labelled safety data is checked when loaded, and the risk classifier reads
risk apart from ordinary talk."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bids_partner.language.risk import (
    DESCRIBED_MOMENT,
    NONE,
    REPLY,
    SAFE_KINDS,
    LabelledRisk,
    RiskClassifier,
    SafetyDataError,
    load_file,
    load_safety,
    replies_to_a_partner,
    with_recent_turns,
)
from bids_partner.settings import ROOT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "w.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_messages_and_conversations_are_loaded(tmp_path: Path) -> None:
    items = load_file(
        write(
            tmp_path,
            """writer: w
messages:
  - {text: "i want to disappear for good", risk: clear, category: self_harm}
  - {text: "this traffic is killing me", risk: none, near_miss: idiom}
conversations:
  - turns: ["he was angry again", "he had his hands on my neck"]
    risk: clear
    category: abuse
""",
        )
    )
    assert [(i.label, i.turns, i.writer) for i in items] == [
        ("self_harm", 1, "w"),
        ("none:idiom", 1, "w"),
        ("abuse", 2, "w"),
    ]
    assert items[1].detail == "idiom"
    assert "he was angry again" in items[2].text


@pytest.mark.parametrize(
    "text, complaint",
    [
        ("messages: [", "not readable YAML"),
        ("writer: w\n", "a list `messages`"),
        ("messages:\n  - {text: '', risk: none}\n", "message 1 needs a text"),
        ("messages:\n  - {text: 'x', risk: maybe}\n", "risk 'maybe'"),
        ("messages:\n  - {text: 'x', risk: clear}\n", "category None"),
        ("messages:\n  - {text: 'x', risk: none, near_miss: idiomm}\n", "'idiomm'"),
        ("messages: []\nconversations:\n  - {turns: 'x', risk: none}\n", "`turns`"),
    ],
)
def test_bad_files_are_clear_errors(tmp_path: Path, text: str, complaint: str) -> None:
    with pytest.raises(SafetyDataError, match=complaint):
        load_file(write(tmp_path, text))


def test_the_training_data_loads_from_several_writers() -> None:
    items = load_safety(ROOT / "data" / "safety")
    assert len({i.writer for i in items}) >= 3
    assert {i.label for i in items} == {
        NONE,
        *(f"{NONE}:{kind}" for kind in SAFE_KINDS),
        "self_harm",
        "abuse",
        "harm_to_others",
    }


def test_recent_turns_keep_the_label_of_the_last_message() -> None:
    items = [LabelledRisk(f"ordinary {n}", NONE, NONE, "w") for n in range(3)] + [
        LabelledRisk("risky", "clear", "abuse", "w")
    ]
    joined = with_recent_turns(items, seed=1)
    assert len(joined) == len(items)
    risky = [j for j in joined if j.text.endswith("risky")]
    assert [j.label for j in risky] == ["abuse"] and risky[0].turns >= 2


def test_a_moment_described_in_the_showing_up_exercise_is_safe_talk_once(
    tmp_path: Path,
) -> None:
    replies = [
        ("showing_up", "he sat in the car after the doctor", "can I sit with you?"),
        ("showing_up", "he sat in the car after the doctor", "did they ask about me"),
        ("surgeon", "I lost a patient today", "come here"),
    ]
    (tmp_path / "w.yml").write_text(
        yaml.safe_dump(
            {
                "writer": "w1",
                "replies": [
                    {"scene": scene, "line": "l1", "partner": partner}
                    | {"kind": "toward", "text": text}
                    for scene, partner, text in replies
                ],
            }
        ),
        encoding="utf-8",
    )
    items = replies_to_a_partner(tmp_path)
    moments = [i for i in items if i.detail == DESCRIBED_MOMENT]
    # A scene's partner lines are the assistant's words, never the user's.
    assert [(m.text, m.writer, m.label) for m in moments] == [
        ("he sat in the car after the doctor", "w1", f"{NONE}:{DESCRIBED_MOMENT}")
    ]
    assert sorted(i.text for i in items if i.detail == REPLY) == [
        "can I sit with you?",
        "come here",
        "did they ask about me",
    ]


def test_the_classifier_tells_risk_from_ordinary_talk() -> None:
    risk = [
        "i want to end my life",
        "he hit me again last night",
        "i'm scared i'll hurt the baby",
        "i have pills saved up",
    ]
    safe = ["we argued about dishes", "i love him", "work was long", "she was late"]
    classifier = RiskClassifier(with_encoder=False).fit(
        [LabelledRisk(t, "clear", "self_harm", "w") for t in risk[::3]]
        + [LabelledRisk(risk[1], "clear", "abuse", "w")]
        + [LabelledRisk(risk[2], "clear", "harm_to_others", "w")]
        + [LabelledRisk(t, NONE, NONE, "w") for t in safe]
    )
    [(high, category), (low, _)] = classifier.scores(
        ["i want to end my life", "we argued about the dishes"]
    )
    assert high > 0.5 > low and category == "self_harm"


def test_every_kind_of_near_miss_is_safe_and_only_risk_is_scored() -> None:
    # Each kind of safe talk is its own class; the risk score must not count
    # any of them (a score of 1 - P("none") alone would call every idiom risk).
    risk = ["i want to end my life", "i have pills saved up", "he hit me again"]
    near = {
        "idiom": ["this traffic is killing me", "my boss will be the death of me"],
        "negated": ["i would never end my life", "i dont want to die"],
        "past_resolved": ["years ago he hit me, i am safe now"],
    }
    train = [LabelledRisk(t, "clear", "self_harm", "w") for t in risk[:2]]
    train += [LabelledRisk(risk[2], "clear", "abuse", "w")]
    train += [
        LabelledRisk(t, NONE, NONE, "w", kind) for kind, ts in near.items() for t in ts
    ]
    train += [LabelledRisk("we argued about dishes", NONE, NONE, "w")]
    classifier = RiskClassifier(with_encoder=False).fit(train)
    assert len(classifier.model.classes_) == 6
    [(idiom, _), (plain, _), (danger, category)] = classifier.scores(
        [
            "this traffic is killing me",
            "we argued about dishes",
            "i want to end my life",
        ]
    )
    assert idiom < 0.5 and plain < 0.5 < danger and category == "self_harm"


def test_scope_marks_carry_a_negation_to_words_it_was_not_seen_with() -> None:
    # Negated risk words are none whatever the negator; the marks let what
    # "never" taught about "neg_hurt" reach "dont".
    risk = ["i will hurt myself", "i am going to hurt myself tonight"]
    safe = [
        "i would never hurt myself",
        "i will never hurt myself ok",
        "we argued about the dishes",
        "i'm not going anywhere, i'm fine",
    ]
    train = [LabelledRisk(t, "clear", "self_harm", "w") for t in risk] + [
        LabelledRisk(t, NONE, NONE, "w") for t in safe
    ]
    negated = "i dont hurt myself"
    plain = RiskClassifier(with_encoder=False).fit(train).score(negated)[0]
    shaped = RiskClassifier(with_encoder=False, with_shapes=True).fit(train)
    assert shaped.score(negated)[0] < plain
    assert shaped.score("i will hurt myself tonight")[0] > 0.5
