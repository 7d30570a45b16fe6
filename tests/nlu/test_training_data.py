"""The training data keeps its promises: enough varied examples per move, no
template near-duplicates, and nothing shared with the held-out file."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from bids_partner.contract import MOVES, intent_classifier_only
from bids_partner.settings import ROOT


def examples(path: Path) -> List[Tuple[str, str]]:
    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


TRAIN = examples(ROOT / "data" / "nlu")
HELDOUT = examples(ROOT / "tests" / "nlu" / "heldout.yml")


def words(text: str) -> Tuple[str, ...]:
    return tuple(re.findall(r"[\w']+", text.lower()))


@pytest.mark.parametrize("move", MOVES)
def test_at_least_60_training_and_25_heldout_examples_per_move(move: str) -> None:
    assert Counter(i for _, i in TRAIN)[move] >= 60
    assert Counter(i for _, i in HELDOUT)[move] >= 25


def test_no_one_word_swap_near_duplicates_within_a_move() -> None:
    by_shape: Dict[Tuple[str, int, Tuple[str, ...]], List[str]] = defaultdict(list)
    for text, intent in TRAIN:
        tokens = words(text)
        if intent not in MOVES or len(tokens) < 3:
            continue
        for position in range(len(tokens)):
            masked = tokens[:position] + ("*",) + tokens[position + 1 :]
            by_shape[(intent, position, masked)].append(text)
    pairs = [texts for texts in by_shape.values() if len(set(texts)) > 1]
    assert pairs == []


def test_heldout_never_trained_on() -> None:
    trained = {words(t) for t, _ in TRAIN}
    assert [t for t, _ in HELDOUT if words(t) in trained] == []


def test_told_moments_stay_out_of_the_risk_classifier() -> None:
    """Every intent of data/nlu/moments/ teaches the intent classifier alone: as
    the risk classifier's ordinary talk they cost risk told after a moment
    (contract.INTENT_CLASSIFIER_ONLY)."""
    blocks = [
        block
        for path in sorted((ROOT / "data" / "nlu" / "moments").glob("*.yml"))
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    ]
    assert len(blocks) >= 3 * 12
    assert all(intent_classifier_only(b.get("metadata")) for b in blocks)
