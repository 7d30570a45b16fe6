"""How the user's own words are put back into a text."""

from __future__ import annotations

PHRASE_WORDS = 12


def partner_phrase(partner_word: object, default: str) -> str:
    """'your wife' from the user's own word 'wife', else the default phrase."""
    # A slot filled from outside (a client's payload, the HTTP API) may hold
    # anything; only a word is put back into a sentence.
    if isinstance(partner_word, str) and partner_word.strip():
        return f"your {partner_word.strip().lower()}"
    return default


def quoted_phrase(text: str) -> str:
    """The start of the user's message, quoted: their own words back to them."""
    words = text.strip().rstrip(".!?").split()
    phrase = " ".join(words[:PHRASE_WORDS])
    return f'"{phrase} ..."' if len(words) > PHRASE_WORDS else f'"{phrase}"'
