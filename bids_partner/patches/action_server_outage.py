"""A graceful reply when a custom action cannot run.

When the action server is down, times out or answers with an error, Rasa logs
the failure, records no events and goes on predicting: the person gets no reply
at all. With this patch the failed call says the `coach_unavailable` response
from the domain instead (once per turn, however many actions fail), and that
reply is stored like any other. Rasa's own actions, rules and the crisis reply
need no action server and are not affected.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, List

from rasa.core.actions.action import (
    ActionExecutionRejection,
    RemoteAction,
    create_bot_utterance,
)
from rasa.core.channels.channel import OutputChannel
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

RESPONSE = "coach_unavailable"
ORIGINAL = RemoteAction.run


def said_this_turn(tracker: DialogueStateTracker, text: str | None) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and event.text == text:
            return True
    return False


async def run(
    self: RemoteAction,
    output_channel: OutputChannel,
    nlg: NaturalLanguageGenerator,
    tracker: DialogueStateTracker,
    domain: Domain,
) -> List[Event]:
    try:
        return await ORIGINAL(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise  # a form's own "no" to a value, not a failure
    except (RasaException, asyncio.TimeoutError) as error:
        logger.error("Custom action %s failed: %s", self.name(), error)
        message: Any = await nlg.generate(RESPONSE, tracker, output_channel.name())
        if message is None or said_this_turn(tracker, message.get("text")):
            return []
        return [create_bot_utterance(message)]


def apply() -> None:
    RemoteAction.run = run
