"""Conversation ids for the web widget, issued and signed by the server.

Rasa's socket.io channel takes whatever `session_id` a client sends, so anyone
who knew (or guessed) a conversation id could join it, read its replies and
speak in it. Here the server issues every web conversation id, signed with a
secret only the servers know; a client can come back to an id it was given (a
page reload) but cannot choose one. Web ids have their own prefix, which the
REST channel refuses as a sender, so a script cannot write into a web chat.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from bids_partner.private_files import private_dir, private_write_bytes

logger = logging.getLogger(__name__)

SECRET_ENV = "WEB_SESSION_SECRET"
MIN_SECRET_CHARS = 32
PREFIX = "web-"
_NONCE_BYTES = 16
_SIGNATURE_HEX = 32


class WebSessions:
    """Issues and checks the web widget's conversation ids."""

    def __init__(self, secret: str) -> None:
        if len(secret) < MIN_SECRET_CHARS:
            raise ValueError(
                f"{SECRET_ENV} must be at least {MIN_SECRET_CHARS} characters"
            )
        self._key = secret.encode()

    @classmethod
    def from_environment(cls) -> WebSessions:
        secret = os.environ.get(SECRET_ENV)
        if not secret:
            # Ids then last as long as this process: a reload after a restart
            # starts a new conversation. The stack always sets the variable.
            logger.warning(
                "%s is not set: web conversations will not survive a restart.",
                SECRET_ENV,
            )
            secret = secrets.token_urlsafe(32)
        return cls(secret)

    def _signature(self, nonce: str) -> str:
        digest = hmac.new(self._key, nonce.encode(), hashlib.sha256).hexdigest()
        return digest[:_SIGNATURE_HEX]

    def issue(self) -> str:
        nonce = secrets.token_hex(_NONCE_BYTES)
        return f"{PREFIX}{nonce}.{self._signature(nonce)}"

    def is_issued(self, session_id: object) -> bool:
        """True only for an id this server (or one sharing its secret) issued."""
        if not isinstance(session_id, str) or not session_id.startswith(PREFIX):
            return False
        nonce, _, signature = session_id[len(PREFIX) :].partition(".")
        if len(nonce) != 2 * _NONCE_BYTES or len(signature) != _SIGNATURE_HEX:
            return False
        return hmac.compare_digest(signature, self._signature(nonce))


def is_web_conversation(sender_id: str) -> bool:
    """Whether an id is in the web widget's namespace (whatever its signature)."""
    return sender_id.startswith(PREFIX)


def stored_secret(path: Path) -> str:
    """The secret kept in `path` (0600), made on first use, so that web
    conversations survive a restart of `make run`."""
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        secret = ""
    if len(secret) < MIN_SECRET_CHARS:
        secret = secrets.token_urlsafe(32)
        private_dir(path.parent)
        private_write_bytes(path, secret.encode())
    return secret
