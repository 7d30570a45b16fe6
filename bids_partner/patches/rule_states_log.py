"""RulePolicy's debug line about the conversation's states, built only when debug
logging is on.

`RulePolicy._find_action_from_rules` formats every state of the conversation into
a string on each prediction, for a `structlogger.debug` call that is dropped
unless Rasa runs with --debug: at 2,000 stored events about a tenth of a turn
(py-spy of the server, benchmarks/long_conversations.py). With debug logging on,
the line is Rasa's own.
"""

from __future__ import annotations

import logging
from typing import Dict, List

from rasa.core.policies import rule_policy
from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import RulePolicy

ORIGINAL = Policy.format_tracker_states


def debug_logging() -> bool:
    return logging.getLogger(rule_policy.__name__).isEnabledFor(logging.DEBUG)


def format_tracker_states(states: List[Dict]) -> str:
    return ORIGINAL(states) if debug_logging() else ""


def apply() -> None:
    RulePolicy.format_tracker_states = staticmethod(format_tracker_states)
