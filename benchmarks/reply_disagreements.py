"""A second reading of disputed training labels (docs/labelling/relabelling.md).

1. ``find``: training replies whose label the judge, trained without their
   writer, does not give (leave-one-writer-out over data/replies with the shipped
   judge, judged as the rehearsal judges: an asked-about reply is a
   disagreement). Never reads tests/blind.
2. ``sheet``: those replies and a seeded random sample of agreed ones (the
   controls), shuffled, without labels, for two annotators; the key (which item
   is which reply, its label, whether it is a control) is kept apart.
3. ``apply``: where both annotators give the same kind and it is not the
   writer's, the label in data/replies/ changes, with a comment saying so.

    .venv/bin/python -m benchmarks.reply_disagreements find
    .venv/bin/python -m benchmarks.reply_disagreements sheet OUT_DIR
    .venv/bin/python -m benchmarks.reply_disagreements apply KEY A.yml B.yml
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

from benchmarks.reply_compare import classifier_trainer, cross_writer
from bids_partner.contract import KINDS
from bids_partner.language.reply_data import LabelledReply, load_replies
from bids_partner.rasa_plugins.nlu.reply_judge import shipped_classifier
from bids_partner.settings import ROOT

TRAIN_DIR = ROOT / "data" / "replies"
FOUND = ROOT / "results" / "replies-bench" / "cv-disagreements.yml"
CONTROLS = 150
SEED = 1204


def numbered(data: Sequence[LabelledReply]) -> List[Tuple[int, LabelledReply]]:
    """Each reply with its number in its writer's file, from 1 (load_replies keeps
    file order, one file per writer): how the key and `apply` find it."""
    seen: Counter = Counter()
    found = []
    for reply in data:
        seen[reply.writer] += 1
        found.append((seen[reply.writer], reply))
    return found


def find() -> None:
    data = load_replies(TRAIN_DIR)
    gold, predicted = cross_writer(classifier_trainer(build=shipped_classifier), data)
    # cross_writer's order: writers sorted, each writer's judged replies in turn.
    judged = [(n, r) for n, r in numbered(data) if r.kind in KINDS]
    tested = sorted(judged, key=lambda pair: pair[1].writer)
    assert gold == [r.kind for _, r in tested]
    found = [
        {
            "writer": reply.writer,
            "number": number,
            "scene": reply.scene,
            "partner": reply.partner,
            "text": reply.text,
            "label": reply.kind,
            # str(): the judge's kinds are numpy strings, which YAML cannot write.
            "judged": str(kind),
        }
        for (number, reply), kind in zip(tested, predicted)
        if kind != reply.kind
    ]
    FOUND.parent.mkdir(parents=True, exist_ok=True)
    FOUND.write_text(
        yaml.safe_dump(found, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    print(f"{len(found)} disagreements of {len(tested)} -> {FOUND}")
    for (label, kind), count in Counter(
        (f["label"], f["judged"]) for f in found
    ).most_common():
        print(f"  labelled {label}, judged {kind}: {count}")


def sheet(out: Path) -> None:
    disputed = yaml.safe_load(FOUND.read_text(encoding="utf-8"))
    taken = {(d["writer"], d["number"]) for d in disputed}
    agreed = [
        {"writer": r.writer, "number": n, "scene": r.scene, "partner": r.partner,
         "text": r.text, "label": r.kind}
        for n, r in numbered(load_replies(TRAIN_DIR))
        if r.kind in KINDS and (r.writer, n) not in taken
    ]  # fmt: skip
    rng = random.Random(SEED)
    items = [dict(d, control=False) for d in disputed] + [
        dict(a, control=True) for a in rng.sample(agreed, CONTROLS)
    ]
    rng.shuffle(items)
    out.mkdir(parents=True, exist_ok=True)
    key, shown = [], []
    for number, item in enumerate(items, start=1):
        key.append({"id": number, **{k: item[k] for k in
                    ("writer", "number", "label", "control")}})  # fmt: skip
        shown.append({"id": number, "scene": item["scene"],
                      "partner": item["partner"], "reply": item["text"]})  # fmt: skip
    (out / "key.yml").write_text(yaml.safe_dump(key, sort_keys=False), "utf-8")
    (out / "items.yml").write_text(
        yaml.safe_dump(shown, allow_unicode=True, sort_keys=False, width=100),
        "utf-8",
    )
    print(f"{len(items)} items ({CONTROLS} controls) -> {out}")


def _kind_lines(path: Path) -> List[int]:
    """The line (0-based) of each reply's `kind:` value, in file order."""
    root = yaml.compose(path.read_text(encoding="utf-8"))
    replies = next(v for k, v in root.value if k.value == "replies")
    return [
        next(v.start_mark.line for k, v in item.value if k.value == "kind")
        for item in replies.value
    ]


def apply(key_file: Path, first: Path, second: Path, note: str) -> None:
    key = {k["id"]: k for k in yaml.safe_load(key_file.read_text("utf-8"))}
    a = {int(i): str(k) for i, k in yaml.safe_load(first.read_text("utf-8")).items()}
    b = {int(i): str(k) for i, k in yaml.safe_load(second.read_text("utf-8")).items()}
    missing = set(key) - set(a) | set(key) - set(b)
    if missing:
        raise SystemExit(f"{len(missing)} items unlabelled, e.g. {sorted(missing)[:5]}")
    changes: Dict[str, Dict[int, str]] = {}
    counts: Counter = Counter()
    for number, item in key.items():
        group = "control" if item["control"] else "disputed"
        counts[group] += 1
        counts[group, "annotators agree"] += a[number] == b[number]
        counts[group, "annotators agree with writer"] += (
            a[number] == b[number] == item["label"]
        )
        if a[number] == b[number] != item["label"] and a[number] in KINDS:
            counts[group, "changed"] += 1
            counts[group, f"{item['label']} -> {a[number]}"] += 1
            changes.setdefault(item["writer"], {})[item["number"]] = a[number]
    for writer, changed in changes.items():
        path = TRAIN_DIR / f"{writer}.yml"
        lines = path.read_text(encoding="utf-8").split("\n")
        positions = _kind_lines(path)
        for number, kind in changed.items():
            index = positions[number - 1]
            old = re.search(r"kind:\s*(\w+)", lines[index])
            assert old is not None, (path, index)
            lines[index] = (
                lines[index][: old.start()]
                + f"kind: {kind}  # relabelled {note}: was {old.group(1)}"
                + " (two annotators)"
            )
        path.write_text("\n".join(lines), encoding="utf-8")
    for name, value in sorted(counts.items(), key=str):
        print(name, value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("find")
    sheet_step = steps.add_parser("sheet")
    sheet_step.add_argument("out", type=Path)
    apply_step = steps.add_parser("apply")
    apply_step.add_argument("key", type=Path)
    apply_step.add_argument("first", type=Path)
    apply_step.add_argument("second", type=Path)
    apply_step.add_argument("--note", default="2026-12-04")
    args = parser.parse_args()
    if args.step == "find":
        find()
    elif args.step == "sheet":
        sheet(args.out)
    else:
        apply(args.key, args.first, args.second, args.note)


if __name__ == "__main__":
    main()
