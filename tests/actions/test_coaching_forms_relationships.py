"""The practice exercises name the person the user talks about: after a reflection
about their mum, the exercise says "your mum", never "your partner", and nothing
that frames the bond as a couple's. "your partner" only when no word is known."""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.coaching_forms import (
    DRAFT_TRIES_SLOT,
    ActionLeavePractice,
    AskRoDraft,
    AskRoFeeling,
    AskRoNeed,
    AskSuBid,
    AskSuReply,
    ValidateReachingOutForm,
    ValidateShowingUpForm,
)
from bids_partner.coaching import load_coaching
from bids_partner.coaching.schema import (
    ReachingOutFeedback,
    ShowingUpFeedback,
    _texts,
)
from bids_partner.coaching.wording import partner_phrase, relationship_of
from bids_partner.contract import REPLY_JUDGEMENT_KEY, ROMANTIC
from bids_partner.language.spacy_pipeline import load_partner_roles

DEFAULT = "your partner"
# Written here, not read from the content: what a therapist would call romantic
# framing in a text about a parent, a child, a sibling or a friend. "Staying" as
# staying together; the exercises' "what helps is staying" (present) is not.
ROMANTIC_FRAMING = re.compile(
    r"\b(?:partners?|couples?|husband|wife|spouse|marri\w*|romantic|date night"
    r"|in love|sex\w*|chosen|choose you|the one they want|(?:they|you) are staying)"
    r"\b",
    re.IGNORECASE,
)
# "your mum" at the start of a sentence would read "your mum ..." in lower case.
LOWER_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)your\b")
SLOTS = {"ro_feeling": "lonely", "ro_need": "to know you're with me"}
DRAFT = "can we talk tonight"
REPLY = "I'm busy right now"
BID = "she showed me a photo"
# Each move the forms can read an attempt as, so every feedback is said once.
DRAFT_MOVES = [*ReachingOutFeedback.__fields__, "out_of_scope", "bid"]
REPLY_MOVES = [*ShowingUpFeedback.__fields__, "out_of_scope", "turning_toward"]

MakeTracker = Callable[..., Tracker]


def said(dispatcher: CollectingDispatcher) -> List[str]:
    return [message["text"] for message in dispatcher.messages]


async def everything_said(make_tracker: MakeTracker, role: str | None) -> List[str]:
    """Every message both exercises can send, in a fixed order, to a user whose
    partner_role slot holds `role`: each ask, every feedback on every try, the
    worked examples, each success and the way out."""
    who = {"partner_role": role} if role is not None else {}
    dispatcher = CollectingDispatcher()

    def tracker(intent: str = "inform", **slots: Any) -> Tracker:
        return make_tracker(DRAFT, intent, slots={**SLOTS, **who, **slots})

    await AskRoFeeling().run(dispatcher, tracker(), {})
    await AskRoNeed().run(dispatcher, tracker(), {})
    for tries in (None, 1, 2, 3, 4):
        await AskRoDraft().run(dispatcher, tracker(**{DRAFT_TRIES_SLOT: tries}), {})
    for move in DRAFT_MOVES:
        for tries in (None, 1, 2):
            ValidateReachingOutForm().validate_ro_draft(
                DRAFT, dispatcher, tracker(move, **{DRAFT_TRIES_SLOT: tries}), {}
            )
    await AskSuBid().run(dispatcher, tracker(), {})
    await AskSuReply().run(dispatcher, tracker(su_bid=BID), {})
    for move in REPLY_MOVES:
        ValidateShowingUpForm().validate_su_reply(
            REPLY, dispatcher, tracker(move, su_bid=BID), {}
        )
    too_short = tracker("affirm", su_bid=BID)
    too_short.latest_message[REPLY_JUDGEMENT_KEY] = {"too_short": True}
    ValidateShowingUpForm().validate_su_reply("ok", dispatcher, too_short, {})
    await ActionLeavePractice().run(dispatcher, tracker(), {})
    return said(dispatcher)


async def test_without_a_word_the_exercises_say_your_partner(make_tracker) -> None:
    messages = await everything_said(make_tracker, None)
    assert len(messages) > 40
    assert sum(DEFAULT in text for text in messages) >= 15
    assert all("{" not in text and "}" not in text for text in messages)


@pytest.mark.parametrize("role", ["mum", "best friend", "husband"])
async def test_the_exercises_name_the_person_the_user_talks_about(
    make_tracker, role: str
) -> None:
    phrase = partner_phrase(role, DEFAULT)
    assert phrase == f"your {role}"
    unnamed = await everything_said(make_tracker, None)
    messages = await everything_said(make_tracker, role)
    # Each place that would say "your partner" says their word instead, and only
    # that differs.
    assert messages == [text.replace(DEFAULT, phrase) for text in unnamed]
    assert not any(DEFAULT in text for text in messages)
    # The openings of both exercises name them.
    intros = [text for text in messages if text.startswith("Let's practise")]
    assert len(intros) == 2 and all(phrase in text for text in intros)
    if relationship_of(role) != ROMANTIC:
        framed = [text for text in messages if ROMANTIC_FRAMING.search(text)]
        assert not framed


def every_exercise_text() -> Dict[str, str]:
    """Every text of content/coaching.yml, by where it is."""
    content = load_coaching()
    texts = {"left_form": content.left_form}
    for section in ("reaching_out", "showing_up"):
        model = getattr(content, section)
        for key in model.__fields__:
            for index, text in enumerate(_texts(getattr(model, key))):
                texts[f"{section}.{key}[{index}]"] = text
    return texts


# Every placeholder of every text, with a stand-in of the shape the code gives.
STAND_INS = {
    "feeling": '"lonely"',
    "need": "to know you're with me",
    "draft": '"can we talk tonight"',
    "bid": '"she showed me a photo"',
    "reply": '"I\'m here"',
    "example": '"Can I tell you something?"',
    "feeling_words": "lonely",
    "need_words": "you to notice me",
}
WORDS = sorted({role.typed for role in load_partner_roles().roles})


@pytest.mark.parametrize("word", [*WORDS, None])
def test_every_exercise_text_reads_right_with_every_word(word: str | None) -> None:
    phrase = partner_phrase(word, DEFAULT)
    romantic = relationship_of(word) == ROMANTIC
    for where, text in every_exercise_text().items():
        filled = text.format(**STAND_INS, partner=phrase)
        assert "{" not in filled and "}" not in filled, where
        assert "your your" not in filled.lower(), where
        assert not LOWER_SENTENCE_START.search(filled), where
        if not romantic:
            assert not ROMANTIC_FRAMING.search(filled), (where, filled)
