from __future__ import annotations

import pytest

from bids_partner.payloads import Payload, payload_vocabulary


@pytest.mark.parametrize(
    "text, intent, entities",
    [
        ("/affirm", "affirm", {}),
        ("/greet{}", "greet", {}),
        ("/restart", "restart", {}),
        (
            '/choose_scenario{"scenario":"sunset"}',
            "choose_scenario",
            {"scenario": "sunset"},
        ),
        ('/bid{"actor": "partner"}', "bid", {"actor": "partner"}),
    ],
)
def test_the_buttons_payloads_are_read(text: str, intent: str, entities: dict) -> None:
    assert payload_vocabulary().read(text) == Payload(intent, entities)


@pytest.mark.parametrize(
    "text",
    [
        # Words smuggled in entity values or intent names (the security review's).
        '/bid{"actor":"Sarah Connor sarah.connor@example.com 555-867-5309"}',
        "/JohnSmithPhone5558675309",
        '/note{"text":"call me on 555 867 5309"}',
        '/greet{"partner_role": "wife"}',
        '/choose_scenario{"scenario": "../../etc/passwd"}',
        '/choose_scenario{"scenario": 7}',
        '/choose_scenario{"scenario": {"a": 1}}',
        '/greet{"partner_role": [5, true]}',
        "/greet{{",
        "/greet@0.5",
        "/",
        "he never listens",
    ],
)
def test_anything_else_is_words(text: str) -> None:
    assert payload_vocabulary().read(text) is None


def test_every_scene_and_actor_is_in_the_vocabulary() -> None:
    from bids_partner.coaching.loader import load_scenarios
    from bids_partner.contract import ACTORS

    vocabulary = payload_vocabulary()
    assert vocabulary.entity_values["scenario"] == frozenset(load_scenarios())
    assert vocabulary.entity_values["actor"] == frozenset(ACTORS)
    assert {"bid", "choose_scenario", "affirm", "deny", "back"} <= vocabulary.intents
