"""The action server as the stack starts it: on 127.0.0.1 unless ACTION_HOST says
otherwise, and then only with a secret it checks on each call from Rasa."""

from __future__ import annotations

import asyncio
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Set

import pytest
import requests
from rasa.utils.endpoints import ClientResponseError, read_endpoint_config

from bids_partner.settings import ROOT
from bids_partner.stack.action_server import SECRET_HEADER
from bids_partner.stack.processes import StartupError
from bids_partner.stack.stack import Stack, scratch_config

pytestmark = pytest.mark.stack

SECRET = "e2e-action-secret-0123456789"


@pytest.fixture(autouse=True)
def no_action_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test says where the server listens; the caller's shell does not."""
    monkeypatch.delenv("ACTION_HOST", raising=False)
    monkeypatch.delenv("ACTION_SECRET", raising=False)


def listening(port: int) -> Set[str]:
    """The local addresses of the sockets listening on `port` (as `ss` shows)."""
    shown = subprocess.run(
        ["ss", "-ltnH", f"sport = :{port}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line.split()[3] for line in shown.splitlines() if line.strip()}


@contextmanager
def action_server(tmp_path: Path, env: Dict[str, str]) -> Iterator[Stack]:
    """The stack's action server alone, started with the stack's command."""
    stack = Stack(scratch_config(tmp_path, env))
    stack.actions.start()
    try:
        stack.actions.wait_until_ready(60)
        yield stack
    finally:
        stack.actions.stop()


def test_the_action_server_listens_on_loopback_only(tmp_path: Path) -> None:
    with action_server(tmp_path, {}) as stack:
        port = stack.config.action_port
        assert listening(port) == {f"127.0.0.1:{port}"}


def test_another_address_without_a_secret_is_refused(tmp_path: Path) -> None:
    stack = Stack(scratch_config(tmp_path, {"ACTION_HOST": "0.0.0.0"}))
    with pytest.raises(StartupError, match="ACTION_SECRET"):
        stack.start()
    assert not any(process.running for process in stack.processes)
    # Started on its own (as bench-startup does), it refuses as well.
    stack.actions.start()
    try:
        with pytest.raises(StartupError, match="exited"):
            stack.actions.wait_until_ready(60)
    finally:
        stack.actions.stop()
    assert "ACTION_SECRET" in (tmp_path / "actions.log").read_text()


async def list_actions(url: str, secret: str) -> object:
    """A call from Rasa's own client configured by endpoints.yml."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ACTION_ENDPOINT_URL", url)
        env.setenv("ACTION_SECRET", secret)
        endpoint = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
    assert endpoint is not None
    return await endpoint.request(method="get", subpath="actions")


def test_on_another_address_only_calls_with_the_secret_are_answered(
    tmp_path: Path,
) -> None:
    env = {"ACTION_HOST": "0.0.0.0", "ACTION_SECRET": SECRET}
    with action_server(tmp_path, env) as stack:
        port, url = stack.config.action_port, stack.action_url
        assert listening(port) == {f"0.0.0.0:{port}"}
        assert requests.get(f"{url}/health", timeout=10).status_code == 200
        assert requests.get(f"{url}/actions", timeout=10).status_code == 401
        wrong = {SECRET_HEADER: SECRET + "x"}
        assert (
            requests.post(f"{url}/webhook", json={}, headers=wrong).status_code == 401
        )
        assert asyncio.run(list_actions(url, SECRET))
        with pytest.raises(ClientResponseError) as refused:
            asyncio.run(list_actions(url, "another-secret-0123456789"))
        assert refused.value.status == 401
