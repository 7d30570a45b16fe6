"""Rasa's SQL tracker store, strict about reaching its database.

Rasa's own SQLTrackerStore logs "Could not create tables" and carries on when the
database is unreachable at start, and Rasa's agent wraps every store in a
FailSafeTrackerStore that, when the database fails later, answers as if the
conversation were new and keeps it in memory. For conversations people expect to
find again both are silent data loss. This store refuses to start without its
database, turns a failure while running into `ConversationStoreUnavailable` (the
channels answer it with a clear "not saved, try again"), and removes the in-memory
fallback. Pooled connections are checked before use, so it recovers by itself
once the database is back.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Tuple

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import (
    SQLTrackerStore,
    create_engine_kwargs,
)
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import ConnectionException
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import make_url

from bids_partner.contract import FORGOTTEN_RESPONSE
from bids_partner.rasa_plugins.stores.errors import ConversationStoreUnavailable
from bids_partner.rasa_plugins.stores.recent_trackers import RecentTrackers
from bids_partner.settings import tracker_store_url
from bids_partner.transcripts.retention import forget_conversation
from bids_partner.transcripts.store import StoreError

logger = logging.getLogger(__name__)

CONNECT_ATTEMPTS = 3
# On a tracker during its save: how many of its events were stored before.
_STORED_BEFORE = "_bids_stored_before"
CONNECT_PAUSE_SECONDS = 2.0


def forgotten_in_this_turn(tracker: DialogueStateTracker) -> bool:
    """Whether the turn being stored confirmed "delete this conversation"."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if (
            isinstance(event, ActionExecuted)
            and event.action_name == FORGOTTEN_RESPONSE
        ):
            return True
    return False


def describe(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return repr(make_url(url))


def check_connection(url: str, attempts: int = CONNECT_ATTEMPTS) -> None:
    """Raises ConnectionException unless the database answers a trivial query."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url)
    last_error: Exception | None = None
    try:
        for attempt in range(1, attempts + 1):
            try:
                with engine.connect() as connection:
                    connection.execute(sa.text("SELECT 1"))
                return
            except sa.exc.SQLAlchemyError as error:
                last_error = error
                logger.warning(
                    "Tracker store %s not reachable (attempt %d of %d).",
                    describe(url),
                    attempt,
                    attempts,
                )
                if attempt < attempts:
                    time.sleep(CONNECT_PAUSE_SECONDS)
    finally:
        engine.dispose()
    raise ConnectionException(
        f"Cannot reach the tracker store at {describe(url)}: "
        f"{str(getattr(last_error, 'orig', last_error)).strip()}. "
        "Check TRACKER_STORE_URL; "
        "the server will not start without its conversation store."
    )


def bot_reply(sender_id: str, data: Dict[str, Any]) -> Dict[str, Any]:
    """A stored bot event as the REST channel answers it."""
    reply: Dict[str, Any] = {"recipient_id": sender_id}
    if data.get("text"):
        reply["text"] = data["text"]
    extra = data.get("data") or {}
    for key in ("buttons", "image", "custom", "attachment"):
        if extra.get(key):
            reply[key] = extra[key]
    return reply


def event_row(sender_id: str, event: Event) -> Dict[str, Any]:
    """An event as Rasa's SQLTrackerStore stores it: its JSON, and the columns
    Rasa fills from it."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {})
        .get("intent", {})
        .get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


# Rasa's SQLTrackerStore settings that this store does not read: the database is
# named by one SQLAlchemy URL.
UNREAD_SETTINGS = ("dialect", "port", "db", "username", "password", "login_db")


class StrictSQLTrackerStore(SQLTrackerStore):
    """SQL tracker store on the `url` in endpoints.yml, else TRACKER_STORE_URL
    (default: SQLite under var/)."""

    # Used as it is by the agent (bids_partner.patches.no_memory_fallback).
    keeps_no_memory_fallback = True

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        unread = sorted(set(kwargs) & set(UNREAD_SETTINGS))
        if unread:
            raise ValueError(
                f"StrictSQLTrackerStore does not read {', '.join(unread)}: give the "
                "database as one SQLAlchemy URL, `url:` in endpoints.yml or "
                "TRACKER_STORE_URL."
            )
        self.recent = RecentTrackers()
        # Rasa passes endpoints.yml's `url` as `host`.
        url = (host or "").strip() or tracker_store_url()
        check_connection(url)
        # A full URL as host is passed through unchanged by SQLTrackerStore.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        # Same engine, but a pooled connection is tested before use: after a
        # database restart the first turn then reconnects instead of failing.
        self.engine.dispose()
        self.engine = sa.create_engine(
            url, pool_pre_ping=True, **create_engine_kwargs(url)
        )
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        self.description = describe(url)
        logger.info("Tracker store: %s", self.description)

    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Domain | None) -> None:
        # A new model's domain: kept trackers were built with the old slots.
        self._domain = domain or Domain.empty()
        self.recent.clear()

    def _unavailable(self, error: Exception) -> ConversationStoreUnavailable:
        # The driver's message can quote the SQL and its parameters (message text).
        logger.error(
            "Tracker store %s failed: %s", self.description, type(error).__name__
        )
        return ConversationStoreUnavailable(
            f"The conversation store at {self.description} is unavailable."
        )

    def _last_event_id(self, session: sa.orm.Session, sender_id: str) -> int | None:
        return (
            session.query(sa.func.max(self.SQLEvent.id))
            .filter(self.SQLEvent.sender_id == sender_id)
            .scalar()
        )

    def _additional_events(
        self, session: sa.orm.Session, tracker: DialogueStateTracker
    ) -> Iterator[Event]:
        """The events to store: Rasa's count of the session's stored events is a
        query that grows with the conversation (6 ms at 2,000 events), so a
        tracker kept after its last save, with nothing stored since, gives the
        number instead."""
        known = self.recent.stored_events(tracker)
        if known is None or self._last_event_id(session, tracker.sender_id) != known[1]:
            return super()._additional_events(session, tracker)
        tracker.__dict__[_STORED_BEFORE] = known[0]
        return itertools.islice(tracker.events, known[0], len(tracker.events))

    def _stored_now(
        self, session: sa.orm.Session, tracker: DialogueStateTracker
    ) -> int:
        """How many events of the tracker's session the database holds after a
        save: counted, unless the save started from a known number and stored no
        new session start (after one, the session is the new one)."""
        before = tracker.__dict__.pop(_STORED_BEFORE, None)
        if before is not None and not any(
            isinstance(event, SessionStarted)
            for event in itertools.islice(tracker.events, before, None)
        ):
            return len(tracker.events)
        return self._event_query(
            session, tracker.sender_id, fetch_events_from_all_sessions=False
        ).count()

    def _keep_as_stored(
        self, tracker: DialogueStateTracker, stored: int, last_event_id: int | None
    ) -> None:
        """Keeps what reading the database gives: the tracker itself, or for a
        session that has just started, a tracker of the session's events.

        Rasa's save stores the events after as many as it counts since the
        session's start in the database, which leaves out `action_session_start`
        and earlier sessions; a tracker that still holds them would be saved
        twice over. The events from the session's start are replayed instead,
        as reading them back would (the first turn of every conversation);
        anything else is read back from the database next time.
        """
        kept = (
            tracker
            if stored == len(tracker.events)
            else self._session_read_back(tracker, stored)
        )
        if kept is None:
            self.recent.forget(tracker.sender_id)
            return
        self.recent.keep(kept, last_event_id, counted=True)

    def _session_read_back(
        self, tracker: DialogueStateTracker, stored: int
    ) -> DialogueStateTracker | None:
        """The tracker reading the database gives when it counts `stored` events
        of the session and they are the tracker's last ones from its newest
        `session_started` on; None when they are not."""
        if not 0 < stored < len(tracker.events):
            return None
        session_events = list(
            itertools.islice(tracker.events, len(tracker.events) - stored, None)
        )
        if not isinstance(session_events[0], SessionStarted) or any(
            isinstance(event, SessionStarted) for event in session_events[1:]
        ):
            return None
        # Through JSON, as the rows are stored and read.
        return DialogueStateTracker.from_dict(
            tracker.sender_id,
            [json.loads(json.dumps(event.as_dict())) for event in session_events],
            self.domain.slots,
        )

    async def create_tracker(
        self, sender_id: str, append_action_listen: bool = True
    ) -> DialogueStateTracker:
        """A new conversation's tracker, saved only if it has an event: Rasa saves
        it at once, empty as the processor asks for it, which on the first turn
        of every conversation is a database session that stores nothing."""
        tracker = self.init_tracker(sender_id)
        if append_action_listen:
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
            await self.save(tracker)
        return tracker

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        try:
            with self.session_scope() as session:
                last_event_id = self._last_event_id(session, sender_id)
            if last_event_id is None:  # nothing stored: a new conversation
                return None
            tracker = self.recent.get(sender_id, last_event_id)
            if tracker is None:
                tracker = await super().retrieve(sender_id)
                self.recent.keep(tracker, last_event_id)
            return tracker
        except sa.exc.SQLAlchemyError as error:
            raise self._unavailable(error) from None

    async def retrieve_full_tracker(
        self, conversation_id: str
    ) -> DialogueStateTracker | None:
        try:
            return await super().retrieve_full_tracker(conversation_id)
        except sa.exc.SQLAlchemyError as error:
            raise self._unavailable(error) from None

    async def save(self, tracker: DialogueStateTracker) -> None:
        if forgotten_in_this_turn(tracker):
            self._forget(tracker.sender_id)
            return
        tracker.__dict__.pop(_STORED_BEFORE, None)  # left by a failed save
        try:
            stored, last_event_id = await self._store(tracker)
        except sa.exc.SQLAlchemyError as error:
            self.recent.forget(tracker.sender_id)
            raise self._unavailable(error) from None
        self._keep_as_stored(tracker, stored, last_event_id)

    async def _store(self, tracker: DialogueStateTracker) -> Tuple[int, int | None]:
        """Rasa's save, the new events inserted by one statement where Rasa adds
        an ORM object per event (a later turn's save, in one process on SQLite:
        3.4 -> 2.9 ms). Returns what the next read will find, (events of the
        session, last event id), read in the same transaction after the insert:
        a second database session for them cost a connection on every turn."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [
                event_row(tracker.sender_id, event)
                for event in self._additional_events(session, tracker)
            ]
            if rows:
                session.execute(sa.insert(self.SQLEvent.__table__), rows)
            stored = self._stored_now(session, tracker)
            last_event_id = self._last_event_id(session, tracker.sender_id)
            session.commit()
        return stored, last_event_id

    def _forget(self, sender_id: str) -> None:
        """Deletes the conversation instead of storing its turn: the user asked
        and confirmed. Runs under the conversation's lock, as every save does."""
        self.recent.forget(sender_id)
        try:
            deleted = forget_conversation(self.engine, sender_id)
        except StoreError as error:
            raise self._unavailable(error) from None
        logger.info(
            "Deleted a conversation at its user's request (%d events).", deleted
        )

    def replies_to(
        self, sender_id: str, message_id: str
    ) -> List[Dict[str, Any]] | None:
        """The bot's replies to a stored user message, or None if it is not stored.

        A client that retries a message (same message id) after a lost answer gets
        these instead of the turn played twice."""
        try:
            with self.session_scope() as session:
                events = self._event_query(
                    session, sender_id, fetch_events_from_all_sessions=True
                ).filter(self.SQLEvent.type_name.in_(("user", "bot")))
                # Only user rows that mention the id are parsed, then only the rows
                # after the one that is it: not the whole conversation per request.
                candidates = events.filter(
                    self.SQLEvent.type_name == "user",
                    self.SQLEvent.data.contains(message_id, autoescape=True),
                )
                stored = next(
                    (
                        row
                        for row in candidates
                        if json.loads(row.data).get("message_id") == message_id
                    ),
                    None,
                )
                if stored is None:
                    return None
                replies: List[Dict[str, Any]] = []
                for row in events.filter(self.SQLEvent.id > stored.id).yield_per(32):
                    if row.type_name == "user":
                        break
                    replies.append(bot_reply(sender_id, json.loads(row.data)))
                return replies
        except sa.exc.SQLAlchemyError as error:
            raise self._unavailable(error) from None

    async def keys(self) -> Iterable[str]:
        try:
            return await super().keys()
        except sa.exc.SQLAlchemyError as error:
            raise self._unavailable(error) from None
