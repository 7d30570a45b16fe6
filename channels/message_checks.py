"""One place that decides whether an incoming chat message is acceptable.

Shared by every input channel so the web widget and the REST API refuse the same
things with the same words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_CHARS = 4000
RETRY_AFTER_SECONDS = 30

# When the conversation store is down nothing is saved; the chat says so, and
# where to find help, since the assistant cannot answer a crisis then.
STORE_DOWN_REASON = "the conversation store is unavailable: message not saved"
STORE_DOWN_CHAT_TEXT = (
    "I can't reach where I keep our conversation right now, so I couldn't take in "
    "that message. Please try again in a minute. If you're not safe right now, use "
    'the "Get help now" link or call your local emergency number.'
)
MAX_SENDER_CHARS = 128

# Control characters other than tab and newline, and unpaired surrogates.
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class Rejection(Exception):
    """A message the assistant will not process, with the HTTP status to answer."""

    status: int
    reason: str


def clean_text(text: Any) -> str:
    """The message text, normalised (NFC, no control characters), or a Rejection."""
    if not isinstance(text, str):
        raise Rejection(400, "'message' must be a string")
    if len(text) > MAX_MESSAGE_CHARS:
        raise Rejection(
            413, f"message is too long: at most {MAX_MESSAGE_CHARS} characters"
        )
    cleaned = _UNWANTED.sub("", unicodedata.normalize("NFC", text)).strip()
    if not cleaned:
        raise Rejection(400, "message is empty")
    return cleaned


def clean_sender(sender: Any) -> str:
    """The conversation id, or a Rejection if missing or unusable."""
    if not isinstance(sender, str) or not sender.strip():
        raise Rejection(400, "'sender' must be a non-empty string")
    if len(sender) > MAX_SENDER_CHARS or _UNWANTED.search(sender):
        raise Rejection(
            400, f"'sender' must be printable and at most {MAX_SENDER_CHARS} characters"
        )
    return sender.strip()
