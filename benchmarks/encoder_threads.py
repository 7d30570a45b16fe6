"""The sentence encoder with one thread a run against two, in one process.

    .venv/bin/python -m benchmarks.encoder_threads [--rounds 150]

Two encoders on the same weights, one with `threads=1` (as shipped until
2026-12-05) and one with the shipped default (`THREADS_PER_RUN`), read the same
texts, alternating call by call so that the machine's noise falls on both:
- a chat message alone (the reply judge, a short turn);
- the recent turns read together (three replies of data/replies/ joined, cut
  as the RiskReader cuts them: up to 128 tokens);
- a turn: the message and the recent turns in one call, as RiskReader.process
  encodes them;
- the same after a second's pause (`--paused` calls), as a person's next turn
  comes: the machine's caches then hold other work, and the turn is slower;
- bulk: the replies of data/replies/ in one call, as training encodes them.
Prints p50/p95 per case and the ratio, and fails if the two give different
numbers (the threads split the work, not the sums).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np
import yaml

from bids_partner.language.encoder_graph import THREADS_PER_RUN
from bids_partner.language.sentence_encoder import SentenceEncoder
from bids_partner.rasa_plugins.nlu.risk_reader import (
    CONTEXT_CHARS_PER_TURN,
    newest_turns_the_encoder_reads,
)
from bids_partner.settings import ROOT

BULK_TEXTS = 2000


def reply_texts(folder: Path) -> List[str]:
    texts: List[str] = []
    for path in sorted(folder.rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            texts += [
                r["text"]
                for r in data.get("replies") or []
                if isinstance(r, dict) and isinstance(r.get("text"), str)
            ]
    return texts


def timed(encoder: SentenceEncoder, texts: List[str]) -> Tuple[float, np.ndarray]:
    started = time.perf_counter()
    out = encoder.encode(texts)
    return time.perf_counter() - started, out


def compare(
    encoders: Sequence[SentenceEncoder],
    cases: Dict[str, List[List[str]]],
    pauses: Dict[str, float],
    identical: bool = True,
) -> Dict[str, List[List[float]]]:
    """Seconds per call for each case and encoder, alternating encoders call by
    call (after the case's pause, if any); with `identical`, raises if their
    outputs differ."""
    seconds: Dict[str, List[List[float]]] = {}
    for case, calls in cases.items():
        per: List[List[float]] = [[] for _ in encoders]
        for texts in calls:
            outputs = []
            for i, encoder in enumerate(encoders):
                time.sleep(pauses.get(case, 0.0))
                spent, out = timed(encoder, texts)
                per[i].append(spent)
                outputs.append(out)
            if identical and not all(
                np.array_equal(outputs[0], o) for o in outputs[1:]
            ):
                raise SystemExit(f"{case}: the encoders' numbers differ")
        seconds[case] = per
    return seconds


def cut(values: List[float]) -> Tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(values)
    return (
        1000 * statistics.median(ordered),
        1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
    )


PAUSED = "a turn after a second's pause"


def turn_cases(
    texts: List[str], rounds: int, paused: int
) -> Dict[str, List[List[str]]]:
    """A message, the recent turns and a turn (both, after a second's pause: the
    case PAUSED) from every third reply, as the newest of three turns read
    together."""
    if len(texts) < 3 * rounds + 3:
        raise SystemExit("too few replies in data/replies/ for the rounds asked")
    threes = [texts[i : i + 3] for i in range(0, 3 * rounds, 3)]
    messages = [three[-1] for three in threes]
    recent = [
        newest_turns_the_encoder_reads([t[-CONTEXT_CHARS_PER_TURN:] for t in three])
        for three in threes
    ]
    turns = [[m, r] for m, r in zip(messages, recent)]
    return {
        "a message": [[m] for m in messages],
        "the recent turns": [[r] for r in recent],
        "a turn (message + recent turns)": turns,
        PAUSED: turns[:paused],
    }


def print_table(names: Tuple[str, str], seconds: Dict[str, List[List[float]]]) -> None:
    """p50/p95 of two encoders per case, and the second's as a ratio of the first's."""
    print(
        f"| case | calls | {names[0]} p50 / p95 | {names[1]} p50 / p95 | "
        "ratio p50 / p95 |"
    )
    print("|---|---|---|---|---|")
    for case, (first, second) in seconds.items():
        (a50, a95), (b50, b95) = cut(first), cut(second)
        print(
            f"| {case} | {len(first)} | {a50:.1f} / {a95:.1f} ms | "
            f"{b50:.1f} / {b95:.1f} ms | {b50 / a50:.2f}x / {b95 / a95:.2f}x |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=150)
    parser.add_argument("--paused", type=int, default=30)
    args = parser.parse_args()
    texts = reply_texts(ROOT / "data" / "replies")
    encoders = [SentenceEncoder(threads=1), SentenceEncoder(threads=THREADS_PER_RUN)]
    for encoder in encoders:
        encoder.encode(["warm up", "warm up the second batch " * 20])
    cases = turn_cases(texts, args.rounds, args.paused)
    cases[f"bulk ({BULK_TEXTS} training replies, one call)"] = [texts[:BULK_TEXTS]]
    seconds = compare(encoders, cases, {PAUSED: 1.0})
    print(f"threads a run: 1 against {THREADS_PER_RUN}; outputs identical\n")
    print_table(("1 thread", f"{THREADS_PER_RUN} threads"), seconds)


if __name__ == "__main__":
    main()
