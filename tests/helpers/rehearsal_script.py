"""A scripted rehearsal: replies the NLU reads as one move each, whatever the scene
(tests/e2e/test_rehearsal.py checks that), and the messages that drive a scene."""

from __future__ import annotations

import json
import uuid
from typing import Any, Dict, List

from bids_partner.coaching import load_rehearsal_texts, load_scenarios
from bids_partner.contract import PARTNER_MARK

SCENARIOS = load_scenarios()
TEXTS = load_rehearsal_texts()
# Scenes that replies turning toward resolve and that say the toward texts (their
# `aim` starts with toward): the scripts that end a scene by turning toward play
# these; a scene whose aim starts with the user's own need (reach, said with the
# reach texts) is played to its end by its own test.
TOWARD_AIM = [scene_id for scene_id, s in SCENARIOS.items() if s.aim[0] == "toward"]
# Scenes that replies turning toward resolve, whichever texts they say (check_in
# aims at reach or toward).
TOWARD_RESOLVES = [scene_id for scene_id, s in SCENARIOS.items() if "toward" in s.aim]
# Replies the NLU reads as one move each, whatever the scene (checked below).
REPLIES = {
    "toward": "That sounds really hard, I'm here with you",
    "toward_again": "of course, come here, I'm right here with you",
    # "whatever, I'm done talking" until w21 and w22: the judge trained with them
    # hears its "whatever" after contempt_repair's blame as against (0.52).
    "away": "I don't want to talk about this right now",
    "against": "you never think about anyone but yourself",
    "reach": "can you just hold me for a minute?",
}
MOVES = {
    "toward": "turning_toward",
    "toward_again": "turning_toward",
    "away": "withdrawal",
    "against": "criticism",
    "reach": "bid",
}


def sender() -> str:
    return f"rehearse-{uuid.uuid4().hex[:10]}"


def button(scenario_id: str) -> str:
    return f'/choose_scenario{{"scenario":"{scenario_id}"}}'


def partner(scenario_id: str, line: str) -> str:
    return f"{SCENARIOS[scenario_id].partner.name}{PARTNER_MARK}{line}"


def stored_turns(assistant: Any, who: str) -> List[Dict[str, Any]]:
    """The latest `rehearsal_turns` slot value stored for the conversation."""
    value: List[Dict[str, Any]] = []
    for event in assistant.stored_events(who):
        data = json.loads(event["data"])
        if event["type_name"] == "slot" and data.get("name") == "rehearsal_turns":
            value = data.get("value") or value
    return value


def line_of(scenario_id: str, turn: Dict[str, Any]) -> str:
    """The partner line a stored turn says was chosen for it."""
    return SCENARIOS[scenario_id].replies[turn["kind"]].partner[turn["line"]].line
