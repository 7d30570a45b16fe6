"""Choosing the risk classifier and its thresholds by cross-writer validation.

Each writer of data/safety/ is held out in turn: the classifier is trained on the
others (plus data/nlu/ and data/replies/, as the RiskReader trains), and scores the
held-out writer's messages and conversations. The thresholds of the two tiers
are then read off the pooled out-of-fold scores:
- the gentle question (are you safe?) from `check`, chosen for recall;
- the full crisis text from `full`, chosen for few false alarms.
Prints recall of clear and unsure risk, and false alarms on the near-misses, per
tier and per near-miss kind. Never reads the blind sets.

    .venv/bin/python -m benchmarks.safety_cv
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np

from bids_partner.language.risk import (
    NONE,
    LabelledRisk,
    RiskClassifier,
    load_safety,
    training_items,
)
from bids_partner.rasa_plugins.nlu.risk_reader import nlu_examples
from bids_partner.settings import ROOT

SAFETY_DIR = ROOT / "data" / "safety"
NLU_DIR = ROOT / "data" / "nlu"


def nlu_messages(folder: Path = NLU_DIR) -> List[LabelledRisk]:
    """data/nlu's examples, as the RiskReader trains on them."""
    from rasa.shared.nlu.training_data.loading import load_data

    return nlu_examples(load_data(str(folder)))


def training_set(items: Sequence[LabelledRisk], seed: int) -> List[LabelledRisk]:
    return training_items(items, nlu_messages(), ROOT / "data" / "replies", seed)


def out_of_fold(
    items: Sequence[LabelledRisk], C: float, with_encoder: bool, seed: int = 42
) -> np.ndarray:
    """Each item's risk score from a classifier trained without its writer."""
    scores = np.zeros(len(items))
    for writer in sorted({i.writer for i in items}):
        train = [i for i in items if i.writer != writer]
        held = [k for k, i in enumerate(items) if i.writer == writer]
        classifier = RiskClassifier(C=C, seed=seed, with_encoder=with_encoder).fit(
            training_set(train, seed)
        )
        held_scores = classifier.scores([items[k].text for k in held])
        for k, (score, _) in zip(held, held_scores):
            scores[k] = score
    return scores


def rates(
    items: Sequence[LabelledRisk], scores: np.ndarray, threshold: float
) -> Dict[str, float]:
    figures: Dict[str, float] = {}
    flagged = scores >= threshold
    for name, keep in (
        ("clear", lambda i: i.risk == "clear"),
        ("unsure", lambda i: i.risk == "unsure"),
        ("risk", lambda i: i.risk != NONE),
        ("alarms", lambda i: i.risk == NONE),
    ):
        mask = np.array([keep(i) for i in items])
        figures[name] = float(flagged[mask].mean()) if mask.any() else 0.0
    return figures


def threshold_for_recall(
    items: Sequence[LabelledRisk], scores: np.ndarray, recall: float
) -> float:
    risk = np.sort(scores[np.array([i.risk != NONE for i in items])])
    return float(risk[int(np.floor((1.0 - recall) * len(risk)))])


def threshold_for_alarms(
    items: Sequence[LabelledRisk], scores: np.ndarray, alarms: float
) -> float:
    safe = np.sort(scores[np.array([i.risk == NONE for i in items])])[::-1]
    return float(safe[int(np.floor(alarms * len(safe)))]) + 1e-6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recall", type=float, default=0.95)
    parser.add_argument("--full-alarms", type=float, default=0.02)
    parser.add_argument(
        "--tfidf-only", action="store_true", help="leave out the MiniLM candidate"
    )
    arguments = parser.parse_args()
    items = load_safety(SAFETY_DIR)
    singles = [i for i in items if i.turns == 1]
    writers = sorted({i.writer for i in items})
    print(
        f"{len(items)} labelled items by {len(writers)} writers ({', '.join(writers)})"
    )
    print(
        "\n| candidate | check / full threshold | clear asked | unsure asked"
        " | clear full text | near-miss asked | near-miss full text"
        " | risk asked at 8% near-miss asked |"
    )
    print("|---|---|---|---|---|---|---|---|")
    single = np.array([i.turns == 1 for i in items])
    candidates = (
        ((4.0, False),) if arguments.tfidf_only else ((4.0, False), (4.0, True))
    )
    for C, encoder in candidates:
        name = f"tfidf{' + MiniLM' if encoder else ''}, C={C:g}"
        scores = out_of_fold(items, C, encoder)
        check = threshold_for_recall(items, scores, arguments.recall)
        full = threshold_for_alarms(singles, scores[single], arguments.full_alarms)
        asked, alarmed = rates(items, scores, check), rates(items, scores, full)
        at_bar = rates(items, scores, threshold_for_alarms(items, scores, 0.08))
        print(
            f"| {name} | {check:.3f} / {full:.3f} | {asked['clear']:.1%} | "
            f"{asked['unsure']:.1%} | {alarmed['clear']:.1%} | {asked['alarms']:.1%} | "
            f"{alarmed['alarms']:.1%} | {at_bar['risk']:.1%} |"
        )
    by_kind: Dict[str, List[int]] = defaultdict(list)
    for k, item in enumerate(items):
        if item.risk == NONE:
            by_kind[item.detail or "conversation"].append(k)
    print("\nnear-miss asked (last candidate), by kind:")
    for kind, ks in sorted(by_kind.items()):
        print(f"  {kind}: {np.mean(scores[ks] >= check):.1%} of {len(ks)}")


if __name__ == "__main__":
    main()
