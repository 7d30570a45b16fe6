"""What reading a 4,000-character message costs (the most a channel accepts), for
two trained models, alternating, in this process.

    .venv/bin/python results/session28/long_message_cost.py MODEL_A MODEL_B
"""

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402

from benchmarks.quiet_agent import load_quiet_agent  # noqa: E402
from tests.e2e.test_safety import LONG_STORY  # noqa: E402

from rasa.core.channels.channel import UserMessage  # noqa: E402

agents = [load_quiet_agent(m) for m in sys.argv[1:3]]
text = (LONG_STORY * 4)[:4000]
times = [[], []]
for round_ in range(12):
    for k, agent in enumerate(agents):
        # A new ending each round, so no cached embedding is reused.
        message = text[:-20] + f" round {round_} ends here."
        start = time.perf_counter()
        parse = asyncio.run(agent.processor.parse_message(UserMessage(message), None))
        times[k].append(time.perf_counter() - start)
for k, model in enumerate(sys.argv[1:3]):
    t = np.array(times[k][2:]) * 1000
    print(f"{model}: parts read {parse['risk'].get('windows') if k else ''} p50 {np.median(t):.0f} ms, max {t.max():.0f} ms")
print(f"ratio p50 B/A: {np.median(times[1][2:]) / np.median(times[0][2:]):.2f}")
