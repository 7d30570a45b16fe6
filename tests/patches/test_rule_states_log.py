"""RulePolicy's debug line of the conversation's states is Rasa's own when debug
logging is on, and is not built when it is off."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Dict, Iterator, List

import pytest
from rasa.core.policies import rule_policy

from bids_partner.patches import rule_states_log

STATES: List[Dict] = [
    {},
    {"user": {"intent": "bid"}, "prev_action": {"action_name": "action_listen"}},
    {"user": {"intent": "bid"}, "prev_action": {"action_name": "utter_greet"}},
]


@contextmanager
def rule_policy_logging(level: int) -> Iterator[None]:
    logger = logging.getLogger(rule_policy.__name__)
    saved = logger.level
    logger.setLevel(level)  # setLevel, not the attribute: it clears the cache
    try:
        yield
    finally:
        logger.setLevel(saved)


def test_with_debug_logging_the_line_is_rasas() -> None:
    with rule_policy_logging(logging.DEBUG):
        line = rule_states_log.format_tracker_states(STATES)
    assert line == rule_states_log.ORIGINAL(STATES)
    assert "user intent: bid" in line


def test_without_it_the_states_are_not_formatted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(states: List[Dict]) -> str:
        raise AssertionError("formatted while debug logging is off")

    monkeypatch.setattr(rule_states_log, "ORIGINAL", fail)
    with rule_policy_logging(logging.INFO):
        assert rule_states_log.format_tracker_states(STATES) == ""
