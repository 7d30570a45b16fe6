"""benchmarks.safety_long_context for a given model (it measures the current one).

    .venv/bin/python results/session28/long_context_two_models.py MODEL
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import benchmarks.safety_long_context as bench  # noqa: E402
from benchmarks.quiet_agent import load_quiet_agent  # noqa: E402

model = sys.argv.pop(1)
bench.load_quiet_agent = lambda: load_quiet_agent(model)
print(model)
bench.main()
