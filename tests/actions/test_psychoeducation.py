from __future__ import annotations

from typing import Any, Dict, List

import pytest

from actions.psychoeducation import ActionExplainConcept, find_concept
from actions.reflection import ActionReflectMove
from actions.surgeon import shows_surgeon_pattern
from bids_partner.coaching import load_psychoeducation, load_surgeon
from bids_partner.coaching.schema import Concept
from bids_partner.contract import CONCEPT_KEY
from tests.helpers.events import bot_event

REQUIRED = {
    "bid",
    "turning",
    "effective_dependence",
    "reaching_out",
    "showing_up",
    "five_steps",
    "dependence_spectrum",
    "reassurance_seeking",
    # Issue 16: ideas of the source articles that had no concept, and the fear of
    # intimacy rewritten as a need and a fear everyone holds.
    "healthy_dependence",
    "emotional_radar",
    "codependence",
    "self_soothing",
    "boundaries",
    "building_closeness",
    "need_and_fear_of_intimacy",
}


def test_every_required_concept_is_written() -> None:
    assert REQUIRED <= {c.id for c in load_psychoeducation().concepts}


@pytest.mark.parametrize("concept", sorted(REQUIRED))
def test_each_concept_is_found_by_its_own_keywords(concept: str) -> None:
    content = load_psychoeducation()
    keyword = next(c for c in content.concepts if c.id == concept).keywords[0]
    found = find_concept(f"what does {keyword} mean?", content.concepts)
    assert found is not None and found.id == concept


async def test_unknown_concept_gets_the_menu(dispatcher, make_tracker) -> None:
    tracker = make_tracker("what's a flibbertigibbet", "ask_concept")
    await ActionExplainConcept().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"] == load_psychoeducation().menu


# Issue 16: what the user asked is answered by the concept for it, through the action.
ASKED = [
    ("what is codependence?", "codependence"),
    ("how do we build intimacy?", "building_closeness"),
    ("how do I set boundaries with a clingy partner?", "boundaries"),
]


@pytest.mark.parametrize("question, concept", ASKED)
async def test_a_question_gets_the_concept_it_asks_about(
    dispatcher, make_tracker, question: str, concept: str
) -> None:
    await ActionExplainConcept().run(
        dispatcher, make_tracker(question, "ask_concept"), {}
    )
    content = load_psychoeducation()
    expected = next(c for c in content.concepts if c.id == concept)
    assert [m["text"] for m in dispatcher.messages] == [expected.text]


# The NLU's ConceptReader (rasa_plugins/nlu/concept_reader.py) reads which concept
# a question asks about in any words; the action explains it when the reader is
# sure, and falls back to the keywords, then the menu.
NO_KEYWORD = "how do we get close again after the baby"


def concept(concept_id: str) -> Concept:
    return next(c for c in load_psychoeducation().concepts if c.id == concept_id)


def read_as(name: str, confidence: float, sure: bool) -> Dict[str, Any]:
    return {CONCEPT_KEY: {"name": name, "confidence": confidence, "sure": sure}}


async def explained(dispatcher, make_tracker, text: str, **parse_data) -> List[str]:
    tracker = make_tracker(text, "ask_concept", parse_data=parse_data)
    await ActionExplainConcept().run(dispatcher, tracker, {})
    return [m["text"] for m in dispatcher.messages]


async def test_a_question_naming_no_keyword_reaches_the_concept_read_by_the_nlu(
    dispatcher, make_tracker
) -> None:
    assert find_concept(NO_KEYWORD, load_psychoeducation().concepts) is None
    said = await explained(
        dispatcher,
        make_tracker,
        NO_KEYWORD,
        **read_as("building_closeness", 0.56, True),
    )
    assert said == [concept("building_closeness").text]


async def test_an_unsure_reading_without_a_keyword_gets_the_menu(
    dispatcher, make_tracker
) -> None:
    said = await explained(
        dispatcher,
        make_tracker,
        NO_KEYWORD,
        **read_as("building_closeness", 0.2, False),
    )
    assert said == [load_psychoeducation().menu]


async def test_an_unsure_reading_falls_back_to_the_keywords(
    dispatcher, make_tracker
) -> None:
    said = await explained(
        dispatcher, make_tracker, "what is codependence?", **read_as("bid", 0.2, False)
    )
    assert said == [concept("codependence").text]


async def test_a_sure_reading_outranks_a_keyword(dispatcher, make_tracker) -> None:
    # "dependence" is healthy_dependence's keyword; the reader knows better.
    text = "why do i swing between no dependence at all and needing him 24/7"
    assert find_concept(text, load_psychoeducation().concepts).id == (
        "healthy_dependence"
    )
    said = await explained(
        dispatcher, make_tracker, text, **read_as("dependence_spectrum", 0.7, True)
    )
    assert said == [concept("dependence_spectrum").text]


@pytest.mark.parametrize(
    "parse_data",
    [
        {},  # no ConceptReader in the pipeline, or a model trained before it
        read_as("no_such_concept", 0.9, True),  # a concept since removed
        {CONCEPT_KEY: "bid"},  # not what the reader writes
    ],
)
async def test_without_a_usable_reading_the_keywords_decide_as_before(
    dispatcher, make_tracker, parse_data
) -> None:
    assert await explained(
        dispatcher, make_tracker, "what is codependence?", **parse_data
    ) == [concept("codependence").text]
    dispatcher.messages.clear()
    assert await explained(dispatcher, make_tracker, NO_KEYWORD, **parse_data) == [
        load_psychoeducation().menu
    ]


async def test_asking_for_an_example_tells_the_surgeon_story(
    dispatcher, make_tracker
) -> None:
    tracker = make_tracker("can you give me an example", "ask_concept")
    await ActionExplainConcept().run(dispatcher, tracker, {})
    story = load_surgeon()
    assert [m["text"] for m in dispatcher.messages] == [story.story, story.question]


def test_surgeon_pattern_is_read_from_the_users_words() -> None:
    trigger = load_surgeon().triggers[0]
    assert shows_surgeon_pattern(f"When she cries I feel like {trigger.upper()}")
    assert not shows_surgeon_pattern("she cried and I held her")


async def test_reflection_tells_the_story_once(dispatcher, make_tracker) -> None:
    trigger = load_surgeon().triggers[0]
    text = f"I go quiet because I feel like {trigger}"
    await ActionReflectMove().run(dispatcher, make_tracker(text, "withdrawal"), {})
    story = load_surgeon().story
    assert story in [m["text"] for m in dispatcher.messages]
    dispatcher.messages.clear()
    told = make_tracker(text, "withdrawal", history=[bot_event(story)])
    await ActionReflectMove().run(dispatcher, told, {})
    assert story not in [m["text"] for m in dispatcher.messages]


async def test_the_couples_story_is_not_told_about_a_parent(
    dispatcher, make_tracker
) -> None:
    """The surgeon story is about a husband and wife: a user who feels they fail
    their dad gets the reflection, not a couple's story."""
    trigger = load_surgeon().triggers[0]
    text = f"I feel like {trigger} whenever my dad sighs at me"
    about_dad = make_tracker(
        text,
        "withdrawal",
        entities=[{"entity": "partner_role", "value": "dad"}],
        slots={"partner_role": "dad"},
    )
    await ActionReflectMove().run(dispatcher, about_dad, {})
    said = [m["text"] for m in dispatcher.messages]
    assert said and load_surgeon().story not in said
    dispatcher.messages.clear()
    about_wife = make_tracker(
        text.replace("my dad", "my wife"),
        "withdrawal",
        entities=[{"entity": "partner_role", "value": "wife"}],
        slots={"partner_role": "wife"},
    )
    await ActionReflectMove().run(dispatcher, about_wife, {})
    assert load_surgeon().story in [m["text"] for m in dispatcher.messages]
