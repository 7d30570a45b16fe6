"""A turn's cost that does not grow with the conversation: the policies' view of
the history is extended with each new event instead of rebuilt from the start.

Rasa rebuilds a conversation's history on every prediction: RulePolicy and
MemoizationPolicy call `Domain.states_for_tracker_history`, which replays every
applied event of the session into a fresh tracker and builds a state before each
action, and `DialogueStateTracker.applied_events` (seven calls a turn) re-reads
every event, walking back through a form's earlier turns for each of its runs. A
profile of a turn at 1,000 stored events (benchmarks/profile_turn.py) put 80% of
its time there.

Both are left folds over the tracker's events, so a result can be extended:
- `applied_events` keeps, on the tracker object, the events it has read and the
  applied list it made; when the tracker's events start with exactly those event
  objects (compared by identity) and the new ones name no form that the old ones
  did not, Rasa's own loop goes on over the new events only. Anything else (a
  tracker rebuilt from the store, another tracker, a form seen for the first
  time) is read from the start, as Rasa does.
- `states_for_tracker_history` keeps, per tracker, domain and set of options, the
  replayed tracker, the states built so far and the loop's own variables. When
  the applied events start with exactly the events replayed so far, only the new
  ones are replayed. An undo (UserUtteranceReverted, ActionReverted, a form's
  turn rewound), a restart or a new session changes the applied events' prefix,
  so the history is rebuilt from the start; so does a new model (another Domain
  object).
Each call gets its own copies of the states (callers edit them in place).

Training trackers (TrackerWithCachedStates, rule trackers) go to Rasa's code
unchanged: they have their own cache and are many and short.
tests/patches/test_history_cache.py compares every result with Rasa's own on the
same trackers, including undo, restarts, sessions, slots and forms.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Dict, FrozenSet, Iterable, List, Tuple

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

ORIGINAL_APPLIED_EVENTS = DialogueStateTracker.applied_events
ORIGINAL_STATES = Domain.states_for_tracker_history

# Attributes on a tracker object: the cache lives and dies with the tracker.
_APPLIED_ATTR = "_bids_applied_events"
_STATES_ATTR = "_bids_history_states"


def _same_prefix(known: List[Event], events: Iterable[Event]) -> bool:
    """Whether `events` starts with exactly the event objects in `known`."""
    prefix = list(islice(events, len(known)))
    return len(prefix) == len(known) and all(map(operator.is_, known, prefix))


# ------------------------------------------------------------- applied events


@dataclass
class _Applied:
    read: List[Event]  # the tracker's events read so far
    loop_names: FrozenSet[str]
    applied: List[Event]


def _loop_names(events: Iterable[Event]) -> FrozenSet[str]:
    return frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)


def _fold(
    tracker: DialogueStateTracker,
    events: Iterable[Event],
    applied: List[Event],
    loop_names: FrozenSet[str],
) -> List[Event]:
    """The loop of Rasa 3.6.21's `applied_events`, from a given start."""
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied = []
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(
                event.action_name, applied
            )
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)
    return applied


def applied_events(self: DialogueStateTracker) -> List[Event]:
    if isinstance(self, TrackerWithCachedStates):
        return ORIGINAL_APPLIED_EVENTS(self)
    kept: _Applied | None = self.__dict__.get(_APPLIED_ATTR)
    events = self.events
    if kept is not None and _same_prefix(kept.read, events):
        new = list(islice(events, len(kept.read), None))
        # A form named for the first time changes how earlier runs of it count.
        if _loop_names(new) <= kept.loop_names:
            kept.applied = _fold(self, new, list(kept.applied), kept.loop_names)
            kept.read.extend(new)
            return list(kept.applied)
    read = list(events)
    loop_names = _loop_names(read)
    applied = _fold(self, read, [], loop_names)
    self.__dict__[_APPLIED_ATTR] = _Applied(read, loop_names, applied)
    return list(applied)


# -------------------------------------------------------------------- states


@dataclass
class _History:
    """Where Rasa's loop over the prior trackers stood after `replayed`."""

    domain: Domain
    replayed: List[Event]
    tracker: DialogueStateTracker  # init_copy() updated with `replayed`
    states: List[State] = field(default_factory=list)  # one per ActionExecuted
    last_ml_action_sub_state: Any = None
    turn_was_hidden: bool = False


def _options_key(
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: Dict[str, Any] | None,
) -> Tuple[Any, ...]:
    data = tuple(
        (key, tuple(value)) for key, value in sorted((rule_only_data or {}).items())
    )
    return omit_unset_slots, ignore_rule_only_turns, data


def _step(
    domain: Domain,
    history: _History,
    hide_rule_turn: bool,
    states: List[State],
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: Dict[str, Any] | None,
) -> None:
    """One pass of Rasa 3.6.21's loop in `states_for_tracker_history` over the
    tracker as it stands, appending to `states` and updating `history`'s loop
    variables (the caller passes a scratch copy for the last, provisional step)."""
    tr = history.tracker
    if ignore_rule_only_turns:
        if not history.turn_was_hidden:
            history.last_ml_action_sub_state = domain._get_prev_action_sub_state(tr)
        if not tr.followup_action and not tr.latest_action_name == tr.active_loop_name:
            history.turn_was_hidden = hide_rule_turn
        if history.turn_was_hidden:
            return
    state = domain.get_active_state(tr, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if history.last_ml_action_sub_state:
            state[PREVIOUS_ACTION] = history.last_ml_action_sub_state
    states.append(domain._clean_state(state))


def _copy_states(states: List[State]) -> List[State]:
    """Fresh state and sub-state dicts; sub-states shared between states (Rasa
    reuses a user sub-state for the turns after it) stay shared."""
    copies: Dict[int, Any] = {}

    def copy(sub_state: Any) -> Any:
        if not isinstance(sub_state, dict):
            return sub_state
        found = copies.get(id(sub_state))
        if found is None:
            found = copies[id(sub_state)] = dict(sub_state)
        return found

    return [{key: copy(value) for key, value in state.items()} for state in states]


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Dict[str, Any] | None = None,
) -> List[State]:
    if isinstance(tracker, TrackerWithCachedStates) or tracker.is_rule_tracker:
        return ORIGINAL_STATES(
            self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data
        )
    options = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    key = _options_key(*options)
    kept: Dict[Tuple[Any, ...], _History] = tracker.__dict__.setdefault(
        _STATES_ATTR, {}
    )
    applied = tracker.applied_events()
    history = kept.get(key)
    if (
        history is None
        or history.domain is not self
        or not _same_prefix(history.replayed, applied)
    ):
        history = _History(self, [], tracker.init_copy())
        kept[key] = history
    # The new applied events, replayed exactly as generate_all_prior_trackers does.
    for event in applied[len(history.replayed) :]:
        if isinstance(event, ActionExecuted):
            _step(self, history, event.hide_rule_turn, history.states, *options)
        history.tracker.update(event)
        history.replayed.append(event)
    # The last state (the tracker as it is now) is provisional: the next event
    # may be an action, whose prior state it then becomes with its own flag.
    scratch = _History(
        self,
        history.replayed,
        history.tracker,
        list(history.states),
        history.last_ml_action_sub_state,
        history.turn_was_hidden,
    )
    _step(self, scratch, False, scratch.states, *options)
    return _copy_states(scratch.states)


def apply() -> None:
    DialogueStateTracker.applied_events = applied_events  # type: ignore[method-assign]
    Domain.states_for_tracker_history = states_for_tracker_history  # type: ignore[method-assign]
