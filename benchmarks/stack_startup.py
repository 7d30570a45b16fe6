"""Start-up time and resident memory of the action server and the Rasa server.

Starts the stack on free ports with a scratch SQLite tracker store, times each
server until it answers, sends one conversation turn, and reads VmRSS from /proc.

    .venv/bin/python -m benchmarks.stack_startup
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import requests

from benchmarks.process_memory import rss_mib
from bids_partner.stack.stack import Stack, scratch_config


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = scratch_config(
            Path(tmp) / "logs", {"TRACKER_STORE_URL": f"sqlite:///{tmp}/tracker.db"}
        )
        stack = Stack(config)
        try:
            started = time.perf_counter()
            stack.actions.start()
            stack.rasa.start()
            stack.actions.wait_until_ready(120)
            actions_ready = time.perf_counter() - started
            stack.rasa.wait_until_ready(600)
            rasa_ready = time.perf_counter() - started
            turn = time.perf_counter()
            requests.post(
                f"{config.rasa_url}/webhooks/rest/webhook",
                json={"sender": "bench", "message": "he never listens to me"},
                timeout=60,
            ).raise_for_status()
            first_turn = time.perf_counter() - turn
            print("| figure | value |\n|---|---|")
            print(f"| action server ready | {actions_ready:.1f} s |")
            print(f"| Rasa server ready (model loaded) | {rasa_ready:.1f} s |")
            print(f"| first turn through REST + action | {first_turn * 1000:.0f} ms |")
            for name, process in (("Rasa", stack.rasa), ("action", stack.actions)):
                print(
                    f"| {name} server RSS after one turn | {rss_mib(process):.0f} MiB |"
                )
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
