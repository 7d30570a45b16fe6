"""How the trained model reads the moves and the everyday intents in messages
written blind (docs/labelling/moves.md): what a user meets when they tell the
coach about a moment.

For each set: per intent, the share read right, the share that fell back ("I'm
not sure I understood"), and what the rest were read as; overall accuracy, the
fallback rate, and the moves' macro-F1. Blind sets print counts only, never a
message; the dev set (`--dev`, tests/nlu/heldout.yml) may print its misses.

    .venv/bin/python -m benchmarks.moves_blind [--model M] [--sets mb1 ...] [--dev]
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

import yaml
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import f1_score

from benchmarks.quiet_agent import load_quiet_agent
from bids_partner.contract import MOVES
from bids_partner.settings import ROOT

BLIND_DIR = ROOT / "tests" / "blind" / "moves"
DEV_SET = ROOT / "tests" / "nlu" / "heldout.yml"
FALLBACK = "nlu_fallback"
Item = Tuple[str, str]  # (intent, text)


def blind_items(path: Path) -> List[Item]:
    """A set in the writers' shape: `items: [{text, intent}]`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(i["intent"]), str(i["text"])) for i in data["items"]]


def rasa_items(path: Path) -> List[Item]:
    """A set in Rasa's NLU shape, read as Rasa reads it (entity marks taken out)."""
    return [(m.get(INTENT), m.get(TEXT)) for m in load_data(str(path)).intent_examples]


async def read(agent: Any, items: Sequence[Item]) -> List[str]:
    return [(await agent.parse_message(text))["intent"]["name"] for _, text in items]


def report(
    name: str, items: Sequence[Item], predicted: Sequence[str], show: bool
) -> Dict[str, float]:
    gold = [intent for intent, _ in items]
    print(f"\n{name}: {len(items)} messages")
    print("| intent | n | right | fell back | read as (others) |")
    print("|---|---|---|---|---|")
    for intent in sorted(set(gold)):
        got = [p for g, p in zip(gold, predicted) if g == intent]
        others = Counter(p for p in got if p not in (intent, FALLBACK))
        print(
            f"| {intent} | {len(got)} | {got.count(intent) / len(got):.2f} | "
            f"{got.count(FALLBACK) / len(got):.2f} | "
            f"{', '.join(f'{k} {v}' for k, v in others.most_common()) or '-'} |"
        )
    moves = [(g, p) for g, p in zip(gold, predicted) if g in MOVES]
    figures = {
        "accuracy": sum(g == p for g, p in zip(gold, predicted)) / len(gold),
        "fallback": predicted.count(FALLBACK) / len(gold),
        "moves accuracy": sum(g == p for g, p in moves) / max(len(moves), 1),
        "moves fallback": sum(p == FALLBACK for _, p in moves) / max(len(moves), 1),
        "moves macro-F1": f1_score(
            [g for g, _ in moves],
            [p for _, p in moves],
            labels=sorted(MOVES),
            average="macro",
            zero_division=0,
        ),
    }
    print("  " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    if show:
        for (g, text), p in zip(items, predicted):
            if g != p:
                print(f"    {g} -> {p}: {text}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="a model archive (default: the current one)")
    parser.add_argument(
        "--sets", nargs="*", help="blind sets by name (default: all; none if empty)"
    )
    parser.add_argument("--dev", action="store_true", help="also the dev set")
    parser.add_argument("--show-dev", action="store_true", help="print the dev misses")
    args = parser.parse_args()
    agent = load_quiet_agent(args.model)
    names = (
        args.sets
        if args.sets is not None
        else sorted(p.stem for p in BLIND_DIR.glob("*.yml"))
    )
    for name in names:
        items = blind_items(BLIND_DIR / f"{name}.yml")
        report(f"{name} (blind)", items, asyncio.run(read(agent, items)), show=False)
    if args.dev or args.show_dev:
        items = rasa_items(DEV_SET)
        report(
            "tests/nlu/heldout.yml (dev)",
            items,
            asyncio.run(read(agent, items)),
            args.show_dev,
        )


if __name__ == "__main__":
    main()
