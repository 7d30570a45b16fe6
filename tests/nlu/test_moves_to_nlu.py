"""scripts/moves_to_nlu.py: a writer's moves file becomes Rasa NLU data, with no
example labelled twice and each intent kept to the intent classifier."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from rasa.shared.nlu.constants import METADATA, METADATA_INTENT
from rasa.shared.nlu.training_data.loading import load_data

from bids_partner.contract import intent_classifier_only
from bids_partner.settings import ROOT

spec = importlib.util.spec_from_file_location(
    "moves_to_nlu", ROOT / "scripts" / "moves_to_nlu.py"
)
assert spec and spec.loader
moves_to_nlu = importlib.util.module_from_spec(spec)
spec.loader.exec_module(moves_to_nlu)


def test_a_writers_file_becomes_nlu_data_without_examples_labelled_twice(
    tmp_path: Path,
) -> None:
    already_trained = "come look at this sunset"
    assert already_trained in (ROOT / "data/nlu/moves/bid.yml").read_text("utf-8")
    source = tmp_path / "m9.yml"
    source.write_text(
        "# m9: a test writer\n"
        "items:\n"
        '  - {text: "he   went to bed without a word", intent: withdrawal}\n'
        '  - {text: "He went to bed without a word", intent: criticism}\n'
        f'  - {{text: "{already_trained.upper()}", intent: bid}}\n'
        "  - {text: 'thx: that helped', intent: thank}\n",
        encoding="utf-8",
    )
    out = tmp_path / "m9_nlu.yml"
    assert moves_to_nlu.convert(source, out) == (2, 2)
    assert out.read_text(encoding="utf-8").startswith("# m9: a test writer\n")
    examples = load_data(str(out)).intent_examples
    assert [(m.get("text"), m.get("intent")) for m in examples] == [
        ("he went to bed without a word", "withdrawal"),
        ("thx: that helped", "thank"),
    ]
    assert all(
        intent_classifier_only(m.get(METADATA)[METADATA_INTENT]) for m in examples
    )
