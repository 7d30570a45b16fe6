"""How well the trained model reads "delete this conversation" (forget_me).

Parses each message of a set written after docs/labelling/forget-me.md with the
trained model's NLU and prints recall on the requests, false alarms on the near
misses (the assistant would offer to delete), and what the misses were read as.
The training data (data/nlu/forget_me.yml) is reported the same way: that figure
is the one written the way the training data was written; the blind set's is the
one to quote.

    .venv/bin/python -m benchmarks.forget_me
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List

import yaml

from benchmarks.quiet_agent import load_quiet_agent
from bids_partner.settings import ROOT

BLIND_DIR = ROOT / "tests" / "blind" / "forget_me"
TRAINING = ROOT / "data" / "nlu" / "forget_me.yml"
INTENT = "forget_me"


def training_set() -> Dict[str, List[str]]:
    nlu = yaml.safe_load(TRAINING.read_text(encoding="utf-8"))["nlu"]
    examples = next(block for block in nlu if block["intent"] == INTENT)["examples"]
    lines = [line[2:].strip() for line in examples.splitlines() if line.strip()]
    return {INTENT: lines, "not_forget_me": []}


def blind_set(path: Path) -> Dict[str, List[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        INTENT: [str(x) for x in data.get(INTENT) or []],
        "not_forget_me": [str(x) for x in data.get("not_forget_me") or []],
    }


async def read_as(agent: Any, texts: List[str]) -> List[str]:
    return [(await agent.parse_message(text))["intent"]["name"] for text in texts]


def report(name: str, intents: Dict[str, List[str]]) -> None:
    requests, near = intents[INTENT], intents["not_forget_me"]
    hits = sum(i == INTENT for i in requests)
    print(f"{name}: recall {hits}/{len(requests)} = {hits / max(len(requests), 1):.3f}")
    missed = Counter(i for i in requests if i != INTENT)
    if missed:
        print(f"  requests read as: {dict(missed.most_common())}")
    if near:
        alarms = sum(i == INTENT for i in near)
        print(
            f"  false alarms on near misses {alarms}/{len(near)} = "
            f"{alarms / len(near):.3f}"
        )


def main() -> None:
    agent = load_quiet_agent()
    sets = {"training (tuned)": training_set()}
    for path in sorted(BLIND_DIR.glob("*.yml")):
        sets[f"blind {path.stem}"] = blind_set(path)
    for name, labelled in sets.items():
        intents = {
            label: asyncio.run(read_as(agent, texts))
            for label, texts in labelled.items()
        }
        report(name, intents)


if __name__ == "__main__":
    main()
