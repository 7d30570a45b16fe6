"""Issue 14's two defects of the reply judge, measured on data we may see.

1. Against replies judged toward: leave-one-writer-out over data/replies (as
   reply_compare's cross-writer part), and the minimal pairs (data/replies/
   minimal_pairs, w8 w9: trained on w1-w11, scored on the pairs).
2. The scenes' suggested replies meeting each scene's aim (as the rehearsal
   counts it: a kind of the aim, or toward that also reached for a reach aim).

Each model is judged twice, with and without its second look (the toward ->
against check of ReplyClassifier.second_look, not shipped: the judge without it
is the rehearsal's); everything else is judge() as
the rehearsal calls it (a judgement below the rehearsal's confidence is asked
about: a miss). Never reads tests/blind: those sets are measured by someone else.

    .venv/bin/python -m benchmarks.reply_against_toward

Writes results/replies-bench/against_toward.json and prints a table.
"""

from __future__ import annotations

import json
import time
from typing import Dict, List, Sequence

from benchmarks.reply_compare import (
    OUT_DIR,
    PAIRS_DIR,
    TRAIN_DIR,
    UNJUDGED,
    suggested_replies,
)
from benchmarks.reply_compare import judged as judged_only
from bids_partner.coaching.rehearsal.play import Turn, aimed_kind, confident_kind
from bids_partner.contract import KINDS, REPLY_JUDGEMENT_KEY
from bids_partner.language.replies import (
    ReplyClassifier,
    accuracy_by_kind,
    clauses,
    judge,
    sentences,
)
from bids_partner.language.reply_data import LabelledReply, load_replies
from bids_partner.language.text_features import embed

VARIANTS = ("without second look", "with second look")


def encode_once(replies: Sequence[LabelledReply]) -> None:
    """Every text the folds will read, encoded once (the judge's own calls do
    not keep what they encode)."""
    texts = set()
    for reply in replies:
        texts.update((reply.partner, reply.text, *sentences(reply.text)))
        texts.update(clauses(reply.text))
    embed(sorted(texts))


def judged_kinds(
    classifier: ReplyClassifier, batch: Sequence[LabelledReply]
) -> Dict[str, List[dict]]:
    """judge() of each reply, with the classifier's second look and without."""
    second_look = classifier.second_look
    out: Dict[str, List[dict]] = {}
    for variant in VARIANTS:
        classifier.second_look = second_look if variant == VARIANTS[1] else None
        out[variant] = [judge(classifier, r.partner, r.text) for r in batch]
    classifier.second_look = second_look
    return out


def kind_of(judgement: dict) -> str:
    return confident_kind({REPLY_JUDGEMENT_KEY: judgement}) or UNJUDGED


def figures(gold: Sequence[str], predicted: Sequence[str]) -> Dict[str, float]:
    found = accuracy_by_kind(gold, predicted)
    pairs = list(zip(gold, predicted))
    found["against_as_toward"] = sum(g == "against" and p == "toward" for g, p in pairs)
    found["toward_as_against"] = sum(g == "toward" and p == "against" for g, p in pairs)
    return found


def main() -> None:
    data = load_replies(TRAIN_DIR)
    pairs = judged_only(load_replies(PAIRS_DIR))
    suggestions = suggested_replies()
    encode_once([*data, *pairs, *(r for r, _ in suggestions)])
    gold: Dict[str, List[str]] = {"cross_writer": [], "minimal_pairs": []}
    predicted = {v: {k: [] for k in gold} for v in VARIANTS}
    for writer in sorted({r.writer for r in data}):
        started = time.perf_counter()
        test = judged_only([r for r in data if r.writer == writer])
        classifier = ReplyClassifier(with_second_look=True).fit(
            r for r in data if r.writer != writer
        )
        for variant, judgements in judged_kinds(classifier, test).items():
            predicted[variant]["cross_writer"] += map(kind_of, judgements)
        gold["cross_writer"] += [r.kind for r in test]
        print(f"{writer} held out: {time.perf_counter() - started:.0f}s", flush=True)
    classifier = ReplyClassifier(with_second_look=True).fit(data)
    for variant, judgements in judged_kinds(classifier, pairs).items():
        predicted[variant]["minimal_pairs"] += map(kind_of, judgements)
    gold["minimal_pairs"] = [r.kind for r in pairs]
    report: Dict[str, Dict[str, object]] = {}
    replies = [r for r, _ in suggestions]
    for variant, judgements in judged_kinds(classifier, replies).items():
        met = [
            aimed_kind(
                Turn("bid", j["kind"], 1.0, None, also_reached=j["also_reached"]), aim
            )
            is not None
            for j, (_, aim) in zip(judgements, suggestions)
        ]
        report[variant] = {
            name: figures(gold[name], predicted[variant][name]) for name in gold
        }
        report[variant]["suggestions_meeting_aim"] = f"{sum(met)} of {len(met)}"
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "against_toward.json").write_text(json.dumps(report, indent=2))
    print(table(report))


def table(report: Dict[str, Dict[str, object]]) -> str:
    lines = [
        "| judge | set | against judged toward | toward judged against | all | "
        + " | ".join(KINDS)
        + " | suggestions meeting aim |",
        "|---|---|---|---|---|" + "---|" * len(KINDS) + "---|",
    ]
    for variant, sets in report.items():
        for name in ("cross_writer", "minimal_pairs"):
            f = sets[name]
            assert isinstance(f, dict)
            cells = " | ".join(f"{f[k]:.3f}" for k in ("all", *KINDS))
            met = sets["suggestions_meeting_aim"]
            lines.append(
                f"| {variant} | {name} | {f['against_as_toward']} | "
                f"{f['toward_as_against']} | {cells} | {met} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
