"""The running assistant: action server, Rasa server and web page, in that order."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

from bids_partner.settings import (
    LOG_DIR,
    QUIET_ENV,
    ROOT,
    SERVER_BACKLOG,
    TICKET_LOCK_LIFETIME,
    VAR_DIR,
    VENV_BIN,
)
from bids_partner.stack.action_server import (
    BindingError,
    action_host,
    binding,
    url_host,
)
from bids_partner.stack.model import ensure_model
from bids_partner.stack.processes import ManagedProcess, StartupError, free_port
from bids_partner.web_sessions import SECRET_ENV, stored_secret


@dataclass
class StackConfig:
    model: Path
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8080
    host: str = "127.0.0.1"
    log_dir: Path = LOG_DIR
    # Extra environment for the servers (tracker store URL, API secrets, ...).
    env: Dict[str, str] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://localhost:{self.web_port}"

    @property
    def web_origins(self) -> List[str]:
        return [
            f"http://localhost:{self.web_port}",
            f"http://127.0.0.1:{self.web_port}",
        ]


def scratch_config(log_dir: Path, env: Dict[str, str]) -> StackConfig:
    """A stack on free local ports with the trained model, logging to `log_dir`:
    for tests and benchmarks that run beside a stack someone else started."""
    return StackConfig(
        model=ensure_model(),
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=free_port(),
        log_dir=log_dir,
        env=env,
    )


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        env = {**QUIET_ENV, **config.env}
        # The action server listens on ACTION_HOST (127.0.0.1 by default); the
        # Rasa server sends ACTION_SECRET, empty when unset (endpoints.yml).
        self.action_host = action_host({**os.environ, **env})
        env["ACTION_HOST"] = self.action_host
        env.setdefault("ACTION_SECRET", os.environ.get("ACTION_SECRET", ""))
        self.action_url = (
            f"http://{url_host(self.action_host, config.host)}:{config.action_port}"
        )
        env["ACTION_ENDPOINT_URL"] = f"{self.action_url}/webhook"
        env.setdefault("SANIC_BACKLOG", os.environ.get("SANIC_BACKLOG", SERVER_BACKLOG))
        env.setdefault(
            "TICKET_LOCK_LIFETIME",
            os.environ.get("TICKET_LOCK_LIFETIME", TICKET_LOCK_LIFETIME),
        )
        # The socket.io channel accepts the chat page's origins only.
        env["WEB_ORIGINS"] = ",".join(config.web_origins)
        # Web conversation ids are signed; every Rasa server of a deployment needs
        # the same key, and it outlives a restart.
        env.setdefault(
            SECRET_ENV,
            os.environ.get(SECRET_ENV) or stored_secret(VAR_DIR / "web-session.secret"),
        )
        merged = {**os.environ, **env}
        self.env = merged
        self.actions = ManagedProcess(
            name="action server",
            command=[
                str(VENV_BIN / "python"),
                "-m",
                "bids_partner.stack.action_server",
                "--actions",
                "actions",
                "--port",
                str(config.action_port),
            ],
            ready_url=f"{self.action_url}/health",
            log_path=config.log_dir / "actions.log",
            env=env,
            cwd=ROOT,
        )
        self.rasa = ManagedProcess(
            name="Rasa server",
            # The API's secret comes from the environment (rasa_server.py).
            command=[
                str(VENV_BIN / "python"),
                "-m",
                "bids_partner.stack.rasa_server",
                "run",
                "--model",
                str(config.model),
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
                "--interface",
                config.host,
                "--port",
                str(config.rasa_port),
                "--cors",
                *config.web_origins,
            ],
            ready_url=f"{config.rasa_url}/",
            log_path=config.log_dir / "rasa.log",
            env=env,
            cwd=ROOT,
        )
        self.web = ManagedProcess(
            name="web page",
            command=[
                sys.executable,
                "-m",
                "bids_partner.stack.web_server",
                "--port",
                str(config.web_port),
                "--bind",
                config.host,
                "--rasa-url",
                config.rasa_url,
            ],
            ready_url=f"http://127.0.0.1:{config.web_port}/",
            log_path=config.log_dir / "web.log",
        )
        self.processes: List[ManagedProcess] = [self.actions, self.rasa, self.web]

    def start(self, rasa_timeout: float = 300.0) -> None:
        try:
            binding(self.env)  # the action server refuses too; say so before
        except BindingError as error:
            raise StartupError(str(error)) from error
        try:
            self.actions.start()
            self.rasa.start()  # loads the model while the action server comes up
            self.web.start()
            self.actions.wait_until_ready(60)
            self.web.wait_until_ready(30)
            self.rasa.wait_until_ready(rasa_timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()

    def dead(self) -> ManagedProcess | None:
        return next((p for p in self.processes if not p.running), None)
