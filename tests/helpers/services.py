"""Throwaway PostgreSQL and Redis servers for the scale-out and fault tests.

Debian's packages (`make services` installs them) run from a temporary folder on
free ports, so the tests never touch a database someone else uses. PostgreSQL
refuses to run as root, so as root its commands run as the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import List, Tuple

import redis
import sqlalchemy as sa

from bids_partner.stack.processes import ManagedProcess, free_port


class ServiceMissing(RuntimeError):
    pass


def postgres_bin(tool: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))
    if not found:
        raise ServiceMissing(
            f"PostgreSQL's {tool} not found: run `make services` (Debian packages)."
        )
    return found[-1]


class LocalPostgres:
    """A private cluster with a superuser `rasa` (trust auth) and a database `rasa`."""

    def __init__(self) -> None:
        # Its own folder right under /tmp: a root-only pytest folder would not
        # let the postgres user in.
        self.folder = Path(tempfile.mkdtemp(prefix="bids-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.log = self.folder / "postgres.log"
        self.url = f"postgresql://rasa@127.0.0.1:{self.port}/rasa"

    def _run(self, command: List[str]) -> None:
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(
                f"{command[-1]} failed: {done.stderr.strip()} (log: {self.log})"
            )

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            [
                postgres_bin("initdb"),
                "-D",
                str(self.data),
                "-U",
                "rasa",
                "--auth=trust",
                "--no-sync",
            ]
        )
        self.start()
        self._run(
            [
                postgres_bin("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "rasa",
                "rasa",
            ]
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run(
            [
                postgres_bin("pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                "start",
            ]
        )

    def stop(self) -> None:
        self._run(
            [postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
        )

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def engine(self) -> sa.engine.Engine:
        return sa.create_engine(self.url, pool_pre_ping=True)


def local_redis(folder: Path) -> Tuple[ManagedProcess, str]:
    """A Redis server without persistence, and its URL."""
    server = shutil.which("redis-server")
    if server is None:
        raise ServiceMissing("redis-server not found: run `make services`.")
    port = free_port()
    process = ManagedProcess(
        name="redis",
        command=[server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        ready_url="",
        log_path=folder / "redis.log",
    )
    process.start()
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.ping()
            return process, f"redis://127.0.0.1:{port}/1"
        except redis.exceptions.ConnectionError:
            if not process.running or time.monotonic() > deadline:
                process.stop()
                raise RuntimeError(
                    f"redis did not start: see {process.log_path}"
                ) from None
            time.sleep(0.1)
