"""Retention (issue 19) on a real PostgreSQL tracker store written by the project's
own store: `transcripts purge` and forget_conversation, and the database stopped
under them."""

from __future__ import annotations

import asyncio
from typing import Any, Iterator, List, Set, Tuple

import pytest
import sqlalchemy as sa
from rasa.shared.core.trackers import DialogueStateTracker

from bids_partner.rasa_plugins.stores.tracker_store import StrictSQLTrackerStore
from bids_partner.transcripts.retention import forget_conversation
from bids_partner.transcripts.store import StoreError
from tests.helpers.services import LocalPostgres
from tests.transcripts.test_export import DOMAIN
from tests.transcripts.test_retention import (
    CONVERSATIONS,
    EXPIRED,
    assert_nothing_identifying,
    run,
)

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def postgres() -> Iterator[LocalPostgres]:
    server = LocalPostgres()
    try:
        server.create()
        yield server
    finally:
        server.remove()


@pytest.fixture
def engine(
    postgres: LocalPostgres, monkeypatch: pytest.MonkeyPatch
) -> Iterator[sa.engine.Engine]:
    """The store holding exactly CONVERSATIONS, saved as the Rasa server saves."""
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    store = StrictSQLTrackerStore(DOMAIN, host=postgres.url)
    with store.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events"))
    for sender, events in CONVERSATIONS.items():
        tracker = DialogueStateTracker.from_events(sender, events, slots=DOMAIN.slots)
        asyncio.run(store.save(tracker))
    store.engine.dispose()
    engine = postgres.engine()
    yield engine
    engine.dispose()


def all_rows(engine: sa.engine.Engine) -> List[Tuple[Any, ...]]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(sa.text("SELECT * FROM events ORDER BY id"))
        ]


def senders(engine: sa.engine.Engine) -> Set[str]:
    return {row[1] for row in all_rows(engine)}


def test_purge_deletes_exactly_the_expired_conversations(
    engine, postgres, capsys
) -> None:
    before = all_rows(engine)
    assert senders(engine) == set(CONVERSATIONS)
    code, out = run(capsys, "purge", "--db", postgres.url)
    assert code == 0, out
    assert "would delete 3 conversations" in out
    assert all_rows(engine) == before  # a dry run
    kept = set(CONVERSATIONS) - EXPIRED
    kept_rows = [row for row in before if row[1] in kept]
    code, out = run(capsys, "purge", "--db", postgres.url, "--apply")
    assert code == 0, out
    assert "deleted 3 of 3 expired conversations" in out
    assert_nothing_identifying(out)
    assert all_rows(engine) == kept_rows


def test_forget_deletes_one_conversation_and_nothing_else(engine) -> None:
    before = all_rows(engine)
    mine = [row for row in before if row[1] == "old-still-shared"]
    assert mine
    assert forget_conversation(engine, "old-still-shared") == len(mine)
    assert forget_conversation(engine, "old-still-shared") == 0
    assert forget_conversation(engine, "nobody-by-this-id") == 0
    assert all_rows(engine) == [row for row in before if row not in mine]


def test_a_stopped_database_deletes_nothing(engine, postgres, capsys) -> None:
    before = all_rows(engine)
    postgres.stop()
    try:
        with pytest.raises(StoreError) as error:
            forget_conversation(engine, "old-never-shared")
        code, out = run(capsys, "purge", "--db", postgres.url, "--apply")
    finally:
        postgres.start()
    message = str(error.value)
    assert "Cannot delete from the tracker store" in message
    assert "left as it was" in message
    assert "old-never-shared" not in message
    assert code == 2 and "Cannot read the tracker store" in out
    assert all_rows(engine) == before
