"""One retry, on a new connection, when a call to the action server breaks before
any answer came back.

A fresh clone's CI once gave a person "the coach is unavailable" for an ordinary
message: Rasa's log showed `Cannot write to closing transport`, the connection to
the action server closed as the request was being written. Rasa opens a new
connection for each call (a new aiohttp session per request), so there is no idle
keep-alive to tune; the call is simply tried once more. That is safe here: the
project's actions only read the tracker and return events, which Rasa applies
only from an answer it received. Timeouts and error answers are not retried.

A request made by patches/action_payload.py carries its JSON already: that is
sent as it is.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

ORIGINAL = EndpointConfig.request
# Broken before an answer: the connection was refused, reset or closed.
RETRIED = (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError)


async def request(self: EndpointConfig, *args: Any, **kwargs: Any) -> Any:
    # A request whose JSON was made already (patches/action_payload.py).
    encoded = getattr(kwargs.get("json"), "encoded", None)
    if encoded is not None:
        kwargs["data"] = encoded
        del kwargs["json"]
    try:
        return await ORIGINAL(self, *args, **kwargs)
    except RETRIED as error:
        logger.warning(
            "Call to %s broke before an answer (%s): trying once more.",
            self.url,
            type(error).__name__,
        )
        return await ORIGINAL(self, *args, **kwargs)


def apply() -> None:
    EndpointConfig.request = request
