"""Crisis recall and false alarms of the trained model, layer by layer.

For each safety set (tests/safety, and the blind sets written without sight of the
patterns), prints how many crisis messages get the crisis intent and how many
near-misses do: for the spaCy Matcher layer alone, the intent classifier alone, and
both together (what the assistant does: the rules answer every `crisis` intent with
the safety message).

    .venv/bin/python -m benchmarks.safety_recall
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Tuple

import yaml

if TYPE_CHECKING:
    from rasa.core.agent import Agent

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "tests/safety (tuned on)": (
        "tests/safety/crisis_messages.yml",
        "tests/safety/near_misses.yml",
    ),
    "tests/safety_blind (seen once)": (
        "tests/safety_blind/crisis.yml",
        "tests/safety_blind/near_misses.yml",
    ),
    "tests/safety_blind2 (seen once)": (
        "tests/safety_blind2/crisis.yml",
        "tests/safety_blind2/near_misses.yml",
    ),
    "tests/safety_blind3 (blind)": (
        "tests/safety_blind3/crisis.yml",
        "tests/safety_blind3/near_misses.yml",
    ),
}


def load(path: str) -> List[Dict[str, str]]:
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))["messages"]


def layers(parse: Dict) -> Tuple[bool, bool]:
    """(the matcher fired, the classifier on its own said crisis)."""
    matcher = any(
        e.get("entity") == "crisis_category" for e in parse.get("entities", [])
    )
    classifier = parse.get("classifier_intent") or parse.get("intent") or {}
    return matcher, classifier.get("name") == "crisis"


async def evaluate(agent: Agent, messages: List[Dict[str, str]]) -> Dict[str, int]:
    counts = {"matcher": 0, "classifier": 0, "combined": 0, "n": len(messages)}
    for message in messages:
        parse = await agent.parse_message(message["text"])
        matcher, classifier = layers(parse)
        counts["matcher"] += matcher
        counts["classifier"] += classifier
        counts["combined"] += parse["intent"]["name"] == "crisis"
    return counts


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    from rasa.core.agent import Agent

    from bids_partner.stack.model import ensure_model

    agent = Agent.load(str(ensure_model()))
    print(
        "| set | crisis recall: matcher / classifier / combined"
        " | near-miss alarms: matcher / classifier / combined |"
    )
    print("|---|---|---|")
    for name, (crisis_file, near_file) in SETS.items():
        if not (ROOT / crisis_file).exists():
            continue
        crisis = asyncio.run(evaluate(agent, load(crisis_file)))
        near = asyncio.run(evaluate(agent, load(near_file)))
        recall = " / ".join(
            f"{crisis[k] / crisis['n']:.1%}"
            for k in ("matcher", "classifier", "combined")
        )
        alarms = " / ".join(
            f"{near[k] / near['n']:.1%}" for k in ("matcher", "classifier", "combined")
        )
        print(f"| {name} (n={crisis['n']}+{near['n']}) | {recall} | {alarms} |")


if __name__ == "__main__":
    main()
