from __future__ import annotations

from typing import List

import pytest
import spacy
from rasa.nlu.tokenizers.tokenizer import Token

from bids_partner.language.spacy_pipeline import ensure_pipeline
from bids_partner.rasa_plugins.nlu.actor import _partner_words, detect_actor

nlp = spacy.load(ensure_pipeline())
PARTNER_WORDS = _partner_words()


def tokens(text: str) -> List[Token]:
    return [Token(t.text, t.idx, lemma=t.lemma_) for t in nlp(text)]


@pytest.mark.parametrize(
    "text, actor",
    [
        ("you never listen", "self"),
        ("do you still love me?", "self"),
        ("I go quiet and leave the room", "self"),
        ("i just walked out", "self"),
        ("im done talking", "self"),
        ("he stares at his phone when I talk", "partner"),
        ("my husband says I'm overreacting", "partner"),
        ("she rolls her eyes at me", "partner"),
        ("My gf asked me for a hug", "partner"),
        ("Priya keeps asking if we're okay", "partner"),
        ("I told my wife she was lazy", "self"),
        ("when he brings it up I walk away", "self"),
        ("when I cry she leaves the room", "partner"),
        ("Whenever I talk about my day, he scrolls his phone", "partner"),
        # Issue 16: a mum, a brother or a flatmate is the one the move is with.
        ("my mom keeps asking if I still love her", "partner"),
        ("My brother never texts back when I reach out", "partner"),
        ("my flatmate rolls her eyes whenever I talk", "partner"),
        ("I told my mum I missed her", "self"),
    ],
)
def test_actor_of_the_move(text: str, actor: str) -> None:
    found = detect_actor(tokens(text), PARTNER_WORDS)
    assert found is not None and found[0] == actor


def test_no_actor_without_a_subject() -> None:
    assert detect_actor(tokens("whatever"), PARTNER_WORDS) is None


def test_actor_entity_points_at_the_subject_word() -> None:
    text = "my husband says I'm overreacting"
    _, token = detect_actor(tokens(text), PARTNER_WORDS)
    assert text[token.start : token.end] == "husband"
