"""Which held-out risk conversations the moment+reply pairs (own class) cost, and
whether a single turn of each would still be asked (its own score >= 0.31).

    .venv/bin/python results/session28/lost_conversations.py FOLD_INDEX
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.argv[1:] = [sys.argv[1]]

from benchmarks.safety_cv import nlu_messages  # noqa: E402
from bids_partner.language.reply_data import load_replies  # noqa: E402
from bids_partner.language.risk import (  # noqa: E402
    NONE,
    TURN_SEPARATOR,
    RiskClassifier,
    load_safety,
    with_recent_turns,
)
from bids_partner.settings import ROOT  # noqa: E402

import showing_up_context_dev as dev  # noqa: E402

dev.PAIR_KIND = "showing_up_exchange"
fold = int(sys.argv[1])
reply_writer, safety_writer = dev.FOLDS[fold]
safety = load_safety(ROOT / "data/safety")
nlu = nlu_messages()
replies = load_replies(ROOT / "data/replies")
kept = [i for i in safety if i.writer != safety_writer]
convs = [i for i in safety if i.writer == safety_writer and i.turns > 1 and i.risk != NONE]
other = {w for w, _ in dev.FOLDS} - {reply_writer}
found = {}
for pairs in (False, True):
    items = [*kept, *with_recent_turns(kept, 42), *nlu, *dev.replies_items(replies, other, pairs)]
    model = RiskClassifier(C=4.0, seed=42).fit(items)
    found[pairs] = (
        [s for s, _ in model.scores([c.text for c in convs])],
        [[round(s, 3) for s, _ in model.scores(c.text.split(TURN_SEPARATOR))] for c in convs],
    )
rows = []
for k, c in enumerate(convs):
    before, after = found[False][0][k], found[True][0][k]
    rows.append(
        {
            "joined before": round(before, 3),
            "joined after": round(after, 3),
            "turns after": found[True][1][k],
            "text": c.text,
        }
    )
print(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=100))
