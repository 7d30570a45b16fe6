from typing import Any, Callable, Dict

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bids_partner.patches import action_result_schema

VALID = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{}]},
    {"events": [{"event": "bot", "text": "hi", "data": {}}]},
]
INVALID = [
    {"events": [{"no": "event key"}]},
    {"events": "not a list"},
    {"responses": [1, 2]},
    {"events": [{"event": "slot", "name": 3}]},
]


def verdict(validate: Callable[..., bool], result: Dict[str, Any]) -> str:
    try:
        validate(RemoteAction("a", None), result)
        return "valid"
    except jsonschema.ValidationError as error:
        return error.message


RASA = action_result_schema.ORIGINAL
PATCHED = action_result_schema.validate_action_result


@pytest.mark.parametrize("result", VALID + INVALID)
def test_same_verdict_and_message_as_rasa(result: Dict[str, Any]) -> None:
    assert verdict(PATCHED, result) == verdict(RASA, result)


@pytest.mark.parametrize("result", INVALID)
def test_an_invalid_reply_is_refused_with_rasas_advice(result: Dict[str, Any]) -> None:
    assert "Failed to validate Action server response" in verdict(PATCHED, result)


def test_the_schema_is_compiled_once() -> None:
    assert action_result_schema.response_validator() is (
        action_result_schema.response_validator()
    )
