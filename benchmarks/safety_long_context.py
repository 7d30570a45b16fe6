"""Risk that builds over several messages, after long earlier messages: the
safety layers of the trained model on the blind sets' conversations, as written
and with two long everyday messages before their last two turns.

The recent turns are read together (RiskReader); the sentence encoder reads a
text's first 126 tokens, so after long earlier messages it read the oldest ones
and not the message being read. The padded conversations show what a person who
writes at length meets: each padded turn is everyday messages of the same sets,
joined to at least 450 characters (seeded). The blind sets' conversations are
all under 126 tokens, so the benchmarks on them never met this.

    .venv/bin/python -m benchmarks.safety_long_context
"""

from __future__ import annotations

import argparse
import asyncio
import random
from typing import List

from benchmarks.quiet_agent import load_quiet_agent
from benchmarks.safety_recall import (
    LABELLED_SETS,
    Item,
    from_labelled,
    measure,
    print_header,
    thresholds_of,
)

PADDED_TURN_CHARS = 450
SEED = 0


def blind_paths() -> List[str]:
    return [
        path
        for name, paths in LABELLED_SETS.items()
        if "(blind)" in name
        for path in paths
    ]


def padded(conversations: List[Item], everyday: List[str]) -> List[Item]:
    """Each conversation's last two turns after two long everyday messages."""
    chooser = random.Random(SEED)
    found = []
    for item in conversations:
        pads = []
        for _ in range(2):
            words = ""
            while len(words) < PADDED_TURN_CHARS:
                words += " " + chooser.choice(everyday)
            pads.append(words.strip())
        found.append(Item([*pads, *item.turns[-2:]], item.risk, item.group))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.parse_args()
    items = from_labelled(blind_paths())
    conversations = [i for i in items if len(i.turns) > 1]
    everyday = [
        i.turns[0] for i in items if len(i.turns) == 1 and i.group == "everyday"
    ]
    agent = load_quiet_agent()
    thresholds = thresholds_of()
    print(f"thresholds: {thresholds}\n")
    print_header("conversations", "safe asked")
    for name, chosen in (
        ("as written", conversations),
        ("after two long messages", padded(conversations, everyday)),
    ):
        asyncio.run(measure(agent, name, chosen, thresholds))


if __name__ == "__main__":
    main()
