"""How the user's own words are put back into a text."""

from __future__ import annotations

import re
from functools import cache
from typing import List

from bids_partner.contract import ROMANTIC
from bids_partner.language.feeling_reading import felt_by_user
from bids_partner.language.spacy_pipeline import load_lexicon, load_partner_roles

PHRASE_WORDS = 12
# Feeling words put back from one answer: the first two, in the order typed.
FEELING_WORDS = 2
# Which feelings of an answer are put back: its softer ones (what the exercise
# asks for), else its reactive ones, else its warm ones.
FEELING_KIND_ORDER = ("softer", "reactive", "warm")
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# A need longer than this is a story, not words that follow "I need".
NEED_WORDS = 8
# "I guess I needed", "I just want", "for": what comes before the need itself.
NEED_LEAD = re.compile(
    r"^(?:i\s+(?:guess|think|suppose)\s*,?\s*)?(?:i\s+)?(?:(?:just|really)\s+)*"
    r"(?:need|needed|want|wanted|wish|wished|would\s+like|'d\s+like)\s+",
    re.IGNORECASE,
)
FOR_LEAD = re.compile(r"^for\s+", re.IGNORECASE)
# Words that make a need read wrong after "I need" in a message to the partner: the
# partner named in the third person ("him to see me"), or no need at all.
OTHER_PERSON = {
    "he", "him", "his", "he's", "she", "her", "hers", "she's",
    "they", "them", "their", "theirs", "they're",
}  # fmt: skip
NOT_A_NEED = {"i", "not", "no", "nothing", "idk", "dunno", "don't", "dont"}


def partner_phrase(partner_word: object, default: str) -> str:
    """'your wife' from the user's own word 'wife' ('your family' from
    'parents'), else the default phrase."""
    # A slot filled from outside (a client's payload, the HTTP API) may hold
    # anything; only a word of the partner lexicon is put back into a sentence.
    role = load_partner_roles().find(partner_word)
    return f"your {role.say}" if role is not None else default


def relationship_of(partner_word: object) -> str:
    """Whom the user's word names (contract.RELATIONSHIPS); no word, or one
    outside the lexicon, is taken as the romantic partner the default phrase
    names."""
    role = load_partner_roles().find(partner_word)
    return role.relationship if role is not None else ROMANTIC


def quoted_phrase(text: str) -> str:
    """The start of the user's message, quoted: their own words back to them."""
    words = text.strip().rstrip(".!?").split()
    phrase = " ".join(words[:PHRASE_WORDS])
    return f'"{phrase} ..."' if len(words) > PHRASE_WORDS else f'"{phrase}"'


def _words(text: str) -> List[str]:
    return WORD.findall(text.lower().replace("\u2019", "'"))


def feeling_words(text: object) -> List[str]:
    """The user's own feelings in what they typed, in their feel form
    ("invisible" from "I guess I felt kind of invisible when he didn't look up"):
    the softer ones if there are any, else the reactive, else the warm; at most
    FEELING_WORDS, in the order typed. A feeling denied ("I didn't feel hurt"),
    someone else's ("he was angry") or not meant as one ("home alone") is left
    out (bids_partner/language/feeling_reading.py). Empty when there is none."""
    found = felt_by_user(text)
    for kind in FEELING_KIND_ORDER:
        forms = list(dict.fromkeys(f.feel for f in found if f.kind == kind))
        if forms:
            return forms[:FEELING_WORDS]
    return []


def and_list(words: List[str]) -> str:
    """'hurt and lonely'."""
    return " and ".join(words)


@cache
def _partner_words() -> frozenset[str]:
    return frozenset(load_lexicon()["partner_role"])


def need_phrase(text: object) -> str | None:
    """The user's need as words that read after "I need" in a message to their
    partner ("you to notice me" from "I guess I needed you to notice me."), or
    None when they would not: a long answer, more than one sentence, a quote, the
    partner in the third person ("him to see me"), or no need ("I don't know")."""
    if not isinstance(text, str):
        return None
    phrase = " ".join(text.split()).rstrip(".!?,; ")
    phrase = FOR_LEAD.sub("", NEED_LEAD.sub("", phrase, count=1), count=1)
    words = _words(phrase)
    if not words or len(phrase.split()) > NEED_WORDS:
        return None
    if set('.!?;"') & set(phrase) or words[0] in NOT_A_NEED:
        return None
    lowered = f" {' '.join(words)} "
    if OTHER_PERSON & set(words) or any(
        f" {word} " in lowered for word in _partner_words()
    ):
        return None
    return phrase
