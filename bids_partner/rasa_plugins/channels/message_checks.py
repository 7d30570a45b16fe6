"""One place that decides whether an incoming chat message is acceptable.

Shared by every input channel so the web widget and the REST API refuse the same
things with the same words.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, List

from bids_partner.payloads import payload_vocabulary

MAX_MESSAGE_CHARS = 4000
MAX_METADATA_DEPTH = 16
MAX_METADATA_CHARS = 20_000
RETRY_AFTER_SECONDS = 30

# The API's answer when the conversation store is down (the chat's own words are
# in content/chat_service.yml).
STORE_DOWN_REASON = "the conversation store is unavailable: message not saved"
MAX_SENDER_CHARS = 128

_LEADING_SLASHES = re.compile(r"^[/\s]+")

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
    if cleaned.startswith("/") and not is_payload(cleaned):
        cleaned = _LEADING_SLASHES.sub("", cleaned)
    if not cleaned:
        raise Rejection(400, "message is empty")
    return cleaned


_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def clean_message_id(message_id: Any) -> str | None:
    """The client's id for a message (optional): a retry with the same id is
    answered from the store instead of being played twice."""
    if message_id is None:
        return None
    if not isinstance(message_id, str) or not _MESSAGE_ID.fullmatch(message_id):
        raise Rejection(400, "'message_id' must be 1 to 64 letters, digits, '-' or '_'")
    return message_id


def is_payload(text: str) -> bool:
    """True for a button payload the assistant accepts (bids_partner.payloads):
    Rasa logs a malformed one with its text, and would carry any other one's
    words past the NLU and the anonymizer. Anything else starting with "/" is
    read as words."""
    return payload_vocabulary().read(text) is not None


def check_metadata(metadata: Any) -> Dict[str, Any] | None:
    """The message's metadata if it is a small, shallow object, else a Rejection."""
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        raise Rejection(400, "'metadata' must be an object")
    # Rasa deep-copies the metadata; a deep nesting would exhaust the stack there.
    level, depth = [metadata], 1
    while level:
        if depth > MAX_METADATA_DEPTH:
            raise Rejection(
                400, f"'metadata' is nested too deeply: at most {MAX_METADATA_DEPTH}"
            )
        children = [v for item in level for v in _children(item)]
        level = [v for v in children if isinstance(v, (dict, list))]
        depth += 1
    if len(json.dumps(metadata)) > MAX_METADATA_CHARS:
        raise Rejection(
            413, f"'metadata' is too large: at most {MAX_METADATA_CHARS} characters"
        )
    return metadata


def _children(item: Dict[str, Any] | List[Any]) -> List[Any]:
    return list(item.values()) if isinstance(item, dict) else item


def clean_sender(sender: Any) -> str:
    """The conversation id, or a Rejection if missing or unusable."""
    if not isinstance(sender, str) or not sender.strip():
        raise Rejection(400, "'sender' must be a non-empty string")
    if len(sender) > MAX_SENDER_CHARS or _UNWANTED.search(sender):
        raise Rejection(
            400, f"'sender' must be printable and at most {MAX_SENDER_CHARS} characters"
        )
    return sender.strip()
