"""The shape of the content files; a mistake in them fails loudly at start."""

from __future__ import annotations

import string
from typing import Any, Dict, List, Tuple

from pydantic import BaseModel, root_validator, validator

from bids_partner.contract import MOVES

TEMPLATE_FIELDS = {"partner", "emotion", "phrase"}


def template_fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def check_fields(text: str, allowed: set[str]) -> str:
    unknown = template_fields(text) - allowed
    if unknown:
        raise ValueError(
            f"unknown placeholder(s) {sorted(unknown)} in {text!r}; "
            f"allowed: {sorted(allowed)}"
        )
    return text


def check_keys(
    mapping: Dict[str, Any], expected: Tuple[str, ...], what: str, strict: bool = True
) -> Dict[str, Any]:
    """`mapping` has every expected key (and, if strict, no other)."""
    missing = [key for key in expected if key not in mapping]
    unknown = [key for key in mapping if key not in expected] if strict else []
    if missing or unknown:
        raise ValueError(f"missing {what} {missing}, unknown {what} {unknown}")
    return mapping


def check_question(text: str) -> str:
    if not text.rstrip().endswith("?"):
        raise ValueError(f"must end with a question: {text!r}")
    return text


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
            check_question(check_fields(text, TEMPLATE_FIELDS))
        return texts


class ReflectionContent(BaseModel):
    version: int
    default_partner: str
    moves: Dict[str, MoveReflections]

    @validator("moves")
    def _covers_every_move(
        cls, moves: Dict[str, MoveReflections]
    ) -> Dict[str, MoveReflections]:
        return check_keys(moves, MOVES, "moves")


class Concept(BaseModel):
    id: str
    keywords: List[str]
    text: str

    @validator("keywords")
    def _has_keywords(cls, keywords: List[str]) -> List[str]:
        if not keywords or not all(k.strip() for k in keywords):
            raise ValueError("needs non-empty keywords")
        return [k.strip().lower() for k in keywords]


class Psychoeducation(BaseModel):
    version: int
    # What the assistant can explain, offered when no concept was recognised.
    menu: str
    concepts: List[Concept]

    @validator("concepts")
    def _keywords_are_unique(cls, concepts: List[Concept]) -> List[Concept]:
        seen: Dict[str, str] = {}
        for concept in concepts:
            for keyword in concept.keywords:
                if keyword in seen:
                    raise ValueError(
                        f"keyword {keyword!r} in both {seen[keyword]} and {concept.id}"
                    )
                seen[keyword] = concept.id
        return concepts


class SurgeonStory(BaseModel):
    version: int
    story: str
    question: str
    triggers: List[str]

    @validator("question")
    def _asks(cls, question: str) -> str:
        return check_question(question)


class ReachingOutFeedback(BaseModel):
    criticism: str
    contempt: str
    defensiveness: str
    withdrawal: str
    other: str


class ReachingOut(BaseModel):
    intro: str
    ask_feeling: str
    ask_need: str
    ask_draft: str
    feedback: ReachingOutFeedback
    soft_startup: str
    success: str


class ShowingUpFeedback(BaseModel):
    withdrawal: str
    criticism: str
    contempt: str
    defensiveness: str
    bid: str
    reassurance_request: str
    other: str


class ShowingUp(BaseModel):
    intro: str
    ask_partner_bid: str
    name_the_bid: str
    feedback: ShowingUpFeedback
    seed_idea: str
    too_short: str
    success: str


# Placeholders each coaching text may use, and the texts that must ask.
COACHING_FIELDS = {
    "reaching_out": {"feeling", "need", "partner", "draft"},
    "showing_up": {"partner", "bid", "reply"},
}
COACHING_QUESTIONS = {
    "reaching_out": ("ask_feeling", "ask_need", "ask_draft"),
    "showing_up": ("ask_partner_bid", "name_the_bid", "too_short"),
}


def _texts(value: Any) -> List[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, BaseModel):
        return [t for v in value.dict().values() for t in _texts(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    return []


class Coaching(BaseModel):
    version: int
    reaching_out: ReachingOut
    showing_up: ShowingUp
    left_form: str

    @root_validator(skip_on_failure=True)
    def _placeholders_and_questions(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        for section, allowed in COACHING_FIELDS.items():
            for text in _texts(values[section]):
                check_fields(text, allowed)
            for key in COACHING_QUESTIONS[section]:
                check_question(getattr(values[section], key))
        check_fields(values["left_form"], set())
        return values


class ChatServiceTexts(BaseModel):
    """What the chat says when a message does not reach the coach."""

    version: int
    unreadable: str
    store_down: str

    @validator("unreadable")
    def _reason_only(cls, text: str) -> str:
        return check_fields(text, {"reason"})

    @validator("store_down")
    def _no_placeholders(cls, text: str) -> str:
        return check_fields(text, set())


class ReplyCues(BaseModel):
    """content/reply_cues.yml: phrases that show what a reply contains."""

    version: int
    cues: Dict[str, List[str]]

    @validator("cues")
    def _every_cue(cls, cues: Dict[str, List[str]]) -> Dict[str, List[str]]:
        from bids_partner.coaching.rehearsal.cues import CUES

        check_keys(cues, CUES, "cues")
        for cue, phrases in cues.items():
            if not phrases or not all(
                isinstance(p, str) and p.strip() for p in phrases
            ):
                raise ValueError(f"cue {cue} needs a list of phrases")
        return cues
