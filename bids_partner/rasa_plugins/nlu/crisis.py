"""Finds signs of crisis with spaCy's Matcher, and forces the `crisis` intent.

This is the layer that does not depend on what DIET learned: patterns over
lowercased tokens and lookup lemmas (crisis_patterns.yml), aware of negation
("I'd never hurt myself"), of harmless idioms ("he beat me at chess") and of jokes
("I'll kill him if he spoils the finale lol"). A pattern's catch counts where the
risk classifier sees at least a little risk (`pattern_floor`), and always where
the pattern is marked `direct`: a wish to die, suicide, a plan or farewell, or
violence told in the present, said outright.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Tuple, Type

import spacy
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

from bids_partner.contract import RISK_KEY, SAFETY_TIER_ENTITY, TIER_CHECK, TIER_CRISIS
from bids_partner.language.spacy_pipeline import ensure_pipeline

PATTERNS_FILE = Path(__file__).resolve().parent / "crisis_patterns.yml"
CATEGORIES = ("self_harm", "abuse", "harm_others")
CRISIS_INTENT = "crisis"
CLASSIFIER_INTENT_KEY = "classifier_intent"
HARMLESS = "harmless"
MENTIONS = "mentions"
DIRECT = "direct"
# How far back a negation reaches, in tokens, within the same clause.
NEGATION_WINDOW = 5
MENTION_NEGATION_WINDOW = 2
CLAUSE_BREAKS = {",", ".", ";", "!", "?", "but", "and", "so", "because", "just"}
REPORTING_VERBS = {"say", "said", "says", "saying", "told", "tell", "yell", "scream"}
# "was"/"were" just after these is a wish or a condition, not a telling of the
# past ("I wish I was dead", "better off if I wasn't here": the tokenizer splits
# "wasn't" and "wasnt" into "was" and the negation).
COUNTERFACTUAL = {"wish", "wishing", "if"}
SUBJUNCTIVE = {"was", "were"}
_GAP = re.compile(r"^~(\d+)$")
# The word groups the detector reads itself, beside the patterns.
WORD_GROUPS_READ_HERE = ("neg", "past", "laugh")


class PatternError(ValueError):
    """crisis_patterns.yml is malformed; the message names the pattern."""


@dataclass(frozen=True)
class CrisisMatch:
    category: str
    pattern: str
    start: int  # character offsets in the message
    end: int
    direct: bool = False  # counts whatever the classifier says (see `counted`)


def _clause_before(doc: Doc, start: int, window: int | None = None) -> List[Token]:
    """The tokens before `start` back to the clause's start (at most `window`),
    nearest first."""
    earlier = doc[max(0, start - window) : start] if window else doc[:start]
    clause: List[Token] = []
    for token in reversed(earlier):
        if token.lower_ in CLAUSE_BREAKS:
            break
        clause.append(token)
    return clause


def _counterfactual(doc: Doc, token: Token) -> bool:
    """A "was" or "were" within two tokens after "wish" or "if"."""
    if token.lower_ not in SUBJUNCTIVE:
        return False
    return any(t.lower_ in COUNTERFACTUAL for t in doc[max(0, token.i - 2) : token.i])


def _token_spec(word: str, groups: Dict[str, str], where: str) -> Dict[str, Any]:
    optional = word.startswith("[") and word.endswith("]")
    word = word[1:-1] if optional else word
    if word.startswith("@"):
        if word[1:] not in groups:
            raise PatternError(f"{where}: unknown group {word}")
        spec: Dict[str, Any] = {"LOWER": {"REGEX": f"^(?:{groups[word[1:]]})$"}}
    elif word.startswith("lemma:"):
        spec = {"LEMMA": {"IN": word[len("lemma:") :].split("|")}}
    else:
        try:
            re.compile(word)
        except re.error as error:
            raise PatternError(f"{where}: bad expression {word!r}: {error}") from error
        spec = {"LOWER": {"REGEX": f"^(?:{word})$"}}
    if optional:
        spec["OP"] = "?"
    return spec


def compile_pattern(
    text: str, groups: Dict[str, str], where: str
) -> tuple[List[Dict[str, Any]], List[bool]]:
    """spaCy Matcher pattern for `text`, and which of its tokens are gaps (~N)."""
    specs: List[Dict[str, Any]] = []
    is_gap: List[bool] = []
    for word in text.split():
        gap = _GAP.match(word)
        if gap:
            specs += [{"OP": "?"}] * int(gap.group(1))
            is_gap += [True] * int(gap.group(1))
        else:
            specs.append(_token_spec(word, groups, where))
            is_gap.append(False)
    if not specs or all(is_gap):
        raise PatternError(f"{where}: empty pattern")
    return specs, is_gap


def _pattern_text(entry: Any, category: str, where: str) -> str:
    """A pattern is a string, or `{direct: "..."}` for a risk category's pattern
    whose catch counts whatever the classifier says."""
    if isinstance(entry, dict):
        if list(entry) != [DIRECT] or not isinstance(entry[DIRECT], str):
            raise PatternError(f'{where}: a mapping must be {{direct: "pattern"}}')
        if category not in CATEGORIES:
            raise PatternError(f"{where}: only a risk pattern can be direct")
        return entry[DIRECT]
    if not isinstance(entry, (str, int, float)):
        raise PatternError(f"{where}: a pattern must be a string")
    return str(entry)


class CrisisDetector:
    """Matches crisis_patterns.yml against spaCy docs."""

    def __init__(self, nlp: Language, patterns_file: Path = PATTERNS_FILE) -> None:
        try:
            config = yaml.safe_load(patterns_file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise PatternError(f"{patterns_file}: {error}") from error
        if not isinstance(config, dict) or not isinstance(config.get("groups"), dict):
            raise PatternError(f"{patterns_file}: needs `groups` and pattern lists")
        groups = config["groups"]
        self.nlp = nlp
        self.matcher = Matcher(nlp.vocab)
        self.gaps: Dict[str, List[bool]] = {}
        self.texts: Dict[str, str] = {}
        self.direct: set[str] = set()
        for category in (*CATEGORIES, HARMLESS, MENTIONS):
            patterns = config.get(category)
            if not isinstance(patterns, list) or not patterns:
                raise PatternError(f"{patterns_file}: `{category}` needs patterns")
            for index, entry in enumerate(patterns):
                key = f"{category}:{index}"
                text = _pattern_text(entry, category, key)
                if isinstance(entry, dict):
                    self.direct.add(key)
                specs, self.gaps[key] = compile_pattern(text, groups, key)
                self.texts[key] = text
                self.matcher.add(key, [specs])
        self.joking_cancels = set(config.get("joking_cancels") or [])
        missing = [g for g in WORD_GROUPS_READ_HERE if g not in groups]
        if missing:
            raise PatternError(f"{patterns_file}: needs the groups {missing}")
        self.negation = re.compile(f"^(?:{groups['neg']})$")
        self.past = re.compile(f"^(?:{groups['past']})$")
        self.laughter = re.compile(f"^(?:{groups['laugh']})$")

    def _negated(
        self, doc: Doc, start: int, end: int, key: str, align: List[int]
    ) -> bool:
        gaps = self.gaps[key]
        inside = any(
            gaps[align[i]] and self._is_negation(doc[start + i])
            for i in range(end - start)
        )
        if inside:
            return True
        window = (
            MENTION_NEGATION_WINDOW if key.startswith(MENTIONS) else NEGATION_WINDOW
        )
        return any(self._is_negation(t) for t in _clause_before(doc, start, window))

    def _told_in_the_past(self, doc: Doc, start: int, end: int) -> bool:
        """A past form in the catch or before it in its clause ("ten years ago I
        tried to take my life", "I was suicidal at uni"): what is told is over,
        and the classifier, which reads the whole message, decides."""
        told = (*_clause_before(doc, start), *doc[start:end])
        return any(
            self.past.match(t.lower_) and not _counterfactual(doc, t) for t in told
        )

    def _is_negation(self, token: Token) -> bool:
        # "when I say no" reports a refusal; it does not negate what follows.
        if token.lower_ == "no" and token.i > 0:
            return token.nbor(-1).lower_ not in REPORTING_VERBS
        return bool(self.negation.match(token.lower_)) or token.lemma_ == "not"

    def analyse(self, doc: Doc) -> Tuple[List[CrisisMatch], List[CrisisMatch]]:
        """(crisis matches, matches cancelled as negated, harmless or joking)."""
        matches = self.matcher(doc, with_alignments=True)
        vocab = self.matcher.vocab.strings
        harmless = [
            (s, e) for m, s, e, _ in matches if vocab[m].startswith(HARMLESS + ":")
        ]
        laughing = any(self.laughter.match(t.lower_) for t in doc)
        found: List[CrisisMatch] = []
        cancelled: List[CrisisMatch] = []
        for match_id, start, end, align in matches:
            key = vocab[match_id]
            category = key.split(":")[0]
            if category == HARMLESS:
                continue
            span = doc[start:end]
            match = CrisisMatch(
                category,
                self.texts[key],
                span.start_char,
                span.end_char,
                key in self.direct and not self._told_in_the_past(doc, start, end),
            )
            joking = laughing and (
                category in self.joking_cancels or match.pattern in self.joking_cancels
            )
            if (
                joking
                or any(s <= start and end <= e or start <= s < end for s, e in harmless)
                or self._negated(doc, start, end, key, align)
            ):
                cancelled.append(match)
            elif category != MENTIONS:
                found.append(match)
        return found, cancelled

    def find(self, doc: Doc) -> List[CrisisMatch]:
        return self.analyse(doc)[0]


@lru_cache(maxsize=1)
def default_detector() -> CrisisDetector:
    return CrisisDetector(spacy.load(ensure_pipeline()))


def keep_classifier_intent(message: Message) -> None:
    """Keeps what the classifier said before the safety layer changed it, for
    evaluation and for therapists reviewing a transcript."""
    message.set(CLASSIFIER_INTENT_KEY, message.get(INTENT), add_to_output=True)


@dataclass(frozen=True)
class Thresholds:
    """Where the risk classifier's scores (rasa_plugins/nlu/risk_reader.py) start
    the gentle question and the full crisis text; chosen by `make bench-safety`."""

    check: float
    crisis: float
    context: float
    # A pattern that is not `direct` counts only where the message's score (or
    # the recent turns') reaches this.
    pattern_floor: float = 0.0
    # The full crisis text for a message longer than the encoder reads: one of
    # its sentences read alone must reach this (see `classifier_tier`).
    long_sentence_crisis: float = 1.0


def counted(
    found: List[CrisisMatch], risk: Dict[str, Any], thresholds: Thresholds
) -> List[CrisisMatch]:
    """The patterns' catches that count: `direct` ones, and the others where the
    classifier gives the message or the recent turns at least `pattern_floor`.
    Past events, idioms and harmless senses raise patterns the classifier has
    learnt to tell apart (out of fold, at 95% of risk asked, hard near-misses
    asked 25.3% -> 20.2%, past_resolved 46.7% -> 26.5%); a wish to die said
    outright is never left to the classifier. Without a score (no classifier),
    every catch counts."""
    if "score" not in risk:
        return found
    seen = max(float(risk.get("score", 0.0)), float(risk.get("context_score", 0.0)))
    return [m for m in found if m.direct or seen >= thresholds.pattern_floor]


def classifier_tier(risk: Dict[str, Any], thresholds: Thresholds) -> str | None:
    """What the risk classifier's scores alone ask for (TIER_CRISIS, TIER_CHECK or
    None).

    A message longer than the encoder reads is scored whole, in windows and
    sentence by sentence (rasa_plugins/nlu/risk_reader.py). A long safe message
    read whole or in windows scores high for its length (out of the classifier's
    training shape: everyday long messages were asked 71-80% and given the full
    text 20-29% on blind sets), and the more sentences, the more chances for one
    to cross a threshold by luck. So, like the recent turns read together, the
    whole and its windows only ask, from `context`; a sentence alone asks from
    `check` and gives the full text from `long_sentence_crisis`
    (results/session29/summary.md).
    """
    if "sentence_score" in risk:
        sentence = float(risk["sentence_score"])
        if sentence >= thresholds.long_sentence_crisis:
            return TIER_CRISIS
        if sentence >= thresholds.check:
            return TIER_CHECK
        if float(risk.get("whole_score", 0.0)) >= thresholds.context:
            return TIER_CHECK
        return None
    score = float(risk.get("score", 0.0))
    if score >= thresholds.crisis:
        return TIER_CRISIS
    if score >= thresholds.check:
        return TIER_CHECK
    return None


def safety_tier(
    found: List[CrisisMatch],
    cancelled: List[CrisisMatch],
    risk: Dict[str, Any],
    thresholds: Thresholds,
) -> Tuple[str | None, str | None]:
    """(TIER_CRISIS, TIER_CHECK or None, the category) for one message.

    A pattern or the classifier's scores asking (`classifier_tier`) asks the
    gentle question; the full crisis text needs the classifier. A score whose
    only crisis words the patterns found negated, idiomatic or joking is asked
    about, never more. The recent turns read together can only ask. Only the
    patterns `counted` are taken.
    """
    scored = classifier_tier(risk, thresholds)
    found = counted(found, risk, thresholds)
    category = found[0].category if found else risk.get("category")
    if scored == TIER_CRISIS:
        return (TIER_CHECK if cancelled and not found else TIER_CRISIS), category
    if found or scored == TIER_CHECK:
        return TIER_CHECK, category
    if float(risk.get("context_score", 0.0)) >= thresholds.context:
        return TIER_CHECK, risk.get("context_category") or category
    return None, None


def force_crisis(
    message: Message, tier: str, category: str | None, match: CrisisMatch | None
) -> None:
    """Makes `crisis` the message's intent, with the tier and the category as
    entities (the category over the words that matched, if a pattern did)."""
    crisis = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [
        r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != CRISIS_INTENT
    ]
    keep_classifier_intent(message)
    message.set(INTENT, crisis, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [crisis, *ranking], add_to_output=True)
    entities = [{"entity": SAFETY_TIER_ENTITY, "value": tier}]
    if category:
        where = {"start": match.start, "end": match.end} if match else {}
        entities.append({"entity": "crisis_category", "value": category, **where})
    for entity in entities:
        entity.update(confidence=1.0, extractor=CrisisMatcher.__name__)
    message.set(ENTITIES, [*message.get(ENTITIES, []), *entities], add_to_output=True)


def overrule_crisis(message: Message) -> None:
    """A crisis guess of the intent classifier that neither the patterns nor the
    risk classifier support: the next intent is taken."""
    intent = message.get(INTENT) or {}
    if intent.get(INTENT_NAME_KEY) != CRISIS_INTENT:
        return
    ranking = [
        r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != CRISIS_INTENT
    ]
    if ranking:
        keep_classifier_intent(message)
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER],
    is_trainable=False,
    model_from="SpacyNLP",
)
class CrisisMatcher(GraphComponent):
    """Decides the safety tier of each message from the patterns and the risk
    scores (see `safety_tier`), and overrules a crisis guess of the intent
    classifier that neither supports.

    Place it after RiskReader and before FallbackClassifier: a forced crisis has
    confidence 1.0, and an overruled one falls back if the next intent is not
    confident enough.
    """

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisMatcher:
        return cls(cls.thresholds_of(config))

    @classmethod
    def thresholds_of(cls, config: Dict[str, Any]) -> Thresholds:
        config = {**cls.get_default_config(), **config}
        return Thresholds(
            config["check_threshold"],
            config["crisis_threshold"],
            config["context_threshold"],
            config["pattern_floor"],
            config["long_sentence_crisis"],
        )

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # Chosen by cross-writer validation (`make bench-safety`): the gentle
        # question for recall, the full crisis text for few false alarms.
        return {
            "check_threshold": 0.28,
            "crisis_threshold": 0.73,
            "context_threshold": 0.7,
            "pattern_floor": 0.1,
            "long_sentence_crisis": 0.85,
        }

    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    def __init__(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        self._detector: CrisisDetector | None = None

    def detector(self, model: SpacyModel) -> CrisisDetector:
        """Patterns compiled once, over the pipeline SpacyNLP already loaded."""
        if self._detector is None or self._detector.nlp is not model.model:
            self._detector = CrisisDetector(model.model)
        return self._detector

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        detector = self.detector(model)
        for message in messages:
            doc: Doc | None = message.get(SPACY_DOCS[TEXT])
            if doc is None and message.get(TEXT):
                doc = detector.nlp(message.get(TEXT))
            if doc is None:
                continue
            found, cancelled = detector.analyse(doc)
            risk = message.get(RISK_KEY) or {}
            tier, category = safety_tier(found, cancelled, risk, self.thresholds)
            if tier:
                found = counted(found, risk, self.thresholds)
                force_crisis(message, tier, category, found[0] if found else None)
            else:
                overrule_crisis(message)
        return messages
