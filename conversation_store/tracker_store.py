"""Rasa's SQL tracker store, but strict about reaching its database at start.

Rasa's own SQLTrackerStore logs "Could not create tables" and carries on when the
database is unreachable, and the agent then keeps conversations in memory. For
conversations people expect to find again that is silent data loss, so this store
checks the connection up front and refuses to start with a clear message.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.exceptions import ConnectionException
from sqlalchemy.engine import make_url

from conversation_store.settings import tracker_store_url

logger = logging.getLogger(__name__)

CONNECT_ATTEMPTS = 3
CONNECT_PAUSE_SECONDS = 2.0


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


class StrictSQLTrackerStore(SQLTrackerStore):
    """SQL tracker store on TRACKER_STORE_URL (default: SQLite under var/)."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        url = tracker_store_url()
        check_connection(url)
        # A full URL as host is passed through unchanged by SQLTrackerStore.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        logger.info("Tracker store: %s", describe(url))
