"""Questions about the coach's ideas: does the question reach the right concept?

Each question of a set written after docs/labelling/concepts.md is parsed by the
trained model; if it is read as ask_concept, the concept is chosen as
action_explain_concept chooses it (actions/psychoeducation.py: the ConceptReader's
concept when it is sure, else the keywords, else the menu). Prints intent recall,
the share of questions that reach the concept they ask about, the share shown the
menu, and false alarms on the near misses. The training examples written to that
guide (data/concepts/, and data/nlu/concepts.yml made from them) are the tuned
figure; the blind sets in tests/blind/concepts/ are the ones to quote. Choosing
the concept router itself, by cross-writer validation and without the blind sets:
benchmarks/concepts_cv.py (`make bench-concepts-cv`).

    .venv/bin/python -m benchmarks.concepts
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

from actions.psychoeducation import choose_concept
from benchmarks.quiet_agent import load_quiet_agent
from bids_partner.coaching import load_psychoeducation
from bids_partner.settings import ROOT

BLIND_DIR = ROOT / "tests" / "blind" / "concepts"
# The writers' files, topic-labelled, from which data/nlu/concepts.yml was made.
WRITTEN = ROOT / "data" / "concepts"
INTENT = "ask_concept"


def training_set() -> Tuple[List[Tuple[str, str]], List[str]]:
    asks: List[Tuple[str, str]] = []
    for path in sorted(WRITTEN.glob("*.yml")):
        asks += blind_set(path)[0]
    return asks, []


def blind_set(path: Path) -> Tuple[List[Tuple[str, str]], List[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    asks = [(str(item["text"]), str(item["topic"])) for item in data[INTENT]]
    return asks, [str(text) for text in data.get("not_ask_concept") or []]


async def parse(agent: Any, texts: List[str]) -> List[Dict[str, Any]]:
    return [await agent.parse_message(text) for text in texts]


async def intents(agent: Any, texts: List[str]) -> List[str]:
    return [p["intent"]["name"] for p in await parse(agent, texts)]


def report(name: str, agent: Any, asks: List[Tuple[str, str]], near: List[str]) -> None:
    concepts = load_psychoeducation().concepts
    parsed = asyncio.run(parse(agent, [text for text, _ in asks]))
    read = [p["intent"]["name"] for p in parsed]
    recognised = sum(i == INTENT for i in read)
    reached = menu = 0
    outcome: Dict[str, Counter] = {}
    for (_, topic), intent, parse_data in zip(asks, read, parsed):
        concept = choose_concept(parse_data, concepts) if intent == INTENT else None
        got = concept.id if concept else ("menu" if intent == INTENT else intent)
        reached += got == topic
        menu += got == "menu"
        outcome.setdefault(topic, Counter())[got == topic] += 1
    total = len(asks)
    print(
        f"{name}: read as ask_concept {recognised}/{total} = {recognised / total:.3f}; "
        f"reached the concept asked about {reached}/{total} = {reached / total:.3f}; "
        f"menu {menu}/{total} = {menu / total:.3f}"
    )
    worst = sorted(outcome.items(), key=lambda kv: kv[1][True] / sum(kv[1].values()))
    print(
        "  reached per topic: "
        + ", ".join(f"{t} {c[True]}/{sum(c.values())}" for t, c in worst)
    )
    if near:
        alarms = sum(i == INTENT for i in asyncio.run(intents(agent, near)))
        print(f"  near misses read as ask_concept {alarms}/{len(near)}")


def main() -> None:
    agent = load_quiet_agent()
    report("training (tuned)", agent, *training_set())
    for path in sorted(BLIND_DIR.glob("*.yml")):
        report(f"blind {path.stem}", agent, *blind_set(path))


if __name__ == "__main__":
    main()
