"""The reply judge on a scene it has no training data for.

For each scene, the judge is trained as `rasa train` trains it but without that
scene's replies (every writer), and reads the blind replies to that scene
(tests/blind/replies/, never trained or tuned on), beside the judge trained on
everything. The gap is how much of the scene sets' accuracy comes from having
trained on the same partner lines: what a new scene would get before anyone writes
replies for it, and why the showing-up exercise, where every described moment is
new, reads lower than the scenes.

    .venv/bin/python -m benchmarks.reply_unseen_scene [SCENE ...]

Writes results/replies-bench/unseen_scene.md and prints it (about 25 minutes for
the fourteen scenes on 2 cores: one fit per scene).
"""

from __future__ import annotations

import argparse
from typing import Dict, List

from benchmarks.reply_showing_up import read
from bids_partner.contract import KINDS
from bids_partner.language.replies import accuracy_by_kind
from bids_partner.language.reply_data import LabelledReply, load_replies
from bids_partner.settings import ROOT

TRAIN_DIR = ROOT / "data" / "replies"
BLIND_DIR = ROOT / "tests" / "blind" / "replies"
OUT = ROOT / "results" / "replies-bench" / "unseen_scene.md"


def row(scene: str, n: int, left_out: int, seen: Dict, unseen: Dict) -> str:
    cells = " | ".join(f"{seen[k]:.3f} / {unseen[k]:.3f}" for k in KINDS)
    return (
        f"| {scene} | {n} | {left_out} | {seen['all']:.3f} | {unseen['all']:.3f} "
        f"| {cells} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenes", nargs="*", help="only these scenes")
    args = parser.parse_args()
    data = load_replies(TRAIN_DIR)
    blind = [r for r in load_replies(BLIND_DIR) if r.kind in KINDS]
    scenes = args.scenes or sorted({r.scene for r in blind})
    # Only the scenes asked about are read, by the judge trained on everything too.
    blind = [r for r in blind if r.scene in scenes]
    everything, _ = read(data, blind)
    with_scene = dict(zip(map(id, blind), everything))
    lines = [
        "# The reply judge on a scene it has no training data for (blind)",
        "",
        "| scene | blind replies | training replies left out | all data | "
        "without the scene | "
        + " | ".join(f"{k} (all / without)" for k in KINDS)
        + " |",
        "|---|---|---|---|---|" + "---|" * len(KINDS),
    ]
    gold: List[str] = []
    seen: List[str] = []
    unseen: List[str] = []
    for scene in scenes:
        test: List[LabelledReply] = [r for r in blind if r.scene == scene]
        train = [r for r in data if r.scene != scene]
        predicted, _ = read(train, test)
        kinds = [r.kind for r in test]
        known = [with_scene[id(r)] for r in test]
        lines.append(
            row(
                scene,
                len(test),
                len(data) - len(train),
                accuracy_by_kind(kinds, known),
                accuracy_by_kind(kinds, predicted),
            )
        )
        print(lines[-1], flush=True)
        gold += kinds
        seen += known
        unseen += predicted
    lines.append(
        row(
            "all",
            len(gold),
            0,
            accuracy_by_kind(gold, seen),
            accuracy_by_kind(gold, unseen),
        )
    )
    text = "\n".join(lines) + "\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
