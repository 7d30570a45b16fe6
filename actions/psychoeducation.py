"""Explains a concept the user asks about, from content/psychoeducation.yml."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.surgeon import tell_surgeon_story
from bids_partner.coaching import load_psychoeducation
from bids_partner.coaching.keywords import longest_keyword_match
from bids_partner.coaching.schema import Concept
from bids_partner.contract import CONCEPT_KEY

EXAMPLE_WORDS = ("example", "surgeon", "story")


def find_concept(text: str, concepts: List[Concept]) -> Concept | None:
    """The concept whose longest keyword appears in `text` as whole words."""
    return longest_keyword_match(text, ((c, c.keywords) for c in concepts))


def concept_read_by_nlu(
    parse_data: Mapping[str, Any], concepts: List[Concept]
) -> Concept | None:
    """The concept the NLU's ConceptReader is sure the question asks about, if
    it is sure and the concept is still in the content."""
    read = parse_data.get(CONCEPT_KEY)
    if not isinstance(read, Mapping) or read.get("sure") is not True:
        return None
    return next((c for c in concepts if c.id == read.get("name")), None)


def choose_concept(
    parse_data: Mapping[str, Any], concepts: List[Concept]
) -> Concept | None:
    """The concept a question asks about: the ConceptReader's when it is sure,
    else the concept whose keyword the question names (as without the component,
    or with a model trained before it)."""
    return concept_read_by_nlu(parse_data, concepts) or find_concept(
        parse_data.get("text") or "", concepts
    )


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
        concept = choose_concept(tracker.latest_message, content.concepts)
        if concept:
            dispatcher.utter_message(text=concept.text)
        elif any(word in text.lower() for word in EXAMPLE_WORDS):
            tell_surgeon_story(dispatcher)
        else:
            dispatcher.utter_message(text=content.menu)
        return []
