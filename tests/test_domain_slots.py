"""The partner_role slot of domain.yml follows the person the user talks about:
Rasa's own slot filling (ActionExtractSlots), run with the project's domain on
messages whose partner words are given as the NLU gives them."""

from __future__ import annotations

import asyncio
from typing import Dict, List, Tuple

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bids_partner.settings import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def partner_words(text: str, *words: str) -> List[Dict[str, object]]:
    """The partner_role entities the NLU finds in `text`: each word as typed."""
    entities = []
    for word in words:
        start = text.index(word)
        entities.append(
            {
                "entity": "partner_role",
                "value": word,
                "start": start,
                "end": start + len(word),
            }
        )
    return entities


def slot_after_each(turns: List[Tuple[str, Tuple[str, ...]]]) -> List[object]:
    """partner_role after each (text, partner words) turn of one conversation."""
    tracker = DialogueStateTracker("slot-test", DOMAIN.slots)
    action = ActionExtractSlots(None)
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    values = []
    for text, words in turns:
        tracker.update(ActionExecuted("action_listen"))
        intent = {"name": "criticism", "confidence": 0.9}
        tracker.update(UserUttered(text, intent, partner_words(text, *words)))
        events = asyncio.run(
            action.run(CollectingOutputChannel(), nlg, tracker, DOMAIN)
        )
        for event in events:
            tracker.update(event)
        values.append(tracker.get_slot("partner_role"))
    return values


def test_a_new_relationship_word_later_wins() -> None:
    assert slot_after_each(
        [
            ("my mom keeps asking where I am", ("mom",)),
            ("she never lets it go", ()),
            ("my boyfriend never listens", ("boyfriend",)),
            ("he just walks off", ()),
            ("my Sister says I overreact", ("Sister",)),
        ]
    ) == ["mom", "mom", "boyfriend", "boyfriend", "Sister"]


@pytest.mark.parametrize(
    "first, later",
    [("wife", "dad"), ("best friend", "husband"), ("flatmate", "grandma")],
)
def test_any_two_relationships_switch_both_ways(first: str, later: str) -> None:
    assert slot_after_each(
        [
            (f"my {first} ignores me", (first,)),
            (f"my {later} ignores me", (later,)),
            (f"my {first} ignores me again", (first,)),
        ]
    ) == [first, later, first]
