"""The surgeon story: told when a user hears a partner's need as proof of failing."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bids_partner.coaching import load_surgeon


def shows_surgeon_pattern(text: str) -> bool:
    """The user's words say they hear the partner's need as their own failure."""
    lowered = text.lower().replace("\u2019", "'")  # curly apostrophes from phones
    return any(trigger in lowered for trigger in load_surgeon().triggers)


def already_told(tracker: Tracker) -> bool:
    story = load_surgeon().story
    return any(
        e.get("event") == "bot" and e.get("text") == story for e in tracker.events
    )


def tell_surgeon_story(dispatcher: CollectingDispatcher) -> None:
    story = load_surgeon()
    dispatcher.utter_message(text=story.story)
    dispatcher.utter_message(text=story.question)
