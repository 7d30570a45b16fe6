"""Full-turn latency of two trained models through the running stack, alternated
in one run, so that a change's effect is measured against the same machine load.

    .venv/bin/python -m benchmarks.turn_ab BEFORE.tar.gz AFTER.tar.gz [--rounds 2]

Each round starts the stack (action server, Rasa server, SQLite tracker store) on
each model in turn and sends `make bench-reference`'s turns (conversations of
sequential REST turns answered by a custom action), after one warm-up pass. A
model of an older commit is kept with `cp models/<model>.tar.gz /tmp/` before
retraining.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path
from typing import Dict, List

from benchmarks.compare_reference import (
    our_bot,
    percentile_ms,
    start_and_time,
    turn_latencies,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    for model in (args.before, args.after):
        if not model.is_file():
            parser.error(f"{model}: no such model file")
    seconds: Dict[str, List[float]] = {"before": [], "after": []}
    errors = 0
    with tempfile.TemporaryDirectory(prefix="turn-ab-") as tmp:
        for round_number in range(args.rounds):
            for label, model in (("before", args.before), ("after", args.after)):
                bot = our_bot(Path(tmp), model=model, name=f"{label}{round_number}")
                try:
                    start_and_time(bot)
                    asyncio.run(turn_latencies(bot))  # warm-up
                    measured = asyncio.run(turn_latencies(bot))
                finally:
                    bot.stop()
                seconds[label] += measured.seconds
                errors += measured.errors
                print(f"round {round_number + 1}: {label} done", flush=True)
    counts = " and ".join(str(len(seconds[k])) for k in ("before", "after"))
    print(f"\n{counts} turns measured, {errors} failed")
    print("| figure | before | after | ratio (after/before) |\n|---|---|---|---|")
    for q in (50, 95):
        before, after = (percentile_ms(seconds[k], q) for k in ("before", "after"))
        print(f"| p{q} | {before:.1f} ms | {after:.1f} ms | {after / before:.2f}x |")


if __name__ == "__main__":
    main()
