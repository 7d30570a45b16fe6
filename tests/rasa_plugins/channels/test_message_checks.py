import pytest

from bids_partner.rasa_plugins.channels.message_checks import (
    MAX_MESSAGE_CHARS,
    Rejection,
    check_metadata,
    clean_sender,
    clean_text,
)


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "\x00\x01\x1b"])
def test_empty_messages_are_rejected(text: str) -> None:
    with pytest.raises(Rejection) as caught:
        clean_text(text)
    assert caught.value.status == 400


def test_too_long_message_is_rejected_with_413() -> None:
    with pytest.raises(Rejection) as caught:
        clean_text("a" * (MAX_MESSAGE_CHARS + 1))
    assert caught.value.status == 413
    assert str(MAX_MESSAGE_CHARS) in caught.value.reason


def test_control_characters_are_removed_but_text_kept() -> None:
    assert clean_text("he\x07 left\x1b the room\x00") == "he left the room"


def test_unicode_and_emoji_survive_and_are_normalised() -> None:
    assert clean_text("cafe\u0301 😢 אני כאן") == "café 😢 אני כאן"


@pytest.mark.parametrize("value", [None, 42, ["hi"], {"text": "hi"}])
def test_non_string_message_is_rejected(value: object) -> None:
    with pytest.raises(Rejection):
        clean_text(value)


@pytest.mark.parametrize("sender", [None, "", "  ", "a" * 129, "bad\x00id", 7])
def test_unusable_sender_is_rejected(sender: object) -> None:
    with pytest.raises(Rejection):
        clean_sender(sender)


def test_sender_is_trimmed() -> None:
    assert clean_sender(" user-1 ") == "user-1"


@pytest.mark.parametrize(
    "payload",
    [
        "/affirm",
        '/choose_scenario{"scenario":"sunset"}',
        "/greet{}",
        "/start_rehearsal",
    ],
)
def test_button_payloads_pass_unchanged(payload: str) -> None:
    assert clean_text(payload) == payload


@pytest.mark.parametrize(
    "typed, read_as",
    [
        ("/{ he never listens", "{ he never listens"),
        ("/no_such_intent he never listens", "no_such_intent he never listens"),
        ("/greet@0.5", "greet@0.5"),
        ('/greet{"partner_role": {"a": 1}}', 'greet{"partner_role": {"a": 1}}'),
        ('/greet{"partner_role": 5}', 'greet{"partner_role": 5}'),
        ("// /shrug", "shrug"),
    ],
)
def test_other_text_starting_with_a_slash_is_read_as_words(
    typed: str, read_as: str
) -> None:
    assert clean_text(typed) == read_as


def test_a_lone_slash_is_empty() -> None:
    with pytest.raises(Rejection) as refused:
        clean_text(" / ")
    assert refused.value.status == 400


def test_metadata_must_be_a_small_shallow_object() -> None:
    assert check_metadata(None) is None
    assert check_metadata({"a": [{"b": 1}]}) == {"a": [{"b": 1}]}
    deep: dict = {}
    for _ in range(40):
        deep = {"a": deep}
    for bad, status in [([1], 400), (deep, 400), ({"a": "x" * 30_000}, 413)]:
        with pytest.raises(Rejection) as refused:
            check_metadata(bad)
        assert refused.value.status == status
