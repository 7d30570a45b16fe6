"""The sentence encoder in float32 against the shipped int8, in one process.

    .venv/bin/python -m benchmarks.encoder_precision [--rounds 150] [--texts 2000]

Both encoders are built from the same verified weights
(`SentenceEncoder(precision=...)`); int8 multiplies by the weight matrices in
int8 (encoder_graph.PRECISION). Compared on the replies of data/replies/:
- how close the embeddings are: cosine of each text's two embeddings, and how
  often a text's nearest neighbour among the others is the same (the
  classifiers are trained on the shipped embeddings, so this says how far the
  inputs moved, not how good the classifiers are: the quality benchmarks say
  that);
- speed, alternating the two call by call (a message, the recent turns, a
  turn after a second's pause, bulk encoding as in training);
- load time.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks.encoder_threads import (
    BULK_TEXTS,
    PAUSED,
    compare,
    print_table,
    reply_texts,
    turn_cases,
)
from bids_partner.language.sentence_encoder import SentenceEncoder
from bids_partner.settings import ROOT

PRECISIONS = ("float32", "int8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=150)
    parser.add_argument("--paused", type=int, default=30)
    parser.add_argument("--texts", type=int, default=BULK_TEXTS)
    args = parser.parse_args()

    texts = reply_texts(ROOT / "data" / "replies")
    encoders = []
    for precision in PRECISIONS:
        started = time.perf_counter()
        encoders.append(SentenceEncoder(precision=precision))
        print(f"load {precision}: {time.perf_counter() - started:.2f} s")

    sample = texts[: args.texts]
    # Also the warm-up before the timed cases.
    a, b = (encoder.encode(sample) for encoder in encoders)
    cosines = np.sum(a * b, axis=1)
    similar_a, similar_b = a @ a.T, b @ b.T
    np.fill_diagonal(similar_a, -2.0)
    np.fill_diagonal(similar_b, -2.0)
    same_neighbour = float(np.mean(similar_a.argmax(1) == similar_b.argmax(1)))
    print(f"\n{len(sample)} replies of data/replies/")
    print(
        f"cosine of the two embeddings: min {cosines.min():.4f}, "
        f"p1 {np.percentile(cosines, 1):.4f}, median {np.median(cosines):.4f}"
    )
    print(f"same nearest neighbour among the others: {same_neighbour:.3f}\n")

    cases = turn_cases(texts, args.rounds, args.paused)
    cases[f"bulk ({len(sample)} training replies, one call)"] = [sample]
    seconds = compare(encoders, cases, {PAUSED: 1.0}, identical=False)
    print_table(PRECISIONS, seconds)


if __name__ == "__main__":
    main()
