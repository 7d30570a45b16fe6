"""The long-message dev sets through a trained model with the code of this tree,
for several values of CrisisMatcher's `long_sentence_crisis` (asked / full).

    .venv/bin/python results/session29/dev_long.py MODEL VALUE... -- FILE...
"""

import asyncio
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.quiet_agent import load_quiet_agent, loaded_component  # noqa: E402
from benchmarks.safety_recall import from_labelled, measure, thresholds_of  # noqa: E402
from bids_partner.rasa_plugins.nlu import crisis  # noqa: E402

cut = sys.argv.index("--")
values, files = [float(v) for v in sys.argv[2:cut]], sys.argv[cut + 1 :]
agent = load_quiet_agent(sys.argv[1])
matcher = loaded_component(agent, crisis.CrisisMatcher)
for value in values:
    th = dataclasses.replace(thresholds_of(), long_sentence_crisis=value)
    matcher.thresholds = th
    print(f"long_sentence_crisis={value}")
    for path in files:
        items = from_labelled([str(Path(path).resolve())])
        groups = asyncio.run(measure(agent, Path(path).name, items, th))
        print(
            "   ",
            ", ".join(
                f"{g} {t.share('asked')}/{t.share('full')} of {t.n}"
                for g, t in sorted(groups.items())
            ),
        )
