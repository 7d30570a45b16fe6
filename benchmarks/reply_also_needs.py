"""Does a reply judged toward also say the user's own need? ("toward, then my own
need": the rehearsal notes it, and a scene that practises the user's own need,
aim reach, counts it as met.)

Gold: the `also_needs` labels of the writers' toward replies in
data/replies/also_needs/ (docs/labelling/replies.md; a reply two labellers
disagree on is left out). Each labelled reply is judged cross-writer (the sorted
writers dealt into --folds groups, the judge as config.yml ships it, its own-need
reader fitted on the other writers' labels only), and the readings are cached, so
the candidates are compared without training again:

- own-need reader >= t: the model of language/own_need.py (shipped at 0.5);
- reach in a part >= t: a sentence or clause gives reach at least t (shipped before
  the labels: 0.3);
- reach+away in a part >= t: a limit said as a fact reads between away and reach;

each scored as precision and recall of "also needs" on the replies judged toward.
The reader is also scored leaving out one scene at a time (what a scene no
labeller saw would get). `--blind FILE` scores the shipped judge once on a blind
set whose toward replies carry `also_needs` (never used to choose).

    .venv/bin/python -m benchmarks.reply_also_needs [--folds 5] [--blind FILE]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Callable, Dict, List, Sequence

import numpy as np
import yaml

from bids_partner.language.own_need import (
    SAYS_OWN_NEED,
    OwnNeedReader,
    load_own_need_labels,
)
from bids_partner.language.replies import (
    ReplyClassifier,
    _read_parts,
    clauses,
    judge,
    sentences,
)
from bids_partner.language.reply_data import LabelledReply, load_replies
from bids_partner.rasa_plugins.nlu.reply_judge import shipped_classifier
from bids_partner.settings import ROOT

TRAIN_DIR = ROOT / "data" / "replies"
LABELS_DIR = TRAIN_DIR / "also_needs"
OUT_DIR = ROOT / "results" / "replies-bench"
CACHE = OUT_DIR / "also_needs_folds.json"
Reading = Dict[str, object]
Rule = Callable[[Reading], bool]


def parts_readings(
    classifier: ReplyClassifier, partner: str, text: str
) -> Dict[str, Dict[str, float]]:
    """Each sentence's and clause's ranking, as judge() reads them (none for a
    reply of one clause)."""
    if len(clauses(text)) < 2:
        return {}
    parts = _read_parts(classifier, partner, [*sentences(text), *clauses(text)])
    return {part: dict(ranking) for part, ranking in parts.items()}


def reading(classifier: ReplyClassifier, reply: LabelledReply) -> Reading:
    judgement = judge(classifier, reply.partner, reply.text)
    own_need = classifier.own_need
    return {
        "kind": judgement.get("kind"),
        "two_ways": judgement.get("two_ways"),
        "parts": parts_readings(classifier, reply.partner, reply.text),
        "own_need": float(own_need.probabilities([reply.text])[0])
        if own_need is not None
        else 0.0,
    }


def key(reply: LabelledReply) -> str:
    return f"{reply.writer}\t{reply.text}"


def cross_writer_readings(
    data: Sequence[LabelledReply], gold: Dict[str, bool], folds: int
) -> Dict[str, Reading]:
    writers = sorted({r.writer for r in data})
    found: Dict[str, Reading] = {}
    for group in (writers[i::folds] for i in range(folds)):
        classifier = shipped_classifier().fit(r for r in data if r.writer not in group)
        test = [r for r in data if r.writer in group and key(r) in gold]
        for reply in test:
            found[key(reply)] = reading(classifier, reply)
        print(f"  fold {group}: {len(test)} labelled replies read", flush=True)
    return found


def rules() -> Dict[str, Rule]:
    def reader_at(t: float) -> Rule:
        return lambda r: r["own_need"] >= t

    def reach_at(t: float) -> Rule:
        return lambda r: any(p["reach"] >= t for p in r["parts"].values())

    def own_side_at(t: float) -> Rule:
        return lambda r: any(p["reach"] + p["away"] >= t for p in r["parts"].values())

    found: Dict[str, Rule] = {}
    for t in (0.3, 0.4, SAYS_OWN_NEED, 0.6, 0.7):
        found[f"own-need reader >= {t}"] = reader_at(t)
    for t in (0.1, 0.2, 0.3):
        found[f"reach in a part >= {t}"] = reach_at(t)
    for t in (0.3, 0.5, 0.7):
        found[f"reach+away in a part >= {t}"] = own_side_at(t)
    return found


def table(readings: Dict[str, Reading], gold: Dict[str, bool]) -> List[str]:
    """Precision and recall of each rule over the replies judged toward."""
    toward = [k for k in gold if k in readings and readings[k]["kind"] == "toward"]
    rows = [
        f"judged toward: {len(toward)} of {len(gold)} toward-labelled; "
        f"{sum(gold[k] for k in toward)} of them also say a need",
        "",
        "| rule | flagged | precision | recall | F1 |",
        "|---|---|---|---|---|",
    ]
    for name, rule in rules().items():
        said = [rule(readings[k]) for k in toward]
        hit = sum(s and gold[k] for s, k in zip(said, toward))
        precision = hit / sum(said) if sum(said) else 0.0
        recall = hit / sum(gold[k] for k in toward) if toward else 0.0
        f1 = 2 * precision * recall / (precision + recall) if hit else 0.0
        rows.append(
            f"| {name} | {sum(said)} | {precision:.3f} | {recall:.3f} | {f1:.3f} |"
        )
    return rows


def leave_one_scene_out(
    data: Sequence[LabelledReply], gold: Dict[str, bool]
) -> List[str]:
    """The reader alone, each scene read by a model whose labels came from the
    other scenes (toward-labelled replies, whatever the judge makes of them)."""
    labelled = [r for r in data if key(r) in gold]
    rows = [
        "| scene left out | also need | flagged | right | falsely |",
        "|---|---|---|---|---|",
    ]
    total = [0, 0, 0]
    for scene in sorted({r.scene for r in labelled}):
        train = [r for r in labelled if r.scene != scene]
        test = [r for r in labelled if r.scene == scene]
        reader = OwnNeedReader().fit(
            [r.text for r in train], [gold[key(r)] for r in train]
        )
        said = reader.probabilities([r.text for r in test]) >= SAYS_OWN_NEED
        truth = np.array([gold[key(r)] for r in test])
        right = int((said & truth).sum())
        rows.append(
            f"| {scene} | {int(truth.sum())}/{len(test)} | {int(said.sum())} | "
            f"{right} | {int(said.sum()) - right} |"
        )
        total = [
            total[0] + int(truth.sum()),
            total[1] + int(said.sum()),
            total[2] + right,
        ]
    precision = total[2] / total[1] if total[1] else 0.0
    recall = total[2] / total[0] if total[0] else 0.0
    rows.append(
        f"\nleft out one scene at a time: precision {precision:.3f}, "
        f"recall {recall:.3f}"
    )
    return rows


def blind(path: Path, data: Sequence[LabelledReply]) -> List[str]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["replies"]
    classifier = shipped_classifier().fit(data)
    readings: Dict[str, Reading] = {}
    gold: Dict[str, bool] = {}
    right = 0
    for number, item in enumerate(items, start=1):
        found = reading(
            classifier, LabelledReply(item["partner"], item["text"], item["kind"])
        )
        readings[str(number)] = found
        right += found["kind"] == item["kind"] and not found["two_ways"]
        if item["kind"] == "toward":
            gold[str(number)] = bool(item["also_needs"])
    return [
        f"blind {path.name}: {len(items)} replies; kind judged right and not asked "
        f"about: {right}/{len(items)}",
        *table(readings, gold),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--refresh", action="store_true", help="judge the folds again")
    parser.add_argument("--blind", type=Path, help="a blind set, scored once")
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    data = load_replies(TRAIN_DIR)
    if args.blind:
        print("\n".join(blind(args.blind, data)))
        return
    labels, agreement = load_own_need_labels(LABELS_DIR)
    gold = {f"{writer}\t{text}": label for (writer, text), label in labels.items()}
    print(
        f"labels: {len(gold)} kept ({sum(gold.values())} also need); labelled "
        f"twice {agreement['twice']}, disagreed {agreement['disagree']}, "
        f"kappa {agreement['kappa']:.2f}"
    )
    cached = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    if (
        args.refresh
        or cached.get("folds") != args.folds
        or set(gold) - set(cached.get("readings", {}))
    ):
        readings = cross_writer_readings(data, gold, args.folds)
        CACHE.write_text(json.dumps({"folds": args.folds, "readings": readings}))
    else:
        readings = cached["readings"]
    print(f"\ncross-writer, {args.folds} groups of writers:")
    print("\n".join(table(readings, gold)))
    print("\nthe own-need reader, one scene left out at a time:")
    print("\n".join(leave_one_scene_out(data, gold)))


if __name__ == "__main__":
    main()
