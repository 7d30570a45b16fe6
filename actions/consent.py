"""Consent to share with a therapist, said in the middle of an exercise or a
rehearsal. The slot mapping has already recorded it (no action server needed);
this only keeps the form from taking it as an answer."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

CONSENT_RESPONSES = {
    "share_with_therapist": "utter_consent_given",
    "withdraw_sharing": "utter_consent_withdrawn",
}


class ConsentAwareForm(FormValidationAction, ABC):
    """Confirms a consent message and asks the form's question again."""

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        response = CONSENT_RESPONSES.get(tracker.get_intent_of_latest_message() or "")
        requested = tracker.get_slot("requested_slot")
        if response and requested:
            dispatcher.utter_message(response=response)
            return [SlotSet(requested, None)]
        return await super().run(dispatcher, tracker, domain)
