"""Dev probe: a long message read also sentence by sentence (each sentence of a
message the encoder cannot read whole scored on its own, the riskiest part
counting), against the windows alone. The RiskReader's reading is patched in
process, so one trained model serves both.

    .venv/bin/python results/session28/sentences_probe.py MODEL [MODEL ...]
"""

import asyncio
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.quiet_agent import load_quiet_agent  # noqa: E402
from benchmarks.safety_recall import (  # noqa: E402
    Item,
    from_labelled,
    item_flags,
    thresholds_of,
)
from bids_partner.rasa_plugins.nlu.risk_reader import RiskReader  # noqa: E402
from tests.e2e.test_safety import LONG_STORY, load  # noqa: E402

BREAK = re.compile(r"(?<=[.!?\u2026])\s+|\s*\n\s*")
windows_only = RiskReader._windows


def with_sentences(self, text):
    windows = windows_only(self, text)
    if not windows:
        return windows
    return [*windows, *(s for s in BREAK.split(text) if s.strip())]


th = thresholds_of()
crisis = [m["text"] for m in load("crisis_messages.yml")]
near = [m["text"] for m in load("near_misses.yml")]
# Dev: long messages by s15 and s16, never trained on (commit 98cdf02 holds them;
# `git show 98cdf02:data/safety/s15.yml > /tmp/s28/dev_long/s15.yml`). The blind
# long sets are measured once after the choice, by benchmarks.safety_recall.
sets = {"s15+s16 long (dev)": ["/tmp/s28/dev_long/s15.yml", "/tmp/s28/dev_long/s16.yml"]}


def asked(agent, items):
    return [asyncio.run(item_flags(agent, i, th)) for i in items]


for model in sys.argv[1:]:
    agent = load_quiet_agent(model)
    for mode, reading in (("windows", windows_only), ("windows+sentences", with_sentences)):
        RiskReader._windows = reading
        c = asked(agent, [Item([LONG_STORY + t], True, "x") for t in crisis])
        n = asked(agent, [Item([LONG_STORY + t], False, "x") for t in near])
        print(model, mode, flush=True)
        print(f"  tuned crisis after the long story missed: {sum(not f['asked'] for f in c)} of {len(c)}")
        print(f"  tuned near-misses after the long story asked: {sum(f['asked'] for f in n)} (full {sum(f['full'] for f in n)}) of {len(n)}")
        for name, paths in sets.items():
            items = from_labelled(paths)
            flags = asked(agent, items)
            risk = [f for f, i in zip(flags, items) if i.risk]
            safe = [f for f, i in zip(flags, items) if not i.risk]
            print(
                f"  {name}: risk asked {sum(f['asked'] for f in risk)} of {len(risk)}, "
                f"safe asked {sum(f['asked'] for f in safe)} (full {sum(f['full'] for f in safe)}) of {len(safe)}",
                flush=True,
            )
