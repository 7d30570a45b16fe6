from __future__ import annotations

import random

import pytest

from actions.reflection import ActionReflectMove, compose_reflection
from bids_partner.coaching import load_reflections
from bids_partner.contract import MOVES
from tests.helpers.events import bot_event


async def test_partner_move_is_reflected_with_the_users_words(
    dispatcher, make_tracker
) -> None:
    tracker = make_tracker(
        "my wife rolls her eyes at me and I feel humiliated",
        "contempt",
        entities=[
            {"entity": "partner_role", "value": "wife"},
            {"entity": "emotion", "value": "humiliated"},
            {"entity": "actor", "value": "partner"},
        ],
    )
    events = await ActionReflectMove().run(dispatcher, tracker, {})

    [message] = dispatcher.messages
    assert "your wife" in message["text"]
    assert "your partner" not in message["text"]
    assert message["text"].rstrip().endswith("?")
    assert events == [
        {"event": "slot", "timestamp": None, "name": "actor", "value": "partner"}
    ]


async def test_unknown_actor_is_treated_as_the_user(dispatcher, make_tracker) -> None:
    tracker = make_tracker("whatever, I'm done", "withdrawal")
    events = await ActionReflectMove().run(dispatcher, tracker, {})
    self_texts = load_reflections().moves["withdrawal"].self
    first_words = {text.split()[0] for text in self_texts}
    assert dispatcher.messages[0]["text"].split()[0] in first_words
    assert events[0]["value"] == "self"


async def test_partner_word_remembered_from_earlier_turn(
    dispatcher, make_tracker
) -> None:
    tracker = make_tracker(
        "he never listens", "criticism", slots={"partner_role": "hubby"}
    )
    await ActionReflectMove().run(dispatcher, tracker, {})
    assert "your hubby" in dispatcher.messages[0]["text"]


async def test_not_a_move_falls_back_to_default_response(
    dispatcher, make_tracker
) -> None:
    await ActionReflectMove().run(dispatcher, make_tracker("hello", "greet"), {})
    assert dispatcher.messages[0]["response"] == "utter_default"


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("actor", ["self", "partner"])
def test_never_repeats_the_previous_reflection(move: str, actor: str) -> None:
    content = load_reflections()
    rng = random.Random(7)
    previous = compose_reflection(content, move, actor, "gf", None, rng=rng)
    for _ in range(20):
        text = compose_reflection(content, move, actor, "gf", None, previous, rng)
        assert text != previous
        previous = text


async def test_action_avoids_the_bots_last_message(dispatcher, make_tracker) -> None:
    content = load_reflections()
    texts = {
        compose_reflection(content, "bid", "self", None, None, rng=random.Random(seed))
        for seed in range(30)
    }
    for last in texts:
        tracker = make_tracker("can we cuddle", "bid", history=[bot_event(last)])
        dispatcher.messages.clear()
        await ActionReflectMove().run(dispatcher, tracker, {})
        assert dispatcher.messages[0]["text"] != last
