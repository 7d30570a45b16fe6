"""Rasa's socket.io channel for the web widget, with the REST channel's checks
and the socket open only to the page's own origins."""

from __future__ import annotations

import logging
import os
import uuid
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from bids_partner.coaching import load_chat_service_texts
from bids_partner.rasa_plugins.channels.message_checks import (
    Rejection,
    check_metadata,
    clean_sender,
    clean_text,
)
from bids_partner.rasa_plugins.stores.errors import ConversationStoreUnavailable

logger = logging.getLogger(__name__)

# Where the chat page is served from (set by the assistant's start command).
WEB_ORIGINS_ENV = "WEB_ORIGINS"
DEFAULT_ORIGINS = "http://localhost:8080,http://127.0.0.1:8080"


def allowed_origins(value: str | None) -> List[str]:
    return [o.strip().rstrip("/") for o in (value or "").split(",") if o.strip()]


async def handle_checked(
    message: UserMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]
) -> None:
    """Rasa handles the message if it passes the checks; the chat hears why not."""
    try:
        message.sender_id = clean_sender(message.sender_id)
        message.text = clean_text(message.text)
        message.metadata = check_metadata(message.metadata)
    except Rejection as rejection:
        await message.output_channel.send_text_message(
            message.sender_id,
            load_chat_service_texts().unreadable.format(reason=rejection.reason),
        )
        return
    try:
        await on_new_message(message)
    except ConversationStoreUnavailable:
        await message.output_channel.send_text_message(
            message.sender_id, load_chat_service_texts().store_down
        )


class CheckedSocketIOInput(SocketIOInput):
    """socket.io at /socket.io for the web widget.

    Rasa 3.6 creates its socket.io server with CORS handling switched off, so
    any web page could open a conversation; this one accepts only the chat page's
    origins. A message the REST channel would refuse gets a short explanation
    instead of reaching the assistant.
    """

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        channel = super().from_credentials(credentials)
        origins = (credentials or {}).get("cors_allowed_origins")
        channel.origins = allowed_origins(
            origins or os.environ.get(WEB_ORIGINS_ENV) or DEFAULT_ORIGINS
        )
        return channel

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        async def checked(message: UserMessage) -> None:
            await handle_checked(message, on_new_message)

        load_chat_service_texts()  # a broken file stops the server at start
        blueprint = super().blueprint(checked)
        self._refuse_other_origins()
        self._join_session_rooms()
        return blueprint

    def _join_session_rooms(self) -> None:
        """Rasa 3.6 calls `sio.enter_room` without awaiting it, and since
        python-socketio 5.10 that is a coroutine: the page never joins its session's
        room and, with session_persistence, never sees a reply. Same handler,
        awaited."""
        sio = self.sio

        async def session_request(sid: str, data: Dict[str, Any] | None) -> None:
            data = data if isinstance(data, dict) else {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, data["session_id"], namespace=self.namespace)
            await sio.emit(
                "session_confirm",
                data["session_id"],
                room=sid,
                namespace=self.namespace,
            )

        sio.on("session_request", namespace=self.namespace)(session_request)

    def _refuse_other_origins(self) -> None:
        """Wraps Rasa's connect handler with an origin check. A browser enforces
        CORS on polling but not on WebSockets, so the check belongs here; the
        CORS headers themselves come from Rasa's --cors (Sanic), once."""
        namespace = self.namespace or "/"
        rasa_connect = self.sio.handlers[namespace]["connect"]
        origins = set(getattr(self, "origins", allowed_origins(DEFAULT_ORIGINS)))

        async def connect(
            sid: str, environ: Dict[str, Any], auth: Dict | None = None
        ) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            # Clients that are not browsers send no Origin; a page always does.
            if origin is not None and origin.rstrip("/") not in origins:
                logger.warning("Refused a socket.io connection from another origin.")
                return False
            return await rasa_connect(sid, environ, auth)

        self.sio.on("connect", namespace=self.namespace)(connect)
