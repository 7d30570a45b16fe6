"""Compares NLU pipelines on the held-out file and with k-fold cross-validation.

Prints macro-F1 over the seven relational moves and per-intent F1 for each
pipeline, writes confusion matrices and a JSON summary under results/nlu-bench/,
and, for the shipped config, the out-of-scope/fallback trade-off per threshold.

    .venv/bin/python -m benchmarks.nlu_compare [--folds 5] [--configs ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline

from bids_partner.contract import MOVES

ROOT = Path(__file__).resolve().parent.parent
TRAIN_DATA = ROOT / "data" / "nlu"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
OOS_PROBE = ROOT / "tests" / "nlu" / "out_of_scope_probe.yml"
OUT_DIR = ROOT / "results" / "nlu-bench"
CONFIGS = {
    "rasa_default_diet": ROOT / "benchmarks" / "configs" / "rasa_default.yml",
    "spacy_diet": ROOT / "benchmarks" / "configs" / "spacy_diet.yml",
    "spacy_logreg": ROOT / "benchmarks" / "configs" / "spacy_logreg.yml",
    "spacy_tfidf (shipped)": ROOT / "config.yml",
}
TFIDF = "tfidf_logreg_baseline"
SEED = 42

Examples = List[Tuple[str, str]]
# predictions: list of (intent, confidence) per example
Predictor = Callable[[Examples, Examples], Tuple[List[Tuple[str, float]], float]]


def load_examples(path: Path) -> Examples:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def write_nlu_yaml(examples: Examples, path: Path) -> None:
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    messages = [Message(data={"text": t, "intent": i}) for t, i in examples]
    path.write_text(TrainingData(training_examples=messages).nlu_as_yaml())


def top_intent(parse: Dict) -> Tuple[str, float]:
    """The classifier's own top intent and confidence, before any fallback."""
    ranking = [
        r for r in parse.get("intent_ranking", []) if r["name"] != "nlu_fallback"
    ]
    if not ranking:
        return "None", 0.0
    return ranking[0]["name"], float(ranking[0]["confidence"])


def rasa_predictor(config: Path) -> Predictor:
    def predict(
        train: Examples, test: Examples
    ) -> Tuple[List[Tuple[str, float]], float]:
        from rasa.core.agent import Agent
        from rasa.model_training import train_nlu

        with tempfile.TemporaryDirectory() as tmp:
            nlu_file = Path(tmp) / "nlu.yml"
            write_nlu_yaml(train, nlu_file)
            started = time.perf_counter()
            model = train_nlu(str(config), str(nlu_file), tmp, fixed_model_name="m")
            train_seconds = time.perf_counter() - started
            agent = Agent.load(model)

            async def parse_all() -> List[Tuple[str, float]]:
                return [top_intent(await agent.parse_message(t)) for t, _ in test]

            return asyncio.run(parse_all()), train_seconds

    return predict


def tfidf_predictor(
    train: Examples, test: Examples
) -> Tuple[List[Tuple[str, float]], float]:
    started = time.perf_counter()
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
        LogisticRegression(C=10, max_iter=2000, random_state=SEED),
    )
    model.fit([t for t, _ in train], [i for _, i in train])
    train_seconds = time.perf_counter() - started
    probabilities = model.predict_proba([t for t, _ in test])
    classes = model.classes_
    return [
        (classes[row.argmax()], float(row.max())) for row in probabilities
    ], train_seconds


@dataclass
class Result:
    name: str
    heldout_move_f1: float = 0.0
    heldout_all_f1: float = 0.0
    cv_move_f1: List[float] = field(default_factory=list)
    per_intent: Dict[str, float] = field(default_factory=dict)
    train_seconds: float = 0.0
    heldout_predictions: List[Tuple[str, float]] = field(default_factory=list)


def move_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    return float(
        f1_score(truth, predicted, labels=list(MOVES), average="macro", zero_division=0)
    )


def evaluate(
    name: str, predict: Predictor, train: Examples, heldout: Examples, folds: int
) -> Result:
    result = Result(name)
    predictions, result.train_seconds = predict(train, heldout)
    truth = [i for _, i in heldout]
    predicted = [p for p, _ in predictions]
    result.heldout_predictions = predictions
    result.heldout_move_f1 = move_f1(truth, predicted)
    labels = sorted(set(truth))
    result.heldout_all_f1 = float(
        f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)
    )
    per = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    result.per_intent = dict(zip(labels, map(float, per)))
    write_confusion(name, truth, predicted)
    if folds > 1:
        texts = np.array([t for t, _ in train], dtype=object)
        intents = np.array([i for _, i in train], dtype=object)
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
        for fold, (train_idx, test_idx) in enumerate(splitter.split(texts, intents), 1):
            fold_train = list(zip(texts[train_idx], intents[train_idx]))
            fold_test = list(zip(texts[test_idx], intents[test_idx]))
            fold_pred, _ = predict(fold_train, fold_test)
            score = move_f1([i for _, i in fold_test], [p for p, _ in fold_pred])
            result.cv_move_f1.append(score)
            print(
                f"  {name}: fold {fold}/{folds} move macro-F1 {score:.3f}", flush=True
            )
    return result


def write_confusion(name: str, truth: Sequence[str], predicted: Sequence[str]) -> None:
    labels = sorted(set(truth) | set(predicted))
    matrix = confusion_matrix(truth, predicted, labels=labels)
    slug = Path(name.split()[0]).stem
    lines = ["true\\predicted," + ",".join(labels)]
    lines += [
        f"{label}," + ",".join(map(str, row)) for label, row in zip(labels, matrix)
    ]
    (OUT_DIR / f"confusion_{slug}.csv").write_text("\n".join(lines) + "\n")


def top_confusions(
    truth: Sequence[str], predicted: Sequence[str], n: int = 5
) -> List[Tuple[str, str, int]]:
    pairs: Dict[Tuple[str, str], int] = {}
    for t, p in zip(truth, predicted):
        if t != p:
            pairs[(t, p)] = pairs.get((t, p), 0) + 1
    return sorted(((t, p, c) for (t, p), c in pairs.items()), key=lambda x: -x[2])[:n]


def fallback_table(
    probe: Examples,
    probe_predictions: List[Tuple[str, float]],
    heldout: Examples,
    predictions: List[Tuple[str, float]],
) -> List[str]:
    """Per threshold: unseen out-of-scope messages kept from being taken as a move,
    and what happens to the held-out moves (right, wrong, sent to fallback)."""
    rows = [
        "threshold | OOS probe not taken as a move | moves right | moves wrong"
        " | moves to fallback"
    ]
    moves = [(i, p, c) for (_, i), (p, c) in zip(heldout, predictions) if i in MOVES]
    n = max(len(moves), 1)
    for threshold in np.arange(0.2, 0.75, 0.05):
        safe = sum(p not in MOVES or c < threshold for p, c in probe_predictions)
        right = sum(p == i and c >= threshold for i, p, c in moves) / n
        wrong = sum(p != i and c >= threshold for i, p, c in moves) / n
        lost = sum(c < threshold for _, _, c in moves) / n
        rows.append(
            f"{threshold:9.2f} | {safe / max(len(probe), 1):29.1%} | {right:11.1%}"
            f" | {wrong:11.1%} | {lost:17.1%}"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--folds", type=int, default=5, help="0 or 1 skips cross-validation"
    )
    parser.add_argument("--configs", nargs="*", default=list(CONFIGS) + [TFIDF])
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    train = load_examples(TRAIN_DATA)
    heldout = load_examples(HELDOUT)
    print(
        f"training examples: {len(train)}, held-out examples: {len(heldout)}",
        flush=True,
    )
    results: List[Result] = []
    for name in args.configs:
        config = CONFIGS.get(name) or Path(name)  # a name above, or a config path
        predict = tfidf_predictor if name == TFIDF else rasa_predictor(config)
        print(f"evaluating {name} ...", flush=True)
        result = evaluate(name, predict, train, heldout, args.folds)
        results.append(result)
        cv = f"{np.mean(result.cv_move_f1):.3f}" if result.cv_move_f1 else "-"
        print(
            f"  {name}: held-out moves {result.heldout_move_f1:.3f}, "
            f"all intents {result.heldout_all_f1:.3f}, CV moves {cv}",
            flush=True,
        )

    print("\n## Macro-F1 over the seven relational moves\n")
    print(
        "| pipeline | held-out moves | held-out all intents"
        " | CV moves (mean ± sd) | train s |"
    )
    print("|---|---|---|---|---|")
    for r in results:
        cv = (
            f"{np.mean(r.cv_move_f1):.3f} ± {np.std(r.cv_move_f1):.3f}"
            if r.cv_move_f1
            else "-"
        )
        print(
            f"| {r.name} | {r.heldout_move_f1:.3f} | {r.heldout_all_f1:.3f}"
            f" | {cv} | {r.train_seconds:.0f} |"
        )
    print("\n## Held-out F1 per intent\n")
    print("| intent | " + " | ".join(r.name for r in results) + " |")
    print("|---|" + "---|" * len(results))
    for intent in results[0].per_intent:
        print(
            f"| {intent} | "
            + " | ".join(f"{r.per_intent.get(intent, 0):.2f}" for r in results)
            + " |"
        )
    truth = [i for _, i in heldout]
    for r in results:
        print(
            f"\nMost frequent held-out confusions, {r.name} (true -> predicted, count):"
        )
        for t, p, c in top_confusions(truth, [p for p, _ in r.heldout_predictions]):
            print(f"  {t} -> {p}: {c}")
    shipped = next((r for r in results if "shipped" in r.name), None)
    if shipped:
        print("\n## FallbackClassifier threshold, shipped config, held-out\n")
        probe = load_examples(OOS_PROBE)
        probe_predictions, _ = rasa_predictor(CONFIGS["spacy_tfidf (shipped)"])(
            train, probe
        )
        print(
            "\n".join(
                fallback_table(
                    probe, probe_predictions, heldout, shipped.heldout_predictions
                )
            )
        )
    summary = {
        r.name: {
            "heldout_move_f1": r.heldout_move_f1,
            "heldout_all_f1": r.heldout_all_f1,
            "cv_move_f1": r.cv_move_f1,
            "per_intent": r.per_intent,
            "train_seconds": r.train_seconds,
        }
        for r in results
    }
    (OUT_DIR / "summary.json").write_text(json.dumps(summary, indent=2))
    print(f"\nConfusion matrices and summary.json in {OUT_DIR}")


if __name__ == "__main__":
    main()
