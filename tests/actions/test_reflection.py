from __future__ import annotations

import random
import re

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.reflection import ActionReflectMove, compose_reflection
from bids_partner.coaching import load_reflections
from bids_partner.contract import ACTORS, MOVES
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


async def test_two_people_in_one_message_the_slot_keeps_the_one_reflected(
    dispatcher, make_tracker
) -> None:
    # Rasa's slot mapping keeps the last partner word of a message ("boyfriend");
    # the reflection names the first, the one the move is about.
    text = "my mum says my boyfriend is lazy"
    tracker = make_tracker(
        text,
        "criticism",
        entities=[
            {"entity": "partner_role", "value": "mum"},
            {"entity": "partner_role", "value": "boyfriend"},
            {"entity": "actor", "value": "partner"},
        ],
        slots={"partner_role": "boyfriend"},
    )
    events = await ActionReflectMove().run(dispatcher, tracker, {})
    assert "your mum" in dispatcher.messages[0]["text"]
    assert {
        "event": "slot",
        "timestamp": None,
        "name": "partner_role",
        "value": "mum",
    } in events


async def test_one_person_in_the_message_leaves_the_slot_as_rasa_set_it(
    dispatcher, make_tracker
) -> None:
    tracker = make_tracker(
        "my Mum never listens",
        "criticism",
        entities=[{"entity": "partner_role", "value": "Mum"}],
        slots={"partner_role": "Mum"},
    )
    events = await ActionReflectMove().run(dispatcher, tracker, {})
    assert [e["name"] for e in events] == ["actor"]


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


# Issue 16: the feeling put back is the right kind of feeling, in the right form.

FEEL = r"\b(?:feel|feels|feeling|felt)"


def every_reflection(move: str, actor: str, feeling: str) -> set[str]:
    """What compose_reflection can say for `move` when the user typed `feeling`."""
    content = load_reflections()
    return {
        compose_reflection(content, move, actor, None, feeling, rng=random.Random(s))
        for s in range(120)
    }


def guessed(move: str, actor: str, slot: str = "softer_feeling") -> str:
    """The tentative guess content/reflections.yml makes for `slot`."""
    content = load_reflections()
    first, second = content.moves[move].guesses[actor][slot]
    return content.guess_wording.format(first=first, second=second)


async def reflect(
    make_tracker, text: str, move: str, feelings: list[str], actor: str = "self"
) -> set[str]:
    """Every reflection the action gives `text` (over several random draws)."""
    entities = [{"entity": "emotion", "value": word} for word in feelings]
    entities.append({"entity": "actor", "value": actor})
    texts = set()
    for seed in range(40):
        random.seed(seed)
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(text, move, entities=entities)
        await ActionReflectMove().run(dispatcher, tracker, {})
        texts.add(dispatcher.messages[0]["text"])
    return texts


async def test_im_so_angry_is_reflected_as_anger_with_a_softer_guess_under_it(
    make_tracker,
) -> None:
    texts = await reflect(
        make_tracker, "I'm so angry, he never listens", "criticism", ["angry"]
    )
    for text in texts:
        assert "softer feeling, like feeling angry" not in text
        assert not re.search(r"(?:softer|under|beneath)[^.?!]*\bangry\b", text)
        # What the user named, as they named it, then a guess at what is under it.
        assert re.search(rf"{FEEL} angry\b", text), text
        guess = guessed("criticism", "self")
        assert re.search(rf"{FEEL} {re.escape(guess)}", text), text
        assert text.index("angry") < text.index(guess)


def test_hurts_is_put_back_as_hurt() -> None:
    texts = every_reflection("contempt", "self", "hurts")
    for text in texts:
        assert "how hurts you feel" not in text
        assert not re.search(rf"{FEEL} hurts\b|\bhurts you feel\b", text), text
    # Every contempt reflection that names a feeling says "hurt", after "feel".
    assert all(re.search(rf"{FEEL} hurt\b", text) for text in texts), texts


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("typed", ["hurts", "hurting", "Hurt"])
def test_every_form_of_hurt_reads_hurt(move: str, actor: str, typed: str) -> None:
    for text in every_reflection(move, actor, typed):
        assert not re.search(rf"{FEEL} (?:hurts|hurting|Hurt)\b", text), text
        assert not re.search(r"\b(?:hurts|hurting|hurt|Hurt) you feel\b", text), text


@pytest.mark.parametrize(
    ("text", "move", "actor", "word"),
    [
        ("I'm so angry, he never listens", "criticism", "self", "angry"),
        ("I'm fed up, so I just walk out", "withdrawal", "self", "fed up"),
        ("she went silent and I was furious", "withdrawal", "partner", "furious"),
        ("he rolls his eyes, I get irritated", "contempt", "partner", "irritated"),
        ("I explain myself and I'm annoyed", "defensiveness", "self", "annoyed"),
    ],
)
async def test_only_a_reactive_word_gets_a_softer_guess(
    make_tracker, text: str, move: str, actor: str, word: str
) -> None:
    texts = await reflect(make_tracker, text, move, [word], actor)
    for reply in texts:
        assert re.search(rf"{FEEL} {re.escape(guessed(move, actor))}", reply), reply
        # The reactive word is said only as what the user feels, never as the
        # softer feeling.
        assert reply.count(word) == len(re.findall(rf"{FEEL} {word}\b", reply))


async def test_a_named_softer_feeling_is_put_back_as_named(make_tracker) -> None:
    texts = await reflect(
        make_tracker,
        "I'm so angry and honestly lonely, he never listens",
        "criticism",
        ["angry", "lonely"],
    )
    for text in texts:
        assert re.search(rf"{FEEL} lonely\b", text), text
        assert guessed("criticism", "self") not in text


async def test_feeling_words_outside_the_lexicon_are_ignored(make_tracker) -> None:
    texts = await reflect(
        make_tracker, "can you just sit with me", "bid", ["{wistful}", "wistful", "7"]
    )
    for text in texts:
        assert "wistful" not in text and "{" not in text
