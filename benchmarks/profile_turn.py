"""Where a turn's time goes in a long conversation: cProfile of the Rasa side.

    .venv/bin/python -m benchmarks.profile_turn [--events 1000] [--turns 20]
    RASA_PATCHES=off .venv/bin/python -m benchmarks.profile_turn   # Rasa as shipped

The trained model runs in this process (Rasa's agent, with endpoints.yml: our SQL
tracker store on a scratch SQLite file, in-memory locks) against a real action
server started here. One conversation is grown with real turns (the script of
benchmarks/conversation_script.py) until it holds `--events` stored events, then
`--turns` more turns, each answered by a custom action, run under cProfile. The
top functions by cumulative and by own time are printed, and the share of the
turn spent in state building (`states_for_tracker_history`), `applied_events`,
the action server call and JSON, so a before/after is one command each way.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import asyncio
import cProfile
import io
import pstats
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List

from benchmarks.conversation_script import OUR_SCRIPT, OUR_TURN_MESSAGE
from bids_partner.settings import LOG_DIR, QUIET_ENV, ROOT
from bids_partner.stack.stack import Stack, scratch_config

LOGS = LOG_DIR / "profile-turn"

# Functions whose cumulative time is reported as a share of the profiled turns.
WATCHED = {
    "states_for_tracker_history": "policies' state building (past_states)",
    "applied_events": "tracker.applied_events",
    "_run_action": "running actions (incl. the action server call)",
    "current_state": "tracker serialisation (current_state)",
    "dumps": "json.dumps",
    "loads": "json.loads",
    "save": "tracker store save",
    "retrieve": "tracker store retrieve",
    "predict_next_with_tracker_if_should": "policy prediction (the graph)",
    "parse_message": "NLU",
}


def load_agent(tmp: Path, action_url: str) -> Any:
    import logging

    os.environ.update(
        {
            **QUIET_ENV,
            "TRACKER_STORE_URL": f"sqlite:///{tmp}/profile.db",
            "ACTION_ENDPOINT_URL": f"{action_url}/webhook",
            "ACTION_SECRET": "",
        }
    )
    logging.disable(logging.WARNING)  # Rasa's debug logs print message texts
    from rasa.core.agent import load_agent as rasa_load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.log_utils import configure_structlog

    from bids_partner.stack.model import ensure_model

    configure_structlog(logging.WARNING)
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
    return asyncio.run(
        rasa_load_agent(model_path=str(ensure_model()), endpoints=endpoints)
    )


async def stored_events(agent: Any, sender: str) -> int:
    tracker = await agent.tracker_store.retrieve(sender)
    return 0 if tracker is None else len(tracker.events)


async def grow(agent: Any, sender: str, events: int) -> int:
    n = 0
    while await stored_events(agent, sender) < events:
        replies: List[Dict[str, Any]] = await agent.handle_text(
            OUR_SCRIPT[n % len(OUR_SCRIPT)], sender_id=sender
        )
        if not replies:
            raise RuntimeError("a grow turn got no reply")
        n += 1
    return await stored_events(agent, sender)


async def timed_turns(agent: Any, sender: str, turns: int) -> List[float]:
    seconds = []
    for _ in range(turns):
        started = time.perf_counter()
        await agent.handle_text(OUR_TURN_MESSAGE, sender_id=sender)
        seconds.append(time.perf_counter() - started)
    return seconds


def report(profile: cProfile.Profile, total: float, top: int) -> None:
    stats = pstats.Stats(profile)
    print("\nshare of the profiled turns' time (cumulative, overlapping):")
    found: Dict[str, float] = {}
    for (_, _, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if name in WATCHED:
            found[name] = max(found.get(name, 0.0), cumulative)
    for name, label in WATCHED.items():
        share = 100 * found.get(name, 0.0) / total
        print(f"  {label:<50} {share:5.1f}%")
    for key in ("cumulative", "tottime"):
        buffer = io.StringIO()
        pstats.Stats(profile, stream=buffer).sort_stats(key).print_stats(top)
        print(f"\n--- top {top} by {key} ---")
        print("\n".join(buffer.getvalue().splitlines()[6:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--out", type=Path, help="also save the raw profile here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="profile-turn-") as name:
        stack = Stack(scratch_config(LOGS, {}))
        stack.actions.start()
        try:
            stack.actions.wait_until_ready(60)
            agent = load_agent(Path(name), stack.action_url)
            sender = f"profile-{uuid.uuid4().hex[:8]}"
            held = asyncio.run(grow(agent, sender, args.events))
            print(f"grown to {held} stored events", flush=True)
            asyncio.run(timed_turns(agent, sender, 2))  # warm
            profile = cProfile.Profile()
            started = time.perf_counter()
            profile.enable()
            seconds = asyncio.run(timed_turns(agent, sender, args.turns))
            profile.disable()
            total = time.perf_counter() - started
        finally:
            stack.actions.stop()
    seconds.sort()
    print(
        f"{args.turns} turns at ~{held} events (profiled): "
        f"median {1000 * seconds[len(seconds) // 2]:.1f} ms, "
        f"RASA_PATCHES={os.environ.get('RASA_PATCHES', 'on')}"
    )
    report(profile, total, args.top)
    if args.out:
        profile.dump_stats(args.out)


if __name__ == "__main__":
    main()
