from pathlib import Path

import pytest
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.exceptions import ConnectionException

from conversation_store import tracker_store as tracker_module
from conversation_store.lock_store import ConfiguredLockStore
from conversation_store.settings import tracker_store_url
from conversation_store.tracker_store import StrictSQLTrackerStore, check_connection


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
