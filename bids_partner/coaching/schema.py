"""The shape of the content files; a mistake in them fails loudly at start."""

from __future__ import annotations

import re
import string
from typing import Any, Dict, List, Tuple

from pydantic import BaseModel, root_validator, validator

from bids_partner.contract import ACTORS, MOVES
from bids_partner.language.spacy_pipeline import FeelingLexicon, load_feelings

# A reflection's placeholders: the user's word for their partner, their message
# quoted, and the feeling slots. Each feeling slot takes feelings of one kind of
# the lexicon (bids_partner/language/lexicon/emotions.yml), in their "feel" form:
#   softer_feeling   the user's softer feeling: the one they named, else a guess
#   reactive_feeling the user's reactive feeling, only as they named it (a text
#                    with it is offered only then), never guessed
#   warm_feeling     the user's warm feeling: the one they named, else a guess
#   partner_feeling  the partner's softer feeling: always a guess, since the
#                    feeling words a user types are most often their own
FEELING_SLOTS = {
    "softer_feeling": "softer",
    "reactive_feeling": "reactive",
    "warm_feeling": "warm",
    "partner_feeling": "softer",
}
GUESSED_SLOTS = ("softer_feeling", "warm_feeling", "partner_feeling")
TEMPLATE_FIELDS = {"partner", "phrase", *FEELING_SLOTS}
# Every feeling slot directly follows one of these, so the "feel" forms of the
# lexicon read right in it by construction ("feel hurt", never "how hurts you feel").
FEEL_BEFORE_SLOT = re.compile(r"\b(?:feel|feels|feeling|felt)\s+$", re.IGNORECASE)
GUESS_FIELDS = {"first", "second"}


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
    """Reflections for one move: texts per actor, and per actor the feelings to
    guess for each feeling slot the user's words do not fill."""

    guesses: Dict[str, Dict[str, List[str]]] = {}
    self: List[str]
    partner: List[str]


def check_feeling_slots(text: str, where: str) -> None:
    """Each feeling slot of `text` follows "feel", "feels", "feeling" or "felt"; a
    reactive feeling is reflected together with a softer one under it."""
    for before, name, _, _ in string.Formatter().parse(text):
        if name in FEELING_SLOTS and not FEEL_BEFORE_SLOT.search(before or ""):
            raise ValueError(
                f"{where}: {{{name}}} must come right after 'feel', 'feels', "
                f"'feeling' or 'felt' (the lexicon's feel forms read only there): "
                f"{text!r}"
            )
    fields = template_fields(text)
    if "reactive_feeling" in fields and "softer_feeling" not in fields:
        raise ValueError(
            f"{where}: a text with {{reactive_feeling}} also guesses what is under "
            f"it, with {{softer_feeling}}: {text!r}"
        )


def check_guesses(
    move: str, reflections: MoveReflections, lexicon: FeelingLexicon
) -> None:
    """Every guessed slot a text uses has two feelings of the slot's kind."""
    unknown = [actor for actor in reflections.guesses if actor not in ACTORS]
    if unknown:
        raise ValueError(f"moves.{move}.guesses: unknown actor(s) {unknown}")
    for actor in ACTORS:
        guesses = reflections.guesses.get(actor, {})
        used = {f for t in getattr(reflections, actor) for f in template_fields(t)}
        for slot, feelings in guesses.items():
            where = f"moves.{move}.guesses.{actor}.{slot}"
            if slot not in GUESSED_SLOTS:
                raise ValueError(
                    f"{where}: only {list(GUESSED_SLOTS)} are guessed "
                    "(a reactive feeling is reflected only as the user named it)"
                )
            kind = FEELING_SLOTS[slot]
            known = lexicon.feel_forms(kind)
            strange = [f for f in feelings if f not in known]
            if len(feelings) != 2 or strange:
                raise ValueError(
                    f"{where}: needs two {kind} feelings of the lexicon, in their "
                    f"feel form; not {kind} feelings there: {strange}"
                )
        missing = [s for s in GUESSED_SLOTS if s in used and s not in guesses]
        if missing:
            raise ValueError(
                f"moves.{move}.{actor}: no guess for {missing} "
                f"(add them under moves.{move}.guesses.{actor})"
            )


class ReflectionContent(BaseModel):
    version: int
    default_partner: str
    # How two guessed feelings are offered, tentatively: "{first}, or perhaps
    # {second}". It stands where a feeling word would, after "feel".
    guess_wording: str
    moves: Dict[str, MoveReflections]

    @validator("guess_wording")
    def _puts_both_guesses(cls, wording: str) -> str:
        fields = template_fields(check_fields(wording, GUESS_FIELDS))
        if fields != GUESS_FIELDS:
            raise ValueError(f"must use {{first}} and {{second}}: {wording!r}")
        return wording

    @validator("moves")
    def _every_move_reads_right(
        cls, moves: Dict[str, MoveReflections]
    ) -> Dict[str, MoveReflections]:
        """Every move and actor has texts that ask, use only known placeholders,
        put each feeling slot after "feel", and have guesses from the lexicon."""
        check_keys(moves, MOVES, "moves")
        lexicon = load_feelings()
        for move, reflections in moves.items():
            for actor in ACTORS:
                texts = getattr(reflections, actor)
                if not texts:
                    raise ValueError(f"moves.{move}.{actor}: needs a reflection")
                for index, text in enumerate(texts):
                    where = f"moves.{move}.{actor}[{index}]"
                    try:
                        check_question(check_fields(text, TEMPLATE_FIELDS))
                    except ValueError as error:
                        raise ValueError(f"{where}: {error}") from None
                    check_feeling_slots(text, where)
                if all("reactive_feeling" in template_fields(t) for t in texts):
                    raise ValueError(
                        f"moves.{move}.{actor}: needs a reflection without "
                        "{reactive_feeling}, for a user who names no reactive feeling"
                    )
            check_guesses(move, reflections, lexicon)
        return moves


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
