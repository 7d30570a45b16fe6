"""The user's own words put back into coaching texts."""

import pytest

from bids_partner.coaching.wording import (
    feeling_words,
    need_phrase,
    partner_phrase,
    relationship_of,
)


def test_the_users_word_for_their_partner() -> None:
    assert partner_phrase(" Wife ", "your partner") == "your wife"


@pytest.mark.parametrize(
    "value",
    [None, "", "  ", {"a": 1}, 5, True, ["wife"], "x" * 500, "Sarah Connor 555 0100"],
)
def test_anything_but_a_partner_word_gives_the_default(value: object) -> None:
    # partner_role takes its values from the closed set of the partner lexicon.
    assert partner_phrase(value, "your partner") == "your partner"


@pytest.mark.parametrize(
    "word, phrase, relationship",
    [
        ("Mom", "your mom", "parent"),
        ("MUM", "your mum", "parent"),
        ("best friend", "your best friend", "friend"),
        ("flatmate", "your flatmate", "housemate"),
        # "your parents is ..." would not read: a plural is said as one family.
        ("parents", "your family", "parent"),
        ("hubby", "your hubby", "romantic"),
    ],
)
def test_close_relationships_beyond_romance(
    word: str, phrase: str, relationship: str
) -> None:
    assert partner_phrase(word, "your partner") == phrase
    assert relationship_of(word) == relationship


# Issue 16: the feeling a user gives in the reaching-out exercise is put back as
# the lexicon's feeling word(s), never as the whole sentence they typed.

SENTENCE = "I guess I felt kind of invisible when he didn't look up"


@pytest.mark.parametrize(
    "typed, words",
    [
        (SENTENCE, ["invisible"]),
        ("lonely", ["lonely"]),
        ("Lonley.", ["lonely"]),
        # The softer feelings first: what the exercise asks for.
        ("angry, but underneath hurt and kind of lonely", ["hurt", "lonely"]),
        ("I wanted to feel closer but felt alone", ["alone"]),
        ("I didn't feel hurt, just tired", ["tired"]),
        ("not good enough, like always", ["not good enough"]),
        ("feeling down and afraid of losing him", ["down", "afraid of losing them"]),
        ("hurt, lonely and scared", ["hurt", "lonely"]),
        ("hurt, really hurt", ["hurt"]),
        # Issue 16: only the user's own feelings, and only feelings.
        ("he was furious and I felt scared", ["scared"]),
        ("I'm not angry, just hurt", ["hurt"]),
        ("home alone, and he was angry", []),
        ("it was just a weird evening", []),
        ("", []),
        (None, []),
    ],
)
def test_the_feeling_words_of_the_lexicon_in_what_the_user_typed(
    typed: object, words: list
) -> None:
    assert feeling_words(typed) == words


@pytest.mark.parametrize(
    "typed, phrase",
    [
        ("to know you're with me", "to know you're with me"),
        ("I guess I needed you to notice me.", "you to notice me"),
        ("comfort", "comfort"),
        ("I just wanted a hug", "a hug"),
        ("for you to put the phone down", "you to put the phone down"),
    ],
)
def test_a_need_that_reads_after_i_need(typed: str, phrase: str) -> None:
    assert need_phrase(typed) == phrase


@pytest.mark.parametrize(
    "typed",
    [
        "I needed him to just see me",
        "for my husband to look up from his phone",
        "I don't know",
        "nothing really",
        "to know that whatever happens at work or with the kids we are still a team",
        "attention. And a hug.",
        'to hear "I love you"',
        None,
        "  ",
    ],
)
def test_a_need_that_would_not_read_right_in_a_message_to_the_partner(
    typed: object,
) -> None:
    assert need_phrase(typed) is None
