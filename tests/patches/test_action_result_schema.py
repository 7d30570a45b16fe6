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


def schema_checks(
    validate: Callable[..., bool], monkeypatch: pytest.MonkeyPatch, calls: int
) -> int:
    """How often the schema itself is checked while validating `calls` replies."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    checked = []
    original = validator_class.check_schema

    def counting(schema: Any, *args: Any, **kwargs: Any) -> None:
        checked.append(1)
        original(schema, *args, **kwargs)

    monkeypatch.setattr(validator_class, "check_schema", counting)
    action_result_schema.response_validator.cache_clear()
    for _ in range(calls):
        assert verdict(validate, VALID[1]) == "valid"
    monkeypatch.undo()
    return len(checked)


def test_the_schema_is_checked_once_not_on_every_reply(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert schema_checks(RASA, monkeypatch, 5) == 5
    assert schema_checks(PATCHED, monkeypatch, 5) == 1
