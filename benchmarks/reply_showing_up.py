"""The reply judge in the showing-up exercise: a reply read against the moment
the user described (the `su_bid` slot, the user's own words about someone
reaching for them), not against a partner's line in a scene.

Blind sets in tests/blind/replies/showing_up/ (written to
docs/labelling/showing-up-brief.md with the labelling guide, never trained or
tuned on). Each candidate judge is trained on data/replies/ (the shipped
options, as `rasa train` fits them), optionally without some writers (the judge
before they were added), and reads each reply as the exercise's NLU does:
judge() with config.yml's ask_when_against, a kind kept only when confident
(confident_kind); the rest is asked about, counted as a miss ("unjudged").

This measures the judge alone. The exercise also praises a reply the moves
classifier reads as turning toward (actions/coaching_forms.reply_move), which
this does not run.

    .venv/bin/python -m benchmarks.reply_showing_up [--without w27 w28]

Writes results/replies-bench/showing_up.md and prints it.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Dict, List, Sequence

from sklearn.metrics import confusion_matrix

from benchmarks.reply_compare import UNJUDGED, classifier_trainer
from bids_partner.contract import KINDS
from bids_partner.language.replies import accuracy_by_kind, is_too_short
from bids_partner.language.reply_data import (
    TOO_SHORT,
    LabelledReply,
    load_replies,
)
from bids_partner.rasa_plugins.nlu.reply_judge import ReplyJudge, shipped_classifier
from bids_partner.settings import ROOT, pipeline_options

TRAIN_DIR = ROOT / "data" / "replies"
BLIND_DIR = ROOT / "tests" / "blind" / "replies" / "showing_up"
OUT = ROOT / "results" / "replies-bench" / "showing_up.md"


def read(
    train: Sequence[LabelledReply], test: Sequence[LabelledReply]
) -> tuple[List[str], float]:
    """Each test reply's kind as the exercise's judge gives it (reply_compare's
    trainer of the shipped judge, with config.yml's threshold); training seconds."""
    ask = float(
        {**ReplyJudge.get_default_config(), **pipeline_options("ReplyJudge")}[
            "ask_when_against"
        ]
    )
    started = time.perf_counter()
    predict = classifier_trainer(build=shipped_classifier, ask_when_against=ask)(train)
    trained = time.perf_counter() - started
    return predict(test), trained


def table(name: str, gold: Sequence[str], predicted: Sequence[str]) -> List[str]:
    figures = accuracy_by_kind(gold, predicted)
    against_toward = sum(
        g == "against" and p == "toward" for g, p in zip(gold, predicted)
    )
    praised = sum(g != "toward" and p == "toward" for g, p in zip(gold, predicted))
    cells = " | ".join(f"{figures[k]:.3f}" for k in ("all", *KINDS))
    return [
        f"| {name} | {cells} | {against_toward} | {praised} of "
        f"{sum(g != 'toward' for g in gold)} |"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--without",
        nargs="*",
        default=[],
        help="also a judge trained without these writers (e.g. the newest)",
    )
    parser.add_argument("--sets", type=Path, default=BLIND_DIR)
    args = parser.parse_args()
    data = load_replies(TRAIN_DIR)
    blind = load_replies(args.sets)
    test = [r for r in blind if r.kind in KINDS]
    short = [r for r in blind if r.kind == TOO_SHORT]
    gold = [r.kind for r in test]
    candidates: Dict[str, Sequence[LabelledReply]] = {"shipped data": data}
    if args.without:
        candidates[f"without {' '.join(args.without)}"] = [
            r for r in data if r.writer not in args.without
        ]
    lines = [
        "# The reply judge in the showing-up exercise (blind)",
        "",
        f"Blind: {len(test)} judged replies to {len({r.partner for r in test})} "
        f"described moments, writers {sorted({r.writer for r in blind})}; "
        f"{sum(is_too_short(r.text) for r in short)} of {len(short)} too-short "
        f"replies caught, {sum(is_too_short(r.text) for r in test)} real replies "
        "taken as too short.",
        "",
        "| judge trained on | all | " + " | ".join(KINDS) + " | against judged "
        "toward | other kinds judged toward |",
        "|---|---|" + "---|" * len(KINDS) + "---|---|",
    ]
    matrices = []
    for name, train in candidates.items():
        predicted, trained = read(train, test)
        label = f"{name} ({len(train)} replies, {trained:.0f} s)"
        lines += table(label, gold, predicted)
        labels = [*KINDS, UNJUDGED]
        matrix = confusion_matrix(gold, predicted, labels=labels)
        matrices += ["", f"Confusion, {name} (rows gold, columns judged):", ""]
        matrices.append("| gold | " + " | ".join(labels) + " |")
        matrices.append("|---|" + "---|" * len(labels))
        for label, row in zip(labels[:-1], matrix[:-1]):
            matrices.append(f"| {label} | " + " | ".join(map(str, row)) + " |")
    text = "\n".join(lines + matrices) + "\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
