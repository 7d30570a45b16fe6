from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.coaching_forms import (
    ActionFinishPractice,
    AskRoDraft,
    AskRoNeed,
    AskSuReply,
    ValidateReachingOutForm,
    ValidateShowingUpForm,
)
from bids_partner.coaching import load_coaching

SLOTS = {"ro_feeling": "lonely", "ro_need": "to know you're with me"}
# Drafts not yet read as a reach. Not in domain.yml yet (issue 16: the slot to add
# is in the report); the trackers here fake it.
TRIES = "ro_draft_tries"
DRAFT = "you never make time for me"


def texts(dispatcher) -> list:
    return [m["text"] for m in dispatcher.messages]


@pytest.mark.parametrize(
    "move", ["criticism", "contempt", "defensiveness", "withdrawal"]
)
async def test_a_turning_against_draft_is_named_and_reshaped(
    dispatcher, make_tracker, move: str
) -> None:
    tracker = make_tracker("you never make time for me", move, slots=SLOTS)
    result = ValidateReachingOutForm().validate_ro_draft(
        "you never make time for me", dispatcher, tracker, {}
    )
    assert result == {"ro_draft": None, TRIES: 1}  # asked again
    content = load_coaching().reaching_out
    fill = {
        "feeling": '"lonely"',
        "need": f'"{SLOTS["ro_need"]}"',
        "partner": "your partner",
        "draft": "",
    }
    assert texts(dispatcher) == [getattr(content.feedback, move).format(**fill)]
    # The form asks again: the shape of a soft start-up, after the first miss.
    asked = make_tracker("", move, slots={**SLOTS, **result})
    await AskRoDraft().run(dispatcher, asked, {})
    assert texts(dispatcher)[1] == content.soft_startup.format(**fill)


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
    assert result == {"ro_draft": None, TRIES: 1}
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


@pytest.mark.parametrize(
    "intent, judgement, tells_the_bid",
    [
        # First ask: the message was the bid, not judged.
        ("inform", None, True),
        # After a judged reply the note asked already.
        ("withdrawal", {"too_short": False, "kind": "away", "confidence": 0.9}, False),
        ("affirm", {"too_short": True}, False),
        # A consent message is confirmed, then the question comes again in full.
        (
            "share_with_therapist",
            {"too_short": False, "kind": "reach", "confidence": 0.5},
            True,
        ),
    ],
)
async def test_the_bid_is_told_back_once_not_after_each_note(
    dispatcher, make_tracker, intent: str, judgement: Any, tells_the_bid: bool
) -> None:
    tracker = make_tracker(
        "she sighed at the sink",
        intent,
        slots={"su_bid": "she sighed at the sink"},
        parse_data={"reply_judgement": judgement} if judgement else None,
    )
    await AskSuReply().run(dispatcher, tracker, {})
    bid_told = load_coaching().showing_up.name_the_bid.split("{")[0]
    assert any(bid_told in text for text in texts(dispatcher)) is tells_the_bid


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


# Issue 16: the reaching-out exercise varies its feedback, offers a worked example
# and a way out after three drafts, and puts a feeling back as its feeling word.

SENTENCE = "I guess I felt kind of invisible when he didn't look up"


async def miss(
    make_tracker, tries: Any, move: str = "criticism", slots: Dict[str, Any] = SLOTS
) -> Tuple[Dict[str, Any], List[str]]:
    """One draft not read as a reach, and the form asking again, as Rasa runs them:
    the validation, then the ask action on a tracker with the slots it set."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(DRAFT, move, slots={**slots, TRIES: tries})
    result = ValidateReachingOutForm().validate_ro_draft(DRAFT, dispatcher, tracker, {})
    asked = make_tracker(DRAFT, move, slots={**slots, **result})
    await AskRoDraft().run(dispatcher, asked, {})
    return result, texts(dispatcher)


async def misses(
    make_tracker, count: int, move: str = "criticism", slots: Dict[str, Any] = SLOTS
) -> List[List[str]]:
    """What the user is told after each of `count` drafts in a row."""
    said, tries = [], None
    for _ in range(count):
        result, messages = await miss(make_tracker, tries, move, slots)
        said.append(messages)
        tries = result[TRIES]
    return said


async def test_each_draft_that_does_not_reach_is_counted(make_tracker) -> None:
    assert (await miss(make_tracker, None))[0] == {"ro_draft": None, TRIES: 1}
    assert (await miss(make_tracker, 2.0))[0] == {"ro_draft": None, TRIES: 3}
    # A slot filled from outside with junk counts as no tries.
    assert (await miss(make_tracker, "lots"))[0][TRIES] == 1


@pytest.mark.parametrize(
    "move", ["criticism", "contempt", "defensiveness", "withdrawal", "out_of_scope"]
)
async def test_no_message_repeats_word_for_word_on_consecutive_drafts(
    make_tracker, move: str
) -> None:
    said = await misses(make_tracker, 7, move)
    for number, (before, after) in enumerate(zip(said, said[1:]), start=1):
        assert not set(before) & set(after), (number, set(before) & set(after))
        assert all("{" not in text for text in after)


async def test_after_three_drafts_a_worked_example_and_a_way_out(
    make_tracker,
) -> None:
    content = load_coaching().reaching_out
    first, second, third, fourth = await misses(make_tracker, 4)
    offers = content.worked_example.offers
    assert not any("stop" in text for text in (*first, *second))
    example = content.worked_example.message.feeling_and_need.format(
        feeling_words="lonely", need_words="to know you're with me"
    )
    assert third[-1] == offers[0].format(example=f'"{example}"', partner="your partner")
    assert '"stop"' in third[-1] and third[-1].endswith("?")
    # Offered again after the fourth, in other words.
    assert fourth[-1] == offers[1].format(
        example=f'"{example}"', partner="your partner"
    )


async def test_the_worked_example_keeps_to_what_reads_right(make_tracker) -> None:
    content = load_coaching().reaching_out.worked_example.message
    # The feeling word from a sentence; a need about "him" would not read right
    # in a message to him, so the example leaves it out.
    slots = {"ro_feeling": SENTENCE, "ro_need": "I needed him to just see me"}
    said = (await misses(make_tracker, 3, slots=slots))[-1]
    example = content.feeling.format(feeling_words="invisible")
    assert f'"{example}"' in said[-1]
    assert "kind of invisible" not in " ".join(said)
    # Neither a feeling word nor a need that reads right: the plain example.
    slots = {"ro_feeling": "a weird evening", "ro_need": "I don't know"}
    said = (await misses(make_tracker, 3, slots=slots))[-1]
    assert f'"{content.plain}"' in said[-1]
    # The need alone.
    slots = {"ro_feeling": "a weird evening", "ro_need": "comfort"}
    said = (await misses(make_tracker, 3, slots=slots))[-1]
    assert f'"{content.need.format(need_words="comfort")}"' in said[-1]


async def test_a_feeling_told_in_a_sentence_is_put_back_as_its_word(
    dispatcher, make_tracker
) -> None:
    tracker = make_tracker("", "inform", slots={"ro_feeling": SENTENCE})
    await AskRoNeed().run(dispatcher, tracker, {})
    [asked] = texts(dispatcher)
    assert '"invisible"' in asked
    assert "kind of invisible" not in asked and "look up" not in asked
    # And in the feedback on a draft.
    slots = {**SLOTS, "ro_feeling": SENTENCE}
    said = (await misses(make_tracker, 1, "criticism", slots))[0]
    assert '"invisible"' in said[0] and "look up" not in " ".join(said)


async def test_without_a_feeling_word_a_neutral_phrase_stands_in(
    dispatcher, make_tracker
) -> None:
    feeling = "honestly no idea, it was just a weird evening"
    tracker = make_tracker("", "inform", slots={"ro_feeling": feeling})
    await AskRoNeed().run(dispatcher, tracker, {})
    [asked] = texts(dispatcher)
    assert load_coaching().reaching_out.feeling_unnamed in asked
    assert "weird evening" not in asked


async def test_finishing_clears_the_count(dispatcher, make_tracker) -> None:
    tracker = make_tracker("", "inform", slots={TRIES: 3})
    events = await ActionFinishPractice().run(dispatcher, tracker, {})
    assert {"event": "slot", "timestamp": None, "name": TRIES, "value": None} in (
        events
    )


async def test_a_need_told_at_length_is_not_pasted_back_whole(make_tracker) -> None:
    """Issue 16: the need goes back as the need alone where it reads after "I
    need", else as the start of the user's answer, never the whole of it."""
    long_need = (
        "I think I needed him to just for once notice that I was struggling "
        "and maybe ask me how my day went without me having to say it"
    )
    slots = {"ro_feeling": "lonely", "ro_need": long_need}
    said = " ".join((await misses(make_tracker, 1, "withdrawal", slots))[0])
    assert "without me having to say it" not in said
    assert '"I think I needed him' in said
    slots = {"ro_feeling": "lonely", "ro_need": "I needed some comfort."}
    said = " ".join((await misses(make_tracker, 1, "withdrawal", slots))[0])
    assert '"some comfort"' in said and "I needed some comfort" not in said
