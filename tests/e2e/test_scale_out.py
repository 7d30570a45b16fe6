"""Two Rasa servers (each with its own action server) sharing one PostgreSQL tracker
store and a Redis lock store, as the README's scale-out configuration describes:
one conversation alternating between them, turns sent to both at once, and the
database stopped and restarted under them."""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List

import pytest
import requests
import sqlalchemy as sa

from bids_partner.rasa_plugins.channels.message_checks import STORE_DOWN_REASON
from bids_partner.stack.processes import ManagedProcess
from bids_partner.stack.stack import Stack, scratch_config
from tests.helpers.browser import ARTIFACTS
from tests.helpers.rehearsal_script import REPLIES, SCENARIOS, TEXTS, button, partner
from tests.helpers.services import LocalPostgres, local_redis

pytestmark = [pytest.mark.stack, pytest.mark.services]

LOGS = ARTIFACTS / "logs" / "scale-out"


@dataclass
class Cluster:
    postgres: LocalPostgres
    redis: ManagedProcess
    stacks: List[Stack]
    engine: sa.engine.Engine

    def post(self, server: int, sender: str, text: str) -> requests.Response:
        return requests.post(
            f"{self.stacks[server].config.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=120,
        )

    def say(self, server: int, sender: str, text: str) -> str:
        response = self.post(server, sender, text)
        assert response.status_code == 200, response.text
        return "\n".join(m.get("text", "") for m in response.json())

    def events(self, sender: str) -> List[Dict[str, Any]]:
        """Each stored event of the conversation, in stored order, with its row id."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT id, type_name, data FROM events "
                    "WHERE sender_id = :sender ORDER BY id"
                ),
                {"sender": sender},
            )
            return [
                {"id": row.id, "type": row.type_name, **json.loads(row.data)}
                for row in rows
            ]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    postgres = LocalPostgres()
    postgres.create()
    redis_server, redis_url = local_redis(LOGS)
    env = {"TRACKER_STORE_URL": postgres.url, "LOCK_STORE_URL": redis_url}
    stacks = [Stack(scratch_config(LOGS / f"server-{n}", env)) for n in (1, 2)]
    try:
        for stack in stacks:  # one after the other: both would create the tables
            stack.start()
        yield Cluster(postgres, redis_server, stacks, postgres.engine())
    finally:
        for stack in stacks:
            stack.stop()
        redis_server.stop()
        postgres.remove()


def sender() -> str:
    return f"cluster-{uuid.uuid4().hex[:10]}"


def user_texts(events: List[Dict[str, Any]]) -> List[str]:
    return [event["text"] for event in events if event["event"] == "user"]


def assert_stored_once_in_order(events: List[Dict[str, Any]]) -> None:
    """No event twice; each turn whole (user ... action_listen) before the next."""
    without_ids = [json.dumps({**e, "id": None}, sort_keys=True) for e in events]
    assert len(set(without_ids)) == len(without_ids), "an event was stored twice"
    stamps = [event["timestamp"] for event in events]
    assert stamps == sorted(stamps), "stored order differs from the order of events"
    assert [e["event"] for e in events].count("session_started") == 1
    turn: List[str] = []
    first_user = next(n for n, e in enumerate(events) if e["event"] == "user")
    for event in events[first_user:]:
        if event["event"] == "user" and turn:
            assert turn[-1] == "action_listen", f"turn cut short: {turn}"
            assert "bot" in turn, f"a turn without a reply: {turn}"
        turn = [] if event["event"] == "user" else turn
        turn.append(event.get("name") or event["event"])
    assert turn[-1] == "action_listen"


def test_a_conversation_alternating_between_two_servers(cluster: Cluster) -> None:
    scenario_id = "partner_cries"
    scenario = SCENARIOS[scenario_id]
    who = sender()
    script = ["can we practise?", button(scenario_id), "/affirm"]
    script += [REPLIES[k] for k in ("against", "away", "toward", "toward_again")]
    replies = [cluster.say(n % 2, who, text) for n, text in enumerate(script)]

    assert replies[0].startswith(TEXTS.choose_scenario)
    assert scenario.setup in replies[1]
    assert replies[2] == partner(scenario_id, scenario.opening)
    # Each reply is answered with one of the partner's lines for its kind (which
    # one depends on what it said: tests/e2e/test_rehearsal.py).
    for reply, kind in zip(replies[3:6], ("against", "away", "toward")):
        lines = [x.line for x in scenario.replies[kind].partner]
        assert any(reply.endswith(partner(scenario_id, line)) for line in lines), (
            kind,
            reply,
        )
    assert partner(scenario_id, scenario.ending.resolved) in replies[6]
    assert TEXTS.summary.heading in replies[6]

    events = cluster.events(who)
    assert user_texts(events) == script
    assert_stored_once_in_order(events)


def test_turns_sent_to_both_servers_at_once_are_taken_one_at_a_time(
    cluster: Cluster,
) -> None:
    who = sender()
    cluster.say(0, who, "hi")
    texts = [f"he never listens to me, time {n}" for n in range(10)]
    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        responses = list(
            pool.map(lambda n: cluster.post(n % 2, who, texts[n]), range(len(texts)))
        )
    assert [r.status_code for r in responses] == [200] * len(texts)
    assert all(r.json() for r in responses), "a message got no reply"
    events = cluster.events(who)
    assert sorted(user_texts(events)) == sorted(["hi", *texts])
    assert_stored_once_in_order(events)


def refused_while_down(cluster: Cluster, sender_id: str) -> None:
    """Each server refuses the conversation's next message, and a new one's."""
    for server in (0, 1):
        response = cluster.post(server, sender_id, "are you still there?")
        assert response.status_code == 503
        assert response.json() == {"error": STORE_DOWN_REASON}
        assert int(response.headers["Retry-After"]) > 0
        # No silent fallback: a brand-new conversation is refused too.
        assert cluster.post(server, sender(), "hi").status_code == 503
    assert all(stack.rasa.running for stack in cluster.stacks)


def test_redis_stopped_and_restarted(cluster: Cluster) -> None:
    who = sender()
    cluster.say(0, who, "hi")
    before = cluster.events(who)
    cluster.redis.stop()
    try:
        refused_while_down(cluster, who)
    finally:
        cluster.redis.start()
    # The restarted Redis has no locks: the conversation goes on where it was.
    for attempt in range(50):
        response = cluster.post(attempt % 2, who, "he never listens to me")
        if response.status_code == 200:
            break
        time.sleep(0.2)  # until Redis answers again
    assert response.status_code == 200 and response.json()
    events = cluster.events(who)
    assert events[: len(before)] == before
    assert user_texts(events) == ["hi", "he never listens to me"]
    assert_stored_once_in_order(events)


def test_a_forget_while_the_database_is_down_deletes_nothing(cluster: Cluster) -> None:
    who = sender()
    cluster.say(0, who, "my husband walks out whenever I cry")
    assert "Delete this whole conversation?" in cluster.say(
        0, who, "please delete this whole conversation"
    )
    before = cluster.events(who)
    cluster.postgres.stop()
    try:
        refused = cluster.post(1, who, "/affirm")
        assert refused.status_code == 503
        assert refused.json() == {"error": STORE_DOWN_REASON}
    finally:
        cluster.postgres.start()
    assert cluster.events(who) == before
    # Once it is back, the same confirmation deletes it.
    assert "deleted from the server" in cluster.say(1, who, "/affirm")
    assert cluster.events(who) == []


def test_the_database_stopped_and_restarted(cluster: Cluster) -> None:
    who = sender()
    cluster.say(0, who, "hi")
    cluster.say(1, who, "my husband walks out whenever I cry")
    before = cluster.events(who)

    cluster.postgres.stop()
    try:
        refused_while_down(cluster, who)
    finally:
        cluster.postgres.start()

    reply = cluster.say(1, who, "he never listens to me")
    assert reply
    reply = cluster.say(0, who, "thanks")
    events = cluster.events(who)
    assert events[: len(before)] == before  # what was stored is untouched
    assert user_texts(events) == [
        "hi",
        "my husband walks out whenever I cry",
        "he never listens to me",
        "thanks",
    ]  # the refused messages were not half-stored either
    assert_stored_once_in_order(events)
