from __future__ import annotations

import pytest

from actions.coaching_forms import ValidateReachingOutForm, ValidateShowingUpForm
from bids_partner.coaching import load_coaching

SLOTS = {"ro_feeling": "lonely", "ro_need": "to know you're with me"}


def texts(dispatcher) -> list:
    return [m["text"] for m in dispatcher.messages]


@pytest.mark.parametrize(
    "move", ["criticism", "contempt", "defensiveness", "withdrawal"]
)
def test_a_turning_against_draft_is_named_and_reshaped(
    dispatcher, make_tracker, move: str
) -> None:
    tracker = make_tracker("you never make time for me", move, slots=SLOTS)
    result = ValidateReachingOutForm().validate_ro_draft(
        "you never make time for me", dispatcher, tracker, {}
    )
    assert result == {"ro_draft": None}  # asked again
    content = load_coaching().reaching_out
    feedback = getattr(content.feedback, move).format(
        feeling="lonely", need=SLOTS["ro_need"], partner="your partner", draft=""
    )
    assert texts(dispatcher)[0] == feedback
    assert texts(dispatcher)[1] == content.soft_startup.format(
        feeling="lonely", need=SLOTS["ro_need"], partner="your partner", draft=""
    )


@pytest.mark.parametrize("move", ["bid", "reassurance_request"])
def test_a_draft_that_reaches_ends_the_loop(dispatcher, make_tracker, move) -> None:
    draft = "I feel lonely when we don't talk, could we sit together tonight?"
    tracker = make_tracker(draft, move, slots=SLOTS)
    result = ValidateReachingOutForm().validate_ro_draft(draft, dispatcher, tracker, {})
    assert result == {"ro_draft": draft}
    assert len(dispatcher.messages) == 1


def test_an_unclear_draft_gets_the_other_feedback(dispatcher, make_tracker) -> None:
    tracker = make_tracker("hmm", "out_of_scope", slots=SLOTS)
    result = ValidateReachingOutForm().validate_ro_draft("hmm", dispatcher, tracker, {})
    assert result == {"ro_draft": None}
    assert texts(dispatcher)[0].startswith(
        load_coaching().reaching_out.feedback.other.split("{")[0]
    )


def test_a_reply_that_turns_toward_is_praised(dispatcher, make_tracker) -> None:
    reply = "I'm here, tell me what happened"
    tracker = make_tracker(reply, "turning_toward", slots={"su_bid": "she sighed"})
    result = ValidateShowingUpForm().validate_su_reply(reply, dispatcher, tracker, {})
    assert result == {"su_reply": reply}


@pytest.mark.parametrize(
    "move", ["withdrawal", "criticism", "contempt", "defensiveness", "bid"]
)
def test_a_reply_that_turns_away_gets_specific_feedback(
    dispatcher, make_tracker, move: str
) -> None:
    tracker = make_tracker("not now", move, slots={"su_bid": "she sighed"})
    result = ValidateShowingUpForm().validate_su_reply(
        "not now", dispatcher, tracker, {}
    )
    assert result == {"su_reply": None}
    expected = getattr(load_coaching().showing_up.feedback, move)
    assert texts(dispatcher)[0].startswith(expected.split("{")[0])


def test_empty_answers_are_asked_again(dispatcher, make_tracker) -> None:
    tracker = make_tracker("   ", "out_of_scope")
    assert ValidateReachingOutForm().validate_ro_feeling(
        "  ", dispatcher, tracker, {}
    ) == {"ro_feeling": None}


def test_a_bare_reply_to_the_bid_is_asked_about(dispatcher, make_tracker) -> None:
    tracker = make_tracker("ok", "affirm", slots={"su_bid": "she sighed"})
    tracker.latest_message["reply_judgement"] = {"too_short": True}
    result = ValidateShowingUpForm().validate_su_reply("ok", dispatcher, tracker, {})
    assert result == {"su_reply": None}
    assert texts(dispatcher) == [
        load_coaching().showing_up.too_short.format(partner="your partner")
    ]


def test_the_judged_kind_decides_not_the_sentence_alone(
    dispatcher, make_tracker
) -> None:
    # Read alone as a bid; judged against the bid it answers, it turns toward.
    reply = "come here, can I hold you?"
    tracker = make_tracker(reply, "bid", slots={"su_bid": "she said she felt low"})
    tracker.latest_message["reply_judgement"] = {
        "too_short": False,
        "kind": "toward",
        "confidence": 0.8,
    }
    result = ValidateShowingUpForm().validate_su_reply(reply, dispatcher, tracker, {})
    assert result == {"su_reply": reply}


def test_a_narrated_reply_read_as_turning_toward_stands(
    dispatcher, make_tracker
) -> None:
    reply = "I put my phone down and said I'm listening"
    tracker = make_tracker(reply, "turning_toward", slots={"su_bid": "a photo"})
    tracker.latest_message["reply_judgement"] = {
        "too_short": False,
        "kind": "against",
        "confidence": 0.6,
    }
    result = ValidateShowingUpForm().validate_su_reply(reply, dispatcher, tracker, {})
    assert result == {"su_reply": reply}
