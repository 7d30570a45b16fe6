"""Rasa's socket.io channel for the web widget, with the REST channel's checks
and the socket open only to the page's own origins."""

from __future__ import annotations

import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bids_partner.coaching import load_chat_service_texts
from bids_partner.rasa_plugins.channels.message_checks import (
    Rejection,
    check_metadata,
    clean_sender,
    clean_text,
)
from bids_partner.rasa_plugins.stores.errors import ConversationStoreUnavailable
from bids_partner.web_sessions import WebSessions

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


class SocketIOOutputWithCustom(SocketIOOutput):
    """Rasa's socket.io output sends a response's `custom` part as keyword
    arguments of `sio.emit`, which fails for anything but `{"data": ...}` (and
    the turn with it). Here it reaches the page as `{"custom": {...}}`, the shape
    the REST channel returns."""

    async def send_custom_json(
        self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class CheckedSocketIOInput(SocketIOInput):
    """socket.io at /socket.io for the web widget.

    Rasa 3.6 creates its socket.io server with CORS handling switched off, so
    any web page could open a conversation; this one accepts only the chat page's
    origins. Conversation ids are issued by the server and bound to the socket
    (web_sessions.py). A message the REST channel would refuse, or a frame that
    is not a message at all, gets a short explanation instead of reaching the
    assistant.
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
        load_chat_service_texts()  # a broken file stops the server at start
        blueprint = super().blueprint(on_new_message)
        self._refuse_other_origins()
        self._bind_sessions(on_new_message)
        return blueprint

    def _bind_sessions(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """Replaces Rasa's session and message handlers.

        Rasa's take the conversation id from the client on every message, so a
        second socket could read and write anyone's conversation. Here the server
        issues the id (a client may only come back to one it was issued), binds
        it to the socket, and ignores whatever id a message claims. Rasa 3.6 also
        calls `sio.enter_room` without awaiting it (a coroutine since
        python-socketio 5.10): without the await a page never sees a reply.
        """
        sio, namespace = self.sio, self.namespace
        sessions = WebSessions.from_environment()
        bound: Dict[str, str] = {}  # socket id -> conversation id

        async def refuse(sid: str, reason: str) -> None:
            text = load_chat_service_texts().unreadable.format(reason=reason)
            await sio.emit(
                self.bot_message_evt, {"text": text}, room=sid, namespace=namespace
            )

        async def session_request(sid: str, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = (
                requested if sessions.is_issued(requested) else sessions.issue()
            )
            previous = bound.get(sid)
            if previous is not None and previous != session_id:
                await sio.leave_room(sid, previous, namespace=namespace)
            bound[sid] = session_id
            await sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        async def handle_message(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict):
                await refuse(sid, "a message must be an object")
                return
            session_id = bound.get(sid)
            if session_id is None:
                await refuse(sid, "this page has no conversation yet: reload it")
                return
            claimed = data.get("session_id")
            if claimed is not None and claimed != session_id:
                await refuse(sid, "that conversation belongs to another page")
                return
            try:
                # Before Rasa's UserMessage, which strips the text it is given.
                text = clean_text(data.get("message"))
            except Rejection as rejection:
                await refuse(sid, rejection.reason)
                return
            metadata = data.get(self.metadata_key)
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except (ValueError, RecursionError):
                    await refuse(sid, f"'{self.metadata_key}' must be an object")
                    return
            message = UserMessage(
                text,
                SocketIOOutputWithCustom(sio, self.bot_message_evt),
                session_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            await handle_checked(message, on_new_message)

        async def disconnect(sid: str, *_: Any) -> None:
            bound.pop(sid, None)

        sio.on("session_request", namespace=namespace)(session_request)
        sio.on(self.user_message_evt, namespace=namespace)(handle_message)
        sio.on("disconnect", namespace=namespace)(disconnect)

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
