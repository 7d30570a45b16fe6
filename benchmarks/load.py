"""Throughput under load, ours beside the stock `rasa init` bot, driven by Locust.

    .venv/bin/python -m benchmarks.load        # make bench-load

The bots are benchmarks/compare_reference.py's (its functions): ours as `make
run` starts it (with the chat page's server, for the socket.io flow) and the
stock bot with its one custom action. They run one after the other. For each
of 1, 8 and 32 simulated users, LOAD_SECONDS (default 30) of Locust
(benchmarks/locustfile.py, run by benchmarks/locust_runner.py):
- RestConversation against both bots: conversations of 20 REST turns, each
  answered by the bot's custom action, no think time;
- SocketIOPage against ours only (the stock bot has no web page): the chat
  page's flow, 20 turns a visit.
Printed: turns/s and p95 per level with the ratio ours/stock; Locust's CSV
files and a summary (load.json, load.csv) in results/load/. A shared 2-core
machine, where Locust itself takes part of the CPU: compare ratios from the same
run.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import csv
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Dict, List

from benchmarks import compare_reference as cr
from benchmarks.locust_runner import LoadResult, run_locust
from benchmarks.long_conversations import reference_model, stop_on_signals
from bids_partner.settings import ROOT

RESULTS = ROOT / "results" / "load"
LEVELS = cr.CONCURRENCY_LEVELS


def run_level(bot: cr.Bot, users: int, user_class: str) -> LoadResult:
    env = {
        "BENCH_TURN_MESSAGE": bot.turn_message,
        "BENCH_TURNS": str(cr.TURNS_PER_CONVERSATION),
    }
    if bot.web is not None:
        env["BENCH_WEB_URL"] = bot.web.ready_url.rstrip("/")
    print(f"[{bot.name}] {user_class}, {users} users", flush=True)
    return run_locust(
        bot.rasa_url, users, cr.LOAD_SECONDS, user_class, RESULTS, bot.name, env
    )


def measure(bot: cr.Bot, classes: List[str]) -> Dict[str, Dict[int, LoadResult]]:
    figures: Dict[str, Dict[int, LoadResult]] = {c: {} for c in classes}
    try:
        cr.start_and_time(bot)
        if bot.web is not None:
            bot.web.start()
            bot.web.wait_until_ready(30)
        for users in LEVELS:
            for user_class in classes:
                figures[user_class][users] = run_level(bot, users, user_class)
    finally:
        bot.stop()
    return figures


def report(ours: Dict[str, Dict[int, LoadResult]], ref: Dict[int, LoadResult]) -> None:
    print("\n| users | ours REST turns/s | stock REST turns/s | ratio |", end="")
    print(" ours p95 ms | stock p95 ms | ratio | ours socket.io turns/s | p95 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for users in LEVELS:
        mine, theirs = ours["RestConversation"][users], ref[users]
        page = ours["SocketIOPage"][users]
        cells = [
            str(users),
            f"{mine.turns_per_s:.1f}",
            f"{theirs.turns_per_s:.1f}",
            f"{mine.turns_per_s / theirs.turns_per_s:.2f}x",
            f"{mine.p95_ms:.0f}",
            f"{theirs.p95_ms:.0f}",
            f"{mine.p95_ms / theirs.p95_ms:.2f}x",
            f"{page.turns_per_s:.1f}",
            f"{page.p95_ms:.0f}",
        ]
        print("| " + " | ".join(cells) + " |")
    failures = {
        "ours REST": sum(r.failures for r in ours["RestConversation"].values()),
        "ours socket.io": sum(r.failures for r in ours["SocketIOPage"].values()),
        "stock REST": sum(r.failures for r in ref.values()),
    }
    print(f"\nfailed turns: {failures}")


def write(ours: Dict[str, Dict[int, LoadResult]], ref: Dict[int, LoadResult]) -> None:
    rows = [
        {"bot": "ours", "flow": c, **asdict(r)}
        for c, levels in ours.items()
        for r in levels.values()
    ] + [
        {"bot": "stock", "flow": "RestConversation", **asdict(r)} for r in ref.values()
    ]
    (RESULTS / "load.json").write_text(json.dumps(rows, indent=1))
    with (RESULTS / "load.csv").open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--keep-reference",
        type=Path,
        help="build the stock bot here once and reuse it (default: a temp folder)",
    )
    args = parser.parse_args()
    stop_on_signals()
    cr.LOGS.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as name:
        tmp = Path(name)
        model = reference_model(tmp, args.keep_reference)
        ours = measure(cr.our_bot(tmp), ["RestConversation", "SocketIOPage"])
        ref = measure(cr.reference_bot(model.parents[1], model), ["RestConversation"])
    write(ours, ref["RestConversation"])
    report(ours, ref["RestConversation"])
    print(f"\nLocust's CSV files: {RESULTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted; every process started here has been stopped.")
