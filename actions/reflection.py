"""Reflects the relational move the NLU recognised, the way an EFT therapist would."""

from __future__ import annotations

import random
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.surgeon import already_told, shows_surgeon_pattern, tell_surgeon_story
from actions.tracker_reading import last_bot_text, latest_entity
from bids_partner.coaching import load_reflections
from bids_partner.coaching.schema import ReflectionContent
from bids_partner.coaching.wording import partner_phrase, quoted_phrase
from bids_partner.contract import ACTORS, MOVES


def compose_reflection(
    content: ReflectionContent,
    move: str,
    actor: str | None,
    partner_word: str | None,
    emotion: str | None,
    avoid: str | None = None,
    rng: random.Random | None = None,
    message_text: str = "",
) -> str:
    """A reflection for `move`, filled with the user's words, unlike `avoid`."""
    reflections = content.moves[move]
    templates = reflections.partner if actor == "partner" else reflections.self
    texts = [
        template.format(
            partner=partner_phrase(partner_word, content.default_partner),
            emotion=(emotion or reflections.default_emotion).lower(),
            phrase=quoted_phrase(message_text) if message_text else "that",
        )
        for template in templates
    ]
    fresh = [text for text in texts if text != avoid] or texts
    return (rng or random).choice(fresh)


class ActionReflectMove(Action):
    """Answers a relational move with a reflection and records who made the move."""

    def name(self) -> str:
        return "action_reflect_move"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[Dict[str, Any]]:
        move = tracker.get_intent_of_latest_message()
        if move not in MOVES:
            dispatcher.utter_message(response="utter_default")
            return []
        actor = latest_entity(tracker, "actor")
        actor = actor if actor in ACTORS else "self"
        partner_word = latest_entity(tracker, "partner_role") or tracker.get_slot(
            "partner_role"
        )
        text = compose_reflection(
            load_reflections(),
            move,
            actor,
            partner_word,
            latest_entity(tracker, "emotion"),
            avoid=last_bot_text(tracker),
            message_text=tracker.latest_message.get("text") or "",
        )
        dispatcher.utter_message(text=text)
        said = tracker.latest_message.get("text") or ""
        # Once per conversation: a story retold stops being a story.
        if shows_surgeon_pattern(said) and not already_told(tracker):
            tell_surgeon_story(dispatcher)
        return [SlotSet("actor", actor)]
