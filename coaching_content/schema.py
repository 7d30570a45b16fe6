"""The shape of the content files; a mistake in them fails loudly at start."""

from __future__ import annotations

import string
from typing import Dict, List

from pydantic import BaseModel, validator

# The relational moves of the NLU contract (shared/DESIGN.md).
MOVES = (
    "bid",
    "reassurance_request",
    "withdrawal",
    "criticism",
    "contempt",
    "defensiveness",
    "turning_toward",
)
ACTORS = ("self", "partner")
TEMPLATE_FIELDS = {"partner", "emotion"}


def template_fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class MoveReflections(BaseModel):
    """Reflections for one move: the feeling to conjecture and texts per actor."""

    default_emotion: str
    self: List[str]
    partner: List[str]

    @validator("self", "partner")
    def _templates_are_usable(cls, texts: List[str]) -> List[str]:
        if not texts:
            raise ValueError("needs at least one reflection")
        for text in texts:
            unknown = template_fields(text) - TEMPLATE_FIELDS
            if unknown:
                raise ValueError(
                    f"unknown placeholder(s) {sorted(unknown)} in {text!r}; "
                    f"allowed: {sorted(TEMPLATE_FIELDS)}"
                )
            if not text.rstrip().endswith("?"):
                raise ValueError(f"must end with a check-in question: {text!r}")
        return texts


class ReflectionContent(BaseModel):
    version: int
    default_partner: str
    moves: Dict[str, MoveReflections]

    @validator("moves")
    def _covers_every_move(
        cls, moves: Dict[str, MoveReflections]
    ) -> Dict[str, MoveReflections]:
        missing = [move for move in MOVES if move not in moves]
        unknown = [move for move in moves if move not in MOVES]
        if missing or unknown:
            raise ValueError(f"missing moves {missing}, unknown moves {unknown}")
        return moves
