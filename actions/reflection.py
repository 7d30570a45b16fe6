"""Reflects the relational move the NLU recognised, the way an EFT therapist would."""

from __future__ import annotations

import random
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker_reading import last_bot_text, latest_entity
from coaching_content import load_reflections
from coaching_content.schema import ACTORS, MOVES, ReflectionContent


def partner_phrase(partner_word: str | None, default: str) -> str:
    """'your wife' from the user's own word 'wife', else the default phrase."""
    return f"your {partner_word.strip().lower()}" if partner_word else default


def compose_reflection(
    content: ReflectionContent,
    move: str,
    actor: str | None,
    partner_word: str | None,
    emotion: str | None,
    avoid: str | None = None,
    rng: random.Random | None = None,
) -> str:
    """A reflection for `move`, filled with the user's words, unlike `avoid`."""
    reflections = content.moves[move]
    templates = reflections.partner if actor == "partner" else reflections.self
    texts = [
        template.format(
            partner=partner_phrase(partner_word, content.default_partner),
            emotion=(emotion or reflections.default_emotion).lower(),
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
        )
        dispatcher.utter_message(text=text)
        return [SlotSet("actor", actor)]
