"""Runs benchmarks/locustfile.py headless and reads its CSV statistics.

Locust runs in its own process (it monkey-patches the standard library with
gevent), from .venv/bin/locust (`make load-tools` installs the pins of
requirements-load.txt). Its CSV files and log stay in the folder given, one
prefix per run.
"""

from __future__ import annotations

import csv
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Dict

from bids_partner.settings import ROOT, VENV_BIN

LOCUSTFILE = ROOT / "benchmarks" / "locustfile.py"
TURN_ROWS = {"RestConversation": "REST turn", "SocketIOPage": "socket.io turn"}


class LocustMissing(RuntimeError):
    pass


@dataclass
class LoadResult:
    users: int
    turns: int
    failures: int
    turns_per_s: float
    p50_ms: float
    p95_ms: float


def run_locust(
    host: str,
    users: int,
    seconds: int,
    user_class: str,
    out: Path,
    label: str,
    env: Dict[str, str] | None = None,
) -> LoadResult:
    """`users` simulated users of `user_class`, all started within a second, for
    `seconds`; the turns' figures from Locust's `<prefix>_stats.csv`."""
    locust = VENV_BIN / "locust"
    if not locust.exists():
        raise LocustMissing("locust is not installed: run `make load-tools`")
    out.mkdir(parents=True, exist_ok=True)
    prefix = out / f"{label}-{user_class}-{users}u"
    command = [
        str(locust),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        user_class,
    ]
    with (out / f"{prefix.name}.log").open("wb") as log:
        # Exit code 1 means "some requests failed": they are counted below.
        subprocess.run(
            command,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=seconds + 180,
            check=False,
        )
    return read_stats(prefix, users, TURN_ROWS[user_class])


def read_stats(prefix: Path, users: int, row_name: str) -> LoadResult:
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise RuntimeError(f"Locust wrote no statistics: see {prefix}.log")
    with stats.open() as rows:
        for row in csv.DictReader(rows):
            if row["Name"] == row_name:
                return LoadResult(
                    users=users,
                    turns=int(row["Request Count"]) - int(row["Failure Count"]),
                    failures=int(row["Failure Count"]),
                    turns_per_s=float(row["Requests/s"]) - float(row["Failures/s"]),
                    p50_ms=float(row["50%"]),
                    p95_ms=float(row["95%"]),
                )
    return LoadResult(users, 0, 0, 0.0, float("nan"), float("nan"))
