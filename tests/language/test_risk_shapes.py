"""The scope marks the risk classifier reads besides the words themselves."""

from __future__ import annotations

from bids_partner.language.risk_shapes import shape_text


def test_a_negation_marks_the_rest_of_its_clause_only() -> None:
    marked = shape_text("I'd never hurt myself, I'm just sad about the weekend").split()
    assert marked == ["negator", "neg_hurt", "neg_myself"]


def test_negations_typed_without_an_apostrophe_count() -> None:
    assert "neg_hurt" in shape_text("i wont hurt him, i just need to vent").split()
    assert "neg_live" in shape_text("i dont want to live like this").split()


def test_a_past_event_then_the_present_is_marked() -> None:
    marked = shape_text("years ago he hit me, i'm safe now").split()
    assert "past_hit" in marked and marked[-1] == "past_then_now"


def test_the_present_alone_has_no_past_marks() -> None:
    assert shape_text("he hit me last night and i'm scared") == ""


def test_a_year_or_used_to_tells_the_past() -> None:
    assert "past_cut" in shape_text("i used to cut, clean since then").split()
    assert "past_pills" in shape_text("in 2017 i took pills. doing well now").split()
