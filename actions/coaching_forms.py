"""The two practice forms: reaching out (feeling, need, a draft) and showing up
(a partner's bid, a reply that turns toward).

A draft or reply is read by the NLU like any message; its intent decides the
feedback, so the coaching and the move recognition never disagree.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List

from pydantic import BaseModel
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.consent import ConsentAwareForm
from bids_partner.coaching import load_coaching, load_reflections
from bids_partner.coaching.rehearsal.play import confident_kind, move_for_kind
from bids_partner.coaching.wording import partner_phrase, quoted_phrase
from bids_partner.contract import REPLY_JUDGEMENT_KEY

REACHING_OUT_SLOTS = ("ro_feeling", "ro_need", "ro_draft")
SHOWING_UP_SLOTS = ("su_bid", "su_reply")
REACHES = {"bid", "reassurance_request"}


def _intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def _partner(tracker: Tracker) -> str:
    return partner_phrase(
        tracker.get_slot("partner_role"), load_reflections().default_partner
    )


def reply_move(tracker: Tracker) -> str:
    """The move of a reply to the partner's bid: from the reply judgement (what it
    does to that bid) when the NLU made one, else the message's own intent. The
    judge learnt from words said to a partner; a narrated reply ("I put my phone
    down and listened") is the moves classifier's ground, so its turning toward
    stands."""
    intent = _intent(tracker)
    kind = confident_kind(tracker.latest_message)
    if intent == "turning_toward" or kind is None:
        return intent
    return move_for_kind(tracker.latest_message, kind)


def judge_attempt(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    accepted: set,
    success: str,
    feedback: BaseModel,
    fill: Dict[str, str],
    move: str | None = None,
) -> bool:
    """Praises an attempt the NLU reads as an accepted move, else gives the
    feedback written for the move it does read as (or the `other` feedback)."""
    move = move or _intent(tracker)
    if move in accepted:
        dispatcher.utter_message(text=success.format(**fill))
        return True
    text = getattr(feedback, move, None) or feedback.other
    dispatcher.utter_message(text=text.format(**fill))
    return False


def _clean(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


class AskReachingOut(Action, ABC):
    """Asks for the next reaching-out slot in the therapist's words."""

    @property
    @abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        texts = load_coaching().reaching_out
        if self.slot == "ro_feeling":
            dispatcher.utter_message(text=texts.intro)
        template = {
            "ro_feeling": texts.ask_feeling,
            "ro_need": texts.ask_need,
            "ro_draft": texts.ask_draft,
        }[self.slot]
        dispatcher.utter_message(
            text=template.format(
                feeling=tracker.get_slot("ro_feeling") or "",
                need=tracker.get_slot("ro_need") or "",
                partner=_partner(tracker),
                draft="",
            )
        )
        return []


class AskRoFeeling(AskReachingOut):
    slot = "ro_feeling"


class AskRoNeed(AskReachingOut):
    slot = "ro_need"


class AskRoDraft(AskReachingOut):
    slot = "ro_draft"


class ValidateReachingOutForm(ConsentAwareForm):
    def name(self) -> str:
        return "validate_reaching_out_form"

    def validate_ro_feeling(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        return {"ro_feeling": _clean(value)}

    def validate_ro_need(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        return {"ro_need": _clean(value)}

    def validate_ro_draft(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        draft = _clean(value)
        if not draft:
            return {"ro_draft": None}
        texts = load_coaching().reaching_out
        fill = {
            "feeling": tracker.get_slot("ro_feeling") or "",
            "need": tracker.get_slot("ro_need") or "",
            "partner": _partner(tracker),
            "draft": quoted_phrase(draft),
        }
        if judge_attempt(
            dispatcher, tracker, REACHES, texts.success, texts.feedback, fill
        ):
            return {"ro_draft": draft}
        dispatcher.utter_message(text=texts.soft_startup.format(**fill))
        return {"ro_draft": None}


class AskSuBid(Action):
    def name(self) -> str:
        return "action_ask_su_bid"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        texts = load_coaching().showing_up
        dispatcher.utter_message(text=texts.intro)
        dispatcher.utter_message(text=texts.ask_partner_bid)
        return []


class AskSuReply(Action):
    def name(self) -> str:
        return "action_ask_su_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        texts = load_coaching().showing_up
        bid = tracker.get_slot("su_bid") or ""
        dispatcher.utter_message(
            text=texts.name_the_bid.format(
                bid=quoted_phrase(bid), partner=_partner(tracker), reply=""
            )
        )
        return []


class ValidateShowingUpForm(ConsentAwareForm):
    def name(self) -> str:
        return "validate_showing_up_form"

    def validate_su_bid(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        return {"su_bid": _clean(value)}

    def validate_su_reply(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        reply = _clean(value)
        if not reply:
            return {"su_reply": None}
        texts = load_coaching().showing_up
        if (tracker.latest_message.get(REPLY_JUDGEMENT_KEY) or {}).get("too_short"):
            dispatcher.utter_message(
                text=texts.too_short.format(partner=_partner(tracker))
            )
            return {"su_reply": None}
        fill = {
            "partner": _partner(tracker),
            "bid": quoted_phrase(tracker.get_slot("su_bid") or ""),
            "reply": quoted_phrase(reply),
        }
        move = reply_move(tracker)
        if judge_attempt(
            dispatcher,
            tracker,
            {"turning_toward"},
            texts.success,
            texts.feedback,
            fill,
            move,
        ):
            return {"su_reply": reply}
        if move == "withdrawal" or not hasattr(texts.feedback, move):
            dispatcher.utter_message(text=texts.seed_idea)
        return {"su_reply": None}


class ActionFinishPractice(Action):
    """Clears the practice slots so an exercise can be done again."""

    def name(self) -> str:
        return "action_finish_practice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        return [
            SlotSet(slot, None) for slot in (*REACHING_OUT_SLOTS, *SHOWING_UP_SLOTS)
        ]


class ActionLeavePractice(ActionFinishPractice):
    """The user left an exercise: say how to come back, clear its slots."""

    def name(self) -> str:
        return "action_leave_practice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(text=load_coaching().left_form)
        return await super().run(dispatcher, tracker, domain)
