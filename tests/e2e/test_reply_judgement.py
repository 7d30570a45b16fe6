"""Replies to the partner judged through the running stack, against the line they
answer: whole scenes of warm multi-sentence replies end resolved, a bare "ok" is
asked about and never recorded, and the partner answers what the reply said."""

from __future__ import annotations

from typing import List

import pytest

from bids_partner.contract import PARTNER_MARK
from tests.helpers.rehearsal_script import (
    SCENARIOS,
    TEXTS,
    TOWARD_RESOLVES,
    button,
    partner,
    sender,
    stored_turns,
)

pytestmark = pytest.mark.stack

# Toward, in several sentences, and then some of the user's own need: written for
# these tests, not a quality measure (that is `make bench-replies` on blind sets).
WARM_REPLIES = [
    "Hey, I'm listening. That sounds like it really matters to you. Tell me more?",
    "I'm here, and I'm not going anywhere. Thank you for telling me. "
    "What would help right now?",
    "You don't have to handle this on your own. I'm right here with you. "
    "Come sit with me for a bit?",
    "I hear you, and I'm glad you said it. I want to get this right with you.",
]


def start(assistant, who: str, scenario_id: str) -> None:
    assistant.texts(who, button(scenario_id))
    assert assistant.texts(who, "/affirm") == partner(
        scenario_id, SCENARIOS[scenario_id].opening
    )


@pytest.mark.parametrize("scenario_id", TOWARD_RESOLVES)
def test_warm_multi_sentence_replies_resolve_the_scene(
    assistant, scenario_id: str
) -> None:
    who = sender()
    start(assistant, who, scenario_id)
    scenario = SCENARIOS[scenario_id]
    said: List[str] = []
    for reply in WARM_REPLIES[: scenario.ending.resolve_after]:
        said = [m["text"] for m in assistant.say(who, reply)]
    assert partner(scenario_id, scenario.ending.resolved) in said, said
    assert TEXTS.summary.heading in said


def test_a_bare_ok_is_asked_about_and_never_recorded(assistant) -> None:
    who = sender()
    start(assistant, who, "surgeon")
    opening = partner("surgeon", SCENARIOS["surgeon"].opening)
    for bare in ("ok", "yes", "lol", "🙂"):
        # Asked for words, and reminded of the line being answered.
        said = assistant.texts(who, bare)
        assert said == f"{TEXTS.too_short.format(partner='Alex')}\n{opening}"
    assert stored_turns(assistant, who) == []
    # The scene goes on with a real reply.
    said = assistant.texts(who, WARM_REPLIES[0])
    assert f"Alex{PARTNER_MARK}" in said and len(stored_turns(assistant, who)) == 1


# Warm words with an edge, each of which the judge may hear as toward or as a
# push back (it asks about a toward judgement that leaves against 0.2 or more).
# Which of them it asks about depends on the trained model; at least one must be.
# (As answers to Sam's opening, the judge trained with w15 and w16 asks about the
# fourth; the second look hears the first as against. Trained with w19 and w20
# it hears the first four as against, or cannot tell, and asks about the fifth.
# Trained with w21 and w22 it hears the first five as against and the sixth as
# toward, and asks about the last three: measured in-process on the trained
# model's judge before they were added. Trained with w27 and w28 it asks about
# the seventh, the eighth and the last; with w29 and w30 too, about the seventh
# and the last.)
TWO_WAYS = [
    "I love you. I just didn't think I needed to keep saying it.",
    "Of course I still love you. Where's this coming from all of a sudden?",
    "Of course I love you, I say it all the time.",
    "I love you, obviously. It's been a long few weeks for both of us.",
    "I love you. I'm not great with words, you know that.",
    "Of course I do. What's made you feel unsure?",
    "Of course I do. What's made you feel unsure, though?",
    "Of course I do. I'm sorry if I haven't shown it lately, work's been mad.",
    "I do, Sam. Has it felt like I don't?",
    "I love you. I just wish you'd believe me when I say it.",
]


def test_a_reply_heard_two_ways_is_asked_about_and_never_recorded(assistant) -> None:
    name = SCENARIOS["reassurance"].partner.name
    asked, unclear = (
        TEXTS.two_ways.format(partner=name),
        TEXTS.unclear.format(partner=name),
    )
    heard_two_ways = 0
    for reply in TWO_WAYS:
        # Each answers the opening line, in a scene of its own.
        who = sender()
        start(assistant, who, "reassurance")
        said = assistant.texts(who, reply)
        two_ways = said.startswith(asked)
        heard_two_ways += two_ways
        # Only a reply that was judged is stored as a turn: not one asked about,
        # nor one the judge could not tell.
        judged = not (two_ways or said.startswith(unclear))
        assert len(stored_turns(assistant, who)) == int(judged), said
    assert heard_two_ways >= 1


def test_the_partner_answers_an_apology_and_a_question(assistant) -> None:
    who = sender()
    start(assistant, who, "dinner_criticism")
    assistant.texts(
        who, "I'm sorry, I should have helped tonight. What can I take over?"
    )
    [turn] = stored_turns(assistant, who)
    assert {"apology", "question"} <= set(turn["cues"])
    line = SCENARIOS["dinner_criticism"].replies[turn["kind"]].partner[turn["line"]]
    assert {"apology", "question"} & set(line.responds_to)


def test_showing_up_a_bare_ok_is_asked_about(assistant) -> None:
    who = sender()
    assistant.texts(who, "I want to practise showing up")
    assistant.texts(who, "she asked if I wanted to watch the sunset with her")
    reply = assistant.texts(who, "ok")
    assert reply.startswith("Could you say a little more?")


# Warm limits said to Linda (calls_at_work practises the user's own need said
# kindly): toward, with the need said. Which of them the judge reads as toward
# that also says the need depends on the trained model; at least one must be
# (written for this test, not a quality measure: `benchmarks.reply_also_needs`).
# The judge of the eighteenth session reads five of the seven so, and the other
# two as reach (which meets the scene's aim by its own branch).
WARM_LIMITS = [
    "I love hearing from you, Mum, but I can't take calls at work. Could you text "
    "me instead? I'll ring you tonight.",
    "Mum, I'm in the middle of work and can't chat now. Text me the hedge news and "
    "I'll call you at six?",
    "Aw Mum, I want to hear all of it, but I can't keep stepping out of meetings. "
    "Can we talk tonight instead?",
    "Oh Mum, I want to hear all about the hedge! I'm at work though, so text me and "
    "I'll ring you tonight?",
    "Aw, I love that you thought of me. I can't chat at work, but I'll call you on "
    "my way home, promise.",
    "Hi Mum! I'd love to hear it, but I'm swamped at work. Can you save it for "
    "tonight? I'll ring you at six.",
    "I want the whole hedge story, Mum, honestly. Just not at work: text me and "
    "I'll call you after five.",
]


def test_a_warm_limit_is_answered_as_the_need_it_says(assistant) -> None:
    """In a scene that practises the user's own need, a toward reply that also
    said it gets the partner's answer to the need and the note on saying it,
    never the note that the need went unsaid."""
    scene = SCENARIOS["calls_at_work"]
    name = scene.partner.name
    reach_lines = {partner(scene.id, x.line) for x in scene.replies["reach"].partner}
    answered = 0
    for reply in WARM_LIMITS:
        who = sender()
        start(assistant, who, scene.id)
        said = [m["text"] for m in assistant.say(who, reply)]
        turns = stored_turns(assistant, who)
        if not (turns and turns[0]["kind"] == "toward" and turns[0]["also_reached"]):
            continue
        answered += 1
        note, answer = said
        assert answer in reach_lines, said
        reach_note = scene.replies["reach"].feedback.format(
            partner=name, move=TEXTS.move_labels["bid"], reply=""
        )
        assert note.endswith(reach_note), note
        # Not the toward note, which says the need is still unsaid.
        toward_note = scene.replies["toward"].feedback.format(
            partner=name, move=TEXTS.move_labels["turning_toward"], reply=""
        )
        assert toward_note.split(".")[1] not in note
    assert answered >= 1
