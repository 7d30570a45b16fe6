"""Reflects the relational move the NLU recognised, the way an EFT therapist would."""

from __future__ import annotations

import random
from typing import Any, Dict, Iterable, List, NamedTuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.surgeon import already_told, shows_surgeon_pattern, tell_surgeon_story
from actions.tracker_reading import last_bot_text, latest_entity
from bids_partner.coaching import load_reflections
from bids_partner.coaching.schema import (
    FEELING_SLOTS,
    ReflectionContent,
    template_fields,
)
from bids_partner.coaching.wording import partner_phrase, quoted_phrase
from bids_partner.contract import ACTORS, MOVES
from bids_partner.language.spacy_pipeline import Feeling, load_feelings


class Reflection(NamedTuple):
    template: str
    text: str
    # How many of the feelings the user named it puts back to them.
    echoes: int


def actor_of(actor: str | None) -> str:
    """Whose move it is: the partner's only if the NLU said so."""
    return "partner" if actor == "partner" else "self"


def named_feelings(words: Iterable[object] | str | None) -> Dict[str, Feeling]:
    """The first feeling of each kind among the words the user typed; words
    outside the lexicon are left out."""
    if words is None or isinstance(words, str):
        words = [words]
    lexicon = load_feelings()
    named: Dict[str, Feeling] = {}
    for word in words:
        feeling = lexicon.find(word)
        if feeling is not None:
            named.setdefault(feeling.kind, feeling)
    return named


def slot_values(
    content: ReflectionContent,
    move: str,
    actor: str | None,
    partner_word: str | None,
    feelings: Iterable[object] | str | None,
    message_text: str = "",
) -> Dict[str, str]:
    """What each placeholder of a reflection is filled with. A feeling slot takes
    the user's own word of its kind, else the move's tentative guess; the partner's
    feeling is always a guess, and a reactive feeling is never guessed."""
    named = named_feelings(feelings)
    guesses = content.moves[move].guesses.get(actor_of(actor), {})
    values = {
        "partner": partner_phrase(partner_word, content.default_partner),
        "phrase": quoted_phrase(message_text) if message_text else "that",
    }
    for slot, kind in FEELING_SLOTS.items():
        if kind in named and slot != "partner_feeling":
            values[slot] = named[kind].feel
        elif slot in guesses:
            first, second = guesses[slot]
            values[slot] = content.guess_wording.format(first=first, second=second)
    return values


def reflection_options(
    content: ReflectionContent,
    move: str,
    actor: str | None,
    partner_word: str | None,
    feelings: Iterable[object] | str | None,
    message_text: str = "",
) -> List[Reflection]:
    """Every reflection that can be offered for `move`: each text whose slots can
    all be filled, with how many of the user's own feeling words it puts back."""
    actor = actor_of(actor)
    values = slot_values(content, move, actor, partner_word, feelings, message_text)
    named_kinds = set(named_feelings(feelings))
    echoed = {
        slot
        for slot, kind in FEELING_SLOTS.items()
        if kind in named_kinds and slot != "partner_feeling"
    }
    options = []
    for template in getattr(content.moves[move], actor):
        fields = template_fields(template)
        if fields <= values.keys():
            text = template.format(**values)
            options.append(Reflection(template, text, len(fields & echoed)))
    return options


def compose_reflection(
    content: ReflectionContent,
    move: str,
    actor: str | None,
    partner_word: str | None,
    feelings: Iterable[object] | str | None,
    avoid: str | None = None,
    rng: random.Random | None = None,
    message_text: str = "",
) -> str:
    """A reflection for `move`, filled with the user's words, unlike `avoid`.
    `feelings` are the feeling words the user typed: one that puts back the most
    of them is chosen (their own words first), the rest are guessed."""
    options = reflection_options(
        content, move, actor, partner_word, feelings, message_text
    )
    fresh = [option for option in options if option.text != avoid] or options
    most = max(option.echoes for option in fresh)
    return (rng or random).choice([o.text for o in fresh if o.echoes == most])


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
            list(tracker.get_latest_entity_values("emotion")),
            avoid=last_bot_text(tracker),
            message_text=tracker.latest_message.get("text") or "",
        )
        dispatcher.utter_message(text=text)
        said = tracker.latest_message.get("text") or ""
        # Once per conversation: a story retold stops being a story.
        if shows_surgeon_pattern(said) and not already_told(tracker):
            tell_surgeon_story(dispatcher)
        return [SlotSet("actor", actor)]
