"""The surgeon story: told when a user hears a partner's need as proof of failing."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from coaching_content import load_surgeon

# The withdrawer's and the defender's side of the cycle, told about themselves.
SURGEON_MOVES = {"withdrawal", "defensiveness"}


def shows_surgeon_pattern(move: str, actor: str, text: str) -> bool:
    lowered = text.lower().replace("\u2019", "'")  # curly apostrophes from phones
    return (
        move in SURGEON_MOVES
        and actor == "self"
        and any(trigger in lowered for trigger in load_surgeon().triggers)
    )


def tell_surgeon_story(dispatcher: CollectingDispatcher) -> None:
    story = load_surgeon()
    dispatcher.utter_message(text=story.story)
    dispatcher.utter_message(text=story.question)
