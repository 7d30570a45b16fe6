"""Compares ways of judging a reply to the partner: toward, away, against, reach.

Candidates:
- moves: the judgement before this benchmark, the moves' TF-IDF classifier on the
  reply alone (data/nlu), its move mapped to a kind (MOVE_KIND);
- reply: TF-IDF + logistic regression trained on the labelled replies, reply alone;
- pair: the same with the partner's line and partner-word x reply-word crossings;
- encoder, pair+encoder: all-MiniLM-L6-v2 embeddings of the reply and of its
  product with the partner line's (frozen), alone and added to the pair features
  (bids_partner.language.replies.ReplyClassifier; pair+encoder with its second
  look is shipped in rasa_plugins/nlu, chosen by the rule below). Fine-tuning
  the encoder is not among them (not done: see the closing note of the issue).

Chosen by leave-one-writer-out cross-validation on data/replies/ (each writer's
fold is tested on a voice the model never saw). The blind sets (tests/blind/replies/,
written by others who saw none of the data) are then scored once for every
candidate and reported beside it, never used to choose; each blind set also
apart, since a new set's first figure is the honest one. Every classifier
candidate judges as the rehearsal does (judge(): sentences and clauses too, too
short not judged, a judgement below the rehearsal's confidence asked about:
"unjudged", counted as a miss). Also: the too-short rule, and the scenes' own suggested
replies (each should read as toward, confidently).

    .venv/bin/python -m benchmarks.reply_compare      (make bench-replies)

Writes results/replies-bench/summary.md, confusion matrices (CSV) and a JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

from sklearn.metrics import confusion_matrix

from bids_partner.coaching import load_scenarios
from bids_partner.coaching.rehearsal.play import confident_kind, judgement_meets_aim
from bids_partner.contract import KINDS, MOVE_KIND, REPLY_JUDGEMENT_KEY
from bids_partner.language.replies import (
    ASK_WHEN_AGAINST,
    ReplyClassifier,
    accuracy_by_kind,
    is_too_short,
    judge,
)
from bids_partner.language.reply_data import TOO_SHORT, LabelledReply, load_replies
from bids_partner.language.text_features import embed
from bids_partner.rasa_plugins.nlu.reply_judge import shipped_classifier
from bids_partner.settings import ROOT

TRAIN_DIR = ROOT / "data" / "replies"
# Minimal pairs (w8, w9): measured as extra training data, not shipped.
PAIRS_DIR = TRAIN_DIR / "minimal_pairs"
BLIND_DIR = ROOT / "tests" / "blind" / "replies"
NLU_DIR = ROOT / "data" / "nlu"
OUT_DIR = ROOT / "results" / "replies-bench"
# The writers added last (written to the guide's settled boundary cases).
LATEST_WRITERS = ("w27", "w28")
UNJUDGED = "unjudged"

# A predictor may also say, into `reached`, which toward replies also made the
# user's own bid (the rehearsal counts those for a scene that aims at reach).
Predict = Callable[..., List[str]]
Trainer = Callable[[Sequence[LabelledReply]], Predict]


def moves_trainer(_: Sequence[LabelledReply]) -> Predict:
    """The moves classifier on the reply alone; its training data is data/nlu."""
    import tempfile

    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.message import Message

    from bids_partner.rasa_plugins.nlu.tfidf_classifier import TfidfIntentClassifier

    # The trained model stays in memory; the file it writes is not needed.
    with tempfile.TemporaryDirectory() as folder:
        classifier = TfidfIntentClassifier.create(
            {"C": 10.0},
            LocalModelStorage(Path(folder)),
            Resource("moves"),
            ExecutionContext(GraphSchema({}), "bench"),
        )
        classifier.train(load_data(str(NLU_DIR)))

    def predict(
        replies: Sequence[LabelledReply], reached: List[bool] | None = None
    ) -> List[str]:
        messages = classifier.process([Message(data={"text": r.text}) for r in replies])
        if reached is not None:
            reached.extend(False for _ in replies)
        return [MOVE_KIND.get(m.get("intent")["name"], UNJUDGED) for m in messages]

    return predict


def classifier_trainer(
    without: Sequence[str] = (),
    extra: Sequence[LabelledReply] = (),
    ask_when_against: float = ASK_WHEN_AGAINST,
    build: Callable[[], ReplyClassifier] | None = None,
    **features: bool,
) -> Trainer:
    """`without`: writers left out of training (the same model on older data);
    `extra`: replies added to every training set, never a cross-writer fold;
    `ask_when_against`: a toward judgement that gives against at least this much
    is asked about, as the rehearsal does (1.0 never asks); `build`: the
    untrained classifier to fit instead of ReplyClassifier(**features)."""

    def train(replies: Sequence[LabelledReply]) -> Predict:
        kept = [r for r in replies if r.writer not in without] + list(extra)
        classifier = (build() if build else ReplyClassifier(**features)).fit(kept)

        def predict(
            batch: Sequence[LabelledReply], reached: List[bool] | None = None
        ) -> List[str]:
            # As the rehearsal judges: judge() also reads the reply's sentences
            # ("toward, then my own need" is toward); too short is not judged.
            # A judgement the rehearsal is not sure of is asked about, never
            # scored: it counts as a miss here.
            judgements = [
                judge(classifier, r.partner, r.text, ask_when_against) for r in batch
            ]
            if reached is not None:
                reached.extend(bool(j.get("also_reached")) for j in judgements)
            return [
                confident_kind({REPLY_JUDGEMENT_KEY: j}) or UNJUDGED for j in judgements
            ]

        return predict

    return train


def judged(replies: Sequence[LabelledReply]) -> List[LabelledReply]:
    return [r for r in replies if r.kind in KINDS]


def cross_writer(
    train: Trainer,
    data: Sequence[LabelledReply],
    folds: int = 0,
    train_only: Sequence[str] = (),
) -> Tuple[list, list]:
    """Each writer's replies judged by a model that never saw that writer: one
    fold per writer, or with `folds`, the sorted writers dealt into that many
    groups (quicker). Writers in `train_only` are in every fold's training and
    never judged, so a candidate with and without them is scored on the same
    replies."""
    writers = sorted({r.writer for r in data} - set(train_only))
    groups = (
        [writers[i::folds] for i in range(folds)]
        if folds
        else [[writer] for writer in writers]
    )
    gold: List[str] = []
    predicted: List[str] = []
    for group in groups:
        test = judged([r for r in data if r.writer in group])
        predict = train([r for r in data if r.writer not in group])
        gold += [r.kind for r in test]
        predicted += predict(test)
    return gold, predicted


def suggested_replies() -> List[Tuple[LabelledReply, Tuple[str, ...]]]:
    """Each scene's suggestion per kind (Scenario.suggested_replies), as an answer
    to the scene's opening line, with the scene's aim: every one of them meets it
    (turning toward, unless the scene practises the user's own need)."""
    return [
        (LabelledReply(scene.opening, reply, scene.aim[0]), tuple(scene.aim))
        for scene in load_scenarios().values()
        for reply in scene.suggested_replies
    ]


def suggestions_meeting_aim(
    predict: Predict, suggestions: Sequence[Tuple[LabelledReply, Tuple[str, ...]]]
) -> int:
    """How many suggestions `predict` judges as meeting their scene's aim, counted
    as the rehearsal counts a judged reply (judgement_meets_aim)."""
    reached: List[bool] = []
    kinds = predict([r for r, _ in suggestions], reached)
    judgements = [
        {"kind": kind, "confidence": 1.0, "also_reached": also}
        for kind, also in zip(kinds, reached)
    ]
    return sum(
        judgement_meets_aim(judgement, aim)
        for judgement, (_, aim) in zip(judgements, suggestions)
    )


def table_row(name: str, figures: Dict[str, float]) -> str:
    cells = " | ".join(f"{figures[k]:.3f}" for k in ("all", *KINDS))
    return f"| {name} | {cells} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only",
        nargs="*",
        help="run only the candidates whose names contain one of these (e.g. shipped)",
    )
    parser.add_argument(
        "--sets",
        nargs="*",
        help="judge only these blind sets (e.g. b15: a new set measured once)",
    )
    parser.add_argument(
        "--no-cross-writer",
        action="store_true",
        help="skip leave-one-writer-out: train once on all data, judge the blind sets",
    )
    parser.add_argument(
        "--folds",
        type=int,
        default=0,
        help="cross-writer over this many groups of writers instead of one per writer",
    )
    parser.add_argument(
        "--train-only",
        nargs="*",
        default=(),
        help="writers always trained on, never judged cross-writer (e.g. the latest)",
    )
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    data = load_replies(TRAIN_DIR)
    blind = load_replies(BLIND_DIR)
    if args.sets:
        blind = [r for r in blind if r.writer in args.sets]
        if not blind:
            parser.error(f"no blind replies by {args.sets} in {BLIND_DIR}")
    candidates: Dict[str, Trainer] = {
        "moves (before)": moves_trainer,
        "reply": classifier_trainer(with_partner=False, with_encoder=False),
        "pair": classifier_trainer(with_partner=True, with_encoder=False),
    }
    try:
        embed(["check that the encoder loads"])
        candidates["encoder"] = classifier_trainer(with_encoder=True, with_tfidf=False)
        # Shipped: a second look at each toward judgement, from how the reply's
        # clauses read, that may make it against.
        candidates["pair+encoder, second look (shipped)"] = classifier_trainer(
            build=shipped_classifier
        )
        # The shipped model on the data before the latest writers, to measure
        # what their replies change on the same folds and blind sets.
        candidates[f"shipped, without {' '.join(LATEST_WRITERS)} (before)"] = (
            classifier_trainer(without=LATEST_WRITERS, build=shipped_classifier)
        )
        candidates["pair+encoder, no second look (before)"] = classifier_trainer(
            with_encoder=True
        )
        # As it was before it asked about replies heard two ways (toward
        # judgements that give against ASK_WHEN_AGAINST or more).
        candidates["pair+encoder, never asks two ways (before)"] = classifier_trainer(
            ask_when_against=1.0, with_encoder=True
        )
        # The shipped model with the minimal pairs added to its training, to
        # measure what that data changes on the same folds and blind sets.
        candidates["pair+encoder, with minimal pairs w8 w9"] = classifier_trainer(
            extra=load_replies(PAIRS_DIR), with_encoder=True
        )
    except Exception as error:  # the encoder is optional here: say why it is missing
        print(f"(encoder candidates left out: {type(error).__name__}: {error})")
    if args.only:
        candidates = {
            name: trainer
            for name, trainer in candidates.items()
            if any(part in name for part in args.only)
        }

    report = {"cross_writer": {}, "blind": {}, "latency_ms": {}, "train_s": {}}
    lines = [
        "# Judging a reply: toward / away / against / reach",
        "",
        f"Training replies: {len(judged(data))} judged + "
        f"{sum(r.kind == TOO_SHORT for r in data)} too short, writers "
        f"{sorted({r.writer for r in data})}; blind: {len(judged(blind))} judged + "
        f"{sum(r.kind == TOO_SHORT for r in blind)} too short, writers "
        f"{sorted({r.writer for r in blind})}.",
        "",
        "| candidate | set | all | " + " | ".join(KINDS) + " |",
        "|---|---|---|" + "---|" * len(KINDS),
    ]
    suggestions = suggested_replies()
    for name, trainer in candidates.items():
        if not args.no_cross_writer:
            gold, predicted = cross_writer(trainer, data, args.folds, args.train_only)
            cv = accuracy_by_kind(gold, predicted)
            report["cross_writer"][name] = cv
            lines.append(table_row(name, cv).replace(" | ", " | cross-writer | ", 1))
        started = time.perf_counter()
        predict = trainer(data)
        train_s = time.perf_counter() - started
        started = time.perf_counter()
        blind_predicted = predict(judged(blind))
        latency = (time.perf_counter() - started) / len(judged(blind)) * 1000
        blind_gold = [r.kind for r in judged(blind)]
        on_blind = accuracy_by_kind(blind_gold, blind_predicted)
        aim_suggestions = suggestions_meeting_aim(predict, suggestions)
        report["blind"][name] = on_blind
        report["latency_ms"][name] = latency
        report["train_s"][name] = train_s
        report.setdefault("suggestions_meeting_aim", {})[name] = aim_suggestions
        against_as_toward = sum(
            g == "against" and p == "toward"
            for g, p in zip(blind_gold, blind_predicted)
        )
        report.setdefault("blind_against_as_toward", {})[name] = against_as_toward
        lines.append(table_row(f"{name}", on_blind).replace(" | ", " | blind | ", 1))
        # Each blind set apart too: a set is measured once per change, so a new
        # set's first figure is the honest one.
        writers = [r.writer for r in judged(blind)]
        for writer in sorted(set(writers)):
            mask = [w == writer for w in writers]
            gold_w = [g for g, m in zip(blind_gold, mask) if m]
            predicted_w = [p for p, m in zip(blind_predicted, mask) if m]
            on_set = accuracy_by_kind(gold_w, predicted_w)
            report.setdefault("blind_by_set", {}).setdefault(name, {})[writer] = {
                **on_set,
                "against_as_toward": sum(
                    g == "against" and p == "toward"
                    for g, p in zip(gold_w, predicted_w)
                ),
            }
            row = table_row(f"{name}", on_set)
            lines.append(row.replace(" | ", f" | blind {writer} | ", 1))
        labels = [*KINDS, UNJUDGED]
        matrix = confusion_matrix(blind_gold, blind_predicted, labels=labels)
        slug = re.sub(r"\W+", "_", name).strip("_")
        if args.sets:
            slug += "_" + "_".join(args.sets)
        with (OUT_DIR / f"confusion_blind_{slug}.csv").open("w") as file:
            file.write("gold\\predicted," + ",".join(labels) + "\n")
            for label, row in zip(labels, matrix):
                file.write(label + "," + ",".join(map(str, row)) + "\n")
        cv_all = report["cross_writer"].get(name, {}).get("all", float("nan"))
        print(f"{name}: cross-writer {cv_all:.3f}, blind {on_blind['all']:.3f}")

    header = (
        "| candidate | train (s) | per reply (ms) | suggestions meeting aim | "
        "blind against judged toward |"
    )
    lines += ["", header, "|---|---|---|---|---|"]
    for name in candidates:
        lines.append(
            f"| {name} | {report['train_s'][name]:.1f} | "
            f"{report['latency_ms'][name]:.2f} | "
            f"{report['suggestions_meeting_aim'][name]} of {len(suggestions)} | "
            f"{report['blind_against_as_toward'][name]} |"
        )
    short_rule = {}
    for label, replies in (("training", data), ("blind", blind)):
        short = [r for r in replies if r.kind == TOO_SHORT]
        other = judged(replies)
        short_rule[label] = {
            "too_short_caught": sum(is_too_short(r.text) for r in short),
            "too_short": len(short),
            "judged_taken_as_short": sum(is_too_short(r.text) for r in other),
            "judged": len(other),
        }
    report["too_short_rule"] = short_rule
    lines += ["", "Too-short rule (not judged, the coach asks for words):", ""]
    for label, figures in short_rule.items():
        lines.append(
            f"- {label}: {figures['too_short_caught']} of {figures['too_short']} "
            f"too-short replies caught; {figures['judged_taken_as_short']} of "
            f"{figures['judged']} real replies taken as too short"
        )
    # A run of some candidates keeps the full run's summary.
    stem = "summary" + ("-" + "-".join(args.only) if args.only else "")
    if args.sets:
        stem += "-" + "-".join(args.sets)
    stem = re.sub(r"[^\w-]+", "_", stem)
    (OUT_DIR / f"{stem}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUT_DIR / f"{stem}.json").write_text(json.dumps(report, indent=2))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
