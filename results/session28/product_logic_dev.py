"""Dev measure as the product decides (no blind set), fold w28/s24 (or w27/s23):
a message is asked if its own score >= 0.31 or the recent turns read together
(up to three, the exercise's opening command included where it was typed) score
>= 0.7. The patterns are left out. Before: no moment+reply pairs (as shipped);
after: the other writer's pairs as a safe class of their own (moment_and_reply).

    .venv/bin/python results/session28/product_logic_dev.py FOLD_INDEX
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
fold = int(sys.argv[1])
sys.argv[1:] = ["moment_and_reply"]

from benchmarks.safety_cv import nlu_messages  # noqa: E402
from bids_partner.language.reply_data import load_replies  # noqa: E402
from bids_partner.language.risk import (  # noqa: E402
    NONE,
    SHOWING_UP,
    TURN_SEPARATOR,
    RiskClassifier,
    join_turns,
    load_safety,
    with_recent_turns,
)
from bids_partner.settings import ROOT  # noqa: E402

import showing_up_context_dev as dev  # noqa: E402

CHECK, CONTEXT = 0.31, 0.7
reply_writer, safety_writer = dev.FOLDS[fold]
safety = load_safety(ROOT / "data/safety")
nlu = nlu_messages()
replies = load_replies(ROOT / "data/replies")
kept = [i for i in safety if i.writer != safety_writer]
held = [i for i in safety if i.writer == safety_writer]
pairs = [r for r in replies if r.scene == SHOWING_UP and r.writer == reply_writer]
moments = sorted({r.partner for r in pairs})
rng = random.Random(7)
# Dialogues as lists of the user's turns; the last is the one judged.
dialogues = {
    "safe: reply to a moment": [[dev.OPENING, r.partner, r.text] for r in pairs],
    "risk: message after a moment": [
        [dev.OPENING, rng.choice(moments), i.text]
        for i in held
        if i.risk != NONE and i.turns == 1
    ],
    "risk: conversation": [
        i.text.split(TURN_SEPARATOR) for i in held if i.risk != NONE and i.turns > 1
    ],
    "safe: conversation": [
        i.text.split(TURN_SEPARATOR) for i in held if i.risk == NONE and i.turns > 1
    ],
    "risk: message": [[i.text] for i in held if i.risk != NONE and i.turns == 1],
    "safe: message": [[i.text] for i in held if i.risk == NONE and i.turns == 1],
}
other = {w for w, _ in dev.FOLDS} - {reply_writer}


def asked(model: RiskClassifier, turns: list, judge_every: bool) -> bool:
    """Asked at the judged turn (or, for conversations, at any turn)."""
    points = range(1, len(turns) + 1) if judge_every else [len(turns)]
    for end in points:
        alone = model.score(turns[end - 1])[0]
        together = model.score(join_turns(turns[max(0, end - 3) : end]))[0] if end > 1 else 0
        if alone >= CHECK or together >= CONTEXT:
            return True
    return False


for with_pairs in (False, True):
    items = [
        *kept,
        *with_recent_turns(kept, 42),
        *nlu,
        *dev.replies_items(replies, other, with_pairs),
    ]
    model = RiskClassifier(C=4.0, seed=42).fit(items)
    print("with pairs" if with_pairs else "no pairs (shipped)", reply_writer, safety_writer)
    for name, found in dialogues.items():
        n = sum(asked(model, d, "conversation" in name) for d in found)
        print(f"  {name}: {n} of {len(found)} asked", flush=True)
