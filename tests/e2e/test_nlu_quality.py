"""Held-out NLU quality of the trained model, through the running Rasa server."""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import f1_score

from bids_partner.contract import MOVES

pytestmark = pytest.mark.stack

HELDOUT = Path(__file__).resolve().parents[1] / "nlu" / "heldout.yml"
MIN_MOVE_MACRO_F1 = 0.85
# Everyday talk met with "are you safe right now?": 23 of 446 (5.2%) before the
# risk classifier read sentence embeddings, 13 (2.9%) after, 11 (2.5%) with s9/s10.
MAX_EVERYDAY_ASKED = 0.04
# Held-out moves met with "I'm not sure I understood" (nlu_fallback): 12.2% with
# the model of stop 59, 6.9% with the told moments of data/nlu/moments/ and the
# fallback threshold at 0.3 (blind mb1: 23.7% -> 6.5%; results/session31/).
MAX_MOVES_FALLING_BACK = 0.08


@pytest.fixture(scope="module")
def heldout(assistant) -> List[Tuple[str, str, str]]:
    """(text, labelled intent, the intent the running assistant read)."""
    return [
        (
            m.get("text"),
            m.get("intent"),
            assistant.parse(m.get("text"))["intent"]["name"],
        )
        for m in load_data(str(HELDOUT)).intent_examples
    ]


def test_heldout_macro_f1_over_the_moves(heldout) -> None:
    truth = [intent for _, intent, _ in heldout]
    predicted = [read for _, _, read in heldout]
    score = f1_score(truth, predicted, labels=list(MOVES), average="macro")
    assert score >= MIN_MOVE_MACRO_F1, f"held-out macro-F1 {score:.3f}"


def test_a_told_move_rarely_gets_i_am_not_sure_i_understood(heldout) -> None:
    moves = [read for _, intent, read in heldout if intent in MOVES]
    fell_back = moves.count("nlu_fallback") / len(moves)
    assert fell_back <= MAX_MOVES_FALLING_BACK, f"{fell_back:.3f}"


def test_everyday_talk_rarely_gets_the_safety_question(heldout) -> None:
    asked = [text for text, _, read in heldout if read == "crisis"]
    assert len(asked) / len(heldout) <= MAX_EVERYDAY_ASKED, asked


def test_entities_and_actor_come_through(assistant) -> None:
    response = assistant.parse("my husband rolls his eyes and I feel humiliated")
    found = {(e["entity"], e["value"]) for e in response["entities"]}
    assert ("partner_role", "husband") in found
    assert ("emotion", "humiliated") in found
    assert ("actor", "partner") in found
