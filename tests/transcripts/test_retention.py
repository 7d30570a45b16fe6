"""Retention (issue 19): `transcripts purge` and forget_conversation on a SQLite
tracker store written by Rasa's SQLTrackerStore."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any, Dict, List, Set, Tuple

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import BotUttered, Restarted, SlotSet

from bids_partner.contract import CONSENT_SLOT
from bids_partner.transcripts.cli import main
from bids_partner.transcripts.consent import State, read_consent
from bids_partner.transcripts.retention import (
    DEFAULT_RETENTION_DAYS,
    apply_purge,
    forget_conversation,
    plan_purge,
)
from bids_partner.transcripts.store import EventRow, StoreError, read_conversations
from tests.transcripts.test_export import new_session, save, user

DAY = 86400.0
NOW = time.time()
OLD = NOW - 40 * DAY  # past the default 30 days
RECENT = NOW - 5 * DAY


def shared(ts: float) -> List[Any]:
    return [
        user("share this with my therapist", "share_with_therapist", ts),
        SlotSet(CONSENT_SLOT, True, timestamp=ts),
    ]


def stopped(ts: float) -> List[Any]:
    return [
        user("stop sharing", "withdraw_sharing", ts),
        SlotSet(CONSENT_SLOT, False, timestamp=ts),
    ]


CONVERSATIONS: Dict[str, List[Any]] = {
    "old-never-shared": [
        user("my husband Daniel never listens", "criticism", OLD, "partner"),
        BotUttered("That sounds lonely.", timestamp=OLD + 1),
    ],
    "recent-never-shared": [user("he walked out again", "withdrawal", RECENT)],
    "old-still-shared": [
        *shared(OLD - 10 * DAY),
        user("he walked out again", "withdrawal", OLD),
    ],
    "old-sharing-stopped": [*shared(OLD - 10 * DAY), *stopped(OLD)],
    "recently-stopped": [*shared(OLD), *stopped(RECENT)],
    # The consent module's rule: a new session that does not carry the slot over
    # stops sharing.
    "old-session-not-carried": [
        *shared(OLD - 10 * DAY),
        *new_session(OLD),
        user("hi", "greet", OLD + 1),
    ],
}
EXPIRED = {"old-never-shared", "old-sharing-stopped", "old-session-not-carried"}
TEXTS = ("Daniel", "never listens", "walked out", "lonely")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    path = tmp_path / "tracker.db"
    for sender, events in CONVERSATIONS.items():
        save(path, sender, events)
    return path


def url(db: Path) -> str:
    return f"sqlite:///{db}"


def all_rows(db: Path) -> List[Tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute("SELECT * FROM events ORDER BY id").fetchall()


def senders(db: Path) -> Set[str]:
    return {row[1] for row in all_rows(db)}


def rows_of(db: Path, keep: Set[str]) -> List[Tuple[Any, ...]]:
    return [row for row in all_rows(db) if row[1] in keep]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out + captured.err


def assert_nothing_identifying(output: str) -> None:
    for sender in CONVERSATIONS:
        assert sender not in output
    for text in TEXTS:
        assert text not in output


def test_a_dry_run_counts_and_changes_nothing(db, capsys) -> None:
    before = all_rows(db)
    expired_events = len(rows_of(db, EXPIRED))
    code, out = run(capsys, "purge", "--db", url(db))
    assert code == 0, out
    assert all_rows(db) == before
    assert (
        f"Dry run (retention {DEFAULT_RETENTION_DAYS} days): would delete 3 "
        f"conversations ({expired_events} events): 1 never shared, 2 whose sharing "
        "was stopped; "
        "1 kept because shared with a therapist, 2 kept because active in the last "
        "30 days."
    ) in out
    assert_nothing_identifying(out)


def test_apply_deletes_exactly_the_expired_conversations(db, capsys) -> None:
    kept = set(CONVERSATIONS) - EXPIRED
    kept_rows = rows_of(db, kept)
    expired_events = len(rows_of(db, EXPIRED))
    code, out = run(capsys, "purge", "--db", url(db), "--apply")
    assert code == 0, out
    assert senders(db) == kept
    assert all_rows(db) == kept_rows  # the kept ones untouched, row for row
    assert (
        f"Retention 30 days: deleted 3 of 3 expired conversations ({expired_events} "
        "events): 1 never shared, 2 whose sharing was stopped; 1 kept because shared "
        "with a therapist, 2 kept because active in the last 30 days."
    ) in out
    assert_nothing_identifying(out)
    # Nothing left to do: a second run deletes nothing.
    code, out = run(capsys, "purge", "--db", url(db), "--apply")
    assert code == 0 and "deleted 0 of 0 expired conversations" in out
    assert senders(db) == kept


def test_the_period_comes_from_retention_days_and_days_overrides_it(
    db, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("RETENTION_DAYS", "60")
    code, out = run(capsys, "purge", "--db", url(db), "--apply")
    assert code == 0 and "Retention 60 days: deleted 0 of 0 expired" in out
    assert senders(db) == set(CONVERSATIONS)
    code, out = run(capsys, "purge", "--db", url(db), "--apply", "--days", "3")
    assert code == 0, out
    # Only standing consent is kept past 3 days.
    assert senders(db) == {"old-still-shared"}


@pytest.mark.parametrize("value", ["-3", "0", "thirty", "7.5"])
def test_a_bad_retention_days_is_an_error(db, capsys, monkeypatch, value) -> None:
    before = all_rows(db)
    monkeypatch.setenv("RETENTION_DAYS", value)
    code, out = run(capsys, "purge", "--db", url(db), "--apply")
    assert code == 2
    assert "RETENTION_DAYS must be" in out
    assert all_rows(db) == before


@pytest.mark.parametrize("value", ["0", "-1", "x"])
def test_a_bad_days_option_is_an_error(db, capsys, value) -> None:
    before = all_rows(db)
    code, out = run(capsys, "purge", "--db", url(db), "--apply", f"--days={value}")
    assert code == 2 and "--days must be" in out
    assert all_rows(db) == before


def test_an_unreachable_store_is_an_error(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    missing = tmp_path / "missing.db"
    code, out = run(capsys, "purge", "--db", f"sqlite:///{missing}", "--apply")
    assert code == 2 and "No tracker store" in out
    assert not missing.exists()  # nothing created by looking
    code, out = run(
        capsys, "purge", "--db", "postgresql://someone:hunter2@127.0.0.1:1/rasa"
    )
    assert code == 2 and "Cannot read the tracker store" in out
    assert "hunter2" not in out


def test_an_empty_store_has_nothing_to_delete(tmp_path, capsys) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    code, out = run(capsys, "purge", "--db", f"sqlite:///{empty}", "--apply")
    assert code == 0 and "no conversations" in out


def test_a_conversation_that_goes_on_after_it_was_judged_is_kept(db) -> None:
    engine = sa.create_engine(url(db))
    purge = plan_purge(engine, 30)
    assert {c.sender_id for c in purge.expired} == EXPIRED
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, data) "
            "VALUES ('old-never-shared', 'user', ?, '{\"event\": \"user\"}')",
            (time.time(),),
        )
    apply_purge(engine, purge)
    assert (purge.deleted, purge.went_on) == (2, 1)
    assert "old-never-shared" in senders(db)
    assert len(rows_of(db, {"old-never-shared"})) == 3  # old and new rows


def test_forget_deletes_one_conversation_and_nothing_else(db) -> None:
    engine = sa.create_engine(url(db))
    others = rows_of(db, set(CONVERSATIONS) - {"old-still-shared"})
    count = len(rows_of(db, {"old-still-shared"}))
    assert count > 0
    assert forget_conversation(engine, "old-still-shared") == count
    assert all_rows(db) == others
    assert forget_conversation(engine, "old-still-shared") == 0  # twice is fine
    assert forget_conversation(engine, "nobody-by-this-id") == 0
    assert all_rows(db) == others


def test_forget_in_a_store_without_events_table_deletes_nothing(tmp_path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    assert forget_conversation(sa.create_engine(f"sqlite:///{empty}"), "x") == 0


def test_forget_with_the_database_missing(tmp_path) -> None:
    gone = tmp_path / "no-such-folder" / "tracker.db"
    with pytest.raises(StoreError, match="No tracker store at .*nothing was deleted"):
        forget_conversation(sa.create_engine(f"sqlite:///{gone}"), "someone")
    assert not gone.parent.exists()


def test_forget_with_the_database_unavailable_deletes_nothing(db) -> None:
    """A store that fails mid-way (here: locked by another writer) rolls back, and
    the message names neither the conversation nor its words."""
    before = all_rows(db)
    engine = sa.create_engine(url(db), connect_args={"timeout": 0.1})
    with closing(sqlite3.connect(db, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # it may read, not write: fails at DELETE
        with pytest.raises(StoreError) as error:
            forget_conversation(engine, "old-never-shared")
        other.execute("ROLLBACK")
    message = str(error.value)
    assert "Cannot delete from the tracker store" in message
    assert "locked" in message and "left as it was" in message
    assert "old-never-shared" not in message
    assert all_rows(db) == before


def slot(row_id: int, ts: float, value: Any) -> EventRow:
    return EventRow(
        row_id, "s", "slot", ts, {"event": "slot", "name": CONSENT_SLOT, "value": value}
    )


def test_withdrawn_at_is_when_sharing_last_stopped() -> None:
    restart = EventRow(4, "s", "restart", 4.0, Restarted(timestamp=4.0).as_dict())
    rows = [slot(1, 1.0, True), slot(2, 2.0, False)]
    consent = read_consent(rows)[1]
    assert (consent.state, consent.withdrawn_at) == (State.WITHDRAWN, 2.0)
    consent = read_consent([*rows, slot(3, 3.0, True)])[1]
    assert consent.given and consent.withdrawn_at is None
    consent = read_consent([*rows, slot(3, 3.0, True), restart])[1]
    assert (consent.state, consent.withdrawn_at) == (State.WITHDRAWN, 4.0)
    # A second "stop sharing" while stopped: still stopped since the first.
    consent = read_consent([*rows, slot(5, 5.0, False)])[1]
    assert consent.withdrawn_at == 2.0
    assert read_consent([slot(1, 1.0, True)])[1].withdrawn_at is None


def test_withdrawn_at_from_rasas_rows(db) -> None:
    stored = read_conversations(sa.create_engine(url(db)))
    assert read_consent(stored["old-sharing-stopped"])[1].withdrawn_at == OLD
    # Stopped by the session start that did not carry the slot over.
    assert read_consent(stored["old-session-not-carried"])[1].withdrawn_at == OLD
    assert read_consent(stored["recently-stopped"])[1].withdrawn_at == RECENT
    assert read_consent(stored["old-still-shared"])[1].withdrawn_at is None
