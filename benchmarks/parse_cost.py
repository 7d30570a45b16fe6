"""What reading one message costs, for two trained models side by side.

    .venv/bin/python -m benchmarks.parse_cost models/A.tar.gz models/B.tar.gz

Both models parse the held-out NLU messages (tests/nlu/heldout.yml) in this
process, alternating message by message so that the machine's noise falls on
both alike; each message is parsed after two earlier turns of the same
conversation, as the safety layer reads the recent turns. Prints p50/p95 per
model and B's as a ratio of A's.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import asyncio
import logging
import time
from typing import List

import numpy as np

HELDOUT = "tests/nlu/heldout.yml"
EARLIER = ["my partner and i keep missing each other", "i don't know what to do"]


async def parse_times(paths: List[str], rounds: int) -> List[List[float]]:
    """Seconds per parse, one list per model in `paths` (the same path twice is
    an A/A check of the noise)."""
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.nlu.training_data.loading import load_data

    texts = [m.get("text") for m in load_data(HELDOUT).intent_examples]
    agents = [Agent.load(path) for path in paths]
    times: List[List[float]] = [[] for _ in paths]
    for _ in range(rounds):
        for text in texts:
            for agent, taken in zip(agents, times):
                tracker = DialogueStateTracker.from_events(
                    "bench", [UserUttered(t) for t in EARLIER]
                )
                message = UserMessage(text, sender_id="bench")
                start = time.perf_counter()
                await agent.processor.parse_message(message, tracker=tracker)
                taken.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("baseline", help="model A (the baseline)")
    parser.add_argument("candidate", help="model B")
    parser.add_argument("--rounds", type=int, default=2)
    arguments = parser.parse_args()
    # Rasa's debug log prints every parsed text.
    logging.disable(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    paths = [arguments.baseline, arguments.candidate]
    times = asyncio.run(parse_times(paths, arguments.rounds))
    figures = [(np.percentile(t, 50) * 1e3, np.percentile(t, 95) * 1e3) for t in times]
    for path, (p50, p95), taken in zip(paths, figures, times):
        print(f"{path}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(taken)}")
    (a50, a95), (b50, b95) = figures
    print(f"candidate / baseline: p50 {b50 / a50:.2f}x, p95 {b95 / a95:.2f}x")


if __name__ == "__main__":
    main()
