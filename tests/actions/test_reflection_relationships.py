"""Issue 16, 1: close relationships that are not romantic. A user talking about
their mum, their brother or their flatmate hears their own word back, never
"your partner", and nothing that frames the bond as a couple's."""

from __future__ import annotations

import random
import re
from typing import List

import pytest
import spacy
from rasa.nlu.tokenizers.tokenizer import Token
from rasa_sdk.executor import CollectingDispatcher

from actions.reflection import ActionReflectMove, endings, reflection_options
from bids_partner.coaching import load_reflections
from bids_partner.coaching.wording import partner_phrase
from bids_partner.contract import ACTORS, MOVES, ROMANTIC
from bids_partner.language.spacy_pipeline import ensure_pipeline, load_partner_roles
from bids_partner.rasa_plugins.nlu.actor import _partner_words, detect_actor

CONTENT = load_reflections()
# Written here, not read from the content: what a therapist would call romantic
# framing in a reply about a parent, a child, a sibling or a friend.
ROMANTIC_FRAMING = re.compile(
    r"\b(?:partners?|couples?|husband|wife|spouse|marri\w*|romantic|date night"
    r"|in love|sex\w*|chosen|choose you|the one they want|(?:are|is) staying)\b",
    re.IGNORECASE,
)
NOT_ROMANTIC = sorted(
    {role.typed for role in load_partner_roles().roles if role.relationship != ROMANTIC}
)
# One feeling of each kind, so that every template, the reactive ones too, is
# filled.
FEELINGS = ["hurt", "angry", "relieved"]


def filled(texts: List[str], word: str) -> List[str]:
    return [text.format(partner=partner_phrase(word, "")) for text in texts]


def everything_said_about(word: str) -> List[str]:
    """Every text the reflection actions can say to a user who named `word`:
    each reflection, check-in, question about safety, need and exercise offer."""
    relationship = load_partner_roles().find(word).relationship
    said = []
    for move in MOVES:
        reflections = CONTENT.moves[move]
        for actor in ACTORS:
            for option in reflection_options(
                CONTENT, move, actor, word, FEELINGS, "she said it again"
            ):
                said.append(option.text)
            said += filled(endings(CONTENT, move, actor, relationship), word)
            deeper = getattr(reflections.deeper, actor)
            said += filled(CONTENT.fitting(deeper, relationship), word)
    followup = CONTENT.followup
    for texts in (followup.what_fits, followup.thanks, followup.safe):
        said += filled(CONTENT.fitting(texts, relationship), word)
    said += filled(CONTENT.not_safe_for(relationship), word)
    for exercise in followup.exercises.values():
        said += filled(CONTENT.fitting(exercise.offers, relationship), word)
    return said


def test_every_relationship_of_the_contract_beyond_romance_is_in_the_lexicon() -> None:
    for family in ("mum", "mom", "dad", "son", "daughter", "sister", "brother"):
        assert family in NOT_ROMANTIC
    for other in ("best friend", "friend", "flatmate", "roommate", "grandma"):
        assert other in NOT_ROMANTIC


@pytest.mark.parametrize("word", NOT_ROMANTIC)
def test_no_reflection_about_a_parent_sibling_or_friend_is_romantic(
    word: str,
) -> None:
    said = everything_said_about(word)
    assert len(said) > 200
    for text in said:
        assert not ROMANTIC_FRAMING.search(text), (word, text)
        assert "{" not in text, (word, text)


@pytest.mark.parametrize("word", NOT_ROMANTIC)
def test_every_move_still_has_reflections_about_them(word: str) -> None:
    for move in MOVES:
        for actor in ACTORS:
            options = reflection_options(CONTENT, move, actor, word, [])
            assert len(options) >= 8, (word, move, actor)
            templates = [o.template for o in options if "{partner}" in o.template]
            assert templates and all(
                partner_phrase(word, "") in o.text
                for o in options
                if "{partner}" in o.template
            )


def test_a_romantic_partner_still_gets_every_reflection() -> None:
    for move in MOVES:
        for actor in ACTORS:
            texts = getattr(CONTENT.moves[move], actor)
            plain = [t for t in texts if "{reactive_feeling}" not in t]
            for word in ("wife", None):
                options = reflection_options(CONTENT, move, actor, word, [])
                assert {o.template for o in options} == set(plain)


MOM = "my mom keeps asking if I still love her"


async def test_my_mom_keeps_asking_is_about_your_mom(make_tracker) -> None:
    # From the words, as the NLU reads them: the spaCy pipeline's entities and
    # the actor extractor.
    nlp = spacy.load(ensure_pipeline())
    doc = nlp(MOM)
    tokens = [Token(t.text, t.idx, lemma=t.lemma_) for t in doc]
    actor, _ = detect_actor(tokens, _partner_words())
    entities = [{"entity": e.label_, "value": e.text} for e in doc.ents]
    entities.append({"entity": "actor", "value": actor})
    assert entities == [
        {"entity": "partner_role", "value": "mom"},
        {"entity": "actor", "value": "partner"},
    ]
    for seed in range(30):
        random.seed(seed)
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(MOM, "reassurance_request", entities=entities)
        await ActionReflectMove().run(dispatcher, tracker, {})
        [message] = dispatcher.messages
        text = message["text"]
        assert "your mom" in text, text
        assert "partner" not in text, text
        assert not ROMANTIC_FRAMING.search(text), text


def test_romantic_framing_only_for_a_romantic_partner() -> None:
    chosen = "Maybe you long to be chosen by {partner}."
    assert CONTENT.fits(chosen, ROMANTIC)
    assert not CONTENT.fits(chosen, "parent")
    # {partner} is the user's own word, whatever it is.
    assert CONTENT.fits("So {partner} keeps checking.", "parent")
