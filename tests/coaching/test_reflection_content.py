"""Issue 16: the reflections a therapist edits (content/reflections.yml) read as
many voices, not one template: openings vary, "enough" is the lens of few, the
check-in is asked apart from the body, and a withdrawer's many experiences are
reflected. The schema keeps them so."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, List

import pytest
import yaml

from bids_partner.coaching.loader import CONTENT_DIR, ContentError, load_reflections
from bids_partner.contract import ACTORS, MOVES

CONTENT = load_reflections()
ENOUGH = re.compile(r"\benough\b", re.IGNORECASE)


def texts(move: str, actor: str) -> List[str]:
    return list(getattr(CONTENT.moves[move], actor))


def every_text() -> List[str]:
    return [t for move in MOVES for actor in ACTORS for t in texts(move, actor)]


def opening(text: str, words: int = 3) -> str:
    return " ".join(text.split()[:words])


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("actor", ACTORS)
def test_ten_reflections_can_go_without_a_repeat(move: str, actor: str) -> None:
    plain = [t for t in texts(move, actor) if "{reactive_feeling}" not in t]
    assert len(set(plain)) >= 10


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("actor", ACTORS)
def test_each_reflection_of_a_move_opens_its_own_way(move: str, actor: str) -> None:
    openings = Counter(opening(t) for t in texts(move, actor))
    assert max(openings.values()) == 1, openings
    # "enough" is the lens of one reflection at most.
    assert sum(bool(ENOUGH.search(t)) for t in texts(move, actor)) <= 1
    # The user's words are quoted in one reflection at most.
    assert sum("{phrase}" in t for t in texts(move, actor)) <= 1


def test_no_opening_is_worn_out() -> None:
    openings = Counter(opening(t) for t in every_text())
    assert max(openings.values()) <= 4, openings.most_common(5)
    # The user's words are quoted in few reflections, each framed its own way.
    quoting = [t for t in every_text() if "{phrase}" in t]
    assert len(quoting) <= len(MOVES)
    frames = Counter(t.split("{phrase}")[0].split(".")[-1].strip() for t in quoting)
    assert max(frames.values()) == 1, frames
    assert sum(bool(ENOUGH.search(t)) for t in every_text()) <= 4


def test_the_body_says_and_the_check_in_asks() -> None:
    for text in every_text():
        assert not text.rstrip().endswith("?"), text
        assert not text.rstrip().endswith(tuple(CONTENT.check_ins)), text
    assert len(set(CONTENT.check_ins)) == len(CONTENT.check_ins) >= 6
    assert all(check_in.endswith("?") for check_in in CONTENT.check_ins)
    fits = Counter(c.lower().split(",")[0].rstrip("?") for c in CONTENT.check_ins)
    assert max(fits.values()) == 1, fits


# A withdrawer's experiences, not only "not being enough".
WITHDRAWER = {
    "flooding": r"\bflood|overwhelm",
    "fear of making it worse": r"making (?:it|things) worse|set off the fight",
    "not knowing what to say": r"words won't come|words that aren't there|blank|"
    r"where to start",
    "shame": r"\bshame",
    "a pause and coming back": r"\bpause\b|come back to",
}


@pytest.mark.parametrize("experience", sorted(WITHDRAWER))
def test_withdrawal_reflects_many_experiences(experience: str) -> None:
    pattern = re.compile(WITHDRAWER[experience], re.IGNORECASE)
    assert any(pattern.search(t) for t in texts("withdrawal", "self")), experience


def test_a_partners_contempt_or_criticism_is_not_about_their_approval() -> None:
    for move in ("contempt", "criticism"):
        guesses = CONTENT.moves[move].guesses["partner"]["softer_feeling"]
        assert "not good enough" not in guesses
        for text in texts(move, "partner") + CONTENT.moves[move].deeper.partner:
            assert not re.search(
                r"approval|enough for them|good enough|are right|deserved",
                text,
                re.IGNORECASE,
            ), text
        for text in CONTENT.moves[move].safety_check:
            assert re.search(r"not yours to fix alone", text), text
            assert "safe" in text and "respect" in text and "gently" in text, text


def test_every_move_has_a_need_to_go_deeper_and_an_exercise() -> None:
    for move in MOVES:
        reflections = CONTENT.moves[move]
        for actor in ACTORS:
            assert getattr(reflections.deeper, actor)
            assert getattr(reflections.exercise, actor) in CONTENT.followup.exercises


# The schema keeps it so.


def with_content(tmp_path: Path, change: Callable[[Dict], None]) -> Path:
    data = yaml.safe_load((CONTENT_DIR / "reflections.yml").read_text())
    change(data)
    (tmp_path / "reflections.yml").write_text(yaml.safe_dump(data))
    return tmp_path


def rejected(tmp_path: Path, change: Callable[[Dict], None], match: str) -> None:
    with pytest.raises(ContentError, match=match):
        load_reflections.__wrapped__(with_content(tmp_path, change))


def test_a_body_that_asks_is_rejected(tmp_path: Path) -> None:
    def asks(data: Dict) -> None:
        data["moves"]["bid"]["partner"][0] = (
            "So {partner} reaches for you. Does it fit?"
        )

    rejected(tmp_path, asks, r"moves\.bid\.partner\[0\](.|\n)*must not end with")


def test_check_ins_must_ask_and_differ(tmp_path: Path) -> None:
    def no_question(data: Dict) -> None:
        data["check_ins"][2] = "Tell me if that fits."

    rejected(tmp_path, no_question, "must end with a question")

    def twice(data: Dict) -> None:
        data["check_ins"][1] = data["check_ins"][0]

    rejected(tmp_path, twice, r"check_ins(.|\n)*all different")

    def few(data: Dict) -> None:
        data["check_ins"] = data["check_ins"][:2]

    rejected(tmp_path, few, r"check_ins(.|\n)*at least")


def test_contempt_and_criticism_must_ask_about_safety(tmp_path: Path) -> None:
    def none(data: Dict) -> None:
        data["moves"]["contempt"]["safety_check"] = []

    rejected(tmp_path, none, r"moves\.contempt\.safety_check")

    def elsewhere(data: Dict) -> None:
        data["moves"]["bid"]["safety_check"] = ["Do you feel safe?"]

    rejected(tmp_path, elsewhere, r"moves\.bid\.safety_check")


def test_an_unknown_exercise_is_named(tmp_path: Path) -> None:
    def unknown(data: Dict) -> None:
        data["moves"]["bid"]["exercise"]["self"] = "rehearsal"

    rejected(tmp_path, unknown, "rehearsal")


def test_what_fits_must_ask(tmp_path: Path) -> None:
    def tells(data: Dict) -> None:
        data["followup"]["what_fits"][0] = "Tell me what fits better."

    rejected(tmp_path, tells, "must end with a question")


def test_a_list_with_only_romantic_texts_is_rejected(tmp_path: Path) -> None:
    # A user talking about their mum must always have something to hear.
    def only_romantic(data: Dict) -> None:
        data["moves"]["bid"]["deeper"]["self"] = [
            "Maybe you need to feel chosen by {partner}."
        ]

    rejected(tmp_path, only_romantic, r"moves\.bid\.deeper\.self.*romantic_framing")

    def no_framing(data: Dict) -> None:
        data["romantic_framing"] = []

    rejected(tmp_path, no_framing, "romantic_framing")


def test_help_after_a_no_about_safety_is_given_by_who_hurts_the_user(
    tmp_path: Path,
) -> None:
    # The Domestic Violence Hotline is for a partner or an ex; a mum or a brother
    # who hurts the user is answered from not_safe.other.
    assert all("1-800-799-7233" in t for t in CONTENT.not_safe_for("romantic"))
    for relationship in ("parent", "sibling", "child", "friend", "housemate"):
        for text in CONTENT.not_safe_for(relationship):
            assert "1-800-422-4453" in text and "911" in text and "988" in text
            assert "1-800-799-7233" not in text

    def one_group(data: Dict) -> None:
        del data["followup"]["not_safe"]["other"]

    rejected(tmp_path, one_group, r"not_safe groups \[.other.\]")

    def partner_for_a_mum(data: Dict) -> None:
        data["followup"]["not_safe"]["other"][0] = "Is {partner} your partner?"

    rejected(tmp_path, partner_for_a_mum, "not_safe.other")
