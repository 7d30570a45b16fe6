"""The showing-up judge's learning curve on dev: trained on data/replies with 0, 35,
70 or all 140 of w27/w28's described moments (all their replies kept for the moments
kept), read on the dev writers w29 and w30 (never trained on; DIR holds w29.yml and
w30.yml from commit c9de821).

    .venv/bin/python results/session30/showing_up_learning_curve.py DIR
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.reply_showing_up import read  # noqa: E402
from bids_partner.contract import KINDS  # noqa: E402
from bids_partner.language.replies import accuracy_by_kind  # noqa: E402
from bids_partner.language.reply_data import load_replies  # noqa: E402
from bids_partner.settings import ROOT  # noqa: E402

data = load_replies(ROOT / "data" / "replies")
test = [r for r in load_replies(Path(sys.argv[1])) if r.kind in KINDS]
gold = [r.kind for r in test]
moments = sorted({(r.writer, r.partner) for r in data if r.scene == "showing_up"})
# Every other moment first: 35 are half of w27's, 70 half of each writer's.
order = moments[::2] + moments[1::2]
for size in (0, 35, 70, len(order)):
    kept = set(order[:size])
    train = [
        r for r in data if r.scene != "showing_up" or (r.writer, r.partner) in kept
    ]
    predicted, _ = read(train, test)
    f = accuracy_by_kind(gold, predicted)
    print(
        f"{size:3} moments ({len(train)} replies): "
        + " ".join(f"{k} {f[k]:.3f}" for k in ("all", *KINDS)),
        flush=True,
    )
