"""Issue 16, 2-4, as the user hears it: a reflection says "you feel ..." only of
a feeling the user has. Not of the partner's ("he's furious"), not of one they
deny ("I'm not angry, just hurt"), and not of a word that means something else
("home alone", "a close call")."""

from __future__ import annotations

import random
import re
from typing import List

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.reflection import ActionReflectMove

FEEL = r"\b(?:feel|feels|feeling|felt)"
# The user's own words, quoted back ({phrase}), are theirs to have said.
QUOTED = re.compile(r'"[^"]*"')


async def reflect(
    make_tracker, text: str, move: str, actor: str, words: List[str]
) -> List[str]:
    """What the action says to `text` over several draws, with the NLU's
    emotion entities `words`."""
    entities = [{"entity": "emotion", "value": word} for word in words]
    entities.append({"entity": "actor", "value": actor})
    said = []
    for seed in range(25):
        random.seed(seed)
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(text, move, entities=entities)
        await ActionReflectMove().run(dispatcher, tracker, {})
        said.append(QUOTED.sub('"..."', dispatcher.messages[0]["text"]))
    return said


@pytest.mark.parametrize(
    "text, move, actor, word",
    [
        ("he's furious whenever I bring it up", "criticism", "partner", "furious"),
        ("she was so hurt, she just walked out", "withdrawal", "partner", "hurt"),
        (
            "my mum gets anxious and then goes quiet for days",
            "withdrawal",
            "partner",
            "anxious",
        ),
        # Denied.
        ("I don't feel lonely, I just need some space", "withdrawal", "self", "lonely"),
        (
            "I held her hand and I'm not scared anymore",
            "turning_toward",
            "self",
            "scared",
        ),
        # Other senses.
        ("home alone tonight again, he never called", "withdrawal", "partner", "alone"),
        ("that was a close call, he caught me", "turning_toward", "partner", "close"),
        (
            "we live close to the station so he came",
            "turning_toward",
            "partner",
            "close",
        ),
        ("safe to say he showed up for me", "turning_toward", "partner", "safe"),
        # Done to someone: the user's move, not the user's feeling.
        ("I hurt her and then I just left the room", "withdrawal", "self", "hurt"),
        ("did I hurt you? I'm sorry, I'm here", "turning_toward", "self", "hurt"),
        ("I upset my mum again by not calling", "withdrawal", "self", "upset"),
        (
            "I'm close with my sister and she hugged me",
            "turning_toward",
            "partner",
            "close",
        ),
    ],
)
async def test_a_feeling_that_is_not_the_users_is_never_said_as_theirs(
    make_tracker, text: str, move: str, actor: str, word: str
) -> None:
    for reply in await reflect(make_tracker, text, move, actor, [word]):
        assert not re.search(rf"{FEEL} {word}\b", reply), reply


async def test_im_not_angry_just_hurt_is_hurt(make_tracker) -> None:
    said = await reflect(
        make_tracker,
        "I'm not angry, just hurt that he never listens",
        "criticism",
        "self",
        ["angry", "hurt"],
    )
    for reply in said:
        assert not re.search(r"\bangry\b", reply), reply
    assert any(re.search(rf"{FEEL} hurt\b", reply) for reply in said)


async def test_the_users_feeling_beside_the_partners_is_put_back(make_tracker) -> None:
    said = await reflect(
        make_tracker,
        "he's furious and I'm scared to say anything",
        "criticism",
        "partner",
        ["furious", "scared"],
    )
    for reply in said:
        assert "furious" not in reply, reply
    assert any(re.search(rf"{FEEL} scared\b", reply) for reply in said)
