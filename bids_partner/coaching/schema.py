"""The shape of the content files; a mistake in them fails loudly at start."""

from __future__ import annotations

import re
import string
from functools import cache
from typing import Any, Dict, Iterator, List, Tuple

from pydantic import BaseModel, root_validator, validator

from bids_partner.contract import ACTORS, MOVES, ROMANTIC
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
PLACEHOLDER = re.compile(r"\{\w+\}")


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


def check_statement(text: str) -> str:
    """A reflection's body says what it hears; the check-in after it asks."""
    if text.rstrip().endswith("?"):
        raise ValueError(
            "must not end with a question: the check-in question is added after "
            f"it, from check_ins: {text!r}"
        )
    return text


# The practice a "yes" to a reflection can lead to (actions/coaching_forms.py).
EXERCISES = ("reaching_out", "showing_up")
# A partner's contempt or criticism: the reflection asks whether the user feels
# safe and respected (safety_check) instead of a check-in.
SAFETY_CHECK_MOVES = ("contempt", "criticism")
# The texts that follow a reflection may name only the partner.
FOLLOWUP_FIELDS = {"partner"}
# Whom the texts after a "no" to a safety_check are for: a romantic partner (or
# no word known), and everyone else (a parent, a child, a sibling, a friend...).
NOT_SAFE_FOR = (ROMANTIC, "other")
# Enough check-ins that none is needed twice in a row, nor soon again.
MIN_CHECK_INS = 6


def distinct_texts(texts: List[str], where: str, least: int = 1) -> List[str]:
    if len(texts) < least or len(set(texts)) != len(texts):
        raise ValueError(f"{where}: needs at least {least}, all different")
    return texts


class ActorTexts(BaseModel):
    """Texts for a user who makes the move (self) and one whose partner does."""

    self: List[str]
    partner: List[str]


class ActorExercises(BaseModel):
    self: str
    partner: str

    @validator("self", "partner")
    def _an_exercise(cls, exercise: str) -> str:
        if exercise not in EXERCISES:
            raise ValueError(f"must be one of {list(EXERCISES)}: {exercise!r}")
        return exercise


class MoveReflections(BaseModel):
    """Reflections for one move: texts per actor, and per actor the feelings to
    guess for each feeling slot the user's words do not fill; what a "yes" to them
    goes on to (deeper: the need under it, then the exercise offered); for
    SAFETY_CHECK_MOVES, the question about safety that a partner-side reflection
    ends with."""

    guesses: Dict[str, Dict[str, List[str]]] = {}
    exercise: ActorExercises
    deeper: ActorTexts
    safety_check: List[str] = []
    self: List[str]
    partner: List[str]


class ExerciseOffer(BaseModel):
    # Asked in turn after the need under a reflection; the button starts it.
    offers: List[str]
    button: str


class ReflectionFollowup(BaseModel):
    """What follows a "yes" or a "no" to a reflection (actions/reflection.py)."""

    # After a "no": what would fit better, in turn.
    what_fits: List[str]
    # Said before the reflection of what fits better, in turn.
    thanks: List[str]
    exercises: Dict[str, ExerciseOffer]
    not_now_button: str
    # After a "yes" or a "no" to a safety_check, in turn. A "no" is answered with
    # where to turn for help, which depends on who hurts the user: not_safe has
    # texts for a romantic partner (or no word known) and for anyone else.
    safe: List[str]
    not_safe: Dict[str, List[str]]

    @root_validator(skip_on_failure=True)
    def _texts_read_right(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        check_keys(values["exercises"], EXERCISES, "followup.exercises")
        check_keys(values["not_safe"], NOT_SAFE_FOR, "followup.not_safe groups")
        for where, texts in followup_lists(values):
            for text in distinct_texts(texts, where):
                check_fields(text, FOLLOWUP_FIELDS)
        for text in values["what_fits"]:
            check_question(text)
        for name, exercise in values["exercises"].items():
            for text in distinct_texts(exercise.offers, f"followup.{name}.offers"):
                check_question(check_fields(text, FOLLOWUP_FIELDS))
            if not exercise.button.strip():
                raise ValueError(f"followup.exercises.{name}: needs a button title")
        return values


def followup_lists(values: Dict[str, Any]) -> Iterator[Tuple[str, List[str]]]:
    """(where, texts) of each list of followup texts that one text is picked
    from; not_safe per group."""
    for key in ("what_fits", "thanks", "safe"):
        yield f"followup.{key}", values[key]
    for group, texts in values["not_safe"].items():
        yield f"followup.not_safe.{group}", texts


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


@cache
def romantic_pattern(phrases: Tuple[str, ...]) -> re.Pattern[str]:
    """Any of `phrases`, as whole words, in any case."""
    alternatives = "|".join(re.escape(" ".join(p.split())) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def romantic_phrases(phrases: List[str]) -> List[str]:
    if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise ValueError("romantic_framing needs a list of words or phrases")
    if any(set("{}") & set(p) for p in phrases):
        raise ValueError("romantic_framing: phrases are plain words, without braces")
    return phrases


class ReflectionContent(BaseModel):
    version: int
    default_partner: str
    # Words and phrases that frame the bond as a couple's: a text with any of them
    # is said only about a romantic partner.
    romantic_framing: List[str]
    # How two guessed feelings are offered, tentatively: "{first}, or perhaps
    # {second}". It stands where a feeling word would, after "feel".
    guess_wording: str
    # Asked after a reflection's body, in turn; never the same twice in a row.
    check_ins: List[str]
    followup: ReflectionFollowup
    moves: Dict[str, MoveReflections]

    def fits(self, text: str, relationship: str) -> bool:
        """`text` reads right about the user's `relationship`: romantic framing
        only for a romantic partner ({partner} itself is the user's own word)."""
        if relationship == ROMANTIC:
            return True
        pattern = romantic_pattern(tuple(self.romantic_framing))
        return not pattern.search(PLACEHOLDER.sub("", text))

    def fitting(self, texts: List[str], relationship: str) -> List[str]:
        """Those of `texts` that read right about `relationship`."""
        return [text for text in texts if self.fits(text, relationship)]

    def not_safe_for(self, relationship: str) -> List[str]:
        """What a "no" to a safety_check is answered with, when the one the user
        fears is their `relationship`: the Domestic Violence Hotline is for a
        partner or an ex; a parent or a sibling gets other help."""
        group = ROMANTIC if relationship == ROMANTIC else "other"
        return self.followup.not_safe[group]

    @validator("romantic_framing")
    def _plain_phrases(cls, phrases: List[str]) -> List[str]:
        return romantic_phrases(phrases)

    @root_validator(skip_on_failure=True)
    def _not_safe_for_anyone_else_is_not_a_couples(
        cls, values: Dict[str, Any]
    ) -> Dict[str, Any]:
        pattern = romantic_pattern(tuple(values["romantic_framing"]))
        for text in values["followup"].not_safe["other"]:
            if pattern.search(PLACEHOLDER.sub("", text)):
                raise ValueError(
                    "followup.not_safe.other is said about a parent, a sibling or a "
                    f"friend: no romantic_framing: {text!r}"
                )
        return values

    @root_validator(skip_on_failure=True)
    def _texts_for_every_relationship(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        """Every list a text is picked from has one that is not romantic, so a
        user talking about their mum or a friend always gets an answer."""
        pattern = romantic_pattern(tuple(values["romantic_framing"]))
        for where, texts in picked_lists(values):
            if all(pattern.search(PLACEHOLDER.sub("", text)) for text in texts):
                raise ValueError(
                    f"{where}: every text uses romantic_framing; add one that "
                    "reads right about a parent, a sibling or a friend"
                )
        return values

    @validator("check_ins")
    def _check_ins_ask(cls, check_ins: List[str]) -> List[str]:
        for text in distinct_texts(check_ins, "check_ins", MIN_CHECK_INS):
            check_question(check_fields(text, set()))
        return check_ins

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
                        check_fields(text, TEMPLATE_FIELDS)
                    except ValueError as error:
                        raise ValueError(f"{where}: {error}") from None
                    check_feeling_slots(text, where)
                    try:
                        check_statement(text)
                    except ValueError as error:
                        raise ValueError(f"{where}: {error}") from None
                if all("reactive_feeling" in template_fields(t) for t in texts):
                    raise ValueError(
                        f"moves.{move}.{actor}: needs a reflection without "
                        "{reactive_feeling}, for a user who names no reactive feeling"
                    )
                deeper = getattr(reflections.deeper, actor)
                for text in distinct_texts(deeper, f"moves.{move}.deeper.{actor}"):
                    check_statement(check_fields(text, FOLLOWUP_FIELDS))
            check_guesses(move, reflections, lexicon)
            check_safety_checks(move, reflections.safety_check)
        return moves


def picked_lists(values: Dict[str, Any]) -> Iterator[Tuple[str, List[str]]]:
    """(where, texts) of every list of reflection content that one text is
    picked from; for a move, its texts without {reactive_feeling}."""
    yield "check_ins", values["check_ins"]
    followup: ReflectionFollowup = values["followup"]
    for key in ("what_fits", "thanks", "safe"):
        yield f"followup.{key}", getattr(followup, key)
    # not_safe.romantic is said only about a romantic partner, so may frame one.
    yield "followup.not_safe.other", followup.not_safe["other"]
    for name, exercise in followup.exercises.items():
        yield f"followup.exercises.{name}.offers", exercise.offers
    for move, reflections in values["moves"].items():
        for actor in ACTORS:
            texts = getattr(reflections, actor)
            plain = [t for t in texts if "reactive_feeling" not in template_fields(t)]
            yield f"moves.{move}.{actor}", plain
            yield f"moves.{move}.deeper.{actor}", getattr(reflections.deeper, actor)
        if reflections.safety_check:
            yield f"moves.{move}.safety_check", reflections.safety_check


def check_safety_checks(move: str, texts: List[str]) -> None:
    """A partner's contempt or criticism is answered with a question about safety;
    other moves have none."""
    where = f"moves.{move}.safety_check"
    if move not in SAFETY_CHECK_MOVES:
        if texts:
            raise ValueError(f"{where}: only {list(SAFETY_CHECK_MOVES)} have one")
        return
    for text in distinct_texts(texts, where):
        try:
            check_question(check_fields(text, FOLLOWUP_FIELDS))
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None


# A source article is named by its file in the seed folder (/work/shared/seeds/,
# outside the repository): three digits, an underscore, a hash, ".txt".
SEED_FILE = re.compile(r"^[0-9]{3}_[0-9a-f]+\.txt$")


class Source(BaseModel):
    """The article a text says in the project's own words, for review: its file in
    the seed folder and its title, and what the text takes from elsewhere, if
    anything. Only the form is checked here, so the assistant starts without the
    seed folder; that the file exists is checked by tests/coaching/test_concepts.py."""

    file: str
    title: str
    note: str = ""

    class Config:
        extra = "forbid"

    @validator("file")
    def _names_a_seed_file(cls, file: str) -> str:
        if not SEED_FILE.match(file):
            raise ValueError(
                f"must name a seed file such as 000_6e0426fb8294c61c.txt: {file!r}"
            )
        return file

    @validator("title")
    def _has_a_title(cls, title: str) -> str:
        if not title.strip():
            raise ValueError("needs the article's title")
        return title.strip()


class Concept(BaseModel):
    id: str
    keywords: List[str]
    text: str
    source: Source

    class Config:
        extra = "forbid"

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

    @validator("concepts")
    def _one_title_per_article(cls, concepts: List[Concept]) -> List[Concept]:
        titles: Dict[str, str] = {}
        for concept in concepts:
            source = concept.source
            title = titles.setdefault(source.file, source.title)
            if source.title != title:
                raise ValueError(
                    f"{concept.id}: {source.file} is titled {title!r} elsewhere, "
                    f"not {source.title!r}"
                )
        return concepts


class SurgeonStory(BaseModel):
    version: int
    story: str
    question: str
    triggers: List[str]
    source: Source

    @validator("question")
    def _asks(cls, question: str) -> str:
        return check_question(question)


class ReachingOutFeedback(BaseModel):
    criticism: str
    contempt: str
    defensiveness: str
    withdrawal: str
    other: str


# The worked example's model message: the feeling word(s) as said after "I felt"
# ("invisible", "hurt and lonely"), and the need as said after "I need".
EXAMPLE_MESSAGE_FIELDS = {
    "feeling_and_need": {"feeling_words", "need_words"},
    "feeling": {"feeling_words"},
    "need": {"need_words"},
    "plain": set(),
}


def distinct_variants(first: str, others: List[str], where: str) -> List[str]:
    """Other wordings of `first`, for the tries after the first: at least two, all
    different from each other and from `first`, so no consecutive tries get the
    same words."""
    if len(others) < 2 or len({first, *others}) != len(others) + 1:
        raise ValueError(
            f"{where}: needs at least two other wordings, each different from the "
            "first and from each other"
        )
    return others


class ReachingOutFeedbackAgain(BaseModel):
    """Other wordings of each feedback, for the drafts after the first, in turn."""

    criticism: List[str]
    contempt: List[str]
    defensiveness: List[str]
    withdrawal: List[str]
    other: List[str]


class ExampleMessages(BaseModel):
    """The worked example's model message, by what it can be built from."""

    feeling_and_need: str
    feeling: str
    need: str
    plain: str

    @root_validator(skip_on_failure=True)
    def _uses_what_it_is_built_from(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        for key, fields in EXAMPLE_MESSAGE_FIELDS.items():
            used = template_fields(check_fields(values[key], fields))
            if used != fields:
                raise ValueError(
                    f"worked_example.message.{key} must use exactly "
                    f"{sorted(fields) or 'no placeholders'}: {values[key]!r}"
                )
        return values


class WorkedExample(BaseModel):
    message: ExampleMessages
    # One offer per try from the third on, in turn: the example and a way out.
    offers: List[str]

    @validator("offers")
    def _offers_an_example_and_a_way_out(cls, offers: List[str]) -> List[str]:
        if len(offers) < 2 or len(set(offers)) != len(offers):
            raise ValueError("worked_example.offers needs at least two, all different")
        for text in offers:
            fields = template_fields(check_fields(text, {"example", "partner"}))
            if "example" not in fields or '"stop"' not in text:
                raise ValueError(
                    "each of worked_example.offers gives the {example} and the way "
                    f'out (saying "stop"): {text!r}'
                )
            check_question(text)
        return offers


class ReachingOut(BaseModel):
    intro: str
    ask_feeling: str
    ask_need: str
    ask_draft: str
    # Stands for the user's feeling when their answer holds no feeling word of the
    # lexicon: it reads where a feeling word in quotes would ("what you felt").
    feeling_unnamed: str
    feedback: ReachingOutFeedback
    feedback_again: ReachingOutFeedbackAgain
    # Asked after the first draft that does not reach, then soft_startup_again
    # after the second; from the third, a worked example is offered instead.
    soft_startup: str
    soft_startup_again: str
    worked_example: WorkedExample
    success: str

    @root_validator(skip_on_failure=True)
    def _varied(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        for move in ReachingOutFeedback.__fields__:
            distinct_variants(
                getattr(values["feedback"], move),
                getattr(values["feedback_again"], move),
                f"reaching_out.feedback_again.{move}",
            )
        if values["soft_startup_again"] == values["soft_startup"]:
            raise ValueError("reaching_out.soft_startup_again repeats soft_startup")
        check_fields(values["feeling_unnamed"], set())
        return values


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
    "reaching_out": (
        "ask_feeling",
        "ask_need",
        "ask_draft",
        "soft_startup",
        "soft_startup_again",
    ),
    "showing_up": ("ask_partner_bid", "name_the_bid", "too_short"),
}
# Texts with placeholders of their own, checked by their own model.
OWN_PLACEHOLDERS = {"worked_example"}
# The exercises follow a reflection about the user's mum or friend as well as their
# partner, so they name the person with {partner} ("your mum"): written out, "your
# partner" would misname a mum; "your {partner}" reads "your your mum"; and at the
# start of a sentence "your mum" would be in lower case.
MISNAMED_PARTNER = re.compile(
    r"\b(?:your|a)\s+(?:partner\b|\{partner\})|(?:^|[.!?]\s+)\{partner\}",
    re.IGNORECASE,
)


def check_partner_named(text: str) -> str:
    if MISNAMED_PARTNER.search(text):
        raise ValueError(
            "name the person the user talks about with {partner} (it says "
            '"your mum", or "your partner" when no word is known), and not at the '
            f"start of a sentence: {text!r}"
        )
    return text


def _texts(value: Any) -> List[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, BaseModel):
        return [t for v in value.dict().values() for t in _texts(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


class Coaching(BaseModel):
    version: int
    reaching_out: ReachingOut
    showing_up: ShowingUp
    left_form: str

    @root_validator(skip_on_failure=True)
    def _placeholders_and_questions(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        for section, allowed in COACHING_FIELDS.items():
            model = values[section]
            for key in model.__fields__:
                for text in _texts(getattr(model, key)):
                    check_partner_named(text)
                    if key not in OWN_PLACEHOLDERS:
                        check_fields(text, allowed)
            for key in COACHING_QUESTIONS[section]:
                check_question(getattr(values[section], key))
        check_partner_named(check_fields(values["left_form"], set()))
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
