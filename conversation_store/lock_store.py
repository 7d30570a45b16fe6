"""Conversation locks: in memory for one server, Redis when LOCK_STORE_URL is set.

Rasa picks a lock store by the `type` in endpoints.yml; this one picks by
environment so the same endpoints.yml serves one machine and a scaled-out cluster.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.shared.exceptions import ConnectionException
from rasa.utils.endpoints import EndpointConfig

from conversation_store.settings import redis_url

logger = logging.getLogger(__name__)


def redis_lock_store(url: str) -> RedisLockStore:
    """A RedisLockStore for `redis://[user:password@]host:port/db`, checked by ping."""
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 1)
    store = RedisLockStore(
        host=parts.hostname or "localhost",
        port=parts.port or 6379,
        db=db,
        username=parts.username,
        password=parts.password,
        use_ssl=parts.scheme == "rediss",
    )
    try:
        store.red.ping()
    except redis.exceptions.RedisError as error:
        safe = f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}/{db}"
        raise ConnectionException(
            f"Cannot reach the Redis lock store at {safe}: {error}. "
            "Check LOCK_STORE_URL; the server will not start without it."
        ) from error
    return store


class ConfiguredLockStore(LockStore):
    """Delegates to a Redis or in-memory lock store chosen from the environment."""

    def __init__(self, endpoint_config: EndpointConfig | None = None) -> None:
        url = redis_url()
        self._store: LockStore = redis_lock_store(url) if url else InMemoryLockStore()
        logger.info("Lock store: %s", type(self._store).__name__)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return self._store.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self._store.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self._store.save_lock(lock)
