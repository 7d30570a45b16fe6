import pytest

from channels.message_checks import (
    MAX_MESSAGE_CHARS,
    Rejection,
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
