from __future__ import annotations

import pytest

from bids_partner.coaching import load_scenarios
from bids_partner.coaching.rehearsal.choose import find_scenario


@pytest.fixture
def scenarios() -> dict:
    return load_scenarios()


def test_a_button_names_the_scenario_by_id(scenarios) -> None:
    assert find_scenario(scenarios, "/choose_scenario", "reassurance").id == (
        "reassurance"
    )


def test_an_unknown_id_falls_back_to_the_words(scenarios) -> None:
    assert find_scenario(scenarios, "do you still love me", "nope").id == "reassurance"


@pytest.mark.parametrize("scenario_id", list(load_scenarios()))
def test_every_scenario_can_be_named_by_its_keywords_and_title(
    scenarios, scenario_id: str
) -> None:
    scenario = scenarios[scenario_id]
    for keyword in scenario.keywords:
        assert find_scenario(scenarios, f"let's do {keyword} please").id == scenario_id
    assert find_scenario(scenarios, scenario.title).id == scenario_id


def test_a_place_in_the_list_names_a_scenario(scenarios) -> None:
    listed = list(scenarios.values())
    assert find_scenario(scenarios, "the second one").id == listed[1].id
    assert find_scenario(scenarios, "number 3").id == listed[2].id
    assert find_scenario(scenarios, "number 99") is None
    # Two different places are no choice at all.
    assert find_scenario(scenarios, "1 or 2") is None


def test_words_that_name_nothing_pick_nothing(scenarios) -> None:
    assert find_scenario(scenarios, "the one with the spaceship") is None
    assert find_scenario(scenarios, "") is None
