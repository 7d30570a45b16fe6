"""Every reflection template, filled with every word of the feeling lexicon, reads
right by construction (issue 16): no "feel hurts", no reactive feeling passed off
as the softer one ("a softer feeling, like feeling angry"), no unfilled braces."""

from __future__ import annotations

import re
from typing import Dict, List

import pytest

from actions.reflection import reflection_options, slot_values
from bids_partner.coaching import load_reflections
from bids_partner.contract import ACTORS, MOVES
from bids_partner.language.spacy_pipeline import load_feelings

CONTENT = load_reflections()
LEXICON = load_feelings()
FEEL = r"\b(?:feel|feels|feeling|felt)"
SLOT_OF_KIND = {
    "softer": "{softer_feeling}",
    "reactive": "{reactive_feeling}",
    "warm": "{warm_feeling}",
}


def templates(move: str, actor: str) -> List[str]:
    return list(getattr(CONTENT.moves[move], actor))


def test_the_lexicon_has_every_kind_and_many_words() -> None:
    kinds = {entry.kind for entry in LEXICON.entries}
    assert kinds == {"softer", "reactive", "warm"}
    assert sum(len(entry.typed) for entry in LEXICON.entries) > 100


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("actor", ACTORS)
def test_every_template_reads_right_with_every_lexicon_entry(
    move: str, actor: str
) -> None:
    plain_values = slot_values(CONTENT, move, actor, "wife", [])
    plain = {
        o.template: o.text for o in reflection_options(CONTENT, move, actor, "wife", [])
    }
    # With no feeling named, every template but those reflecting a reactive
    # feeling is offered, and a guess fills each feeling slot.
    assert set(plain) == {
        t for t in templates(move, actor) if "{reactive_feeling}" not in t
    }
    for template, text in plain.items():
        assert "{" not in text and "}" not in text, text
        for slot in ("softer_feeling", "warm_feeling", "partner_feeling"):
            if "{" + slot + "}" in template:
                guess = re.escape(plain_values[slot])
                assert re.search(rf"{FEEL} {guess}", text), text

    for entry in LEXICON.entries:
        slot = SLOT_OF_KIND[entry.kind]
        for typed in entry.typed:
            options = reflection_options(CONTENT, move, actor, "wife", [typed])
            offered = {option.template for option in options}
            assert offered == {
                t
                for t in templates(move, actor)
                if entry.kind == "reactive" or "{reactive_feeling}" not in t
            }, typed
            for option in options:
                text = option.text
                where = f"{move}/{actor}, typed {typed!r}: {text}"
                assert "{" not in text and "}" not in text, where
                # "feel hurts", "how hurts you feel": only the form that follows
                # "feel" is ever put into the text.
                if not entry.feel.startswith(typed):
                    form = re.escape(typed)
                    assert not re.search(rf"{FEEL} {form}(?!\w)", text), where
                    assert not re.search(rf"(?<!\w){form} you feel", text), where
                # The user's word fills the slot of its kind and nothing else;
                # a softer slot keeps its guess when only a reactive word was named.
                expected = option.template.format(
                    **{**plain_values, slot[1:-1]: entry.feel}
                )
                assert text == expected, where
                if slot in option.template:
                    assert re.search(rf"{FEEL} {re.escape(entry.feel)}\b", text), where
                if entry.kind == "reactive":
                    assert not re.search(
                        rf"\b(?:softer|underneath|under)\b[^.?!]*{FEEL} "
                        rf"{re.escape(entry.feel)}\b",
                        text,
                    ), where


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("actor", ACTORS)
def test_the_users_own_softer_word_comes_before_a_guess(move: str, actor: str) -> None:
    options = reflection_options(CONTENT, move, actor, None, ["hurting"])
    echoing = [o for o in options if o.echoes]
    if "{softer_feeling}" in " ".join(templates(move, actor)):
        assert echoing and all(re.search(rf"{FEEL} hurt\b", o.text) for o in echoing)
    else:
        assert not echoing


def test_only_reflections_that_can_be_filled_are_offered() -> None:
    values: Dict[str, str] = slot_values(CONTENT, "criticism", "self", None, [])
    assert "reactive_feeling" not in values  # never guessed: only what was named
    values = slot_values(CONTENT, "criticism", "self", None, ["Fed  Up"])
    assert values["reactive_feeling"] == "fed up"
