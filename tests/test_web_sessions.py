from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bids_partner.web_sessions import WebSessions, is_web_conversation, stored_secret

SECRET = "s" * 40


def test_an_issued_id_is_recognised_and_ids_differ() -> None:
    sessions = WebSessions(SECRET)
    first, second = sessions.issue(), sessions.issue()
    assert first != second
    assert sessions.is_issued(first) and sessions.is_issued(second)
    assert is_web_conversation(first)


@pytest.mark.parametrize(
    "claimed",
    [None, "", "alice", 7, {"a": 1}, "web-", "web-" + "0" * 32 + "." + "0" * 32],
)
def test_a_client_chosen_id_is_not_issued(claimed: object) -> None:
    assert not WebSessions(SECRET).is_issued(claimed)


def test_an_id_from_another_secret_or_altered_is_refused() -> None:
    issued = WebSessions(SECRET).issue()
    assert not WebSessions("t" * 40).is_issued(issued)
    altered = issued[:-1] + ("0" if issued[-1] != "0" else "1")
    assert not WebSessions(SECRET).is_issued(altered)


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32"):
        WebSessions("short")


def test_the_stored_secret_is_private_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "var" / "web-session.secret"
    secret = stored_secret(path)
    assert len(secret) >= 32
    assert stored_secret(path) == secret
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
