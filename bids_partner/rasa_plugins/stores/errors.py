"""The one error the channels answer with "not saved, try again"."""

from __future__ import annotations

from rasa.shared.exceptions import ConnectionException


class ConversationStoreUnavailable(ConnectionException):
    """The database or the lock store failed while a message was handled."""
