"""The user's own words put back into coaching texts."""

import pytest

from bids_partner.coaching.wording import partner_phrase


def test_the_users_word_for_their_partner() -> None:
    assert partner_phrase(" Wife ", "your partner") == "your wife"


@pytest.mark.parametrize("value", [None, "", "  ", {"a": 1}, 5, True, ["wife"]])
def test_anything_but_a_word_gives_the_default(value: object) -> None:
    assert partner_phrase(value, "your partner") == "your partner"
