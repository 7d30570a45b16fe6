"""Held-out NLU quality of the trained model, through the running Rasa server."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import f1_score

from bids_partner.contract import MOVES

pytestmark = pytest.mark.stack

HELDOUT = Path(__file__).resolve().parents[1] / "nlu" / "heldout.yml"
MIN_MOVE_MACRO_F1 = 0.85


def test_heldout_macro_f1_over_the_moves(assistant) -> None:
    messages = load_data(str(HELDOUT)).intent_examples
    truth, predicted = [], []
    for message in messages:
        truth.append(message.get("intent"))
        predicted.append(assistant.parse(message.get("text"))["intent"]["name"])
    score = f1_score(truth, predicted, labels=list(MOVES), average="macro")
    assert score >= MIN_MOVE_MACRO_F1, f"held-out macro-F1 {score:.3f}"


def test_entities_and_actor_come_through(assistant) -> None:
    response = assistant.parse("my husband rolls his eyes and I feel humiliated")
    found = {(e["entity"], e["value"]) for e in response["entities"]}
    assert ("partner_role", "husband") in found
    assert ("emotion", "humiliated") in found
    assert ("actor", "partner") in found
