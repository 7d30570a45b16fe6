"""Rasa's templated responses, with the person the user talks about named in them.

A response in domain.yml may say "your {partner_role}" ("your mum", "your
boyfriend"): Rasa fills it from the slot. Said only when the slot holds a word of
the partner lexicon (bids_partner/language/lexicon/partner_roles.yml), in its
lexicon form; any other value (nothing said yet, or a word a client's payload put
there) counts as no word, so the response's variation for `partner_role: null`
is said instead, and nothing from outside the lexicon is put into a sentence.

Which responses name the person is checked when Rasa loads them, so an edit of
domain.yml that would print "your None" or frame a mum as a partner fails at
start: see `check_partner_responses`.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Tuple

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bids_partner.coaching import load_reflections
from bids_partner.coaching.schema import PLACEHOLDER, romantic_pattern
from bids_partner.language.spacy_pipeline import load_partner_roles

SLOT = "partner_role"
NAMED = "{" + SLOT + "}"
# "your {partner_role}" (the slot holds the bare word), and never at the start of
# a sentence ("Your mum" would need a capital).
MISNAMED = re.compile(
    r"(?<!\byour )\{partner_role\}|(?:^|[.!?:]\s+)your \{partner_role\}",
    re.IGNORECASE,
)

Responses = Dict[str, List[Dict[str, Any]]]


class PartnerResponseError(ValueError):
    """A response of domain.yml names the person in a way that reads wrong."""


def _texts(variation: Dict[str, Any]) -> Iterator[str]:
    yield str(variation.get("text") or "")
    for button in variation.get("buttons") or []:
        yield str(button.get("title") or "")


def for_nobody(variation: Dict[str, Any]) -> bool:
    """The variation said when no word is known: `condition: partner_role null`."""
    return any(
        c.get("type") == "slot" and c.get("name") == SLOT and c.get("value") is None
        for c in variation.get("condition") or []
    )


def names_the_person(variations: List[Dict[str, Any]]) -> bool:
    return any(NAMED in text for v in variations for text in _texts(v))


def partner_responses(responses: Responses) -> Iterator[Tuple[str, List[Dict]]]:
    """(name, variations) of each response that names the person somewhere."""
    for name, variations in responses.items():
        if names_the_person(variations) or any(map(for_nobody, variations)):
            yield name, variations


def check_partner_responses(responses: Responses) -> Responses:
    """Each response that names the person: says "your {partner_role}", not at
    the start of a sentence; has a variation for no word (condition
    `partner_role: null`) that names nobody, so "None" is never said; and, being
    said to whoever the person is, frames no bond as a couple's (the reflections'
    romantic_framing)."""
    framing = romantic_pattern(tuple(load_reflections().romantic_framing))
    for name, variations in partner_responses(responses):
        if not any(for_nobody(v) and not names_the_person([v]) for v in variations):
            raise PartnerResponseError(
                f"{name}: uses {NAMED}; add a variation with condition "
                f"[{{type: slot, name: {SLOT}, value: null}}] that names nobody "
                "(said while no relationship word is known)"
            )
        for variation in variations:
            for text in _texts(variation):
                if MISNAMED.search(text):
                    raise PartnerResponseError(
                        f"{name}: write the person as 'your {NAMED}', not at the "
                        f"start of a sentence: {text!r}"
                    )
                if framing.search(PLACEHOLDER.sub("", text)):
                    raise PartnerResponseError(
                        f"{name}: said about a mum or a friend as much as a "
                        "partner, so no romantic framing (content/reflections.yml, "
                        f"romantic_framing): {text!r}"
                    )
    return responses


def said_slots(slots: Dict[str, Any]) -> Dict[str, Any]:
    """The slot values a response is chosen and filled with: partner_role as its
    lexicon word ("mum" of " Mum"), or None when it is not a word of the lexicon."""
    role = load_partner_roles().find(slots.get(SLOT))
    return {**slots, SLOT: role.typed if role is not None else None}


class PartnerWordGenerator(TemplatedNaturalLanguageGenerator):
    """Rasa's templated generator, choosing and filling each response with the
    partner_role slot as `said_slots` gives it. Rasa sets `responses` again when
    a model is loaded; each time they are checked."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        domain: Domain | None = None,
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)

    @property  # type: ignore[override]
    def responses(self) -> Responses:
        return self._responses

    @responses.setter
    def responses(self, responses: Responses) -> None:
        self._responses = check_partner_responses(responses)

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> Dict[str, Any] | None:
        slots = said_slots(tracker.current_slot_values())
        return self.generate_from_slots(utter_action, slots, output_channel, **kwargs)
