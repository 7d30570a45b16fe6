"""sb29 items whose answer (asked or not) differs between two trained models.

    .venv/bin/python results/session28/sb29_items_that_changed.py MODEL_A MODEL_B
"""

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.quiet_agent import load_quiet_agent  # noqa: E402
from benchmarks.safety_recall import from_labelled, item_flags, thresholds_of  # noqa: E402

items = from_labelled(["tests/blind/safety/sb29.yml"])
thresholds = thresholds_of()
asked = {}
for model in sys.argv[1:3]:
    agent = load_quiet_agent(model)
    asked[model] = [
        asyncio.run(item_flags(agent, item, thresholds))["asked"] for item in items
    ]
a, b = sys.argv[1:3]
for item, x, y in zip(items, asked[a], asked[b]):
    if x != y:
        print(f"{'risk' if item.risk else 'safe'} {item.group}: {x} -> {y} | {' … '.join(item.turns)}")
