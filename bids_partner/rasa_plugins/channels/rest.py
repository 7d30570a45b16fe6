"""Rasa's REST channel with input checks: bad requests get a clear 4xx, not a 500."""

from __future__ import annotations

import ipaddress
import json
import logging
import traceback
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bids_partner.rasa_plugins.channels.message_checks import (
    RETRY_AFTER_SECONDS,
    STORE_DOWN_REASON,
    Rejection,
    check_metadata,
    clean_message_id,
    clean_sender,
    clean_text,
)
from bids_partner.rasa_plugins.stores.errors import ConversationStoreUnavailable
from bids_partner.web_sessions import PREFIX as WEB_PREFIX
from bids_partner.web_sessions import is_web_conversation

logger = logging.getLogger(__name__)


def _parse_body(request: Request) -> Dict[str, Any]:
    # Only JSON: a form or text/plain post is a "simple" request that any web page
    # can send to a local bot without a CORS preflight.
    media_type = (request.headers.get("content-type") or "").split(";")[0]
    if media_type.strip().lower() != "application/json":
        raise Rejection(415, "Content-Type must be application/json")
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise Rejection(400, "request body must be a JSON object") from None
    except RecursionError:
        raise Rejection(400, "request body is nested too deeply") from None
    if not isinstance(body, dict):
        raise Rejection(400, "request body must be a JSON object")
    return body


def _check_client(request: Request) -> None:
    # The REST channel is for scripts and tests on this machine; people chat
    # through the web page, whose conversations it may not enter.
    try:
        local = ipaddress.ip_address(request.ip).is_loopback
    except ValueError:
        local = False
    if not local:
        raise Rejection(403, "the REST channel answers only this machine")


def _check_not_web(sender_id: str) -> str:
    if is_web_conversation(sender_id):
        raise Rejection(
            403, f"'sender' ids starting with '{WEB_PREFIX}' belong to the web chat"
        )
    return sender_id


def stored_replies(
    request: Request, sender_id: str, message_id: str | None
) -> List[Dict[str, Any]] | None:
    """The replies already given to this message id, when it was stored before
    (a client retrying after a lost answer); None when it is new."""
    if message_id is None:
        return None
    agent = getattr(request.app.ctx, "agent", None)
    store = getattr(agent, "tracker_store", None)
    # Rasa may wrap the store (AwaitableTrackerStore).
    store = getattr(store, "_tracker_store", store)
    replies_to = getattr(store, "replies_to", None)
    return replies_to(sender_id, message_id) if replies_to else None


class CheckedRestInput(RestInput):
    """REST channel at /webhooks/rest/webhook that validates before Rasa runs,
    for clients on this machine only, outside the web chat's conversations."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        webhook = Blueprint("checked_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                _check_client(request)
                body = _parse_body(request)
                sender_id = _check_not_web(clean_sender(body.get("sender")))
                text = clean_text(body.get("message"))
                metadata = check_metadata(body.get("metadata"))
                message_id = clean_message_id(body.get("message_id"))
            except Rejection as rejection:
                return response.json({"error": rejection.reason}, rejection.status)
            collector = CollectingOutputChannel()
            try:
                replies = stored_replies(request, sender_id, message_id)
                if replies is not None:
                    return response.json(replies)
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender_id,
                        input_channel=self.name(),
                        metadata=metadata,
                        message_id=message_id,
                    )
                )
            except ConversationStoreUnavailable:
                return response.json(
                    {"error": STORE_DOWN_REASON},
                    503,
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                )
            except Exception as error:
                # Where it failed, without the exception's message: that can quote
                # the person's words, and transcripts are sensitive.
                logger.error(
                    "Could not handle a REST message (%s):\n%s",
                    type(error).__name__,
                    "".join(traceback.format_tb(error.__traceback__)),
                )
                return response.json(
                    {"error": "the assistant could not handle this message"}, 500
                )
            return response.json(collector.messages)

        return webhook
