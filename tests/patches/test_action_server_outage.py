"""A failed custom action says the domain's `coach_unavailable`, once per turn."""

import asyncio
from typing import List

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bids_partner.patches import action_server_outage
from bids_partner.settings import ROOT
from bids_partner.stack.processes import free_port

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
NLG = TemplatedNaturalLanguageGenerator(DOMAIN.responses)


def unreachable_action() -> RemoteAction:
    endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")
    return RemoteAction("action_reflect_move", endpoint)


def run(action: RemoteAction, tracker: DialogueStateTracker) -> List[Event]:
    return asyncio.run(
        action_server_outage.run(
            action, CollectingOutputChannel(), NLG, tracker, DOMAIN
        )
    )


def new_tracker() -> DialogueStateTracker:
    tracker = DialogueStateTracker("someone", DOMAIN.slots)
    tracker.update(UserUttered("he never listens"))
    return tracker


def test_an_unreachable_action_server_gets_the_apology() -> None:
    events = run(unreachable_action(), new_tracker())
    assert len(events) == 1 and isinstance(events[0], BotUttered)
    assert events[0].text == DOMAIN.responses["coach_unavailable"][0]["text"]


def test_the_apology_is_said_once_per_turn_and_again_next_turn() -> None:
    tracker = new_tracker()
    tracker.update(run(unreachable_action(), tracker)[0])
    assert run(unreachable_action(), tracker) == []
    tracker.update(UserUttered("are you there?"))
    assert len(run(unreachable_action(), tracker)) == 1


def test_a_forms_rejection_is_not_an_outage(monkeypatch: pytest.MonkeyPatch) -> None:
    async def rejects(*_: object) -> List[Event]:
        raise ActionExecutionRejection("validate_rehearsal_form")

    monkeypatch.setattr(action_server_outage, "ORIGINAL", rejects)
    with pytest.raises(ActionExecutionRejection):
        run(unreachable_action(), new_tracker())
