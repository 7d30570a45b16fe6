"""The Rasa server refuses to start when its conversation store is unreachable."""

from pathlib import Path

import pytest

from bids_partner.stack.processes import StartupError
from bids_partner.stack.stack import Stack, scratch_config

pytestmark = pytest.mark.stack


@pytest.mark.parametrize(
    "env, variable",
    [
        (
            {"TRACKER_STORE_URL": "postgresql://rasa:pw@127.0.0.1:1/rasa"},
            "TRACKER_STORE_URL",
        ),
        ({"LOCK_STORE_URL": "redis://127.0.0.1:1/1"}, "LOCK_STORE_URL"),
    ],
)
def test_rasa_server_fails_at_start_with_a_clear_message(
    tmp_path: Path, env: dict, variable: str
) -> None:
    env = {"TRACKER_STORE_URL": f"sqlite:///{tmp_path}/t.db", **env}
    rasa = Stack(scratch_config(tmp_path, env)).rasa
    rasa.start()
    try:
        with pytest.raises(StartupError, match="exited"):
            rasa.wait_until_ready(180)
    finally:
        rasa.stop()
    log = (tmp_path / "rasa.log").read_text()
    assert variable in log and "will not start" in log
    assert "pw@" not in log  # no password in the log
