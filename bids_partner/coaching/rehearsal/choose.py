"""Which scenario the user picked: a button's id, a number, or words."""

from __future__ import annotations

import re
from typing import Dict, List

from bids_partner.coaching.keywords import longest_keyword_match
from bids_partner.coaching.scenario_schema import Scenario

ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)


def _names(scenario: Scenario) -> List[str]:
    title = re.sub(r"[^\w\s']", " ", scenario.title.lower())
    return [*scenario.keywords, " ".join(title.split()), scenario.id.replace("_", " ")]


def _by_position(text: str, scenarios: List[Scenario]) -> Scenario | None:
    lowered = text.lower()
    numbers = re.findall(r"\b(\d{1,2})\b", lowered)
    positions = [int(n) for n in numbers]
    positions += [
        i + 1 for i, word in enumerate(ORDINALS) if f" {word}" in f" {lowered}"
    ]
    if len(set(positions)) == 1 and 1 <= positions[0] <= len(scenarios):
        return scenarios[positions[0] - 1]
    return None


def find_scenario(
    scenarios: Dict[str, Scenario], text: str = "", scenario_id: str | None = None
) -> Scenario | None:
    """The scenario a button payload names by id, or the user's words describe
    (its keywords or title), or its place in the list ("the third one")."""
    if scenario_id and scenario_id in scenarios:
        return scenarios[scenario_id]
    listed = list(scenarios.values())
    named = longest_keyword_match(text, ((s, _names(s)) for s in listed))
    return named or _by_position(text, listed)
