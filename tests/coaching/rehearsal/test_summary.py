"""What the coach says about a rehearsal, from the real scenes and texts."""

from __future__ import annotations

from bids_partner.coaching import load_rehearsal_texts, load_scenarios
from bids_partner.coaching.rehearsal.play import Turn
from bids_partner.coaching.rehearsal.summary import (
    counts_text,
    feedback_text,
    stopped_text,
    summary_messages,
)
from bids_partner.coaching.wording import quoted_phrase

TEXTS = load_rehearsal_texts()
SURGEON = load_scenarios()["surgeon"]
ALEX = SURGEON.partner.name

AWAY = Turn("withdrawal", "away", 0.7, "m1")
AGAINST = Turn("criticism", "against", 0.8, "m2")
TOWARD = Turn("turning_toward", "toward", 0.9, "m3")
REACH = Turn("bid", "reach", 0.5, "m4")
REPLIES = {
    "m1": "let's not do this now",
    "m2": "you always make it about work",
    "m3": "you're not failing me, I love you",
    "m4": "can you just hug me first?",
}


def test_feedback_is_the_scenes_note_for_the_kind_with_the_reply_quoted() -> None:
    text = feedback_text(TEXTS, SURGEON, AGAINST, REPLIES["m2"])
    expected = SURGEON.replies["against"].feedback.format(
        partner=ALEX,
        reply=quoted_phrase(REPLIES["m2"]),
        move=TEXTS.move_labels["criticism"],
    )
    assert text == expected
    assert quoted_phrase(REPLIES["m2"]) in text and "{" not in text


def test_the_same_kind_again_gets_the_shorter_note() -> None:
    again = feedback_text(TEXTS, SURGEON, AGAINST, REPLIES["m2"], [AWAY, AGAINST])
    assert again.endswith(
        TEXTS.feedback_again["against"].format(
            partner=ALEX, move=TEXTS.move_labels["criticism"]
        )
    )
    first = feedback_text(TEXTS, SURGEON, AGAINST, REPLIES["m2"], [AWAY])
    assert first != again


def test_a_reply_that_is_gone_is_not_quoted() -> None:
    text = feedback_text(TEXTS, SURGEON, AGAINST, None)
    assert TEXTS.unquoted_reply in text


def test_counts_follow_the_contract_order() -> None:
    assert counts_text(TEXTS, [TOWARD, AGAINST, TOWARD, AWAY]) == (
        f"{TEXTS.move_labels['withdrawal']} 1, {TEXTS.move_labels['criticism']} 1, "
        f"{TEXTS.move_labels['turning_toward']} 2"
    )


def test_the_summary_counts_quotes_the_best_reply_and_suggests_the_next_step() -> None:
    messages = summary_messages(
        TEXTS, SURGEON, [AWAY, AGAINST, TOWARD], REPLIES, feedback_at_end=False
    )
    assert messages[0] == TEXTS.summary.heading
    assert messages[1] == TEXTS.summary.counts.format(
        partner=ALEX,
        replies=3,
        times="3 times",
        counts=counts_text(TEXTS, [AWAY, AGAINST, TOWARD]),
        toward=1,
    )
    assert quoted_phrase(REPLIES["m3"]) in messages[2]
    assert messages[2].startswith(TEXTS.summary.best["toward"].split("{")[0])
    # One away and one against: the suggestion addresses the more hurtful one.
    suggestion = SURGEON.replies["against"].suggestion.format(partner=ALEX)
    assert messages[-1] == TEXTS.summary.suggestion.format(suggestion=suggestion)
    assert len(messages) == 4


def test_notes_held_back_come_at_the_end_one_per_reply() -> None:
    turns = [AWAY, AGAINST, AGAINST]
    messages = summary_messages(TEXTS, SURGEON, turns, REPLIES, feedback_at_end=True)
    notes = messages[3:-1]
    assert len(notes) == 3
    assert notes[0].startswith("Reply 1, ")
    # The second "against" gets the shorter note, as it would have live.
    assert TEXTS.feedback_again["against"].split("{")[0] in notes[2]


def test_stopping_says_how_many_replies_turned_toward() -> None:
    assert stopped_text(TEXTS, SURGEON, []) == TEXTS.stopped
    assert stopped_text(TEXTS, None, [TOWARD]) == TEXTS.stopped
    text = stopped_text(TEXTS, SURGEON, [TOWARD, AWAY])
    assert text == TEXTS.stopped_with_replies.format(
        partner=ALEX, replies=2, times="twice", toward=1
    )


def test_the_number_of_replies_is_said_in_words() -> None:
    said = {
        n: summary_messages(TEXTS, SURGEON, [TOWARD] * n, REPLIES, False)[1]
        for n in (1, 2, 5)
    }
    assert f"answered {ALEX} once:" in said[1]
    assert f"answered {ALEX} twice:" in said[2]
    assert f"answered {ALEX} 5 times:" in said[5]
    assert all("(s)" not in text and "{" not in text for text in said.values())
    assert f"answered {ALEX} once," in stopped_text(TEXTS, SURGEON, [AWAY])


def test_a_note_that_does_not_quote_the_reply_starts_with_the_part_that_turned() -> (
    None
):
    text = feedback_text(TEXTS, SURGEON, TOWARD, "I'm right here")
    assert text.startswith(
        TEXTS.turning_quote["toward"].format(partner=ALEX, reply='"I\'m right here"')
    )
    assert text.count('"I\'m right here"') == 1


def test_toward_then_my_own_need_is_noted() -> None:
    reached = Turn("turning_toward", "toward", 0.9, "m3", also_reached=True)
    text = feedback_text(TEXTS, SURGEON, reached, "I love you. Hold me?")
    assert text.endswith(TEXTS.also_reached.format(partner=ALEX))


# Issue 16: the summary holds up only a reply that turned toward, else one that
# reached for the user's own need, and says what to try when none turned toward.


def test_no_reply_that_turned_away_or_against_is_called_the_strongest() -> None:
    turns = [AWAY, AGAINST, AGAINST]
    messages = summary_messages(TEXTS, SURGEON, turns, REPLIES, feedback_at_end=False)
    said = " ".join(messages)
    assert quoted_phrase(REPLIES["m1"]) not in said
    assert quoted_phrase(REPLIES["m2"]) not in said
    assert "strongest" not in said.lower()
    # Instead: what to try when playing it again, then the scene's suggestion.
    assert messages[2] == TEXTS.summary.no_toward.format(partner=ALEX)
    suggestion = SURGEON.replies["against"].suggestion.format(partner=ALEX)
    assert messages[-1] == TEXTS.summary.suggestion.format(suggestion=suggestion)
    assert len(messages) == 4


def test_without_a_reply_that_turned_toward_a_reach_is_quoted_for_what_it_did() -> None:
    turns = [AGAINST, REACH, AWAY]
    messages = summary_messages(TEXTS, SURGEON, turns, REPLIES, feedback_at_end=False)
    assert messages[2] == TEXTS.summary.closest["reach"].format(
        partner=ALEX, reply=quoted_phrase(REPLIES["m4"])
    )
    assert "strongest" not in messages[2].lower()
    assert messages[3] == TEXTS.summary.no_toward.format(partner=ALEX)


def test_when_a_reply_turned_toward_no_next_step_note_is_added() -> None:
    messages = summary_messages(
        TEXTS, SURGEON, [AGAINST, REACH, TOWARD], REPLIES, feedback_at_end=False
    )
    assert quoted_phrase(REPLIES["m3"]) in messages[2]
    assert TEXTS.summary.no_toward.format(partner=ALEX) not in messages


def test_the_next_step_note_says_what_to_try() -> None:
    text = TEXTS.summary.no_toward.format(partner=ALEX)
    assert "{" not in text and ALEX in text
    assert "feeling" in text and "first" in text


# Issue 16: a scene whose aim is the user's own need said softly.

BOUNDARY = load_scenarios()["calls_at_work"]
LINDA = BOUNDARY.partner.name


def test_a_reach_aim_summary_holds_up_the_reply_that_reached() -> None:
    turns = [AWAY, TOWARD, REACH]
    messages = summary_messages(TEXTS, BOUNDARY, turns, REPLIES, feedback_at_end=False)
    assert messages[1] == TEXTS.reach_aim.counts.format(
        partner=LINDA,
        replies=3,
        times="3 times",
        counts=counts_text(TEXTS, turns),
        reached=1,
    )
    assert messages[2] == TEXTS.summary.best["reach"].format(
        partner=LINDA, reply=quoted_phrase(REPLIES["m4"])
    )
    assert TEXTS.reach_aim.no_reach.format(partner=LINDA) not in messages
    # The commonest miss of the aim (away and toward once each: the more hurtful).
    suggestion = BOUNDARY.replies["away"].suggestion.format(partner=LINDA)
    assert messages[-1] == TEXTS.summary.suggestion.format(suggestion=suggestion)


def test_a_reach_aim_summary_without_a_reach_says_what_to_try() -> None:
    turns = [AGAINST, TOWARD, AWAY]
    messages = summary_messages(TEXTS, BOUNDARY, turns, REPLIES, feedback_at_end=False)
    # Turning toward is held up only as the closest, never away or against.
    assert messages[2] == TEXTS.summary.closest["toward"].format(
        partner=LINDA, reply=quoted_phrase(REPLIES["m3"])
    )
    assert messages[3] == TEXTS.reach_aim.no_reach.format(partner=LINDA)
    said = " ".join(messages)
    assert quoted_phrase(REPLIES["m1"]) not in said
    assert quoted_phrase(REPLIES["m2"]) not in said
    only_misses = summary_messages(
        TEXTS, BOUNDARY, [AGAINST, AWAY], REPLIES, feedback_at_end=False
    )
    assert "strongest" not in " ".join(only_misses).lower()
    assert only_misses[2] == TEXTS.reach_aim.no_reach.format(partner=LINDA)


def test_a_reach_aim_scene_notes_a_second_reach_as_the_skill() -> None:
    again = feedback_text(TEXTS, BOUNDARY, REACH, REPLIES["m4"], [REACH])
    assert (
        TEXTS.reach_aim.feedback_again["reach"].format(
            partner=LINDA, move=TEXTS.move_labels["bid"]
        )
        in again
    )
    assert f"answer {LINDA} first" not in again
    assert stopped_text(TEXTS, BOUNDARY, [REACH, AWAY]) == (
        TEXTS.reach_aim.stopped_with_replies.format(
            partner=LINDA, replies=2, times="twice", reached=1
        )
    )


FLOODED = load_scenarios()["flooded_break"]


def test_a_break_said_as_ones_own_need_counts_where_the_scene_aims_at_it() -> None:
    """flooded_break aims at toward and reach: a break asked for plainly as one's
    own need meets it, so the count line counts it with the toward replies."""
    casey = FLOODED.partner.name
    turns = [REACH, AWAY, TOWARD]
    messages = summary_messages(TEXTS, FLOODED, turns, REPLIES, feedback_at_end=False)
    assert messages[1] == TEXTS.toward_and_reach_aim.counts.format(
        partner=casey,
        replies=3,
        times="3 times",
        counts=counts_text(TEXTS, turns),
        met=2,
    )
    assert "2 of 3" in messages[1]
    assert stopped_text(TEXTS, FLOODED, [REACH, AWAY]) == (
        TEXTS.toward_and_reach_aim.stopped_with_replies.format(
            partner=casey, replies=2, times="twice", met=1
        )
    )
    # A scene aiming at toward alone still counts toward replies only.
    assert messages[1] != summary_messages(
        TEXTS, SURGEON, turns, REPLIES, feedback_at_end=False
    )[1].replace(ALEX, casey)


def test_in_a_scene_that_practises_the_need_a_warm_limit_gets_the_need_note() -> None:
    """calls_at_work aims at the user's own need: a toward reply that also said it
    is noted as the need said, named as a bid, never as a need still unsaid; a
    second one gets the reach_aim texts' "again" note."""
    calls = load_scenarios()["calls_at_work"]
    linda = calls.partner.name
    reply = "I love hearing from you, Mum, and I can't take calls at work."
    limit = Turn("turning_toward", "toward", 0.9, "m5", also_reached=True)
    text = feedback_text(TEXTS, calls, limit, reply)
    reach_note = calls.replies["reach"].feedback.format(
        partner=linda, reply=quoted_phrase(reply), move=TEXTS.move_labels["bid"]
    )
    assert text.endswith(reach_note)
    assert text.startswith(
        TEXTS.turning_quote["toward"].format(partner=linda, reply=quoted_phrase(reply))
    )
    assert "still unsaid" not in text and TEXTS.also_reached.split(",")[0] not in text
    again = feedback_text(TEXTS, calls, limit, reply, earlier=[limit])
    assert again.endswith(
        TEXTS.reach_aim.feedback_again["reach"].format(
            partner=linda, move=TEXTS.move_labels["bid"]
        )
    )
    # Plain toward there is still told the need went unsaid.
    plain = feedback_text(TEXTS, calls, TOWARD, REPLIES["m3"])
    assert plain.endswith(
        calls.replies["toward"].feedback.format(
            partner=linda, reply=quoted_phrase(REPLIES["m3"]), move="turning toward"
        )
    )
