"""Dev measure (no blind set): does training each described moment followed by its
replies as safe context stop the context layer asking after a reply, and what does
it do to risk?

Two folds: w27's showing-up data with s23 held out, then w28's with s24. In each, the
risk classifier is fit as the RiskReader fits it, without the held-out writers, once
without the moment+reply pairs (as shipped) and once with the other writer's pairs.
Printed per variant, summed over the folds:
- held-out pairs read as the context layer reads them ("moment … reply", and with the
  exercise's opening command first): share >= 0.7 (the context threshold) and >= 0.31;
- the held-out safety writer's items: risk >= 0.31, safe >= 0.31 (messages and
  conversations);
- the held-out writer's risk messages after a held-out moment: context >= 0.7.

    .venv/bin/python results/session28/showing_up_context_dev.py [PAIR_KIND [VARIANT ...]]

PAIR_KIND is the safe kind the pairs are learnt as (described_moment, or a class of
their own); VARIANT "shipped (no pairs)" and/or "with pairs".
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.safety_cv import nlu_messages  # noqa: E402
from bids_partner.language.reply_data import load_replies  # noqa: E402
from bids_partner.language.risk import (  # noqa: E402
    DESCRIBED_MOMENT,
    NONE,
    REPLY,
    SHOWING_UP,
    LabelledRisk,
    RiskClassifier,
    join_turns,
    load_safety,
    with_recent_turns,
)
from bids_partner.settings import ROOT  # noqa: E402

CHECK, CONTEXT = 0.31, 0.7
OPENING = "practise showing up"
FOLDS = (("w27", "s23"), ("w28", "s24"))


PAIR_KIND = sys.argv[1] if len(sys.argv) > 1 else DESCRIBED_MOMENT
VARIANTS = sys.argv[2:] or ["shipped (no pairs)", "with pairs"]


def replies_items(replies, writers, pairs: bool):
    mine = [r for r in replies if r.writer in writers or r.scene != SHOWING_UP]
    showing = [r for r in mine if r.scene == SHOWING_UP]
    items = [LabelledRisk(r.text, NONE, NONE, "replies", REPLY) for r in mine]
    items += [
        LabelledRisk(t, NONE, NONE, w, DESCRIBED_MOMENT)
        for t, w in dict.fromkeys((r.partner, r.writer) for r in showing)
    ]
    if pairs:
        items += [
            LabelledRisk(
                join_turns([r.partner, r.text]), NONE, NONE, r.writer, PAIR_KIND, 2
            )
            for r in showing
        ]
    return items


def main() -> None:
    safety = load_safety(ROOT / "data/safety")
    nlu = nlu_messages()
    replies = load_replies(ROOT / "data/replies")
    totals: dict = {}
    for reply_writer, safety_writer in FOLDS:
        kept = [i for i in safety if i.writer != safety_writer]
        held = [i for i in safety if i.writer == safety_writer]
        held_pairs = [
            r for r in replies if r.scene == SHOWING_UP and r.writer == reply_writer
        ]
        moments = sorted({r.partner for r in held_pairs})
        rng = random.Random(7)
        risk_after = [
            join_turns([rng.choice(moments), i.text])
            for i in held
            if i.risk != NONE and i.turns == 1
        ]
        other = {w for w, _ in FOLDS} - {reply_writer}
        for variant in VARIANTS:
            items = [
                *kept,
                *with_recent_turns(kept, 42),
                *nlu,
                *replies_items(replies, other, variant != "shipped (no pairs)"),
            ]
            model = RiskClassifier(C=4.0, seed=42).fit(items)
            pair = np.array(
                [s for s, _ in model.scores([join_turns([r.partner, r.text]) for r in held_pairs])]
            )
            opened = np.array(
                [
                    s
                    for s, _ in model.scores(
                        [join_turns([OPENING, r.partner, r.text]) for r in held_pairs]
                    )
                ]
            )
            held_scores = np.array([s for s, _ in model.scores([i.text for i in held])])
            after = np.array([s for s, _ in model.scores(risk_after)])
            t = totals.setdefault(variant, {})
            risk = np.array([i.risk != NONE for i in held])
            conv = np.array([i.turns > 1 for i in held])
            for name, value in (
                ("pairs", len(pair)),
                ("pair>=0.7", int((pair >= CONTEXT).sum())),
                ("pair>=0.31", int((pair >= CHECK).sum())),
                ("opened>=0.7", int((opened >= CONTEXT).sum())),
                ("risk msgs", int((risk & ~conv).sum())),
                ("risk msgs asked", int(((held_scores >= CHECK) & risk & ~conv).sum())),
                ("risk convs", int((risk & conv).sum())),
                ("risk convs asked", int(((held_scores >= CHECK) & risk & conv).sum())),
                ("safe", int((~risk).sum())),
                ("safe asked", int(((held_scores >= CHECK) & ~risk).sum())),
                ("risk after moment", len(after)),
                ("risk after moment ctx>=0.7", int((after >= CONTEXT).sum())),
                ("risk after moment >=0.31", int((after >= CHECK).sum())),
            ):
                t[name] = t.get(name, 0) + value
            print(reply_writer, safety_writer, variant, t, flush=True)
    for variant, t in totals.items():
        print(variant)
        for name, value in t.items():
            print(f"  {name}: {value}")


if __name__ == "__main__":
    main()
