"""Kept trackers are used again only while they are exactly what is stored."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bids_partner.rasa_plugins.stores.recent_trackers import RecentTrackers
from bids_partner.rasa_plugins.stores.tracker_store import StrictSQLTrackerStore


@pytest.fixture
def stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[StrictSQLTrackerStore, StrictSQLTrackerStore]:
    """Two servers' stores on one database."""
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path}/t.db")
    return StrictSQLTrackerStore(Domain.empty()), StrictSQLTrackerStore(Domain.empty())


def said(store: StrictSQLTrackerStore, text: str) -> DialogueStateTracker:
    """One turn: retrieve (or start) the tracker, add a message, save."""
    tracker = asyncio.run(store.retrieve("someone")) or DialogueStateTracker(
        "someone", []
    )
    tracker.update(UserUttered(text))
    asyncio.run(store.save(tracker))
    return tracker


def texts(tracker: DialogueStateTracker | None) -> list[str]:
    assert tracker is not None
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def test_the_next_turn_gets_the_kept_tracker(stores) -> None:
    first, _ = stores
    kept = said(first, "one")
    assert asyncio.run(first.retrieve("someone")) is kept


def test_a_new_domain_forgets_the_kept_trackers(stores) -> None:
    first, _ = stores
    kept = said(first, "one")
    first.domain = Domain.empty()  # a new model was loaded
    again = asyncio.run(first.retrieve("someone"))
    assert again is not kept and texts(again) == ["one"]


def test_turns_stored_by_another_server_are_read(stores) -> None:
    first, second = stores
    said(first, "one")
    said(second, "two")
    assert texts(asyncio.run(first.retrieve("someone"))) == ["one", "two"]
    said(first, "three")
    assert texts(asyncio.run(second.retrieve("someone"))) == ["one", "two", "three"]


def test_a_turn_that_failed_half_way_leaves_nothing_behind(stores) -> None:
    first, _ = stores
    said(first, "one")
    tracker = asyncio.run(first.retrieve("someone"))
    assert tracker is not None
    tracker.update(UserUttered("never saved"))  # the turn fails before save
    assert texts(asyncio.run(first.retrieve("someone"))) == ["one"]


def test_the_oldest_conversation_is_forgotten_first() -> None:
    recent = RecentTrackers(size=2)
    trackers = [DialogueStateTracker(name, []) for name in ("a", "b", "c")]
    for n, tracker in enumerate(trackers):
        recent.keep(tracker, n)
    assert recent.get("a", 0) is None
    assert recent.get("b", 1) is trackers[1] and recent.get("c", 2) is trackers[2]
    assert recent.get("c", 3) is None  # the database has moved on


def stored_rows(store: StrictSQLTrackerStore) -> list[str]:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT data FROM events ORDER BY id"))
        return [row.data for row in rows]


def rows_stored_once(store: StrictSQLTrackerStore) -> int:
    """How many events are stored, none of them twice."""
    rows = stored_rows(store)
    assert len(rows) == len(set(rows))
    return len(rows)


def spy(monkeypatch: pytest.MonkeyPatch, cls: type, name: str, arg: int) -> list[Any]:
    """The `arg`-th argument (after self) of every call to `cls.name`, which
    still runs."""
    real = getattr(cls, name)
    calls: list[Any] = []
    if inspect.iscoroutinefunction(real):

        async def spied(store, *args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(args[arg])
            return await real(store, *args, **kwargs)

    else:

        def spied(store, *args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(args[arg])
            return real(store, *args, **kwargs)

    monkeypatch.setattr(cls, name, spied)
    return calls


def session_start(at: float) -> list:
    # As Rasa's action_session_start logs them: the action first, then the event.
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at + 0.001),
        ActionExecuted("action_listen", timestamp=at + 0.002),
    ]


def test_a_new_conversation_is_stored_once(stores) -> None:
    first, _ = stores
    tracker = DialogueStateTracker("someone", [])
    for event in [*session_start(100.0), UserUttered("one", timestamp=100.1)]:
        tracker.update(event)
    asyncio.run(first.save(tracker))
    for n in range(3):
        tracker = asyncio.run(first.retrieve("someone"))
        tracker.update(ActionExecuted("action_listen", timestamp=101.0 + n))
        asyncio.run(first.save(tracker))
    assert rows_stored_once(first) == 7


def test_a_new_session_is_stored_once(stores) -> None:
    first, _ = stores
    tracker = DialogueStateTracker("someone", [])
    for event in [*session_start(100.0), UserUttered("one", timestamp=100.1)]:
        tracker.update(event)
    asyncio.run(first.save(tracker))
    tracker = asyncio.run(first.retrieve("someone"))
    for event in [*session_start(200.0), UserUttered("two", timestamp=200.1)]:
        tracker.update(event)
    asyncio.run(first.save(tracker))
    tracker = asyncio.run(first.retrieve("someone"))
    tracker.update(UserUttered("three", timestamp=201.0))
    asyncio.run(first.save(tracker))
    assert rows_stored_once(first) == 9
    assert texts(asyncio.run(first.retrieve("someone"))) == ["two", "three"]


def test_a_kept_tracker_is_saved_without_counting_what_is_stored(
    stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = stores
    said(first, "one")
    counted = spy(monkeypatch, SQLTrackerStore, "_additional_events", 1)
    said(first, "two")
    said(first, "three")
    assert counted == []
    said(second, "four")  # another server: its first turn reads and counts
    said(first, "five")  # the database moved on: counted again
    assert [t.latest_message.text for t in counted] == ["four", "five"]
    assert rows_stored_once(first) == 5
    expected = ["one", "two", "three", "four", "five"]
    assert texts(asyncio.run(second.retrieve("someone"))) == expected
    assert texts(asyncio.run(first.retrieve("someone"))) == expected


def test_the_turn_after_a_session_starts_gets_what_reading_would_give(
    stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first turn's tracker holds `action_session_start`, which the database
    does not count as the session's; the next turn gets the session's events,
    replayed, without reading the database, and exactly as a read gives them."""
    first, second = stores
    tracker = DialogueStateTracker("someone", [])
    for event in [*session_start(100.0), UserUttered("one", timestamp=100.1)]:
        tracker.update(event)
    asyncio.run(first.save(tracker))
    read_back = asyncio.run(second.retrieve("someone"))
    reads = spy(monkeypatch, SQLTrackerStore, "_retrieve", 0)
    kept = asyncio.run(first.retrieve("someone"))
    assert reads == []
    assert kept is not tracker and read_back is not None and kept is not None
    assert [e.as_dict() for e in kept.events] == [e.as_dict() for e in read_back.events]
    assert kept.current_state() == read_back.current_state()
    kept.update(UserUttered("two", timestamp=101.0))
    asyncio.run(first.save(kept))
    assert rows_stored_once(first) == 5
    assert texts(asyncio.run(second.retrieve("someone"))) == ["one", "two"]


def test_a_new_conversation_is_saved_once_it_has_an_event(
    stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rasa's processor asks for a new conversation's tracker empty, and Rasa
    saves it at once: a database session that stores nothing."""
    first, _ = stores
    saved = spy(monkeypatch, StrictSQLTrackerStore, "save", 0)
    empty = asyncio.run(first.get_or_create_tracker("new", append_action_listen=False))
    assert len(empty.events) == 0 and saved == []
    listening = asyncio.run(first.get_or_create_tracker("other"))
    assert saved == [listening] and len(stored_rows(first)) == 1
    assert asyncio.run(first.retrieve("other")) is listening


def test_a_conversation_with_nothing_stored_is_not_read(
    stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = stores
    said(first, "one")

    def reading(*args):  # type: ignore[no-untyped-def]
        raise AssertionError("read the events of a conversation with none stored")

    monkeypatch.setattr(SQLTrackerStore, "_retrieve", reading)
    assert asyncio.run(first.retrieve("somebody else")) is None
