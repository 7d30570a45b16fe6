"""Each sentence of a long message read alone and with the sentences either side
of it, through a trained model's risk classifier (a probe: is a sentence's risk
still there with its neighbours?). Writes a JSON of scores per item.

    .venv/bin/python results/session29/neighbours_probe.py MODEL OUT.json FILE...
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.quiet_agent import load_quiet_agent, loaded_component  # noqa: E402
from benchmarks.safety_recall import from_labelled  # noqa: E402
from bids_partner.language.text_features import (  # noqa: E402
    embed,
    read_whole_by_the_encoder,
    sentences,
    windows_the_encoder_reads,
)
from bids_partner.rasa_plugins.nlu.risk_reader import RiskReader  # noqa: E402

agent = load_quiet_agent(sys.argv[1])
reader = loaded_component(agent, RiskReader)
classifier = reader.classifier
out = []
for path in sys.argv[3:]:
    for item in from_labelled([str(Path(path).resolve())]):
        text = item.turns[-1]
        if read_whole_by_the_encoder(text):
            continue
        alone = sentences(text)
        windows = windows_the_encoder_reads(text)
        around = [" ".join(alone[max(0, i - 1) : i + 2]) for i in range(len(alone))]
        texts = [text, *windows, *alone, *around]
        scores = [s for s, _ in classifier.scores(texts, embed(texts, remember=False))]
        n, w = len(alone), len(windows)
        out.append(
            {
                "file": Path(path).name,
                "risk": item.risk,
                "group": item.group,
                "whole": scores[0],
                "windows": scores[1 : 1 + w],
                "alone": scores[1 + w : 1 + w + n],
                "around": scores[1 + w + n :],
            }
        )
Path(sys.argv[2]).write_text(json.dumps(out))
print(len(out), "long items")
