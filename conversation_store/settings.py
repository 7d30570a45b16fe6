"""Reads the store settings from the environment, with the local defaults."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "tracker.db"


def tracker_store_url() -> str:
    """SQLAlchemy URL of the tracker store: TRACKER_STORE_URL, else the SQLite file."""
    url = os.environ.get("TRACKER_STORE_URL", "").strip()
    return url or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def redis_url() -> str | None:
    """URL of the Redis lock store (LOCK_STORE_URL); None keeps locks in memory."""
    url = os.environ.get("LOCK_STORE_URL", "").strip()
    return url or None
