import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from bids_partner.patches import event_types


@pytest.mark.parametrize("cls", [UserUttered, BotUttered, ActionExecuted, SlotSet])
def test_known_types_resolve_like_rasa(cls: type) -> None:
    assert event_types.resolve_by_type(cls.type_name) is cls
    assert event_types.resolve_by_type(cls.type_name) is event_types.ORIGINAL(
        cls.type_name
    )


def test_unknown_type_fails_as_before() -> None:
    with pytest.raises(ValueError, match="Unknown event name"):
        event_types.resolve_by_type("no_such_event")


def test_a_default_is_not_remembered_for_an_unknown_name() -> None:
    assert event_types.resolve_by_type("no_such_event", SlotSet) is SlotSet
    assert event_types.resolve_by_type("no_such_event", BotUttered) is BotUttered
    assert event_types.resolve_by_type("topic") is None
