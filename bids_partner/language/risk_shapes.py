"""The shape of a message around its words: what a negation covers, and what is
told as past.

"I'd never hurt myself" and "I want to hurt myself" share their risky words;
"years ago he hit me, I'm safe now" and "he hit me" too. Word and character
TF-IDF and a sentence embedding of the whole message see nearly the same
message, so a writer who words a negation or a past event in a new way is
asked about it. Here each word is written again with the scope it sits in
(`neg_hurt` inside a negation, `past_hit` in a clause told as past), so the
classifier can learn what a negated or past word does apart from the word
itself. Built from code: closed-class words only (negators, clause breaks,
markers of past time), nothing taken from the labelled messages.
"""

from __future__ import annotations

import re
from typing import List, Sequence

# Words that negate what follows in their clause, as people type them
# (apostrophes are often left out on a phone).
NEGATORS = frozenset(
    "not no never nobody noone nothing none neither nor without cannot nvr "
    "dont doesnt didnt wont wouldnt cant couldnt isnt wasnt arent werent aint "
    "shouldnt havent hasnt hadnt".split()
)
# A negation or a time reaches to the end of its clause, and no further.
CLAUSE_WORDS = frozenset(
    "but and so because though although however yet while whereas then".split()
)
NEGATION_REACH = 6
# Markers that a clause tells of time gone by. Years and ages are matched apart.
PAST_WORDS = frozenset("ago once formerly previously".split())
PAST_PHRASES = (
    ("used", "to"),
    ("back", "in"),
    ("back", "when"),
    ("when", "i", "was"),
    ("as", "a", "kid"),
    ("as", "a", "teen"),
)
YEAR = re.compile(r"^(?:19|20)\d\d$")
# Markers that the present is told after the past: "... I'm safe now".
NOW_WORDS = frozenset("now nowadays anymore since today".split())
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.,;:!?…]+|[^\sa-z0-9]")
# Recent turns are joined with " … "; each turn is its own clause.
BREAK = re.compile(r"^[.,;:!?…]+$")


def tokens(text: str) -> List[str]:
    return TOKEN.findall(text.lower().replace("’", "'").replace("‘", "'"))


def _is_negator(token: str) -> bool:
    return token in NEGATORS or token.endswith("n't")


def _clauses(words: Sequence[str]) -> List[List[str]]:
    """The words split at punctuation and clause-joining words (kept as a
    clause's first word, since "but" or "so" says how it relates)."""
    clauses: List[List[str]] = [[]]
    for word in words:
        if BREAK.match(word):
            clauses.append([])
            continue
        if word in CLAUSE_WORDS and clauses[-1]:
            clauses.append([])
        clauses[-1].append(word)
    return [c for c in clauses if c]


def _tells_past(clause: Sequence[str]) -> bool:
    if any(w in PAST_WORDS or YEAR.match(w) for w in clause):
        return True
    return any(
        tuple(clause[i : i + len(p)]) == p
        for p in PAST_PHRASES
        for i in range(len(clause))
    )


def _negation_marked(clause: Sequence[str]) -> List[str]:
    marked: List[str] = []
    reach = 0
    for word in clause:
        if _is_negator(word):
            reach = NEGATION_REACH
            marked.append("negator")
            continue
        if reach > 0:
            marked.append(f"neg_{word}")
            reach -= 1
    return marked


def shape_text(text: str) -> str:
    """The message written as scope-marked words for a TF-IDF: negated words as
    `neg_<word>`, the words of a clause told as past as `past_<word>`, and
    `past_then_now` when a clause of the present follows one of the past."""
    marked: List[str] = []
    seen_past = False
    for clause in _clauses(tokens(text)):
        marked.extend(_negation_marked(clause))
        if _tells_past(clause):
            seen_past = True
            marked.extend(f"past_{w}" for w in clause if w.isalpha())
        elif seen_past and any(w in NOW_WORDS for w in clause):
            marked.append("past_then_now")
    return " ".join(marked)
