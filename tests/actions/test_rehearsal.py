"""The rehearsal actions: each built on a small tracker, run, and read back."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from rasa_sdk import Tracker

from actions.rehearsal import (
    ActionAskRehearsalReply,
    ActionFinishRehearsal,
    ActionLeaveRehearsal,
    ActionPickScenario,
    ValidateRehearsalForm,
)
from bids_partner.coaching import load_rehearsal_texts, load_scenarios
from bids_partner.coaching.rehearsal.play import Turn
from bids_partner.contract import PARTNER_MARK
from tests.helpers.events import user_event

SCENARIO = load_scenarios()["reassurance"]
TEXTS = load_rehearsal_texts()


def texts(dispatcher) -> List[str]:
    return [m["text"] for m in dispatcher.messages]


def slots(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def playing(turns: List[Turn], feedback: str = "each_turn") -> Dict[str, Any]:
    return {
        "scenario": "reassurance",
        "rehearsal_feedback": feedback,
        "rehearsal_turns": [t.as_dict() for t in turns],
    }


def reply(
    make_tracker, text: str, intent: str, turns: List[Turn], **kw: Any
) -> Tracker:
    return make_tracker(
        text, intent, slots=playing(turns, **kw), message_id=f"id-{len(turns)}"
    )


def validate(dispatcher, tracker) -> Dict[str, Any]:
    return ValidateRehearsalForm().validate_rehearsal_reply(
        tracker.latest_message["text"], dispatcher, tracker, {}
    )


def test_a_reply_gets_its_feedback_and_the_scene_goes_on(
    dispatcher, make_tracker
) -> None:
    tracker = reply(make_tracker, "you never listen", "criticism", [])
    result = validate(dispatcher, tracker)
    assert result["rehearsal_reply"] is None  # the partner answers, then asks again
    [stored] = result["rehearsal_turns"]
    assert {k: stored[k] for k in ("move", "kind", "confidence", "message_id")} == {
        "move": "criticism",
        "kind": "against",
        "confidence": 0.95,
        "message_id": "id-0",
    }
    line = SCENARIO.replies["against"].partner[stored["line"]]
    assert "any" in line.responds_to
    fill = {"partner": "Sam", "reply": '"you never listen"', "move": "criticism"}
    note = SCENARIO.replies["against"].feedback.format(**fill)
    if fill["reply"] not in note:  # the note is led by the part that turned
        note = f"{TEXTS.turning_quote['against'].format(**fill)} {note}"
    assert texts(dispatcher) == [note]


def test_notes_held_for_the_end_are_not_given_now(dispatcher, make_tracker) -> None:
    tracker = reply(make_tracker, "whatever", "withdrawal", [], feedback="at_end")
    assert validate(dispatcher, tracker)["rehearsal_reply"] is None
    assert dispatcher.messages == []


def test_the_last_reply_ends_the_scene_with_the_partners_closing_line(
    dispatcher, make_tracker
) -> None:
    before = [Turn("turning_toward", "toward", 0.9, "id-x")]
    tracker = reply(make_tracker, "I'm here", "turning_toward", before)
    result = validate(dispatcher, tracker)
    assert result["rehearsal_reply"] == "done"
    assert len(result["rehearsal_turns"]) == 2
    assert texts(dispatcher)[-1] == f"Sam{PARTNER_MARK}{SCENARIO.ending.resolved}"


def test_a_message_that_answers_nothing_is_asked_again(
    dispatcher, make_tracker
) -> None:
    tracker = reply(make_tracker, "hello there", "greet", [])
    result = validate(dispatcher, tracker)
    assert result == {"rehearsal_reply": None}
    assert texts(dispatcher) == [TEXTS.unclear.format(partner="Sam")]


async def test_the_partner_speaks_the_line_for_the_last_reply(
    dispatcher, make_tracker
) -> None:
    turns = [Turn("withdrawal", "away", 0.9, "a")]
    tracker = make_tracker("x", "withdrawal", slots=playing(turns))
    await ActionAskRehearsalReply().run(dispatcher, tracker, {})
    first_for_any_reply = next(
        x.line for x in SCENARIO.replies["away"].partner if "any" in x.responds_to
    )
    assert texts(dispatcher) == [f"Sam{PARTNER_MARK}{first_for_any_reply}"]


async def test_the_summary_counts_quotes_suggests_and_offers_a_replay(
    dispatcher, make_tracker
) -> None:
    history = [
        user_event("you always do this", "criticism", message_id="a"),
        user_event("I'm here, I love you", "turning_toward", message_id="b"),
    ]
    turns = [
        Turn("criticism", "against", 0.8, "a"),
        Turn("turning_toward", "toward", 0.9, "b"),
    ]
    tracker = make_tracker(
        "I'm here, I love you",
        "turning_toward",
        slots=playing(turns),
        history=history[:1],
        message_id="b",
    )
    events = await ActionFinishRehearsal().run(dispatcher, tracker, {})
    said = texts(dispatcher)
    assert said[0] == TEXTS.summary.heading
    assert "criticism 1, turning toward 1" in said[1] and "1 of 2" in said[1]
    assert '"I\'m here, I love you"' in said[2]
    assert SCENARIO.replies["against"].suggestion.format(partner="Sam") in said[-2]
    assert dispatcher.messages[-1]["buttons"][0]["payload"] == (
        '/choose_scenario{"scenario":"reassurance"}'
    )
    stored = slots(events)
    assert stored["rehearsal_outcome"]["moves"] == {
        "criticism": 1,
        "turning_toward": 1,
    }
    assert stored["rehearsal_outcome"]["ended"] == "completed"
    assert stored["rehearsal_status"] == "completed"
    assert stored["scenario"] is None and stored["rehearsal_turns"] is None


async def test_notes_held_for_the_end_come_with_the_summary(
    dispatcher, make_tracker
) -> None:
    turns = [Turn("withdrawal", "away", 0.8, "a"), Turn("bid", "reach", 0.8, "b")]
    tracker = make_tracker("hold me", "bid", slots=playing(turns, "at_end"))
    await ActionFinishRehearsal().run(dispatcher, tracker, {})
    notes = [t for t in texts(dispatcher) if t.startswith("Reply ")]
    assert len(notes) == 2 and notes[0].startswith("Reply 1")
    # The replies are not in this tracker's events: the content's stand-in is used.
    assert notes[0].startswith(f"Reply 1, {TEXTS.unquoted_reply}:")


async def test_stop_keeps_what_was_practised(dispatcher, make_tracker) -> None:
    turns = [Turn("turning_toward", "toward", 0.8, "a")]
    tracker = make_tracker("stop", "stop", slots=playing(turns))
    events = await ActionLeaveRehearsal().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [
        TEXTS.stopped_with_replies.format(
            partner="Sam", replies=1, times="once", toward=1
        )
    ]
    assert slots(events)["rehearsal_outcome"]["ended"] == "stopped"


async def test_stop_before_a_scene_was_chosen(dispatcher, make_tracker) -> None:
    events = await ActionLeaveRehearsal().run(
        dispatcher, make_tracker("stop", "stop"), {}
    )
    assert texts(dispatcher) == [TEXTS.stopped]
    assert "rehearsal_outcome" not in slots(events)


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        ("/choose_scenario", [{"entity": "scenario", "value": "sunset"}], "sunset"),
        ("the one where my partner cries", [], "partner_cries"),
        ("the spaceship one", [], None),
    ],
)
async def test_picking_a_scenario_before_the_form(
    dispatcher, make_tracker, text, entities, expected
) -> None:
    tracker = make_tracker(text, "choose_scenario", entities=entities)
    events = await ActionPickScenario().run(dispatcher, tracker, {})
    assert slots(events).get("scenario") == expected
    if expected is None:
        assert texts(dispatcher) == [TEXTS.unknown_scenario]


def test_choosing_a_scenario_in_the_form_shows_its_set_up(
    dispatcher, make_tracker
) -> None:
    tracker = make_tracker("the dinner one", "choose_scenario")
    result = ValidateRehearsalForm().validate_scenario(
        "the dinner one", dispatcher, tracker, {}
    )
    assert result["scenario"] == "dinner_criticism"
    assert result["rehearsal_turns"] == []
    assert load_scenarios()["dinner_criticism"].setup in texts(dispatcher)[0]


@pytest.mark.parametrize(
    "text, intent, mode",
    [
        ("/affirm", "affirm", "each_turn"),
        ("/deny", "deny", "at_end"),
        ("only at the end please", "out_of_scope", "at_end"),
        ("after each one", "out_of_scope", "each_turn"),
    ],
)
def test_feedback_mode(dispatcher, make_tracker, text, intent, mode) -> None:
    tracker = make_tracker(text, intent)
    result = ValidateRehearsalForm().validate_rehearsal_feedback(
        text, dispatcher, tracker, {}
    )
    assert result == {"rehearsal_feedback": mode}


TOWARD_JUDGEMENT = {
    "too_short": False,
    "kind": "toward",
    "confidence": 0.9,
    "quote": "I'm sorry I rolled my eyes.",
    "also_reached": False,
}


@pytest.mark.parametrize(
    "scene, text, intent, opens",
    [
        # The user starts this scene: the message is their opening, not lost.
        (
            "contempt_repair",
            "I'm sorry I rolled my eyes. That wasn't fair.",
            "apology",
            True,
        ),
        # Answers to the question stay answers, judged or not.
        ("contempt_repair", "yes please, every time", "affirm", False),
        ("contempt_repair", "a note after each one would help", "out_of_scope", False),
        # Where the partner speaks first there is nothing to answer yet.
        (
            "reassurance",
            "I'm sorry I rolled my eyes. That wasn't fair.",
            "apology",
            False,
        ),
    ],
)
def test_an_opening_sent_instead_of_the_notes_answer_is_the_first_reply(
    dispatcher, make_tracker, scene: str, text: str, intent: str, opens: bool
) -> None:
    tracker = make_tracker(
        text,
        intent,
        slots={"scenario": scene, "rehearsal_turns": []},
        message_id="first",
        parse_data={"reply_judgement": TOWARD_JUDGEMENT},
    )
    result = ValidateRehearsalForm().validate_rehearsal_feedback(
        text, dispatcher, tracker, {}
    )
    assert result["rehearsal_feedback"] == "each_turn"
    if not opens:
        assert result == {"rehearsal_feedback": "each_turn"}
        assert dispatcher.messages == []
        return
    [stored] = result["rehearsal_turns"]
    assert (stored["kind"], stored["message_id"]) == ("toward", "first")
    assert result["rehearsal_reply"] is None
    [note] = texts(dispatcher)
    assert "I'm sorry I rolled my eyes" in note and "Jules" in note


def test_the_same_kind_again_gets_a_shorter_note(dispatcher, make_tracker) -> None:
    before = [Turn("criticism", "against", 0.9, "a")]
    tracker = reply(make_tracker, "you're pathetic", "contempt", before)
    validate(dispatcher, tracker)
    [note] = texts(dispatcher)
    assert note.endswith(
        TEXTS.feedback_again["against"].format(partner="Sam", move="contempt")
    )


def test_a_scenario_button_in_a_scene_switches_to_it(dispatcher, make_tracker) -> None:
    turns = [Turn("withdrawal", "away", 0.9, "a")]
    tracker = make_tracker(
        '/choose_scenario{"scenario":"sunset"}',
        "choose_scenario",
        entities=[{"entity": "scenario", "value": "sunset"}],
        slots=playing(turns),
    )
    result = validate(dispatcher, tracker)
    assert result["scenario"] == "sunset" and result["rehearsal_reply"] is None
    assert result["rehearsal_turns"] == [] and result["rehearsal_feedback"] == (
        "each_turn"
    )
    assert result["rehearsal_outcome"]["ended"] == "switched"
    assert result["rehearsal_outcome"]["scenario"] == "reassurance"
    assert load_scenarios()["sunset"].setup in texts(dispatcher)[0]


def test_asking_for_another_scene_goes_back_to_the_list(
    dispatcher, make_tracker
) -> None:
    tracker = reply(make_tracker, "can we do a different one", "start_rehearsal", [])
    result = validate(dispatcher, tracker)
    assert result["scenario"] is None and result["rehearsal_reply"] is None


def test_a_reply_that_only_sounds_like_a_scenario_stays_a_reply(
    dispatcher, make_tracker
) -> None:
    tracker = make_tracker(
        "let's look at the sunset", "choose_scenario", slots=playing([])
    )
    tracker.latest_message["intent"]["confidence"] = 0.5
    result = validate(dispatcher, tracker)
    assert "scenario" not in result
    assert texts(dispatcher) == [TEXTS.unclear.format(partner="Sam")]


async def test_can_we_practise_names_no_scene_and_says_nothing_yet(
    dispatcher, make_tracker
) -> None:
    tracker = make_tracker("can we practise?", "start_rehearsal")
    events = await ActionPickScenario().run(dispatcher, tracker, {})
    assert events == [] and dispatcher.messages == []


async def test_a_scene_left_by_a_crisis_is_recorded_when_the_next_starts(
    dispatcher, make_tracker
) -> None:
    turns = [Turn("withdrawal", "away", 0.9, "a")]
    tracker = make_tracker(
        "can we practise?",
        "start_rehearsal",
        slots={**playing(turns), "rehearsal_status": "playing"},
    )
    events = await ActionPickScenario().run(dispatcher, tracker, {})
    stored = slots(events)
    assert stored["rehearsal_outcome"]["ended"] == "interrupted"
    assert stored["rehearsal_outcome"]["replies"] == 1
    assert stored["scenario"] is None and stored["rehearsal_turns"] is None


def test_slots_cleared_before_the_form_are_not_validated_as_choices(
    dispatcher, make_tracker
) -> None:
    tracker = make_tracker("can we practise?", "start_rehearsal")
    form = ValidateRehearsalForm()
    assert form.validate_scenario(None, dispatcher, tracker, {}) == {"scenario": None}
    assert form.validate_rehearsal_feedback(None, dispatcher, tracker, {}) == {
        "rehearsal_feedback": None
    }
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    "intent, response",
    [
        ("share_with_therapist", "utter_consent_given"),
        ("withdraw_sharing", "utter_consent_withdrawn"),
    ],
)
async def test_consent_in_a_scene_is_confirmed_not_taken_as_a_reply(
    dispatcher, make_tracker, intent: str, response: str
) -> None:
    tracker = make_tracker(
        "share this with my therapist",
        intent,
        slots={**playing([]), "requested_slot": "rehearsal_reply"},
    )
    events = await ValidateRehearsalForm().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == response
    assert events == [
        {"event": "slot", "name": "rehearsal_reply", "value": None, "timestamp": None}
    ]


def judged_reply(
    make_tracker, text: str, judgement: Dict[str, Any], intent: str = "bid"
) -> Tracker:
    tracker = reply(make_tracker, text, intent, [])
    tracker.latest_message["reply_judgement"] = judgement
    return tracker


def test_a_bare_ok_is_not_scored_and_the_coach_asks_for_words(
    dispatcher, make_tracker
) -> None:
    tracker = judged_reply(make_tracker, "ok", {"too_short": True}, "affirm")
    assert validate(dispatcher, tracker) == {"rehearsal_reply": None}
    assert texts(dispatcher) == [TEXTS.too_short.format(partner="Sam")]


def test_a_reply_the_judge_is_unsure_of_gets_a_question_and_no_record(
    dispatcher, make_tracker
) -> None:
    judgement = {"too_short": False, "kind": "toward", "confidence": 0.31}
    tracker = judged_reply(make_tracker, "well, I mean, it depends", judgement)
    assert validate(dispatcher, tracker) == {"rehearsal_reply": None}
    assert texts(dispatcher) == [TEXTS.unclear.format(partner="Sam")]


def test_the_judged_kind_is_recorded_and_the_turning_part_quoted(
    dispatcher, make_tracker
) -> None:
    text = "Long day. Of course I do, come here, I'm right here."
    judgement = {
        "too_short": False,
        "kind": "toward",
        "confidence": 0.82,
        "quote": "Of course I do, come here, I'm right here.",
        "also_reached": False,
    }
    # The moves classifier alone would have said a bid (reach).
    tracker = judged_reply(make_tracker, text, judgement, "bid")
    result = validate(dispatcher, tracker)
    [stored] = result["rehearsal_turns"]
    assert (stored["kind"], stored["move"]) == ("toward", "turning_toward")
    assert "reassurance" in stored["cues"]
    [note] = texts(dispatcher)
    assert note.startswith('"Of course I do, come here, I\'m right here"')
    assert "Long day" not in note
