"""Reads the feeling words of a message in their context: whose feeling each is,
whether the message says it is not there, and whether the word means a feeling
at all here. The one place that decides which feelings are the user's own
("I'm not angry, just hurt" -> hurt; "he's furious" -> none; "home alone" -> none).

Plain token windows over the words, with the word lists of feeling_reading.yml:
the project's spaCy pipeline has no parser, and the action server reads this
without loading spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import yaml
from pydantic import BaseModel, ValidationError, root_validator, validator

from bids_partner.language.spacy_pipeline import (
    Feeling,
    FeelingLexicon,
    LexiconError,
    load_feelings,
    load_partner_roles,
    normalize,
)

READING_FILE = Path(__file__).resolve().parent / "feeling_reading.yml"
# Words (with an inner apostrophe, curly ones made straight) and the marks that
# end a clause.
TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|[.!?;,:]")
SENTENCE_END = {".", "!", "?", ";"}
CLAUSE_END = SENTENCE_END | {",", ":"}
USER, OTHER = "user", "other"


def _words(values: List[str]) -> List[str]:
    if not all(isinstance(v, str) and v.strip() and v == v.lower() for v in values):
        raise ValueError("expected a list of lowercase words")
    return [normalize(v) for v in values]


class Whose(BaseModel):
    user: List[str]
    others: List[str]
    user_after: List[str]
    others_after: List[str]
    name_followers: List[str]

    _lowercase = validator("*", allow_reuse=True)(_words)


class DoneTo(BaseModel):
    """Feeling words that are also verbs, and the words around one that say it
    was done to someone ("I hurt her")."""

    verbs: List[str]
    done_by: List[str]
    between: List[str]
    objects: List[str]

    _lowercase = validator("*", allow_reuse=True)(_words)


class Negation(BaseModel):
    words: List[str]
    reach: int
    ends_at: List[str]
    undone_by: List[str]
    never_measured_by: List[str]

    _lowercase = validator(
        "words", "ends_at", "undone_by", "never_measured_by", allow_reuse=True
    )(_words)


class WordSense(BaseModel):
    felt_only: bool = False
    not_in: List[str] = []

    _lowercase = validator("not_in", allow_reuse=True)(_words)


class Senses(BaseModel):
    feel_verbs: List[str]
    intensifiers: List[str]
    words: Dict[str, WordSense]

    _lowercase = validator("feel_verbs", "intensifiers", allow_reuse=True)(_words)


class FeelingReading(BaseModel):
    """feeling_reading.yml, checked: every word the senses name is a typed form
    of the feeling lexicon, and each of its phrases contains it."""

    version: int
    whose: Whose
    done_to: DoneTo
    negation: Negation
    senses: Senses

    @root_validator(skip_on_failure=True)
    def _senses_of_lexicon_words(cls, values: Dict[str, object]) -> Dict[str, object]:
        lexicon = load_feelings()
        done_to: DoneTo = values["done_to"]  # type: ignore[assignment]
        for verb in done_to.verbs:
            if lexicon.find(verb) is None:
                raise ValueError(
                    f"done_to.verbs: {verb!r} is not a typed form of the emotion "
                    "lexicon"
                )
        senses: Senses = values["senses"]  # type: ignore[assignment]
        for typed, sense in senses.words.items():
            if lexicon.find(typed) is None:
                raise ValueError(
                    f"senses.words.{typed}: not a typed form of the emotion lexicon"
                )
            for phrase in sense.not_in:
                if typed not in phrase.split():
                    raise ValueError(
                        f"senses.words.{typed}.not_in: {phrase!r} does not contain it"
                    )
        return values


@cache
def load_reading(path: Path = READING_FILE) -> FeelingReading:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return FeelingReading.parse_obj(raw)
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise LexiconError(f"{path}: {error}") from error


@dataclass(frozen=True)
class Token:
    text: str  # as typed
    low: str  # lowercase, straight apostrophe


@dataclass(frozen=True)
class Mention:
    """One feeling word of a message, read in its context."""

    feeling: Feeling
    typed: str
    start: int  # index of its first token
    whose: str  # USER or OTHER
    negated: bool
    # False where the word means something else ("home alone", "a close call").
    a_feeling: bool

    @property
    def felt_by_user(self) -> bool:
        return self.whose == USER and not self.negated and self.a_feeling


def tokens_of(text: str) -> List[Token]:
    straight = text.replace("\u2019", "'")
    return [Token(t, t.lower()) for t in TOKEN.findall(straight)]


@cache
def _person_words() -> frozenset[str]:
    """Partner-lexicon words that stand for a person as one token ("mum",
    "friend" of "best friend")."""
    roles = load_partner_roles().roles
    return frozenset(r.typed.split()[-1] for r in roles if "-" not in r.typed)


def _base(word: str) -> str:
    """'mum' of "mum's": a possessive still names the person."""
    return word[:-2] if word.endswith("'s") else word


def _is_name(tokens: List[Token], index: int, reading: FeelingReading) -> bool:
    """A capitalised word doing something: "Priya was furious"."""
    text = tokens[index].text
    following = tokens[index + 1].low if index + 1 < len(tokens) else ""
    return (
        text[:1].isupper()
        and text[1:].islower()
        and text != "I"
        and load_feelings().find(tokens[index].low) is None
        and (following in reading.whose.name_followers or text.endswith("'s"))
    )


def _person_at(tokens: List[Token], index: int, reading: FeelingReading) -> str | None:
    """USER or OTHER when the token at `index` names a person, else None."""
    low = tokens[index].low
    if low in reading.whose.user:
        return USER
    if low in reading.whose.others or _base(low) in _person_words():
        return OTHER
    if _is_name(tokens, index, reading):
        return OTHER
    return None


def _an_object(tokens: List[Token], index: int, reading: FeelingReading) -> bool:
    """The token at `index` names whom something was done to: "her", "my",
    "mum", "Sam"."""
    token = tokens[index]
    if token.low in reading.done_to.objects or _base(token.low) in _person_words():
        return True
    text = token.text
    return (
        text[:1].isupper()
        and text[1:].islower()
        and text != "I"
        and load_feelings().find(token.low) is None
    )


def done_to_someone(
    tokens: List[Token], start: int, end: int, reading: FeelingReading
) -> bool:
    """The feeling word at tokens[start:end] is a verb done to someone: "I hurt
    her", "did I upset you?", not "I'm hurt you forgot" or "I hurt so much"."""
    rules = reading.done_to
    typed = " ".join(t.low for t in tokens[start:end])
    if typed not in rules.verbs or end >= len(tokens):
        return False
    if not _an_object(tokens, end, reading):
        return False
    index = start - 1
    while index >= 0 and tokens[index].low in rules.between:
        index -= 1
    return index >= 0 and tokens[index].low in rules.done_by


def whose_feeling(
    tokens: List[Token], start: int, end: int, reading: FeelingReading
) -> str:
    """Whose is the feeling at tokens[start:end]: whom it happened to when a
    person follows it ("he hurt me", "I hurt her"), else the nearest person
    before it in its sentence; the user's when there is none."""
    if end < len(tokens):
        after = tokens[end].low
        if after in reading.whose.user_after:
            return USER
        if after in reading.whose.others_after:
            return OTHER
    if done_to_someone(tokens, start, end, reading):
        return OTHER
    for index in range(start - 1, -1, -1):
        if tokens[index].low in SENTENCE_END:
            break
        person = _person_at(tokens, index, reading)
        if person is not None:
            return person
    return USER


def _is_negation(word: str, reading: FeelingReading) -> bool:
    return word in reading.negation.words or word.endswith("n't")


def is_negated(tokens: List[Token], start: int, reading: FeelingReading) -> bool:
    """A negation reaches the feeling at `start`: "not angry", "I don't feel
    lonely", "not scared anymore"; not past a clause, a "but" or "just", or a new
    subject, nor when undone ("can't stop feeling") or a measure ("never so")."""
    rules = reading.negation
    lowest = max(start - rules.reach - 1, 0)
    between: List[str] = []
    for index in range(start - 1, lowest - 1, -1):
        word = tokens[index].low
        if word in CLAUSE_END or word in rules.ends_at:
            return False
        if _is_negation(word, reading):
            if set(between) & set(rules.undone_by):
                return False
            if word == "never" and set(between) & set(rules.never_measured_by):
                return False
            return True
        if _person_at(tokens, index, reading) is not None:
            return False
        between.append(word)
    return False


def _phrase_around(words: List[str], start: int, typed: str, phrase: str) -> bool:
    """`phrase` is in `words` with its `typed` word at `start`."""
    parts = phrase.split()
    offset = parts.index(typed)
    first = start - offset
    return first >= 0 and words[first : first + len(parts)] == parts


def means_a_feeling(
    tokens: List[Token], start: int, typed: str, reading: FeelingReading
) -> bool:
    """The word at `start` means a feeling here: not "home alone", "a close
    call" or "safe to say"."""
    sense = reading.senses.words.get(typed)
    if sense is None:
        return True
    words = [t.low for t in tokens]
    if any(_phrase_around(words, start, typed, p) for p in sense.not_in):
        return False
    if sense.felt_only:
        index = start - 1
        while index >= 0 and words[index] in reading.senses.intensifiers:
            index -= 1
        return index >= 0 and words[index] in reading.senses.feel_verbs
    return True


def _longest_typed(lexicon: FeelingLexicon) -> int:
    return max(len(t.split()) for entry in lexicon.entries for t in entry.typed)


def find_feelings(
    tokens: List[Token], lexicon: FeelingLexicon
) -> Iterable[Tuple[int, int, Feeling]]:
    """(start, end, feeling) of each feeling word, longest phrase first."""
    longest = _longest_typed(lexicon)
    words = [t.low for t in tokens]
    start = 0
    while start < len(words):
        for length in range(min(longest, len(words) - start), 0, -1):
            feeling = lexicon.find(" ".join(words[start : start + length]))
            if feeling is not None:
                yield start, start + length, feeling
                start += length
                break
        else:
            start += 1


def read_feelings(text: object) -> List[Mention]:
    """Every feeling word of `text`, in order, read in its context."""
    if not isinstance(text, str):
        return []
    reading = load_reading()
    tokens = tokens_of(text)
    mentions = []
    for start, end, feeling in find_feelings(tokens, load_feelings()):
        typed = " ".join(t.low for t in tokens[start:end])
        mentions.append(
            Mention(
                feeling=feeling,
                typed=typed,
                start=start,
                whose=whose_feeling(tokens, start, end, reading),
                negated=is_negated(tokens, start, reading),
                a_feeling=means_a_feeling(tokens, start, typed, reading),
            )
        )
    return mentions


def felt_by_user(text: object) -> List[Feeling]:
    """The feelings `text` says the user has, in order, each once."""
    felt = [m.feeling for m in read_feelings(text) if m.felt_by_user]
    return list(dict.fromkeys(felt))


def users_own(named: Iterable[object], text: object) -> List[str]:
    """Of the feeling words the NLU `named` in `text`, those that are the user's:
    a word the text shows only as someone else's, denied, or meaning something
    else is left out; one the text does not show (a payload) is kept."""
    lexicon = load_feelings()
    mentions = read_feelings(text)
    own = []
    for word in named:
        feeling = lexicon.find(word)
        if feeling is None:
            continue
        seen = [m for m in mentions if m.feeling == feeling]
        if not seen or any(m.felt_by_user for m in seen):
            own.append(str(word))
    return own
