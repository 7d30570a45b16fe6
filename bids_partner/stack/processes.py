"""Background processes with a log file, a readiness check and a clean stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import requests

from bids_partner.private_files import (
    PRIVATE_UMASK,
    private_dir,
    private_open_for_writing,
)


class StartupError(RuntimeError):
    """A process exited or did not become ready in time."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@dataclass
class ManagedProcess:
    name: str
    command: List[str]
    ready_url: str
    log_path: Path
    env: Dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    process: subprocess.Popen | None = None

    def start(self) -> None:
        private_dir(self.log_path.parent)
        log = private_open_for_writing(self.log_path)
        self.process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in the terminal goes to us, not to it
            umask=PRIVATE_UMASK,  # the tracker database it creates, for one
        )
        os.close(log)

    def wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                code = None if self.process is None else self.process.returncode
                raise StartupError(
                    f"{self.name} exited with code {code} before it was ready. "
                    f"Last lines of {self.log_path}:\n{tail(self.log_path)}"
                )
            try:
                if requests.get(self.ready_url, timeout=2).status_code < 500:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise StartupError(
            f"{self.name} was not ready after {timeout:.0f} s. "
            f"Last lines of {self.log_path}:\n{tail(self.log_path)}"
        )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, grace: float = 15.0) -> None:
        """SIGTERM (Rasa and Sanic shut down cleanly on it), then SIGKILL."""
        if not self.running:
            return
        assert self.process is not None
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
