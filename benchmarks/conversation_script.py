"""What the long-conversation benchmarks say to each bot.

Ours: a cycle that touches what a real conversation does (a reflected move, a
rehearsal played to its summary with its form and slots, a question about an
idea, the consent slot), so that the stored events are the kinds a long
conversation holds. The stock bot: moodbot's own intents. Each bot's timed turn
is answered by a custom action (as in compare_reference), so a turn goes NLU ->
policies -> action server -> tracker store -> reply.
"""

from __future__ import annotations

from typing import List

from tests.helpers.rehearsal_script import REPLIES, button

OUR_TURN_MESSAGE = "you never listen to me"  # answered by action_reflect_move
REFERENCE_TURN_MESSAGE = "hello"  # answered by action_hello_world

OUR_SCRIPT: List[str] = [
    "hi",
    "you never listen to me",
    "I feel sad today",
    "can we practise?",
    button("partner_cries"),
    "/affirm",
    REPLIES["against"],
    REPLIES["away"],
    REPLIES["toward"],
    REPLIES["toward_again"],
    "what is a bid?",
    "share this with my therapist",
    "he went quiet after our fight and I kept texting him",
    "can we practise?",
    button("dinner_criticism"),
    "/affirm",
    REPLIES["reach"],
    REPLIES["toward"],
    REPLIES["toward_again"],
    REPLIES["toward"],
    "stop",
]

REFERENCE_SCRIPT: List[str] = [
    "hello",
    "I am feeling great",
    "hi there",
    "I am sad",
    "yes",
    "good morning",
    "not really",
    "are you a bot?",
    "goodbye",
]
