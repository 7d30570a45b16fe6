from __future__ import annotations

import pytest

from channels.socketio import (
    DEFAULT_ORIGINS,
    CheckedSocketIOInput,
    allowed_origins,
)


def test_origins_are_parsed_from_a_comma_separated_list() -> None:
    assert allowed_origins(" http://localhost:8080/ ,http://127.0.0.1:8080,") == [
        "http://localhost:8080",
        "http://127.0.0.1:8080",
    ]
    assert allowed_origins(None) == []


def test_origins_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_ORIGINS", "http://localhost:9000")
    channel = CheckedSocketIOInput.from_credentials({"session_persistence": True})
    assert channel.origins == ["http://localhost:9000"]
    assert channel.session_persistence is True


def test_default_origins_are_the_local_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_ORIGINS", raising=False)
    channel = CheckedSocketIOInput.from_credentials(None)
    assert channel.origins == allowed_origins(DEFAULT_ORIGINS)
