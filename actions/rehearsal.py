"""Rehearsal mode: the bot plays the partner in a scenario and the user practises.

`rehearsal_form` asks for a scenario, whether feedback comes after each reply, and
then for replies until the scene ends. Each reply is read by the NLU (its move and
so its kind: toward, away, against, reach); the partner's next line follows from it.
The turns live in the `rehearsal_turns` slot and the outcome in
`rehearsal_outcome`, so the conversation keeps them for the therapist review.
A crisis leaves the form through rules alone (data/rules/rehearsal.yml).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.consent import ConsentAwareForm
from actions.tracker_reading import latest_entity
from bids_partner.coaching import (
    load_rehearsal_texts,
    load_reply_cues,
    load_scenarios,
)
from bids_partner.coaching.rehearsal.choose import find_scenario
from bids_partner.coaching.rehearsal.play import (
    closing_line,
    is_over,
    next_partner_line,
    outcome,
    partner_says,
    read_reply,
    read_turns,
)
from bids_partner.coaching.rehearsal.summary import (
    feedback_text,
    stopped_text,
    summary_messages,
)
from bids_partner.coaching.scenario_schema import Scenario
from bids_partner.contract import (
    REHEARSAL_FEEDBACK_SLOT,
    REHEARSAL_OUTCOME_SLOT,
    REHEARSAL_REPLY_SLOT,
    REHEARSAL_STATUS_SLOT,
    REHEARSAL_TURNS_SLOT,
    REPLY_JUDGEMENT_KEY,
    SCENARIO_SLOT,
)

EACH_TURN, AT_END = "each_turn", "at_end"
# Slots that hold one rehearsal; cleared when it ends so the next starts afresh.
REHEARSAL_SLOTS = (
    SCENARIO_SLOT,
    REHEARSAL_FEEDBACK_SLOT,
    REHEARSAL_REPLY_SLOT,
    REHEARSAL_TURNS_SLOT,
)
DONE = "done"
SWITCH_INTENTS = ("choose_scenario", "start_rehearsal")
SWITCH_CONFIDENCE = 0.8


def scenario_buttons() -> List[Dict[str, str]]:
    return [
        {"title": s.title, "payload": f'/choose_scenario{{"scenario":"{s.id}"}}'}
        for s in load_scenarios().values()
    ]


def current_scenario(tracker: Tracker) -> Scenario | None:
    return load_scenarios().get(tracker.get_slot(SCENARIO_SLOT) or "")


def picked_scenario(tracker: Tracker) -> Scenario | None:
    """The scenario the latest message names: a button's id or the user's words."""
    return find_scenario(
        load_scenarios(),
        text=tracker.latest_message.get("text") or "",
        scenario_id=latest_entity(tracker, "scenario"),
    )


def user_texts(tracker: Tracker) -> Dict[str, str]:
    """The user's messages by message id, to quote replies back."""
    return {
        event["message_id"]: event.get("text") or ""
        for event in tracker.events
        if event.get("event") == "user" and event.get("message_id")
    }


# Words that answer "a note after each reply, or only at the end?".
NOTES_ANSWER_WORDS = {"each", "end", "after", "every", "note", "notes", "feedback"}


def opens_instead(tracker: Tracker, scenario: Scenario | None) -> bool:
    """In a scene the user starts, a message sent in place of an answer to the
    notes question that the NLU judged as a reply to the partner: the opening."""
    message = tracker.latest_message
    intent = (message.get("intent") or {}).get("name")
    words = set((message.get("text") or "").lower().split())
    judgement = message.get(REPLY_JUDGEMENT_KEY)
    return (
        scenario is not None
        and scenario.starts == "user"
        and intent not in ("affirm", "deny")
        and not words & NOTES_ANSWER_WORDS
        and isinstance(judgement, dict)
        and not judgement.get("too_short")
    )


def feedback_mode(tracker: Tracker) -> str:
    """After each reply unless the user asked for notes only at the end."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "deny":
        return AT_END
    text = (tracker.latest_message.get("text") or "").lower()
    return AT_END if "end" in text.split() or "only at" in text else EACH_TURN


def ended_slots(
    tracker: Tracker, scenario: Scenario | None, ended: str
) -> Dict[str, Any]:
    """The outcome of the rehearsal in progress, and its slots cleared (only
    those set: a form validates every slot set since the user's message)."""
    slots: Dict[str, Any] = {
        slot: None for slot in REHEARSAL_SLOTS if tracker.get_slot(slot) is not None
    }
    if scenario is None:
        return slots
    turns = read_turns(tracker.get_slot(REHEARSAL_TURNS_SLOT))
    feedback = tracker.get_slot(REHEARSAL_FEEDBACK_SLOT)
    summary = outcome(scenario.id, turns, ended, feedback, scenario.aim)
    return {**slots, REHEARSAL_OUTCOME_SLOT: summary, REHEARSAL_STATUS_SLOT: ended}


def recorded(
    tracker: Tracker, scenario: Scenario | None, ended: str
) -> List[Dict[str, Any]]:
    """Stores the outcome and clears the rehearsal's slots."""
    return [
        SlotSet(slot, value)
        for slot, value in ended_slots(tracker, scenario, ended).items()
    ]


def asks_to_switch(tracker: Tracker) -> bool:
    """A scenario button, or a clear request for another scene, in the middle of
    one. A reply that only sounds like one stays a reply."""
    intent = tracker.latest_message.get("intent") or {}
    if latest_entity(tracker, "scenario"):
        return True
    return (
        intent.get("name") in SWITCH_INTENTS
        and float(intent.get("confidence") or 0.0) >= SWITCH_CONFIDENCE
    )


def setup_text(scenario: Scenario) -> str:
    """The scene set, and who the coach plays; in a scene the user starts, what
    to open with (the partner's state follows as their first line)."""
    texts = load_rehearsal_texts()
    fill = {
        "title": scenario.title,
        "setup": scenario.setup,
        "partner": scenario.partner.name,
        "role": scenario.partner.role,
    }
    if scenario.starts == "user":
        return texts.setup_user_starts.format(**fill, user_opens=scenario.user_opens)
    return texts.setup.format(**fill)


class ActionAskScenario(Action):
    def name(self) -> str:
        return "action_ask_scenario"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(
            text=load_rehearsal_texts().choose_scenario, buttons=scenario_buttons()
        )
        return []


class ActionPickScenario(Action):
    """Before the form: a scene named in words or by a button is prefilled so the
    form starts with it. A scene left unfinished (a crisis ends one through rules
    alone) is recorded as interrupted first."""

    def name(self) -> str:
        return "action_pick_scenario"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        unfinished = tracker.get_slot(REHEARSAL_STATUS_SLOT) == "playing"
        events = recorded(
            tracker, current_scenario(tracker) if unfinished else None, "interrupted"
        )
        scenario = picked_scenario(tracker)
        if scenario is not None:
            return [*events, SlotSet(SCENARIO_SLOT, scenario.id)]
        if tracker.get_intent_of_latest_message() == "choose_scenario":
            dispatcher.utter_message(text=load_rehearsal_texts().unknown_scenario)
        return events


class ActionAskRehearsalFeedback(Action):
    def name(self) -> str:
        return "action_ask_rehearsal_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        texts = load_rehearsal_texts()
        dispatcher.utter_message(
            text=texts.ask_feedback,
            buttons=[
                {"title": texts.buttons.each_turn, "payload": "/affirm"},
                {"title": texts.buttons.at_end, "payload": "/deny"},
            ],
        )
        return []


class ActionAskRehearsalReply(Action):
    """The partner speaks: the opening line (in a scene the user starts, the
    partner's state), or the answer to the last reply."""

    def name(self) -> str:
        return "action_ask_rehearsal_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        scenario = current_scenario(tracker)
        if scenario is not None:
            turns = read_turns(tracker.get_slot(REHEARSAL_TURNS_SLOT))
            line = next_partner_line(scenario, turns)
            dispatcher.utter_message(text=partner_says(scenario, line))
        return []


class ValidateRehearsalForm(ConsentAwareForm):
    def name(self) -> str:
        return "validate_rehearsal_form"

    def validate_scenario(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        if value is None:  # cleared before the form started, nothing chosen yet
            return {SCENARIO_SLOT: None}
        texts = load_rehearsal_texts()
        scenario = load_scenarios().get(value) if isinstance(value, str) else None
        scenario = scenario or picked_scenario(tracker)
        if scenario is None:
            dispatcher.utter_message(text=texts.unknown_scenario)
            return {SCENARIO_SLOT: None}
        dispatcher.utter_message(text=setup_text(scenario))
        return {
            SCENARIO_SLOT: scenario.id,
            REHEARSAL_TURNS_SLOT: [],
            REHEARSAL_STATUS_SLOT: "playing",
        }

    def validate_rehearsal_feedback(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        if value is None:
            return {REHEARSAL_FEEDBACK_SLOT: None}
        scenario = current_scenario(tracker)
        if opens_instead(tracker, scenario):
            # Notes after each reply, the default, and the message read as the
            # user's opening line rather than dropped.
            return {
                REHEARSAL_FEEDBACK_SLOT: EACH_TURN,
                **self.validate_rehearsal_reply(value, dispatcher, tracker, domain),
            }
        return {REHEARSAL_FEEDBACK_SLOT: feedback_mode(tracker)}

    def validate_rehearsal_reply(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        scenario = current_scenario(tracker)
        if scenario is None or value is None:
            return {REHEARSAL_REPLY_SLOT: None}
        if asks_to_switch(tracker):
            return self.switch(dispatcher, tracker, scenario)
        texts = load_rehearsal_texts()
        earlier = read_turns(tracker.get_slot(REHEARSAL_TURNS_SLOT))
        reading = read_reply(
            tracker.latest_message, scenario, earlier, load_reply_cues()
        )
        if reading.turn is None:
            # Too short, heard two ways or not clear: asked about, never
            # recorded as a move.
            prompt = {
                "too_short": texts.too_short,
                "two_ways": texts.two_ways,
            }.get(reading.status, texts.unclear)
            dispatcher.utter_message(text=prompt.format(partner=scenario.partner.name))
            return {REHEARSAL_REPLY_SLOT: None}
        turn = reading.turn
        turns = [*earlier, turn]
        if tracker.get_slot(REHEARSAL_FEEDBACK_SLOT) != AT_END:
            reply = reading.quote or tracker.latest_message.get("text")
            dispatcher.utter_message(
                text=feedback_text(texts, scenario, turn, reply, earlier)
            )
        stored = [t.as_dict() for t in turns]
        if not is_over(scenario, turns):
            return {REHEARSAL_REPLY_SLOT: None, REHEARSAL_TURNS_SLOT: stored}
        dispatcher.utter_message(
            text=partner_says(scenario, closing_line(scenario, turns))
        )
        return {REHEARSAL_REPLY_SLOT: DONE, REHEARSAL_TURNS_SLOT: stored}

    def switch(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, scenario: Scenario
    ) -> Dict[str, Any]:
        """Leaves this scene for the one named, or for the list of scenes; the
        feedback choice stays."""
        slots = {
            **ended_slots(tracker, scenario, "switched"),
            SCENARIO_SLOT: None,
            REHEARSAL_REPLY_SLOT: None,
            REHEARSAL_FEEDBACK_SLOT: tracker.get_slot(REHEARSAL_FEEDBACK_SLOT),
            REHEARSAL_TURNS_SLOT: [],
        }
        chosen = picked_scenario(tracker)
        if chosen is not None:
            dispatcher.utter_message(text=setup_text(chosen))
            return {**slots, SCENARIO_SLOT: chosen.id, REHEARSAL_STATUS_SLOT: "playing"}
        return slots


class ActionFinishRehearsal(Action):
    """The scene ended: the summary, the stored outcome, an offer to replay."""

    def name(self) -> str:
        return "action_finish_rehearsal"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        scenario = current_scenario(tracker)
        if scenario is None:
            return recorded(tracker, None, "completed")
        texts = load_rehearsal_texts()
        messages = summary_messages(
            texts,
            scenario,
            read_turns(tracker.get_slot(REHEARSAL_TURNS_SLOT)),
            user_texts(tracker),
            feedback_at_end=tracker.get_slot(REHEARSAL_FEEDBACK_SLOT) == AT_END,
        )
        for message in messages:
            dispatcher.utter_message(text=message)
        dispatcher.utter_message(
            text=texts.summary.replay,
            buttons=[
                {
                    "title": texts.buttons.again,
                    "payload": f'/choose_scenario{{"scenario":"{scenario.id}"}}',
                },
                {"title": texts.buttons.another, "payload": "/start_rehearsal"},
            ],
        )
        return recorded(tracker, scenario, "completed")


class ActionLeaveRehearsal(Action):
    """The user said stop: leave the scene, keep what was practised."""

    def name(self) -> str:
        return "action_leave_rehearsal"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        scenario = current_scenario(tracker)
        turns = read_turns(tracker.get_slot(REHEARSAL_TURNS_SLOT))
        dispatcher.utter_message(
            text=stopped_text(load_rehearsal_texts(), scenario, turns)
        )
        return recorded(tracker, scenario, "stopped")
