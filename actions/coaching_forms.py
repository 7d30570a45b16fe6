"""The two practice forms: reaching out (feeling, need, a draft) and showing up
(a partner's bid, a reply that turns toward).

A draft or reply is read by the NLU like any message; its intent decides the
feedback, so the coaching and the move recognition never disagree.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Sequence

from pydantic import BaseModel
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.consent import CONSENT_RESPONSES, ConsentAwareForm
from bids_partner.coaching import load_coaching, load_reflections
from bids_partner.coaching.rehearsal.play import confident_kind, move_for_kind
from bids_partner.coaching.schema import ReachingOut, ReachingOutFeedback
from bids_partner.coaching.wording import (
    and_list,
    feeling_words,
    need_phrase,
    partner_phrase,
    quoted_phrase,
)
from bids_partner.contract import REPLY_JUDGEMENT_KEY

REACHING_OUT_SLOTS = ("ro_feeling", "ro_need", "ro_draft")
# How many drafts in a row were not read as a reach: the feedback varies with it,
# and from EXAMPLE_AFTER_TRIES on a worked example and a way out are offered.
# Needs in domain.yml: type float, influence_conversation false, a custom mapping.
DRAFT_TRIES_SLOT = "ro_draft_tries"
EXAMPLE_AFTER_TRIES = 3
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


def draft_tries(tracker: Tracker) -> int:
    """Drafts not read as a reach so far; anything but a count is none."""
    value = tracker.get_slot(DRAFT_TRIES_SLOT)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0
    return max(int(value), 0)


def in_turn(first: str, others: Sequence[str], tries: int) -> str:
    """The wording for the `tries`-th draft not read as a reach: the first, then
    the others in turn, so two drafts in a row never get the same words."""
    return first if tries <= 1 else others[(tries - 2) % len(others)]


def feeling_fill(texts: ReachingOut, feeling: Any) -> str:
    """The user's feeling as the texts put it back: its feeling word(s) of the
    lexicon, quoted, never the whole sentence; else the content's stand-in."""
    words = feeling_words(feeling)
    return f'"{and_list(words)}"' if words else texts.feeling_unnamed


def need_fill(need: Any) -> str:
    """The user's need as the texts put it back, quoted: the need alone where it
    reads after "I need", else the start of their answer, never a long answer
    pasted whole."""
    needed = need_phrase(need)
    if needed:
        return f'"{needed}"'
    return quoted_phrase(need) if isinstance(need, str) and need.strip() else '""'


def reaching_out_fill(texts: ReachingOut, tracker: Tracker) -> Dict[str, str]:
    """Every placeholder a reaching-out text may use (schema.COACHING_FIELDS), so
    any text can be filled with it."""
    return {
        "feeling": feeling_fill(texts, tracker.get_slot("ro_feeling")),
        "need": need_fill(tracker.get_slot("ro_need")),
        "partner": _partner(tracker),
        "draft": "",
    }


def showing_up_fill(tracker: Tracker, reply: str = "") -> Dict[str, str]:
    """Every placeholder a showing-up text may use (schema.COACHING_FIELDS)."""
    return {
        "partner": _partner(tracker),
        "bid": quoted_phrase(tracker.get_slot("su_bid") or ""),
        "reply": reply,
    }


def worked_example(texts: ReachingOut, feeling: Any, need: Any) -> str:
    """A short model message, quoted, built from the user's feeling word(s) and
    need where they read right in it."""
    messages = texts.worked_example.message
    # Said to the partner: "afraid of losing them" is "afraid of losing you".
    felt = and_list(
        [re.sub(r"\bthem\b", "you", word) for word in feeling_words(feeling)]
    )
    needed = need_phrase(need)
    if felt and needed:
        message = messages.feeling_and_need.format(
            feeling_words=felt, need_words=needed
        )
    elif felt:
        message = messages.feeling.format(feeling_words=felt)
    elif needed:
        message = messages.need.format(need_words=needed)
    else:
        message = messages.plain
    return f'"{message}"'


def ask_draft_text(texts: ReachingOut, tracker: Tracker) -> str:
    """The first ask; after a draft that did not reach, the shape of a soft
    start-up; from the third, a worked example and a way out, in turn."""
    tries = draft_tries(tracker)
    fill = reaching_out_fill(texts, tracker)
    if tries >= EXAMPLE_AFTER_TRIES:
        offers = texts.worked_example.offers
        example = worked_example(
            texts, tracker.get_slot("ro_feeling"), tracker.get_slot("ro_need")
        )
        offer = offers[(tries - EXAMPLE_AFTER_TRIES) % len(offers)]
        return offer.format(example=example, partner=fill["partner"])
    template = {0: texts.ask_draft, 1: texts.soft_startup}.get(
        tries, texts.soft_startup_again
    )
    return template.format(**fill)


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
        fill = reaching_out_fill(texts, tracker)
        if self.slot == "ro_feeling":
            dispatcher.utter_message(text=texts.intro.format(**fill))
        if self.slot == "ro_draft":
            dispatcher.utter_message(text=ask_draft_text(texts, tracker))
            return []
        template = {
            "ro_feeling": texts.ask_feeling,
            "ro_need": texts.ask_need,
        }[self.slot]
        dispatcher.utter_message(text=template.format(**fill))
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
        fill = {**reaching_out_fill(texts, tracker), "draft": quoted_phrase(draft)}
        move = _intent(tracker)
        if move in REACHES:
            dispatcher.utter_message(text=texts.success.format(**fill))
            return {"ro_draft": draft}
        # Feedback in other words on each try; the form then asks again
        # (action_ask_ro_draft), with a worked example from the third try.
        tries = draft_tries(tracker) + 1
        key = move if move in ReachingOutFeedback.__fields__ else "other"
        feedback = in_turn(
            getattr(texts.feedback, key), getattr(texts.feedback_again, key), tries
        )
        dispatcher.utter_message(text=feedback.format(**fill))
        return {"ro_draft": None, DRAFT_TRIES_SLOT: tries}


class AskSuBid(Action):
    def name(self) -> str:
        return "action_ask_su_bid"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        texts = load_coaching().showing_up
        fill = showing_up_fill(tracker)
        dispatcher.utter_message(text=texts.intro.format(**fill))
        dispatcher.utter_message(text=texts.ask_partner_bid.format(**fill))
        return []


def answered_a_reply(tracker: Tracker) -> bool:
    """The latest message was a reply to the bid, judged and given a note (not a
    consent message, confirmed and then asked again in full)."""
    message = tracker.latest_message
    intent = (message.get("intent") or {}).get("name") or ""
    return (
        isinstance(message.get(REPLY_JUDGEMENT_KEY), dict)
        and intent not in CONSENT_RESPONSES
    )


class AskSuReply(Action):
    def name(self) -> str:
        return "action_ask_su_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        if answered_a_reply(tracker):
            # The note on the reply just judged ends with its own question;
            # the bid told back again after it would ask twice.
            return []
        texts = load_coaching().showing_up
        dispatcher.utter_message(
            text=texts.name_the_bid.format(**showing_up_fill(tracker))
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
        fill = showing_up_fill(tracker, quoted_phrase(reply))
        if (tracker.latest_message.get(REPLY_JUDGEMENT_KEY) or {}).get("too_short"):
            dispatcher.utter_message(text=texts.too_short.format(**fill))
            return {"su_reply": None}
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
            dispatcher.utter_message(text=texts.seed_idea.format(**fill))
        return {"su_reply": None}


class ActionFinishPractice(Action):
    """Clears the practice slots so an exercise can be done again."""

    def name(self) -> str:
        return "action_finish_practice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        return [
            SlotSet(slot, None)
            for slot in (*REACHING_OUT_SLOTS, DRAFT_TRIES_SLOT, *SHOWING_UP_SLOTS)
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
