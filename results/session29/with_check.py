"""benchmarks.safety_recall's sets through a trained model with another check
threshold (CrisisMatcher's thresholds replaced in the loaded model).

    .venv/bin/python results/session29/with_check.py MODEL CHECK NAME...
"""

import asyncio
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.quiet_agent import load_quiet_agent, loaded_component  # noqa: E402
from benchmarks.safety_recall import (  # noqa: E402
    LABELLED_SETS,
    SETS,
    from_labelled,
    from_pairs,
    measure,
    print_header,
    thresholds_of,
)
from bids_partner.rasa_plugins.nlu import crisis  # noqa: E402

agent = load_quiet_agent(sys.argv[1])
matcher = loaded_component(agent, crisis.CrisisMatcher)
th = dataclasses.replace(thresholds_of(), check=float(sys.argv[2]))
matcher.thresholds = th
print(f"thresholds: {th}\n")
print_header("set", "near-miss alarms")
for name, pair in SETS.items():
    if any(part in name for part in sys.argv[3:]):
        asyncio.run(measure(agent, name, from_pairs(*pair), th))
for name, paths in LABELLED_SETS.items():
    if any(part in name for part in sys.argv[3:]):
        asyncio.run(measure(agent, name, from_labelled(paths), th))
