"""Issue 16: within a conversation the reflections do not go canned. No reflection
comes back word for word within ten, no check-in is asked twice in a row, and a
partner's contempt or put-downs are met with a gentle question about safety and
respect, never with collusion."""

from __future__ import annotations

import random
import re
from typing import Any, Dict, List, Sequence, Tuple

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.reflection import ActionReflectMove
from bids_partner.contract import ACTORS, MOVES
from tests.helpers.events import user_event

SAID = "it happened again last night and I don't know what to do"
# The last sentence of a reflection is its check-in (or its question about safety).
LAST_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def split(text: str) -> Tuple[str, str]:
    """A reflection's body and the question it ends with."""
    *body, question = LAST_SENTENCE.split(text)
    assert question.endswith("?"), text
    return " ".join(body), question


async def reflections(
    turns: Sequence[Tuple[str, str]], feelings: Sequence[str] = (), seed: int = 0
) -> List[str]:
    """What action_reflect_move says to each (move, actor) in turn, in one
    conversation that keeps what the bot said."""
    random.seed(seed)
    events: List[Dict[str, Any]] = []
    said = []
    for move, actor in turns:
        entities = [{"entity": "actor", "value": actor}]
        entities += [{"entity": "emotion", "value": word} for word in feelings]
        latest = user_event(SAID, move, entities)
        events.append(latest)
        tracker = Tracker.from_dict(
            {
                "sender_id": "test-user",
                "slots": {},
                "latest_message": latest["parse_data"],
                "events": list(events),
                "paused": False,
                "followup_action": None,
                "active_loop": {},
                "latest_action_name": "action_listen",
            }
        )
        dispatcher = CollectingDispatcher()
        await ActionReflectMove().run(dispatcher, tracker, {})
        [message] = dispatcher.messages
        events.append({"event": "action", "name": "action_reflect_move"})
        events.append({"event": "bot", "text": message["text"]})
        said.append(message["text"])
    return said


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("feelings", [(), ("hurt",), ("angry",)])
async def test_no_reflection_comes_back_within_ten(
    move: str, actor: str, feelings: Tuple[str, ...]
) -> None:
    said = await reflections([(move, actor)] * 10, feelings)
    bodies = [split(text)[0] for text in said]
    assert len(set(bodies)) == 10, bodies
    questions = [split(text)[1] for text in said]
    for before, after in zip(questions, questions[1:]):
        assert before != after, questions


@pytest.mark.parametrize("seed", range(5))
async def test_a_long_conversation_repeats_no_check_in_and_no_recent_reflection(
    seed: int,
) -> None:
    rng = random.Random(seed)
    turns = [(rng.choice(MOVES), rng.choice(ACTORS)) for _ in range(40)]
    said = await reflections(turns, seed=seed)
    questions = [split(text)[1] for text in said]
    for before, after in zip(questions, questions[1:]):
        assert before != after, questions
    bodies = [split(text)[0] for text in said]
    for start in range(len(bodies) - 9):
        window = bodies[start : start + 10]
        assert len(set(window)) == 10, window


# Issue 16, 3: a partner's contempt or repeated put-downs.
COLLUDING = re.compile(
    r"\bdeserved\b|\bdeserve it\b|\b(?:they|he|she) (?:is|are|was|were) right\b"
    r"|\bwondering if they are right\b|\byour fault\b|\bapproval\b"
    r"|\benough for (?:them|him|her)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("move", ["contempt", "criticism"])
@pytest.mark.parametrize("feelings", [(), ("humiliated",), ("angry",)])
async def test_a_partners_contempt_or_put_downs_ask_about_safety_and_respect(
    move: str, feelings: Tuple[str, ...]
) -> None:
    said = await reflections([(move, "partner")] * 11, feelings)
    for text in said:
        _, question = split(text)
        assert re.search(r"\bsafe\b", question) and "respect" in question, text
        assert "gently" in text, text
        # Not theirs to fix alone, said in the reflection itself.
        assert re.search(r"not yours to fix alone", text), text
        assert not COLLUDING.search(text), text


async def test_the_users_own_contempt_is_never_called_deserved() -> None:
    said = await reflections([("contempt", "self")] * 11)
    for text in said:
        assert not COLLUDING.search(text), text
        # The user's own move gets a check-in, not a question about their safety.
        assert "not yours to fix" not in text, text
