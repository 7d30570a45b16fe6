"""Choosing the risk classifier and its thresholds by cross-writer validation.

Each writer of data/safety/ is held out in turn: the classifier is trained on the
others (plus data/nlu/ and data/replies/, as the RiskReader trains), and scores the
held-out writer's messages and conversations. The thresholds of the two tiers
are then read off the pooled out-of-fold scores:
- the gentle question (are you safe?) from `check`, chosen for recall (the
  shipped one since 2026-12-04: `--with-matcher`'s joint check, the patterns'
  catches counted, as the product asks);
- the full crisis text from `full`, chosen for few false alarms.
Prints recall of clear and unsure risk, and false alarms on the near-misses and
on everyday talk (data/nlu's ordinary examples, each scored by a classifier
trained without it), per tier and per near-miss kind. Never reads the blind sets.

    .venv/bin/python -m benchmarks.safety_cv
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

from bids_partner.language.risk import (
    NEAR_MISS_KINDS,
    NONE,
    LabelledRisk,
    RiskClassifier,
    load_safety,
    training_items,
)
from bids_partner.language.risk_shapes import shape_text
from bids_partner.rasa_plugins.nlu.risk_reader import nlu_examples
from bids_partner.settings import ROOT

SAFETY_DIR = ROOT / "data" / "safety"
NLU_DIR = ROOT / "data" / "nlu"


def nlu_messages(folder: Path = NLU_DIR) -> List[LabelledRisk]:
    """data/nlu's examples, as the RiskReader trains on them."""
    from rasa.shared.nlu.training_data.loading import load_data

    return nlu_examples(load_data(str(folder)))


def training_set(
    items: Sequence[LabelledRisk], nlu: Sequence[LabelledRisk], seed: int
) -> List[LabelledRisk]:
    return training_items(items, nlu, ROOT / "data" / "replies", seed)


def out_of_fold(
    items: Sequence[LabelledRisk],
    nlu: Sequence[LabelledRisk],
    C: float,
    with_encoder: bool,
    seed: int = 42,
    with_shapes: bool = False,
    train_only: Sequence[LabelledRisk] = (),
) -> Tuple[np.ndarray, np.ndarray]:
    """Each item's risk score from a classifier trained without its writer, and
    each of data/nlu's ordinary examples' (`nlu`, as nlu_messages reads it) from
    one trained without its share of them (dealt out over the writers' folds):
    how often everyday talk would be asked. The crisis examples always train, and
    so do `train_only` (writers whose effect is measured on the others' folds)."""
    crisis = [n for n in nlu if n.risk != NONE]
    ordinary = [n for n in nlu if n.risk == NONE]
    writers = sorted({i.writer for i in items})
    scores, ordinary_scores = np.zeros(len(items)), np.zeros(len(ordinary))
    for fold, writer in enumerate(writers):
        train = [*(i for i in items if i.writer != writer), *train_only]
        held = [k for k, i in enumerate(items) if i.writer == writer]
        held_ordinary = [k for k in range(len(ordinary)) if k % len(writers) == fold]
        kept = [o for k, o in enumerate(ordinary) if k % len(writers) != fold]
        classifier = RiskClassifier(
            C=C, seed=seed, with_encoder=with_encoder, with_shapes=with_shapes
        ).fit(training_set(train, [*crisis, *kept], seed))
        for ks, texts, into in (
            (held, [items[k].text for k in held], scores),
            (held_ordinary, [ordinary[k].text for k in held_ordinary], ordinary_scores),
        ):
            for k, (score, _) in zip(ks, classifier.scores(texts)):
                into[k] = score
    return scores, ordinary_scores


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


def matcher_found(items: Sequence[LabelledRisk]) -> List[list]:
    """The crisis patterns' catches of risk (not negated, idiom or joking) in
    each item's text. The patterns are rules, not fitted to data/safety, so
    their hits are as out-of-sample as the classifier's out-of-fold scores."""
    from bids_partner.rasa_plugins.nlu.crisis import default_detector

    detector = default_detector()
    docs = detector.nlp.pipe([i.text for i in items], batch_size=64)
    return [detector.find(doc) for doc in docs]


def counted_hits(found: Sequence[list], scores: np.ndarray, floor: float) -> np.ndarray:
    """Whether a pattern's catch counts as the CrisisMatcher counts it: `direct`
    ones always, the others where the classifier gives at least `floor`."""
    from bids_partner.rasa_plugins.nlu.crisis import Thresholds, counted

    thresholds = Thresholds(check=1.0, crisis=1.0, context=1.0, pattern_floor=floor)
    return np.array(
        [bool(counted(f, {"score": s}, thresholds)) for f, s in zip(found, scores)]
    )


def joint_check(
    items: Sequence[LabelledRisk], scores: np.ndarray, hits: np.ndarray, recall: float
) -> float:
    """The highest check threshold at which the patterns or the classifier ask
    about `recall` of the risk items (the patterns' catches let it rise)."""
    risk = np.array([i.risk != NONE for i in items])
    best = float(np.min(scores[risk]))
    for threshold in np.unique(scores[risk]):
        if np.mean((hits | (scores >= threshold))[risk]) >= recall:
            best = float(threshold)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recall", type=float, default=0.95)
    parser.add_argument("--full-alarms", type=float, default=0.02)
    only = parser.add_mutually_exclusive_group()
    only.add_argument(
        "--tfidf-only", action="store_true", help="leave out the MiniLM candidate"
    )
    only.add_argument(
        "--encoder-only", action="store_true", help="only the shipped candidate"
    )
    parser.add_argument(
        "--with-matcher",
        action="store_true",
        help="also the check chosen with the patterns' catches counted (joint_check)",
    )
    parser.add_argument(
        "--with-shapes",
        action="store_true",
        help="the MiniLM candidate with the negation and past marks (risk_shapes)",
    )
    parser.add_argument(
        "--train-only",
        nargs="*",
        default=[],
        metavar="WRITER",
        help="writers trained on in every fold but not measured (what they add)",
    )
    parser.add_argument(
        "--leave-out",
        nargs="*",
        default=[],
        metavar="WRITER",
        help="writers neither trained on nor measured (the figures before them)",
    )
    parser.add_argument(
        "--save-scores",
        type=Path,
        metavar="FILE.npz",
        help="keep the last candidate's out-of-fold scores, to study the patterns "
        "beside them without retraining (texts, labels, scores, everyday scores)",
    )
    arguments = parser.parse_args()
    every = load_safety(SAFETY_DIR)
    items = [
        i
        for i in every
        if i.writer not in arguments.train_only and i.writer not in arguments.leave_out
    ]
    train_only = [i for i in every if i.writer in arguments.train_only]
    singles = [i for i in items if i.turns == 1]
    writers = sorted({i.writer for i in items})
    print(
        f"{len(items)} labelled items by {len(writers)} writers ({', '.join(writers)})"
        + (
            f"; trained on in every fold: {', '.join(arguments.train_only)}"
            if train_only
            else ""
        )
    )
    print(
        "\n| candidate | check / full threshold | clear asked | unsure asked"
        " | clear full text | near-miss asked | near-miss full text"
        " | everyday talk asked | everyday talk full text"
        " | risk asked at 8% near-miss asked |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    single = np.array([i.turns == 1 for i in items])
    nlu = nlu_messages()
    encoders = [False, True]
    if arguments.tfidf_only or arguments.encoder_only:
        encoders = [arguments.encoder_only]
    C = 4.0
    for encoder in encoders:
        # The marks are a candidate, off in config.yml.
        shapes = encoder and arguments.with_shapes
        name = f"tfidf{' + MiniLM' if encoder else ''}{' + shapes' if shapes else ''}"
        scores, everyday = out_of_fold(
            items, nlu, C, encoder, with_shapes=shapes, train_only=train_only
        )
        check = threshold_for_recall(items, scores, arguments.recall)
        full = threshold_for_alarms(singles, scores[single], arguments.full_alarms)
        asked, alarmed = rates(items, scores, check), rates(items, scores, full)
        at_bar = rates(items, scores, threshold_for_alarms(items, scores, 0.08))
        name += f", C={C:g}"
        print(
            f"| {name} | {check:.3f} / {full:.3f} | {asked['clear']:.1%} | "
            f"{asked['unsure']:.1%} | {alarmed['clear']:.1%} | {asked['alarms']:.1%} | "
            f"{alarmed['alarms']:.1%} | {np.mean(everyday >= check):.1%} | "
            f"{np.mean(everyday >= full):.1%} | {at_bar['risk']:.1%} |"
        )
    if arguments.save_scores:
        np.savez(
            arguments.save_scores,
            texts=np.array([i.text for i in items]),
            risk=np.array([i.risk for i in items]),
            detail=np.array([i.detail or "" for i in items]),
            writer=np.array([i.writer for i in items]),
            turns=np.array([i.turns for i in items]),
            scores=scores,
            everyday=everyday,
        )
    if arguments.with_matcher:
        found = matcher_found(items)
        hits = np.array([bool(f) for f in found])
        risk = np.array([i.risk != NONE for i in items])
        hard = np.array([i.risk == NONE and i.detail in NEAR_MISS_KINDS for i in items])
        past = np.array([i.detail == "past_resolved" for i in items])
        print("\npatterns or classifier (last candidate), out of fold:")
        print(
            f"  patterns alone: risk {hits[risk].mean():.1%}, "
            f"hard {hits[hard].mean():.1%}"
        )
        for label, t in (
            ("check as chosen above", check),
            ("joint check", joint_check(items, scores, hits, arguments.recall)),
        ):
            asked = hits | (scores >= t)
            print(
                f"  {label} {t:.3f}: risk asked {asked[risk].mean():.1%}, hard "
                f"near-misses asked {asked[hard].mean():.1%} (classifier alone "
                f"{(scores >= t)[hard].mean():.1%}), everyday talk asked by the "
                f"classifier {np.mean(everyday >= t):.1%}"
            )
        # A pattern's catch in a message that tells a past and then the present
        # ("he hit me years ago, I'm safe now": risk_shapes' past_then_now)
        # left to the classifier alone.
        told_over = np.array(["past_then_now" in shape_text(i.text) for i in items])
        kept = hits & ~told_over
        asked = kept | (scores >= check)
        print(
            f"  patterns but not past-then-now, check {check:.3f}: risk asked "
            f"{asked[risk].mean():.1%}, hard near-misses asked {asked[hard].mean():.1%}"
            f" (past_resolved {asked[past].mean():.1%}); risk lost "
            f"{int(((hits | (scores >= check)) & ~asked)[risk].sum())}"
        )

        def rechosen(label: str, kept: np.ndarray) -> float:
            """The check re-chosen for the recall with only `kept` pattern
            catches, as the shipped one is chosen; prints what it asks."""
            t = joint_check(items, scores, kept, arguments.recall)
            asked = kept | (scores >= t)
            print(
                f"  {label}: check {t:.3f}, risk asked {asked[risk].mean():.1%}, "
                f"hard near-misses asked {asked[hard].mean():.1%} (past_resolved "
                f"{asked[past].mean():.1%}), everyday talk asked by the classifier "
                f"{np.mean(everyday >= t):.1%}"
            )
            return t

        t = rechosen("patterns but not past-then-now, joint check", kept)
        # Training data, so the risk it gives up can be read.
        for k in np.flatnonzero(risk & hits & told_over & (scores < t)):
            print(f"    risk left to the classifier ({scores[k]:.2f}): {items[k].text}")
        # A pattern's catch counted only where the classifier gives at least
        # `floor` (the check re-chosen for the recall each time), and as the
        # CrisisMatcher counts it: `direct` patterns whatever the score (the
        # shipped pattern_floor is 0.1).
        for floor in (0.02, 0.05, 0.1, 0.2):
            rechosen(f"patterns only above {floor}", hits & (scores >= floor))
            rechosen(
                f"direct patterns, the others above {floor}",
                counted_hits(found, scores, floor),
            )
    by_kind: Dict[str, List[int]] = defaultdict(list)
    for k, item in enumerate(items):
        if item.risk == NONE:
            by_kind[item.detail or "conversation"].append(k)
    # The product's bar is on the hard kinds, everyday talk apart.
    by_kind["hard (all but everyday)"] = [
        k for kind, ks in by_kind.items() if kind in NEAR_MISS_KINDS for k in ks
    ]
    print("\nnear-miss asked / full text (last candidate), by kind:")
    for kind, ks in sorted(by_kind.items()):
        print(
            f"  {kind}: {np.mean(scores[ks] >= check):.1%} /"
            f" {np.mean(scores[ks] >= full):.1%} of {len(ks)}"
        )


if __name__ == "__main__":
    main()
