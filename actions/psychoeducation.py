"""Explains a concept the user asks about, from content/psychoeducation.yml."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.surgeon import tell_surgeon_story
from bids_partner.coaching import load_psychoeducation
from bids_partner.coaching.keywords import longest_keyword_match
from bids_partner.coaching.schema import Concept

EXAMPLE_WORDS = ("example", "surgeon", "story")


def find_concept(text: str, concepts: List[Concept]) -> Concept | None:
    """The concept whose longest keyword appears in `text` as whole words."""
    return longest_keyword_match(text, ((c, c.keywords) for c in concepts))


class ActionExplainConcept(Action):
    def name(self) -> str:
        return "action_explain_concept"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[Dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        content = load_psychoeducation()
        concept = find_concept(text, content.concepts)
        if concept:
            dispatcher.utter_message(text=concept.text)
        elif any(word in text.lower() for word in EXAMPLE_WORDS):
            tell_surgeon_story(dispatcher)
        else:
            dispatcher.utter_message(text=content.menu)
        return []
