"""The history cache must give exactly what Rasa 3.6.21 gives: after every event of
every conversation below, the patched `applied_events`, `states_for_tracker_history`
and the policies' `prediction_states` on one long-lived tracker (so the cache is
extended event by event) are compared with Rasa's own functions on a fresh tracker
built from the same events."""

from __future__ import annotations

import random
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest
from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    DefinePrevUserUtteredFeaturization,
    Event,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bids_partner.patches import history_cache
from bids_partner.settings import ROOT

DOMAIN_YAML = """
version: "3.1"
intents: [greet, inform, deny, affirm, stop, start_form, bid]
entities: [feeling, who]
slots:
  mood:
    type: categorical
    values: [good, bad]
    influence_conversation: true
    mappings: [{type: custom}]
  shared:
    type: bool
    influence_conversation: true
    mappings: [{type: custom}]
  note:
    type: text
    influence_conversation: true
    mappings: [{type: custom}]
  quiet:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
  want:
    type: text
    influence_conversation: false
    mappings: [{type: from_text, conditions: [{active_loop: practice_form}]}]
  other:
    type: text
    influence_conversation: false
    mappings: [{type: from_text, conditions: [{active_loop: other_form}]}]
forms:
  practice_form:
    required_slots: [want]
  other_form:
    required_slots: [other]
responses:
  utter_greet: [{text: hi}]
  utter_ask: [{text: "what"}]
  utter_ask_want: [{text: "want"}]
  utter_ask_other: [{text: "other"}]
  utter_bye: [{text: bye}]
actions: [action_reflect, action_finish]
"""
DOMAIN = Domain.from_yaml(DOMAIN_YAML)
PROJECT_DOMAIN = Domain.load(str(ROOT / "domain.yml"))
RULE_ONLY = {"rule_only_slots": ["shared"], "rule_only_loops": ["other_form"]}
# (omit_unset_slots, ignore_rule_only_turns, rule_only_data): RulePolicy's call,
# MemoizationPolicy's and the others Rasa allows.
OPTIONS: List[Tuple[bool, bool, Dict[str, Any] | None]] = [
    (False, False, None),
    (False, True, RULE_ONLY),
    (False, True, None),
    (True, False, None),
    (True, True, RULE_ONLY),
]


@contextmanager
def as_shipped() -> Iterator[None]:
    """Rasa's own functions, whatever was patched before."""
    saved = (DialogueStateTracker.applied_events, Domain.states_for_tracker_history)
    DialogueStateTracker.applied_events = history_cache.ORIGINAL_APPLIED_EVENTS
    Domain.states_for_tracker_history = history_cache.ORIGINAL_STATES
    try:
        yield
    finally:
        DialogueStateTracker.applied_events, Domain.states_for_tracker_history = saved


@contextmanager
def patched() -> Iterator[None]:
    saved = (DialogueStateTracker.applied_events, Domain.states_for_tracker_history)
    history_cache.apply()
    try:
        yield
    finally:
        DialogueStateTracker.applied_events, Domain.states_for_tracker_history = saved


def fresh(events: List[Event], max_event_history: int | None = None) -> Any:
    with as_shipped():
        tracker = DialogueStateTracker("someone", DOMAIN.slots, max_event_history)
        for event in events:
            tracker.update(event)
        return tracker


def user(intent: str, text: str = "some words", **entities: str) -> UserUttered:
    return UserUttered(
        text,
        {"name": intent, "confidence": 0.9},
        [{"entity": k, "value": v, "start": 0, "end": 1} for k, v in entities.items()],
    )


def listen() -> ActionExecuted:
    return ActionExecuted("action_listen")


def session() -> List[Event]:
    return [ActionExecuted("action_session_start"), SessionStarted(), listen()]


def turn(intent: str, *actions: str, **entities: str) -> List[Event]:
    events: List[Event] = [user(intent, **entities)]
    for name in actions:
        events += [ActionExecuted(name), BotUttered("a reply")]
    return events + [listen()]


def form_turns(form: str, slot: str) -> List[Event]:
    return [
        user("start_form"),
        ActionExecuted(form),
        ActiveLoop(form),
        SlotSet("requested_slot", slot),
        listen(),
        user("inform", feeling="sad"),
        ActionExecuted(form),
        SlotSet(slot, "an answer"),
        SlotSet("requested_slot", slot),
        listen(),
        # An unhappy path: the form rejects, a rule answers, the form resumes.
        user("bid"),
        ActionExecutionRejected(form),
        ActionExecuted("action_reflect", hide_rule_turn=True),
        BotUttered("a reflection"),
        ActionExecuted(form, hide_rule_turn=True),
        SlotSet("requested_slot", slot),
        listen(),
        user("inform"),
        ActionExecuted(form),
        SlotSet(slot, "done"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        ActionExecuted("action_finish"),
        BotUttered("finished"),
        listen(),
    ]


SCENARIOS: Dict[str, List[Event]] = {
    "plain turns with slots set and reset": session()
    + turn("greet", "utter_greet")
    + [user("inform", feeling="sad", who="partner"), ActionExecuted("action_reflect")]
    + [SlotSet("mood", "bad"), SlotSet("note", "x"), SlotSet("quiet", "y"), listen()]
    + turn("affirm", "utter_ask")
    + [user("deny"), ActionExecuted("action_reflect"), SlotSet("mood", None)]
    + [SlotSet("shared", True), listen()]
    + turn("stop", "utter_bye"),
    "a form with an unhappy path, twice": session()
    + form_turns("practice_form", "want")
    + turn("greet", "utter_greet")
    + form_turns("practice_form", "want"),
    "the user's message taken back": session()
    + turn("greet", "utter_greet")
    + turn("inform", "action_reflect")
    + [UserUtteranceReverted()]
    + turn("deny", "utter_ask")
    + [user("bid"), ActionExecuted("action_reflect"), ActionReverted()]
    + [ActionExecuted("utter_ask"), listen()]
    + form_turns("practice_form", "want")[:10]
    + [UserUtteranceReverted(), UserUtteranceReverted()]
    + turn("affirm", "utter_greet"),
    "restarted and new sessions": session()
    + turn("greet", "utter_greet")
    + [SlotSet("mood", "good")]
    + [ActionExecuted("action_restart"), Restarted()]
    + turn("inform", "action_reflect")
    + session()
    + [SlotSet("mood", "good")]
    + turn("bid", "action_reflect")
    + form_turns("practice_form", "want")[:6]
    + session()
    + turn("affirm", "utter_ask"),
    "a form named for the first time late": session()
    + form_turns("practice_form", "want")
    + turn("greet", "utter_greet")
    + form_turns("other_form", "other"),
    "followups, hidden rule turns, text featurization": session()
    + [user("greet"), DefinePrevUserUtteredFeaturization(True)]
    + [ActionExecuted("utter_greet", hide_rule_turn=True), BotUttered("hi")]
    + [FollowupAction("action_reflect"), ActionExecuted("action_reflect")]
    + [listen(), UserUttered("just text"), DefinePrevUserUtteredFeaturization(True)]
    + [ActionExecuted(action_text="a free text answer"), listen()]
    + turn("inform", "utter_ask"),
}


def random_conversation(seed: int, length: int = 220) -> List[Event]:
    """Turns, forms, undos, restarts and sessions in a seeded random order."""
    rng = random.Random(seed)
    pieces: List[Callable[[], List[Event]]] = [
        lambda: turn(rng.choice(["greet", "inform", "bid"]), "action_reflect"),
        lambda: turn("affirm", "utter_ask", "utter_greet"),
        lambda: form_turns("practice_form", "want")[: rng.randint(3, 25)],
        lambda: form_turns("other_form", "other")[: rng.randint(3, 25)],
        lambda: [SlotSet(rng.choice(["mood", "note"]), rng.choice([None, "bad"]))],
        lambda: [UserUtteranceReverted()],
        lambda: [ActionReverted()],
        lambda: [ActionExecuted("action_restart"), Restarted()],
        session,
    ]
    weights = [8, 4, 3, 2, 3, 1, 1, 1, 1]
    events = session()
    while len(events) < length:
        events += rng.choices(pieces, weights)[0]()
    return events


ALL = {**SCENARIOS, **{f"random {n}": random_conversation(n) for n in range(6)}}


def expected_states(
    domain: Domain, events: List[Event], options: Tuple[Any, ...]
) -> List[Dict]:
    tracker = fresh(events)
    with as_shipped():
        return history_cache.ORIGINAL_STATES(domain, tracker, *options)


@pytest.mark.parametrize("name", list(ALL))
def test_every_prefix_gives_rasas_applied_events_and_states(name: str) -> None:
    events = ALL[name]
    live = DialogueStateTracker("someone", DOMAIN.slots)
    for n, event in enumerate(events, start=1):
        live.update(event)
        with as_shipped():
            reference = fresh(events[:n])
            want_applied = reference.applied_events()
        with patched():
            assert live.applied_events() == want_applied, (name, n)
            for options in OPTIONS:
                got = DOMAIN.states_for_tracker_history(live, *options)
                assert got == expected_states(DOMAIN, events[:n], options), (
                    name,
                    n,
                    options,
                )


@pytest.mark.parametrize("name", ["a form with an unhappy path, twice", "random 1"])
@pytest.mark.parametrize("max_history", [None, 4])
@pytest.mark.parametrize("use_text", [False, True])
def test_prediction_states_as_the_policies_see_them(
    name: str, max_history: int | None, use_text: bool
) -> None:
    """Through the featurizer, which edits the states it is given: asking twice
    must give the same as Rasa both times (the cache hands out copies)."""
    featurizer = MaxHistoryTrackerFeaturizer(None, max_history=max_history)
    events = ALL[name]
    live = DialogueStateTracker("someone", DOMAIN.slots)
    for n, event in enumerate(events, start=1):
        live.update(event)
        for ignore, rule_only in [(False, None), (True, RULE_ONLY)]:
            with as_shipped():
                want = featurizer.prediction_states(
                    [fresh(events[:n])], DOMAIN, use_text, ignore, rule_only, ignore
                )
            with patched():
                for _ in range(2):
                    got = featurizer.prediction_states(
                        [live], DOMAIN, use_text, ignore, rule_only, ignore
                    )
                    assert got == want, (name, n, ignore)


def test_a_tracker_that_shrinks_is_read_again() -> None:
    events = random_conversation(11, 120)
    live = DialogueStateTracker("someone", DOMAIN.slots)
    with patched():
        for event in events:
            live.update(event)
        DOMAIN.states_for_tracker_history(live)  # fills the cache
        shorter = events[:70]
        live.recreate_from_dialogue(fresh(shorter).as_dialogue())
        assert live.applied_events() == fresh(shorter).applied_events()
        for options in OPTIONS:
            assert DOMAIN.states_for_tracker_history(live, *options) == expected_states(
                DOMAIN, shorter, options
            )


def test_a_bounded_event_history_drops_old_events_as_rasa_does() -> None:
    events = random_conversation(12, 150)
    live = DialogueStateTracker("someone", DOMAIN.slots, max_event_history=40)
    for n, event in enumerate(events, start=1):
        live.update(event)
        reference = fresh(events[:n], max_event_history=40)
        with as_shipped():
            want = history_cache.ORIGINAL_STATES(DOMAIN, reference)
            want_applied = reference.applied_events()
        with patched():
            assert live.applied_events() == want_applied
            assert DOMAIN.states_for_tracker_history(live) == want


def test_a_new_model_rebuilds_the_states() -> None:
    events = SCENARIOS["plain turns with slots set and reset"]
    live = DialogueStateTracker("someone", DOMAIN.slots)
    with patched():
        for event in events:
            live.update(event)
        DOMAIN.states_for_tracker_history(live)
        other = Domain.from_yaml(
            DOMAIN_YAML.replace("values: [good, bad]", "values: [good, bad, meh]")
        )
        got = other.states_for_tracker_history(live)
    assert got == expected_states(other, events, (False, False, None))


def test_the_project_domain_gives_rasas_states() -> None:
    events = random_conversation(13, 200)
    events = [
        SlotSet("crisis_active", True) if isinstance(e, SlotSet) else e for e in events
    ]
    live = DialogueStateTracker("someone", PROJECT_DOMAIN.slots)
    for n, event in enumerate(events, start=1):
        live.update(event)
        reference = DialogueStateTracker("someone", PROJECT_DOMAIN.slots)
        with as_shipped():
            for e in events[:n]:
                reference.update(e)
            want = history_cache.ORIGINAL_STATES(PROJECT_DOMAIN, reference)
        with patched():
            assert PROJECT_DOMAIN.states_for_tracker_history(live) == want


def test_a_new_turn_builds_only_its_own_states(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the cache is for: at 1,000 events, a turn's new events cost a few
    states, not the whole session's (fails without the patch)."""
    events = session()
    while len(events) < 1000:
        events += turn("inform", "action_reflect") + [SlotSet("mood", "bad")]
    live = DialogueStateTracker("someone", DOMAIN.slots)
    built = []
    original = Domain.get_active_state
    monkeypatch.setattr(
        Domain,
        "get_active_state",
        lambda self, *a, **k: built.append(1) or original(self, *a, **k),
    )
    from bids_partner.patches import apply_rasa_patches

    apply_rasa_patches()  # as a Rasa server with our plug-ins runs
    for event in events:
        live.update(event)
    DOMAIN.states_for_tracker_history(live)
    for event in turn("bid", "action_reflect"):
        live.update(event)
    built.clear()
    DOMAIN.states_for_tracker_history(live)
    assert len(built) <= 3
