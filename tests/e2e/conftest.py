"""Starts the real stack once per test session: action server, Rasa server, web page.

The model is the one `make test` trained (trained here if missing); the tracker
store is a fresh SQLite file, and Rasa's HTTP API is on with a token so tests can
also check that it refuses requests without one.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests
import sqlalchemy as sa

from bids_partner.stack.stack import Stack, scratch_config
from tests.helpers.browser import ARTIFACTS


class RunningAssistant:
    def __init__(self, stack: Stack, db_path: Path, token: str) -> None:
        self.stack = stack
        self.db_path = db_path
        self.token = token
        self.url = stack.config.rasa_url
        self.engine = sa.create_engine(f"sqlite:///{db_path}")

    def post(self, payload: Any, **kwargs: Any) -> requests.Response:
        return requests.post(
            f"{self.url}/webhooks/rest/webhook", json=payload, timeout=60, **kwargs
        )

    def say(self, sender: str, text: str) -> List[Dict[str, Any]]:
        response = self.post({"sender": sender, "message": text})
        assert response.status_code == 200, response.text
        return response.json()

    def parse(self, text: str) -> Dict[str, Any]:
        """What the running model's NLU makes of `text` (/model/parse)."""
        response = requests.post(
            f"{self.url}/model/parse",
            params={"token": self.token},
            json={"text": text},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def texts(self, sender: str, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(sender, text))

    def stored_events(self, sender: str) -> List[Dict[str, Any]]:
        """(type, intent, action, timestamp) of each stored event, in order."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT type_name, intent_name, action_name, data FROM events "
                    "WHERE sender_id = :sender ORDER BY id"
                ),
                {"sender": sender},
            )
            return [dict(row._mapping) for row in rows]


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    workdir = tmp_path_factory.mktemp("stack")
    db_path = workdir / "tracker.db"
    token = secrets.token_hex(16)
    stack = Stack(
        scratch_config(
            ARTIFACTS / "logs",
            {"TRACKER_STORE_URL": f"sqlite:///{db_path}", "RASA_API_TOKEN": token},
        )
    )
    stack.start()
    try:
        yield RunningAssistant(stack, db_path, token)
    finally:
        stack.stop()
