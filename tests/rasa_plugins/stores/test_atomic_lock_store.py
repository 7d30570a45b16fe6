"""Ticket locks shared by several servers through a real Redis (`make services`)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Iterator, List

import pytest
from rasa.core.lock_store import RedisLockStore

from bids_partner.rasa_plugins.stores.lock_store import (
    AtomicRedisLockStore,
    redis_lock_store,
)
from tests.helpers.services import local_redis

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server, url = local_redis(tmp_path_factory.mktemp("redis"))
    try:
        yield url
    finally:
        server.stop()


def tickets_from_many_servers(
    stores: List[RedisLockStore], conversation: str
) -> List[int]:
    """Tickets for one conversation, asked for by every store at once, 50 times."""
    with ThreadPoolExecutor(max_workers=len(stores)) as pool:
        return [
            ticket
            for _ in range(50)
            for ticket in pool.map(lambda s: s.issue_ticket(conversation), stores)
        ]


def test_every_server_gets_its_own_ticket(redis_url: str) -> None:
    stores = [redis_lock_store(redis_url) for _ in range(4)]
    assert all(isinstance(store, AtomicRedisLockStore) for store in stores)
    tickets = tickets_from_many_servers(stores, "atomic")
    assert len(set(tickets)) == len(tickets) == 200
    lock = stores[0].get_lock("atomic")
    assert lock is not None and len(lock.tickets) == 200  # none overwritten


def test_a_served_ticket_is_cleaned_up(redis_url: str) -> None:
    store = redis_lock_store(redis_url)
    ticket = store.issue_ticket("alone")
    store.cleanup("alone", ticket)
    assert store.get_lock("alone") is None
