"""Would weighing a pattern's catch by the sentence that holds it (instead of the
long message's riskiest part) change what is asked? For each long item: the catches
that count today, and the score of the sentence holding each (from
neighbours_probe.py's JSON, whose items are in the same order as the files).

    .venv/bin/python results/session29/catch_sentence_probe.py PROBE.json FILE...
"""

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.safety_recall import from_labelled  # noqa: E402
from bids_partner.language.text_features import read_whole_by_the_encoder, sentences  # noqa: E402
from bids_partner.rasa_plugins.nlu.crisis import default_detector  # noqa: E402

FLOOR, CHECK, CONTEXT = 0.1, 0.31, 0.7
probe = json.loads(Path(sys.argv[1]).read_text())
detector = default_detector()
items = [
    i
    for path in sys.argv[2:]
    for i in from_labelled([str(Path(path).resolve())])
    if not read_whole_by_the_encoder(i.turns[-1])
]
assert len(items) == len(probe), (len(items), len(probe))
tally = Counter()
for item, scores in zip(items, probe):
    text = item.turns[-1]
    offsets, at = [], 0
    for s in sentences(text):
        start = text.find(s, at)
        offsets.append((start, start + len(s)))
        at = start + len(s)
    found, _ = detector.analyse(detector.nlp(text))
    alone = scores["alone"]
    whole = max([scores["whole"], *scores["windows"]])
    by_classifier = max(alone) >= CHECK or whole >= CONTEXT
    today = [m for m in found if m.direct or max(alone + [whole]) >= FLOOR]

    def sentence_score(m):
        hits = [
            alone[i] for i, (s, e) in enumerate(offsets) if s < m.end and m.start < e
        ]
        return max(hits) if hits else 0.0

    proposed = [m for m in found if m.direct or sentence_score(m) >= FLOOR]
    kind = "risk" if item.risk else "safe"
    tally[kind, "n"] += 1
    tally[kind, "asked today"] += bool(today) or by_classifier
    tally[kind, "asked proposed"] += bool(proposed) or by_classifier
    tally[kind, "matcher only today"] += bool(today) and not by_classifier
for k in sorted(tally):
    print(k, tally[k])
