"""How long conversations are kept, and deleting them (issue 19).

A conversation shared with a therapist is kept while that consent stands. Any
other is deleted once its last event is older than the retention period; one
whose sharing was stopped once both the stop and its last event are. Whether
consent stands, and since when it is withdrawn, is read by the consent module
(transcripts/consent.py) from the stored events, as the export reads it.

`forget_conversation` is the one place that deletes: the purge uses it, and so
will a user's own "delete this conversation".
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import List, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bids_partner.transcripts.consent import State, read_consent
from bids_partner.transcripts.store import EventRow, StoreError, read_conversations

RETENTION_ENV = "RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30
DAY_SECONDS = 86400


class RetentionError(Exception):
    """The retention period is unusable; the message says which setting and why."""


def parse_days(value: str, source: str) -> int:
    """A retention period in whole days, at least one: zero would delete
    conversations still going on."""
    try:
        days = int(value.strip())
    except ValueError:
        raise RetentionError(
            f"{source} must be a whole number of days, not {value.strip()!r}."
        ) from None
    if days < 1:
        raise RetentionError(f"{source} must be at least 1 day, not {days}.")
    return days


def retention_days(env_value: str | None) -> int:
    """RETENTION_DAYS; unset or empty means the default, as for other settings."""
    if env_value is None or not env_value.strip():
        return DEFAULT_RETENTION_DAYS
    return parse_days(env_value, RETENTION_ENV)


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _check_sqlite_file(engine: Engine) -> None:
    # SQLAlchemy would create an empty database where the file is missing.
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, ":memory:"):
        if not Path(url.database).is_file():
            raise StoreError(
                f"No tracker store at {url.database}: nothing was deleted. Check "
                "--db or TRACKER_STORE_URL."
            )


def forget_conversation(
    engine: Engine, sender_id: str, *, seen_up_to: int | None = None
) -> int:
    """Deletes every stored event of one conversation, in one transaction, and
    returns how many: 0 for a conversation the store does not hold.

    With `seen_up_to` (the last row id the caller read) nothing is deleted if the
    conversation has a later row: it went on after it was judged. Raises
    StoreError, having deleted nothing, when the store cannot be reached."""
    _check_sqlite_file(engine)
    delete = "DELETE FROM events WHERE sender_id = :sender"
    if seen_up_to is not None:
        # One statement, so a row added between a check and the delete cannot be
        # deleted unseen.
        delete += (
            " AND NOT EXISTS (SELECT 1 FROM events AS later "
            "WHERE later.sender_id = :sender AND later.id > :seen)"
        )
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table("events"):
                return 0
            result = connection.execute(
                sa.text(delete), {"sender": sender_id, "seen": seen_up_to}
            )
            return max(result.rowcount, 0)
    except SQLAlchemyError as error:
        # The driver's own message: SQLAlchemy's would quote the conversation id.
        reason = str(getattr(error, "orig", None) or "").strip()
        raise StoreError(
            f"Cannot delete from the tracker store at {_where(engine)}: "
            f"{reason.splitlines()[0] if reason else type(error).__name__}. "
            "The conversation was left as it was; check --db or TRACKER_STORE_URL."
        ) from None


class Fate(Enum):
    CONSENTED = "kept: shared with a therapist"
    RECENT = "kept: within the retention period"
    EXPIRED = "deleted: never shared"
    WITHDRAWN = "deleted: sharing stopped"


@dataclass(frozen=True)
class Judged:
    sender_id: str
    events: int
    last_row_id: int
    fate: Fate

    @property
    def expired(self) -> bool:
        return self.fate in (Fate.EXPIRED, Fate.WITHDRAWN)


def judge(sender_id: str, rows: Sequence[EventRow], cutoff: float) -> Judged:
    """What the policy does with one conversation whose events are `rows` (in
    stored order) when everything before `cutoff` (a timestamp) has expired."""
    consent = read_consent(rows)[1]
    times = [row.timestamp for row in rows if row.timestamp is not None]
    if consent.withdrawn_at is not None:
        times.append(consent.withdrawn_at)
    if consent.given:
        fate = Fate.CONSENTED
    elif not times or max(times) >= cutoff:
        fate = Fate.RECENT  # an undated conversation has no age: kept too
    elif consent.state is State.WITHDRAWN:
        fate = Fate.WITHDRAWN
    else:
        fate = Fate.EXPIRED
    return Judged(sender_id, len(rows), max(row.id for row in rows), fate)


@dataclass
class Purge:
    """A purge's plan and, once applied, what it deleted."""

    days: int
    judged: List[Judged]
    deleted: int = 0
    deleted_events: int = 0
    # Expired when read, but written to (or deleted) before the delete: kept.
    went_on: int = 0

    def count(self, fate: Fate) -> int:
        return sum(c.fate is fate for c in self.judged)

    @property
    def expired(self) -> List[Judged]:
        return [c for c in self.judged if c.expired]

    @property
    def expired_events(self) -> int:
        return sum(c.events for c in self.expired)


def plan(
    conversations: Mapping[str, Sequence[EventRow]], days: int, now: float
) -> Purge:
    cutoff = now - days * DAY_SECONDS
    judged = [
        judge(sender, rows, cutoff) for sender, rows in conversations.items() if rows
    ]
    return Purge(days, judged)


def plan_purge(engine: Engine, days: int, now: float | None = None) -> Purge:
    """Reads the store and judges every conversation; changes nothing."""
    return plan(read_conversations(engine), days, time.time() if now is None else now)


def apply_purge(engine: Engine, purge: Purge) -> None:
    """Deletes the expired conversations, one transaction each, counting in
    `purge` as it goes (so a store lost half-way still says what was deleted)."""
    for conversation in purge.expired:
        deleted = forget_conversation(
            engine, conversation.sender_id, seen_up_to=conversation.last_row_id
        )
        if deleted:
            purge.deleted += 1
            purge.deleted_events += deleted
        else:
            purge.went_on += 1
