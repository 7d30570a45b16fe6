"""Reads conversations from Rasa's SQL tracker store (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bids_partner.settings import tracker_store_url


class StoreError(Exception):
    """The tracker store cannot be read; the message says what to check."""


@dataclass(frozen=True)
class EventRow:
    id: int
    sender_id: str
    type_name: str
    timestamp: float
    # None when the row's JSON is unreadable; `error` then says why.
    data: Dict[str, Any] | None
    error: str | None = None


def store_url(option: str | None) -> str:
    return option or tracker_store_url()


def masked(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<not a database URL>"


def connect(url: str) -> Engine:
    """An engine for the store, checked: a missing SQLite file is an error here
    (SQLAlchemy would create an empty one), and so is a database that does not
    answer."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreError(f"{url!r} is not a database URL ({error})") from error
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not parsed.database or not path.is_file():
            raise StoreError(
                f"No tracker store at {path}: check --db or TRACKER_STORE_URL."
            )
    try:
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except (SQLAlchemyError, ImportError) as error:
        reason = getattr(error, "orig", None) or error
        raise StoreError(
            f"Cannot read the tracker store at {masked(url)}: {reason}. "
            "Check --db or TRACKER_STORE_URL."
        ) from error
    return engine


def _row(row: Any) -> EventRow:
    try:
        data = json.loads(row.data)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return EventRow(row.id, row.sender_id, row.type_name, row.timestamp, data)
    except (TypeError, ValueError) as error:
        return EventRow(
            row.id, row.sender_id, row.type_name, row.timestamp or 0.0, None, str(error)
        )


def read_conversations(engine: Engine) -> Dict[str, List[EventRow]]:
    """Every conversation's events in the order they were stored."""
    if not sa.inspect(engine).has_table("events"):
        return {}
    conversations: Dict[str, List[EventRow]] = defaultdict(list)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT id, sender_id, type_name, timestamp, data FROM events "
                "ORDER BY sender_id, id"
            )
        )
        for row in rows:
            conversations[row.sender_id].append(_row(row))
    return dict(conversations)
