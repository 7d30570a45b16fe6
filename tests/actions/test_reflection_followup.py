"""Issue 16: a "yes" or a "no" after a reflection is answered. A "no" asks what
would fit better and reflects the next message again; a "yes" names the need under
the reflection and offers the matching exercise, with its button. After the
question about safety, a "no" gets care and help, never a correction."""

from __future__ import annotations

import random
import re
from typing import Any, Dict, List, Sequence

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.reflection import (
    PLACEHOLDER,
    ActionReflectionFollowup,
    ActionReflectMove,
    filled_pattern,
    read_reflection,
    reflection_templates,
)
from bids_partner.coaching import load_reflections
from bids_partner.coaching.wording import partner_phrase, relationship_of
from bids_partner.contract import ROMANTIC
from bids_partner.language.spacy_pipeline import load_partner_roles
from tests.helpers.events import user_event

CONTENT = load_reflections()
FOLLOWUP = CONTENT.followup
PARTNER = CONTENT.default_partner


def filled(texts: Sequence[str]) -> List[str]:
    return [text.format(partner=PARTNER) for text in texts]


class Conversation:
    """Runs the actions the rules would, keeping the events as Rasa does: the
    action, then what it said, then the slots it set."""

    def __init__(self, seed: int = 0) -> None:
        random.seed(seed)
        self.events: List[Dict[str, Any]] = []
        self.slots: Dict[str, Any] = {}
        self.returned: List[Dict[str, Any]] = []

    async def say(
        self,
        text: str,
        intent: str,
        action: Action,
        entities: List[Dict[str, Any]] | None = None,
    ) -> List[Dict[str, Any]]:
        latest = user_event(text, intent, entities)
        self.events.append(latest)
        tracker = Tracker.from_dict(
            {
                "sender_id": "test-user",
                "slots": dict(self.slots),
                "latest_message": latest["parse_data"],
                "events": list(self.events),
                "paused": False,
                "followup_action": None,
                "active_loop": {},
                "latest_action_name": "action_listen",
            }
        )
        dispatcher = CollectingDispatcher()
        self.returned = await action.run(dispatcher, tracker, {})
        self.events.append({"event": "action", "name": action.name()})
        for message in dispatcher.messages:
            self.events.append(
                {
                    "event": "bot",
                    "text": message.get("text"),
                    "data": {"buttons": message.get("buttons") or []},
                }
            )
        for event in self.returned:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        return dispatcher.messages

    async def move(
        self, text: str, move: str, actor: str = "self", feelings: Sequence[str] = ()
    ) -> str:
        entities = [{"entity": "actor", "value": actor}]
        entities += [{"entity": "emotion", "value": word} for word in feelings]
        [message] = await self.say(text, move, ActionReflectMove(), entities)
        return message["text"]

    async def followup(self, text: str, intent: str) -> List[Dict[str, Any]]:
        return await self.say(text, intent, ActionReflectionFollowup())

    async def answer(
        self, text: str, intent: str, feelings: Sequence[str] = ()
    ) -> List[Dict[str, Any]]:
        entities = [{"entity": "emotion", "value": word} for word in feelings]
        return await self.say(text, intent, ActionReflectMove(), entities)


SHUT_DOWN = "I just shut down and go quiet when she gets upset"


async def test_a_no_asks_what_would_fit_better() -> None:
    chat = Conversation()
    await chat.move(SHUT_DOWN, "withdrawal")
    [message] = await chat.followup("no", "deny")
    assert message["text"] in filled(FOLLOWUP.what_fits)
    assert message["text"].endswith("?") and not message.get("buttons")


@pytest.mark.parametrize("seed", range(6))
async def test_what_fits_better_is_reflected_again(seed: int) -> None:
    chat = Conversation(seed)
    first = read_reflection(CONTENT, await chat.move(SHUT_DOWN, "withdrawal"))
    await chat.followup("no", "deny")
    thanks, again = await chat.answer(
        "it's more that I'm scared I'll make it worse", "nlu_fallback", ["scared"]
    )
    assert thanks["text"] in filled(FOLLOWUP.thanks)
    second = read_reflection(CONTENT, again["text"])
    assert first is not None and second is not None
    # The same move, seen again in a text not said yet, with the user's new word.
    assert (second.move, second.actor) == ("withdrawal", "self")
    assert second.template != first.template
    assert "feel scared" in again["text"] or "feeling scared" in again["text"]
    assert second.ending != first.ending
    assert chat.returned[-1]["value"] == "self"


async def test_a_no_that_says_what_fits_is_reflected_at_once() -> None:
    """ "No, it's more that I'm scared": what fits better is already said, so it
    is reflected again instead of being asked for."""
    chat = Conversation()
    first = read_reflection(CONTENT, await chat.move(SHUT_DOWN, "withdrawal"))
    scared = [{"entity": "emotion", "value": "scared"}]
    thanks, again = await chat.say(
        "no, it's more that I'm scared I'll make it worse",
        "deny",
        ActionReflectionFollowup(),
        scared,
    )
    assert thanks["text"] in filled(FOLLOWUP.thanks)
    second = read_reflection(CONTENT, again["text"])
    assert first is not None and second is not None
    assert (second.move, second.template != first.template) == ("withdrawal", True)
    assert "scared" in again["text"]


async def test_a_correction_of_a_partners_move_stays_the_partners() -> None:
    chat = Conversation()
    await chat.move("he just walks out when I try to talk", "withdrawal", "partner")
    await chat.followup("no", "deny")
    entities = [{"entity": "actor", "value": "self"}]
    entities.append({"entity": "emotion", "value": "invisible"})
    _, again = await chat.say(
        "I feel invisible more than anything",
        "nlu_fallback",
        ActionReflectMove(),
        entities,
    )
    second = read_reflection(CONTENT, again["text"])
    assert second is not None and (second.move, second.actor) == (
        "withdrawal",
        "partner",
    )


@pytest.mark.parametrize(
    ("text", "intent", "response"),
    [
        ("no", "deny", "utter_no_problem"),
        ("not really", "nlu_fallback", "utter_default"),
    ],
)
async def test_a_bare_answer_to_what_fits_is_not_reflected(
    text: str, intent: str, response: str
) -> None:
    chat = Conversation()
    await chat.move(SHUT_DOWN, "withdrawal")
    await chat.followup("no", "deny")
    [message] = await chat.answer(text, intent)
    assert message["response"] == response


# What a "yes" offers, as the brief of issue 16 has it: reaching out for the user's
# own bids, reassurance requests and withdrawal; showing up for a partner's move.
OFFERS = [
    ("bid", "self", "/practice_reaching_out"),
    ("reassurance_request", "self", "/practice_reaching_out"),
    ("withdrawal", "self", "/practice_reaching_out"),
    ("bid", "partner", "/practice_showing_up"),
    ("reassurance_request", "partner", "/practice_showing_up"),
    ("withdrawal", "partner", "/practice_showing_up"),
    ("defensiveness", "partner", "/practice_showing_up"),
    ("turning_toward", "partner", "/practice_showing_up"),
]


@pytest.mark.parametrize(("move", "actor", "payload"), OFFERS)
async def test_a_yes_names_the_need_and_offers_the_exercise(
    move: str, actor: str, payload: str
) -> None:
    chat = Conversation()
    await chat.move("it happened again tonight", move, actor)
    need, offer = await chat.followup("yes", "affirm")
    assert need["text"] in filled(getattr(CONTENT.moves[move].deeper, actor))
    assert not need["text"].endswith("?")
    exercise = "reaching_out" if payload == "/practice_reaching_out" else "showing_up"
    texts = FOLLOWUP.exercises[exercise]
    assert offer["text"] in filled(texts.offers) and offer["text"].endswith("?")
    assert offer["buttons"] == [
        {"title": texts.button, "payload": payload},
        {"title": FOLLOWUP.not_now_button, "payload": "/deny"},
    ]


async def test_a_typed_yes_to_the_offer_starts_the_exercise() -> None:
    chat = Conversation()
    await chat.move(SHUT_DOWN, "withdrawal")
    await chat.followup("yes", "affirm")
    assert await chat.answer("yes", "affirm") == []
    assert chat.returned == [
        {"event": "followup", "timestamp": None, "name": "reaching_out_form"}
    ]


async def test_not_now_leaves_the_offer() -> None:
    chat = Conversation()
    await chat.move("can we just sit together tonight", "bid", "partner")
    await chat.followup("yes", "affirm")
    [message] = await chat.answer("not now", "deny")
    assert message["response"] == "utter_no_problem"
    assert chat.returned == []


@pytest.mark.parametrize(
    ("intent", "response"),
    [("affirm", "utter_acknowledge"), ("deny", "utter_no_problem")],
)
async def test_a_yes_or_no_without_a_reflection_before_it(
    intent: str, response: str
) -> None:
    chat = Conversation()
    await chat.say("thanks", "thank", ActionReflectMove())
    [message] = await chat.followup("ok", intent)
    assert message["response"] == response


MOCKED = "my husband rolls his eyes and mocks me in front of our friends"


@pytest.mark.parametrize("move", ["contempt", "criticism"])
async def test_no_to_the_question_about_safety_gets_care_and_help(move: str) -> None:
    chat = Conversation()
    await chat.move(MOCKED, move, "partner")
    [care] = await chat.followup("no", "deny")
    assert care["text"] in filled(FOLLOWUP.not_safe["romantic"])
    assert care["text"] not in filled(FOLLOWUP.what_fits)
    for help_line in ("1-800-799-7233", "911"):
        assert help_line in care["text"]
    # What they say next is not taken as a correction of the reflection.
    [message] = await chat.answer("ok", "affirm")
    assert message["response"] == "utter_acknowledge"
    # And no exercise toward the partner is offered while it stands.
    await chat.move("she wants to cuddle on the couch", "bid", "partner")
    messages = await chat.followup("yes", "affirm")
    assert [m["text"] for m in messages] and not any(m.get("buttons") for m in messages)


@pytest.mark.parametrize("word", [None, *(r.typed for r in load_partner_roles().roles)])
async def test_help_after_a_no_fits_who_the_user_fears(word: str | None) -> None:
    # The Domestic Violence Hotline is for a partner or an ex; harm from a mum, a
    # brother or a flatmate gets 911, Childhelp (under 18, or a child hurt) and 988.
    chat = Conversation()
    if word is not None:
        chat.slots["partner_role"] = word
    await chat.move("they mock me in front of everyone", "contempt", "partner")
    [care] = await chat.followup("no", "deny")
    text = care["text"]
    assert "911" in text and "{" not in text
    if relationship_of(word) == ROMANTIC:
        assert "1-800-799-7233" in text
    else:
        assert "1-800-422-4453" in text and "988" in text
        assert "1-800-799-7233" not in text and "Domestic Violence" not in text
        assert not re.search(r"\b(?:partners?|couples?|at home)\b", text), text
        assert partner_phrase(word, "") in text


async def test_yes_to_the_question_about_safety_then_the_need_and_the_offer() -> None:
    chat = Conversation()
    await chat.move(MOCKED, "contempt", "partner")
    need, offer = await chat.followup("yes", "affirm")
    assert any(need["text"].startswith(text) for text in filled(FOLLOWUP.safe))
    assert any(
        need["text"].endswith(text)
        for text in filled(CONTENT.moves["contempt"].deeper.partner)
    )
    # Saying what they feel and need, never showing up better for the one who scorns.
    assert offer["buttons"][0]["payload"] == "/practice_reaching_out"


async def test_the_latest_answer_about_safety_counts() -> None:
    chat = Conversation()
    await chat.move(MOCKED, "contempt", "partner")
    await chat.followup("no", "deny")
    await chat.move("he keeps telling me I'm useless", "criticism", "partner")
    messages = await chat.followup("yes", "affirm")
    assert messages[-1]["buttons"][0]["payload"] == "/practice_reaching_out"


def test_every_template_is_read_back_as_the_first_template_that_fits() -> None:
    # The reference: each template tried on its own, in content order.
    order = reflection_templates(CONTENT)
    for _, _, template in order:
        text = PLACEHOLDER.sub("my wife", template) + " " + CONTENT.check_ins[0]
        expected = next((m, a, t) for m, a, t in order if filled_pattern(t).match(text))
        read = read_reflection(CONTENT, text)
        assert read is not None and (read.move, read.actor, read.template) == expected
    assert read_reflection(CONTENT, "Hi! Shall we practise?") is None


def test_a_message_read_before_reads_the_same_and_its_words_are_not_kept() -> None:
    from actions.reflection import every_template

    private = "my wife Amara said I never listen to her about the twins"
    texts = [
        PLACEHOLDER.sub(private, template) + " " + CONTENT.check_ins[0]
        for _, _, template in reflection_templates(CONTENT)[:20]
    ] + ["Let's try that scene again.", private]
    first = [read_reflection(CONTENT, text) for text in texts]
    cache = every_template(CONTENT).read
    again = [read_reflection(CONTENT, text) for text in texts]
    assert again == first and sum(r is not None for r in first) == 20
    assert all(isinstance(key, bytes) and len(key) == 16 for key in cache)
    kept = repr(list(cache.items()))
    assert "Amara" not in kept and "twins" not in kept
