"""The tracker sent to the action server without the parts of earlier events that
no action reads, so a call's size grows about three times slower with the
conversation.

Rasa's `RemoteAction._action_call_format` sends every event of the session with
everything stored on it. At 1,000 stored events that is about 420 KB a call, and
encoding, sending and decoding it was most of what a turn gained as the
conversation grew (benchmarks/profile_turn.py). The actions read earlier events
only for their kind, name, text, message id, intent, entities and buttons
(actions/reflection.py, actions/rehearsal.py, actions/surgeon.py); the latest
message goes whole in `latest_message`.

So, for the events before the latest user message: no `metadata` (the model id
on every event), no policy or confidence, no key whose value is null, a user
event's `parse_data` keeps only KEPT_PARSE_DATA (not the
intent ranking, tokens, risk scores or reply judgement), and a bot event's empty
`data` is left out. The latest user message and everything after it (a form's
slot events, which rasa_sdk's `slots_to_validate` reads) go as Rasa sends them.
Each earlier event's slim form and its JSON are made once and kept on the event,
and the request's JSON is put together from them instead of encoded whole.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Sequence, Tuple

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

ORIGINAL = RemoteAction._action_call_format

KEPT_PARSE_DATA = ("intent", "entities", "text", "message_id")
# Read by no action: the model id on every event, and how an action was chosen.
DROPPED = {"metadata", "policy", "confidence", "hide_rule_turn"}
_SLIM_ATTR = "_bids_slim"


def slim_event(event: Dict[str, Any]) -> Dict[str, Any]:
    slim = {
        key: value
        for key, value in event.items()
        if value is not None and key not in DROPPED
    }
    if slim.get("event") == "user" and isinstance(slim.get("parse_data"), dict):
        parse_data = slim["parse_data"]
        slim["parse_data"] = {
            k: parse_data[k] for k in KEPT_PARSE_DATA if k in parse_data
        }
    elif slim.get("event") == "bot" and not any((slim.get("data") or {}).values()):
        slim.pop("data", None)
    return slim


def slim_events(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Earlier events slimmed; the latest user message and what follows it as
    they are."""
    latest = _latest_user(events, lambda e: e.get("event") == "user")
    return [slim_event(e) for e in events[:latest]] + events[latest:]


def _latest_user(events: Sequence[Any], is_user: Callable[[Any], bool]) -> int:
    return next((i for i in range(len(events) - 1, -1, -1) if is_user(events[i])), 0)


class EncodedRequest(dict):
    """The request as a dict (what Rasa's code may read) with its JSON already
    made: `action_call_retry.request` sends `encoded` instead of encoding the
    dict again."""

    encoded: bytes


def _slim_of(event: Event) -> Tuple[Dict[str, Any], str]:
    """An earlier event's slim form and its JSON, made once: an event is not
    changed once a later user message follows it, and the recent trackers keep
    the same event objects from turn to turn (stores/recent_trackers.py)."""
    slim = event.__dict__.get(_SLIM_ATTR)
    if slim is None:
        as_dict = slim_event(event.as_dict())
        slim = (as_dict, json.dumps(as_dict))
        event.__dict__[_SLIM_ATTR] = slim
    return slim


def tracker_events(tracker: DialogueStateTracker) -> Tuple[List[Dict[str, Any]], str]:
    """The events as sent, and their JSON array."""
    events = list(tracker.events)
    latest = _latest_user(events, lambda e: isinstance(e, UserUttered))
    earlier = [_slim_of(e) for e in events[:latest]]
    recent = [e.as_dict() for e in events[latest:]]
    texts = [text for _, text in earlier] + [json.dumps(e) for e in recent]
    return [slim for slim, _ in earlier] + recent, "[" + ", ".join(texts) + "]"


def action_call_format(
    self: RemoteAction, tracker: DialogueStateTracker, domain: Domain
) -> Dict[str, Any]:
    """Rasa's request, with `tracker_events` for the events, and its JSON."""
    state = tracker.current_state(EventVerbosity.NONE)
    events, events_json = tracker_events(tracker)
    result = EncodedRequest(
        next_action=self._name, sender_id=tracker.sender_id, version=rasa.__version__
    )
    if (
        not self._is_selective_domain_enabled()
        or domain.does_custom_action_explicitly_need_domain(self.name())
    ):
        result["domain"] = domain.as_dict()
    del state["events"]
    # Both objects are non-empty: each ends in "}" after at least one key.
    result.encoded = (
        json.dumps(result)[:-1]
        + ', "tracker": '
        + json.dumps(state)[:-1]
        + ', "events": '
        + events_json
        + "}}"
    ).encode()
    result["tracker"] = {**state, "events": events}
    return result


def apply() -> None:
    RemoteAction._action_call_format = action_call_format
