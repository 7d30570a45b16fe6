"""One labelled safety file through a trained model, as benchmarks.safety_recall
measures a set (asked / full per group).

    .venv/bin/python results/session28/one_set.py MODEL FILE
"""

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.quiet_agent import load_quiet_agent  # noqa: E402
from benchmarks.safety_recall import from_labelled, measure, thresholds_of  # noqa: E402

agent = load_quiet_agent(sys.argv[1])
groups = asyncio.run(
    measure(agent, sys.argv[2], from_labelled([str(Path(sys.argv[2]).resolve())]), thresholds_of())
)
for group, tally in sorted(groups.items()):
    print(f"  {group}: asked {tally.share('asked')}, full {tally.share('full')} of {tally.n}")
