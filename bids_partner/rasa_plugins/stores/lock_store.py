"""Conversation locks: in memory for one server, Redis when LOCK_STORE_URL is set.

Rasa picks a lock store by the `type` in endpoints.yml; this one picks by
environment so the same endpoints.yml serves one machine and a scaled-out cluster.

Rasa's RedisLockStore changes a conversation's ticket lock by reading it, changing
it in Python and writing it back. Within one server that cannot interleave, but two
servers taking turns of the same conversation at once can both be served at once,
and then the SQL tracker store drops one turn's events (RasaHQ/rasa#9213; the
upstream fix was reverted). `AtomicRedisLockStore` makes each of those changes
atomic with a short Redis mutex (redis-py's Lock).
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager, contextmanager
from typing import AsyncContextManager, AsyncIterator, Iterator
from urllib.parse import urlsplit

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)
from rasa.shared.exceptions import ConnectionException
from rasa.utils.endpoints import EndpointConfig

from bids_partner.rasa_plugins.stores.errors import ConversationStoreUnavailable
from bids_partner.settings import redis_url

logger = logging.getLogger(__name__)


# A change of a ticket lock takes a millisecond; waiting for the mutex blocks the
# server's event loop, so it polls often and gives up rather than hang.
MUTEX_SECONDS = 5.0
MUTEX_POLL_SECONDS = 0.002


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose read-change-write steps hold a per-conversation mutex."""

    @contextmanager
    def _mutex(self, conversation_id: str) -> Iterator[None]:
        with self.red.lock(
            f"{self.key_prefix}{conversation_id}:mutex",
            timeout=MUTEX_SECONDS,
            sleep=MUTEX_POLL_SECONDS,
            blocking_timeout=MUTEX_SECONDS,
        ):
            yield

    def issue_ticket(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME
    ) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # finish_serving and the delete-if-nobody-waits check, as one step.
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        """Rasa's ticket protocol; Redis unreachable means "not saved, try again"."""
        try:
            ticket = self.issue_ticket(conversation_id, lock_lifetime)
        except (redis.exceptions.RedisError, LockError) as error:
            raise self._unavailable(error) from None
        try:
            try:
                held = await self._acquire_lock(
                    conversation_id, ticket, wait_time_in_seconds
                )
            except (redis.exceptions.RedisError, LockError) as error:
                raise self._unavailable(error) from None
            yield held
        finally:
            try:
                self.cleanup(conversation_id, ticket)
            except redis.exceptions.RedisError as error:
                # The turn is done and stored; the ticket expires on its own.
                logger.error("Could not release a conversation lock: %r", error)

    @staticmethod
    def _unavailable(error: Exception) -> ConversationStoreUnavailable:
        logger.error("Redis lock store failed: %s", type(error).__name__)
        return ConversationStoreUnavailable("The Redis lock store is unavailable.")


def redis_lock_store(url: str) -> AtomicRedisLockStore:
    """An AtomicRedisLockStore for `redis://[user:password@]host:port/db`, pinged."""
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 1)
    store = AtomicRedisLockStore(
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

    def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncContextManager[TicketLock]:
        # The whole protocol runs on the chosen store, with its own steps.
        return self._store.lock(conversation_id, lock_lifetime, wait_time_in_seconds)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return self._store.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self._store.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self._store.save_lock(lock)
