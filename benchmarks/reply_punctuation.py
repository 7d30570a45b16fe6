"""Does the reply judge read punctuation it should not? (issue 14)

"Yes, I do, very much." to "Do you still love me?" reads against (0.72) and
"Yes. I do. Very much." toward (0.94): commas and full stops move both the
character n-grams and the sentence embedding. This compares the shipped judge
with one whose features read the reply with its commas, full stops, colons,
semicolons, dashes and ellipses taken out (sentences and clauses are still cut
where they were: only the features change), by cross-writer validation on
data/replies/ (the writers in four groups, each group judged by a model trained
on the others, as the rehearsal judges: too short and doubtful replies count as
misses; `benchmarks.reply_compare`'s folds and trainer), and counts the scenes'
suggestions meeting their aim (trained on all).

    .venv/bin/python -m benchmarks.reply_punctuation

Measured 2026-12-06 (results/session20/summary.md): not shipped.
"""

from __future__ import annotations

import json
import re
import time
from typing import Sequence

import scipy.sparse as sp

from benchmarks.reply_compare import (
    classifier_trainer,
    cross_writer,
    suggested_replies,
    suggestions_meeting_aim,
)
from bids_partner.language import replies
from bids_partner.language.reply_data import load_replies
from bids_partner.rasa_plugins.nlu.reply_judge import shipped_classifier
from bids_partner.settings import ROOT

GROUPS = 4
_STOPS = re.compile(r"\s*[,.;:\u2026\u2013\u2014]+\s*|\s+-\s+")
_SHIPPED_BLOCKS = replies.ReplyFeatures._blocks


def without_stops(text: str) -> str:
    return re.sub(r"\s+", " ", _STOPS.sub(" ", text)).strip()


def _features_without_stops(
    self: replies.ReplyFeatures,
    partners: Sequence[str],
    texts: Sequence[str],
    fit: bool,
) -> sp.csr_matrix:
    return _SHIPPED_BLOCKS(self, partners, [without_stops(t) for t in texts], fit)


def main() -> None:
    data = load_replies(ROOT / "data" / "replies")
    train = classifier_trainer(build=shipped_classifier)
    for variant in ("shipped", "without stops"):
        replies.ReplyFeatures._blocks = (  # type: ignore[method-assign]
            _SHIPPED_BLOCKS if variant == "shipped" else _features_without_stops
        )
        start = time.perf_counter()
        gold, predicted = cross_writer(train, data, GROUPS)
        figures = replies.accuracy_by_kind(gold, predicted)
        figures["against_as_toward"] = sum(
            g == "against" and p == "toward" for g, p in zip(gold, predicted)
        )
        figures["suggestions"] = suggestions_meeting_aim(
            train(data), suggested_replies()
        )
        figures["seconds"] = round(time.perf_counter() - start)
        print(variant, json.dumps({k: round(v, 4) for k, v in figures.items()}))
    replies.ReplyFeatures._blocks = _SHIPPED_BLOCKS  # type: ignore[method-assign]


if __name__ == "__main__":
    main()
