"""Turn a moves writer's file (docs/labelling/moves.md: `items: [{text, intent}]`)
into Rasa NLU training data, one block per intent, keeping the writer's header.

A message already in data/nlu (under any intent, case and spacing aside) is left
out, so that no example is labelled twice.

    .venv/bin/python scripts/moves_to_nlu.py WRITER.yml data/nlu/moments/m1.yml
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data

ROOT = Path(__file__).resolve().parents[1]


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def existing_examples(out: Path) -> set[str]:
    """Every example in data/nlu but `out`'s, as Rasa reads it."""
    return {
        _key(message.get(TEXT))
        for path in (ROOT / "data" / "nlu").rglob("*.yml")
        if path.resolve() != out.resolve()
        for message in load_data(str(path)).intent_examples
    }


def convert(source: Path, out: Path) -> tuple[int, int]:
    raw = source.read_text(encoding="utf-8")
    header = [line for line in raw.splitlines() if line.startswith("#")]
    items = yaml.safe_load(raw)["items"]
    seen = existing_examples(out)
    by_intent: dict[str, list[str]] = {}
    dropped = 0
    for item in items:
        text = " ".join(str(item["text"]).split())
        if _key(text) in seen:
            dropped += 1
            continue
        seen.add(_key(text))
        by_intent.setdefault(item["intent"], []).append(text)
    lines = [*header, 'version: "3.1"', "nlu:"]
    for intent, texts in by_intent.items():
        # For the intent classifier alone (contract.INTENT_CLASSIFIER_ONLY).
        lines += [f"- intent: {intent}", "  metadata:"]
        lines += ["    intent_classifier_only: true"]
        lines += ["  examples: |"]
        # Rasa reads each line after "- " as it is: no YAML quoting inside.
        lines += [f"    - {text}" for text in texts]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sum(map(len, by_intent.values())), dropped


if __name__ == "__main__":
    kept, dropped = convert(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{kept} examples written, {dropped} already in data/nlu left out")
