"""The responses of domain.yml read right whoever the user talks about: a mum, a
brother, a best friend or a boyfriend, or nobody named yet. They are rendered by
the generator endpoints.yml names, as the Rasa server says them, for every word
of the partner lexicon (so every relationship of the contract) and for none."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml
from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bids_partner.contract import RELATIONSHIPS, ROMANTIC
from bids_partner.language.spacy_pipeline import load_partner_roles
from bids_partner.settings import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
# The responses a user hears outside the exercises, said whoever they talk about.
EVERYDAY = (
    "utter_greet",
    "utter_goodbye",
    "utter_help",
    "utter_acknowledge",
    "utter_no_problem",
    "utter_out_of_scope",
    "utter_default",
    "utter_restart",
)
ROLES = load_partner_roles().roles
WORDS = [role.typed for role in ROLES]
NOT_ROMANTIC = [role.typed for role in ROLES if role.relationship != ROMANTIC]
# Written here, not read from the content: what frames the bond as a couple's.
# "practice partner" is what the assistant calls itself.
COUPLE_WORDING = re.compile(
    r"\b(?:partners?|couples?|the two of you|husband|wife|spouse|marri\w*"
    r"|romantic)\b",
    re.IGNORECASE,
)


def generator() -> NaturalLanguageGenerator:
    """The generator endpoints.yml names (Rasa's own when it names none), with
    the responses the model is trained with, as the Rasa server loads it."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    config = endpoints.get("nlg")
    nlg = NaturalLanguageGenerator.create(
        EndpointConfig.from_dict(config) if config else None, None
    )
    nlg.responses = DOMAIN.responses  # as Agent.load_model does
    return nlg


NLG = generator()


def said(response: str, partner_word: str | None) -> str:
    tracker = DialogueStateTracker("responses-test", DOMAIN.slots)
    if partner_word is not None:
        tracker.update(SlotSet("partner_role", partner_word))
    message = asyncio.run(NLG.generate(response, tracker, "rest"))
    assert message is not None, response
    return " ".join(message["text"].split())


def reads_right(text: str) -> None:
    """Nothing left unfilled, no doubled or stray words, sentences that end."""
    assert "{" not in text and "}" not in text, text
    assert not re.search(r"\bNone\b", text), text
    assert not re.search(r"\b(\w+) \1\b", text, re.IGNORECASE), text
    assert not re.search(r"\s[,.?!]", text), text
    assert text[:1].isupper() and text[-1] in ".?!", text
    for sentence in re.split(r"(?<=[.?!])\s+", text):
        assert sentence[:1].isupper() or sentence[:1] == '"', text


def test_every_relationship_has_words_to_render() -> None:
    assert {role.relationship for role in ROLES} == set(RELATIONSHIPS)


@pytest.mark.parametrize("response", EVERYDAY)
def test_nobody_named_yet_gets_no_couple_wording(response: str) -> None:
    text = said(response, None)
    reads_right(text)
    assert not COUPLE_WORDING.search(text.replace("practice partner", "")), text


@pytest.mark.parametrize("response", EVERYDAY)
@pytest.mark.parametrize("word", NOT_ROMANTIC)
def test_a_mum_a_brother_or_a_friend_is_never_a_partner(
    response: str, word: str
) -> None:
    text = said(response, word)
    reads_right(text)
    assert not COUPLE_WORDING.search(text.replace("practice partner", "")), text


@pytest.mark.parametrize("response", EVERYDAY)
@pytest.mark.parametrize("word", WORDS)
def test_every_word_reads_right_as_typed(response: str, word: str) -> None:
    # As the NLU gives it: the user's own capitals and spacing.
    text = said(response, f" {word.title()} ")
    reads_right(text)
    if f"your {word}" in said(response, word):
        assert f"your {word}" in text  # the lexicon's form, not "your Mum"


@pytest.mark.parametrize(
    "response",
    [r for r in EVERYDAY if "partner_role" in str(DOMAIN.responses[r])],
)
def test_once_a_word_is_known_the_response_names_that_person(response: str) -> None:
    for word in ("mum", "brother", "best friend", "boyfriend", "parents"):
        assert f"your {word}" in said(response, word)
    assert "your" not in said(response, None).replace("yourself", "")


@pytest.mark.parametrize("outside", ["<b>anyone</b>", "the landlord", "", 42])
def test_a_word_outside_the_lexicon_is_never_said(outside: Any) -> None:
    for response in EVERYDAY:
        assert said(response, outside) == said(response, None)


def test_every_response_reads_right_for_everyone() -> None:
    for response in DOMAIN.responses:
        for word in (None, "mum", "husband", "flatmate"):
            text = said(response, word)
            assert "{" not in text and not re.search(r"\bNone\b", text), response


# What the generator refuses when Rasa loads the responses.


def loaded(responses: Dict[str, List[Dict[str, Any]]]) -> None:
    NaturalLanguageGenerator.create(
        EndpointConfig.from_dict(
            yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))["nlg"]
        ),
        None,
    ).responses = responses


NOBODY = {"type": "slot", "name": "partner_role", "value": None}


@pytest.mark.parametrize(
    "variations, error",
    [
        ([{"text": "Tell me about your {partner_role}."}], "value: null"),
        (
            [
                {"condition": [NOBODY], "text": "Tell me about your {partner_role}."},
                {"text": "Tell me about your {partner_role}."},
            ],
            "value: null",
        ),
        (
            [
                {"condition": [NOBODY], "text": "Tell me more."},
                {"text": "Tell me about {partner_role}."},
            ],
            "your {partner_role}",
        ),
        (
            [
                {"condition": [NOBODY], "text": "Tell me more."},
                {"text": "Okay. Your {partner_role} matters."},
            ],
            "start of a sentence",
        ),
        (
            [
                {"condition": [NOBODY], "text": "Tell me more."},
                {"text": "Tell me about you and your {partner_role} as a couple."},
            ],
            "romantic framing",
        ),
    ],
)
def test_a_response_that_would_read_wrong_fails_at_load(
    variations: List[Dict[str, Any]], error: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(error)):
        loaded({"utter_test": variations})


def test_the_domains_responses_load() -> None:
    loaded(DOMAIN.responses)


def test_the_rasa_server_is_given_this_generator() -> None:
    endpoints = yaml.safe_load(Path(ROOT / "endpoints.yml").read_text())
    assert endpoints["nlg"]["type"].startswith("bids_partner.rasa_plugins.nlg.")
