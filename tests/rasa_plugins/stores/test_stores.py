import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.agent import Agent
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import ConnectionException

from bids_partner.contract import FORGOTTEN_RESPONSE
from bids_partner.rasa_plugins.stores import tracker_store as tracker_module
from bids_partner.rasa_plugins.stores.lock_store import ConfiguredLockStore
from bids_partner.rasa_plugins.stores.tracker_store import (
    ConversationStoreUnavailable,
    StrictSQLTrackerStore,
    check_connection,
    forgotten_in_this_turn,
)
from bids_partner.settings import tracker_store_url


def test_default_is_a_sqlite_file_under_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    assert tracker_store_url().startswith("sqlite:///")
    assert tracker_store_url().endswith("var/tracker.db")


def test_sqlite_store_creates_its_folder_and_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "nested" / "tracker.db"
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{db}")
    StrictSQLTrackerStore()
    assert db.exists()


def test_unreachable_database_fails_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tracker_module, "CONNECT_PAUSE_SECONDS", 0)
    url = "postgresql://rasa:secret@127.0.0.1:1/rasa"
    with pytest.raises(ConnectionException) as caught:
        check_connection(url, attempts=2)
    message = str(caught.value)
    assert "TRACKER_STORE_URL" in message
    assert "secret" not in message  # the password never reaches logs


def test_in_memory_locks_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    assert isinstance(ConfiguredLockStore()._store, InMemoryLockStore)


def test_unreachable_redis_fails_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOCK_STORE_URL", "redis://:pw@127.0.0.1:1/0")
    with pytest.raises(ConnectionException, match="LOCK_STORE_URL"):
        ConfiguredLockStore()


def test_locks_are_delegated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    store = ConfiguredLockStore()
    lock = store.get_or_create_lock("c1")
    ticket = lock.issue_ticket(10)
    store.save_lock(lock)
    assert store.get_lock("c1").last_issued == ticket
    store.delete_lock("c1")
    assert store.get_lock("c1") is None


def test_a_failing_database_is_an_error_not_a_fresh_conversation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{db}")
    store = StrictSQLTrackerStore(domain=Domain.empty())
    tracker = DialogueStateTracker("someone", [])
    tracker.update(UserUttered("my secret words"))
    asyncio.run(store.save(tracker))
    with store.engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE events RENAME TO moved"))
    with pytest.raises(ConversationStoreUnavailable, match="unavailable"):
        asyncio.run(store.retrieve("someone"))
    with pytest.raises(ConversationStoreUnavailable):
        asyncio.run(store.save(tracker))
    assert "my secret words" not in caplog.text
    with store.engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE moved RENAME TO events"))
    restored = asyncio.run(store.retrieve("someone"))
    assert restored is not None and restored.latest_message.text == "my secret words"


def test_rasa_keeps_no_in_memory_fallback_for_this_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path}/t.db")
    store = StrictSQLTrackerStore()
    assert Agent(tracker_store=store).tracker_store is store
    # Other stores keep Rasa's own wrapper.
    assert isinstance(Agent().tracker_store, FailSafeTrackerStore)


def test_the_url_in_endpoints_yml_is_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path}/from-env.db")
    # Rasa passes endpoints.yml's `url` as `host`.
    StrictSQLTrackerStore(host=f"sqlite:///{tmp_path}/from-endpoints.db")
    assert (tmp_path / "from-endpoints.db").exists()
    assert not (tmp_path / "from-env.db").exists()


@pytest.mark.parametrize("setting", ["dialect", "db", "port", "username", "password"])
def test_settings_the_store_does_not_read_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path}/t.db")
    with pytest.raises(ValueError, match=f"does not read {setting}.*url"):
        StrictSQLTrackerStore(**{setting: "x"})


def saved_tracker(store: StrictSQLTrackerStore, *texts: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker("someone", [])
    for number, text in enumerate(texts):
        tracker.update(UserUttered(text, message_id=f"m{number}"))
        tracker.update(BotUttered(f"reply to {text}", data={"buttons": []}))
    asyncio.run(store.save(tracker))
    return tracker


def test_a_failure_before_the_commit_stores_nothing_of_the_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the next read will find is read in the save's own transaction,
    after the insert: if that fails, the turn's events are rolled back and the
    client is told, and the conversation stays as it was stored before."""
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path}/t.db")
    store = StrictSQLTrackerStore(domain=Domain.empty())
    tracker = saved_tracker(store, "hello")

    def check_fails(*args: object) -> int:
        raise sa.exc.OperationalError("SELECT", {}, Exception("gone"))

    monkeypatch.setattr(store, "_stored_now", check_fails)
    tracker.update(UserUttered("again", message_id="m-again"))
    with pytest.raises(ConversationStoreUnavailable):
        asyncio.run(store.save(tracker))
    monkeypatch.undo()
    stored = asyncio.run(store.retrieve("someone"))
    assert stored is not None and stored.latest_message.text == "hello"
    assert [e.text for e in stored.events if isinstance(e, UserUttered)] == ["hello"]


def test_replies_to_a_stored_message_are_found_by_its_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path}/t.db")
    store = StrictSQLTrackerStore(domain=Domain.empty())
    saved_tracker(store, "first", "second")
    assert store.replies_to("someone", "m1") == [
        {"recipient_id": "someone", "text": "reply to second"}
    ]
    assert store.replies_to("someone", "m0") == [
        {"recipient_id": "someone", "text": "reply to first"}
    ]
    assert store.replies_to("someone", "never-sent") is None
    assert store.replies_to("someone-else", "m0") is None


def confirm_forget(tracker: DialogueStateTracker) -> None:
    tracker.update(UserUttered("/affirm", message_id="yes"))
    tracker.update(ActionExecuted(FORGOTTEN_RESPONSE))
    tracker.update(BotUttered("Done: deleted", data={}))


def test_a_confirmed_forget_deletes_that_conversation_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path}/t.db")
    store = StrictSQLTrackerStore(domain=Domain.empty())
    other = DialogueStateTracker("someone-else", [])
    other.update(UserUttered("keep me", message_id="k"))
    asyncio.run(store.save(other))
    tracker = saved_tracker(store, "my wife never listens", "delete this")
    asyncio.run(store.retrieve("someone"))  # kept in memory: must be dropped too
    confirm_forget(tracker)
    asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve("someone")) is None
    kept = asyncio.run(store.retrieve("someone-else"))
    assert kept is not None and kept.latest_message.text == "keep me"
    # Twice in a row, or for a conversation the store never held: nothing to do.
    asyncio.run(store.save(tracker))
    stranger = DialogueStateTracker("stranger", [])
    confirm_forget(stranger)
    asyncio.run(store.save(stranger))
    assert asyncio.run(store.retrieve("stranger")) is None


def test_only_the_turn_that_confirms_deletes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path}/t.db")
    store = StrictSQLTrackerStore(domain=Domain.empty())
    tracker = DialogueStateTracker("someone", [])
    confirm_forget(tracker)
    assert forgotten_in_this_turn(tracker)
    tracker.update(UserUttered("hello again", message_id="again"))
    assert not forgotten_in_this_turn(tracker)
    asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve("someone")) is not None


def test_a_forget_with_the_database_down_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path}/t.db")
    store = StrictSQLTrackerStore(domain=Domain.empty())
    tracker = saved_tracker(store, "hello")
    confirm_forget(tracker)
    (tmp_path / "t.db").rename(tmp_path / "moved.db")
    with pytest.raises(ConversationStoreUnavailable):
        asyncio.run(store.save(tracker))
    (tmp_path / "moved.db").rename(tmp_path / "t.db")
    assert asyncio.run(store.retrieve("someone")) is not None


def test_the_rows_stored_are_those_rasas_own_store_stores(tmp_path: Path) -> None:
    """The events are inserted by one statement instead of Rasa's ORM object per
    event: the rows must not differ by a column or a character."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import SessionStarted, SlotSet

    events = [
        ActionExecuted("action_session_start", timestamp=100.0),
        SessionStarted(timestamp=100.001),
        ActionExecuted("action_listen", timestamp=100.002),
        UserUttered(
            "I feel sad today ✨",
            intent={"name": "feeling", "confidence": 0.9},
            parse_data={"intent": {"name": "feeling", "confidence": 0.9}},
            timestamp=100.1,
            message_id="m1",
        ),
        SlotSet("partner_role", "wife", timestamp=100.2),
        ActionExecuted("action_reflect_move", policy="RulePolicy", timestamp=100.3),
        BotUttered("That sounds heavy.", {"buttons": []}, timestamp=100.4),
        ActionExecuted("action_listen", timestamp=100.5),
    ]
    rows = []
    for name, store_class in (
        ("rasa", SQLTrackerStore),
        ("ours", StrictSQLTrackerStore),
    ):
        store = store_class(
            domain=Domain.empty(), host=f"sqlite:///{tmp_path}/{name}.db"
        )
        tracker = DialogueStateTracker("someone", [])
        for event in events:
            tracker.update(event)
        asyncio.run(store.save(tracker))
        with store.engine.connect() as connection:
            rows.append(
                connection.execute(
                    sa.text(
                        "SELECT id, sender_id, type_name, timestamp, intent_name, "
                        "action_name, data FROM events ORDER BY id"
                    )
                ).all()
            )
    assert len(rows[0]) == len(events) and rows[0] == rows[1]
    assert rows[1][3].intent_name == "feeling"
    assert rows[1][5].action_name == "action_reflect_move"
