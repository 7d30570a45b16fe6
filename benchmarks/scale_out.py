"""Turns per second with one and with two Rasa processes behind the same
PostgreSQL tracker store and Redis lock store, on this machine, driven by Locust.

    .venv/bin/python -m benchmarks.scale_out      # make bench-scale

As the README's scale-out configuration and tests/e2e/test_scale_out.py: a
throwaway PostgreSQL and Redis (tests/helpers/services.py; `make services`
installs them) on free ports, and two stacks (a Rasa server with its own action
server each: bids_partner.stack) pointed at both. Both stacks run throughout;
for "1 process" Locust sends every conversation to the first server, for "2
processes" each new conversation goes to the next server in turn (BENCH_HOSTS in
benchmarks/locustfile.py: a load balancer that keeps a conversation on one
server). RestConversation users (20 turns a conversation, no think time) at
each level of USERS for LOAD_SECONDS (default 30).

CPU use per process comes from psutil: the CPU seconds each process (with its
children) used during the run, divided by the run's wall time, so 1.0 is one
core busy. The machine has 2 cores shared by everything here (Locust, the
servers, PostgreSQL, Redis): the figure says how far a second process helps
on it, not what it does on a machine per server.
Results: results/scale-out/scale_out.{json,csv,png} and Locust's CSV files.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import csv
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Dict, List

import psutil

from benchmarks.compare_reference import LOAD_SECONDS, TURNS_PER_CONVERSATION
from benchmarks.locust_runner import LoadResult, run_locust
from benchmarks.long_conversations import stop_on_signals
from bids_partner.settings import LOG_DIR, ROOT
from bids_partner.stack.processes import ManagedProcess
from bids_partner.stack.stack import Stack, scratch_config
from tests.helpers.services import LocalPostgres, local_redis

RESULTS = ROOT / "results" / "scale-out"
LOGS = LOG_DIR / "scale-out-bench"
USERS = (8, 32)
TURN_MESSAGE = "you never listen to me"


def tree(pid: int) -> List[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def cpu_seconds(pid: int) -> float:
    total = 0.0
    for process in tree(pid):
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def postgres_pid(postgres: LocalPostgres) -> int:
    return int((postgres.data / "postmaster.pid").read_text().split()[0])


@dataclass
class Run:
    servers: int
    users: int
    load: LoadResult
    cpu_cores: Dict[str, float] = field(default_factory=dict)


def measure(
    stacks: List[Stack], servers: int, users: int, watched: Dict[str, int]
) -> Run:
    hosts = ",".join(s.config.rasa_url for s in stacks[:servers])
    before = {name: cpu_seconds(pid) for name, pid in watched.items()}
    started = time.perf_counter()
    print(f"[scale-out] {servers} Rasa process(es), {users} users", flush=True)
    load = run_locust(
        stacks[0].config.rasa_url,
        users,
        LOAD_SECONDS,
        "RestConversation",
        RESULTS,
        f"servers{servers}",
        {
            "BENCH_HOSTS": hosts,
            "BENCH_TURN_MESSAGE": TURN_MESSAGE,
            "BENCH_TURNS": str(TURNS_PER_CONVERSATION),
        },
    )
    wall = time.perf_counter() - started
    cores = {
        name: round((cpu_seconds(pid) - before[name]) / wall, 2)
        for name, pid in watched.items()
    }
    return Run(servers, users, load, cores)


def report(runs: List[Run]) -> None:
    names = list(runs[0].cpu_cores)
    print(
        "\n| Rasa processes | users | turns/s | vs 1 process | p95 ms | failed |",
        end="",
    )
    print(" " + " | ".join(f"CPU {n}" for n in names) + " |")
    print("|---" * (6 + len(names)) + "|")
    single = {r.users: r.load.turns_per_s for r in runs if r.servers == 1}
    for r in runs:
        cells = [
            str(r.servers),
            str(r.users),
            f"{r.load.turns_per_s:.1f}",
            f"{r.load.turns_per_s / single[r.users]:.2f}x",
            f"{r.load.p95_ms:.0f}",
            str(r.load.failures),
            *(f"{r.cpu_cores[n]:.2f}" for n in names),
        ]
        print("| " + " | ".join(cells) + " |")
    print("\nCPU in cores (1.0 = one core busy for the whole run); 2 cores in all.")


def write(runs: List[Run]) -> None:
    rows = [
        {
            "servers": r.servers,
            "users": r.users,
            **asdict(r.load),
            **{f"cpu_{k}": v for k, v in r.cpu_cores.items()},
        }
        for r in runs
    ]
    (RESULTS / "scale_out.json").write_text(json.dumps(rows, indent=1))
    with (RESULTS / "scale_out.csv").open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(6, 4))
    for users in USERS:
        mine = [r for r in runs if r.users == users]
        axis.plot(
            [r.servers for r in mine],
            [r.load.turns_per_s for r in mine],
            marker="o",
            label=f"{users} users",
        )
    axis.set(xticks=[1, 2], xlabel="Rasa processes", ylabel="turns/s")
    axis.set_title("Scale-out on one 2-core machine (PostgreSQL + Redis)")
    axis.grid(alpha=0.3)
    axis.legend()
    fig.tight_layout()
    fig.savefig(RESULTS / "scale_out.png", dpi=110)


def main() -> None:
    stop_on_signals()
    RESULTS.mkdir(parents=True, exist_ok=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    postgres = LocalPostgres()
    redis_server: ManagedProcess | None = None
    stacks: List[Stack] = []
    runs: List[Run] = []
    try:
        postgres.create()
        redis_server, redis_url = local_redis(LOGS)
        env = {"TRACKER_STORE_URL": postgres.url, "LOCK_STORE_URL": redis_url}
        stacks = [Stack(scratch_config(LOGS / f"server-{n}", env)) for n in (1, 2)]
        for stack in stacks:  # one after the other: both would create the tables
            print(f"[scale-out] starting {stack.config.rasa_url}", flush=True)
            stack.start()
        watched: Dict[str, int] = {}
        for n, stack in enumerate(stacks, start=1):
            assert stack.rasa.process and stack.actions.process
            watched[f"rasa-{n}"] = stack.rasa.process.pid
            watched[f"actions-{n}"] = stack.actions.process.pid
        watched["postgres"] = postgres_pid(postgres)
        assert redis_server.process is not None
        watched["redis"] = redis_server.process.pid
        for users in USERS:
            for servers in (1, 2):
                runs.append(measure(stacks, servers, users, watched))
    finally:
        for stack in stacks:
            stack.stop()
        if redis_server is not None:
            redis_server.stop()
        postgres.remove()
    write(runs)
    report(runs)
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted; every process started here has been stopped.")
