"""Who makes the move in a message: the user ("self") or their partner.

There is no parser in a pipeline built from code, so the actor is read from the
subject words in order: "you ..." is the user speaking to the partner (the user
makes the move); the first of "I/we" versus "he/she/they/my wife/<Name>" decides
otherwise. A leading "when he ..., I ..." clause is skipped, because the main clause
says who makes the move.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Set

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bids_partner.language.spacy_pipeline import load_lexicon

SELF_WORDS = {"i", "i'm", "im", "i've", "ive", "i'd", "i'll", "me", "myself", "we"}
SECOND_PERSON = {"you", "u", "you're", "youre", "ur", "your", "ya", "yourself"}
THIRD_PERSON = {"he", "she", "they", "he's", "she's", "hes", "shes", "they're", "him"}
SUBORDINATORS = {"when", "whenever", "if", "after", "because", "every", "each", "once"}


def _partner_words() -> Set[str]:
    """The word that names the person in each phrase of the partner lexicon
    ("friend" of "best friend"): every relationship there, a mum or a flatmate
    as much as a wife, is the one the user's moves are with."""
    return {phrase.split()[-1] for phrase in load_lexicon()["partner_role"]}


# Words that, after a capitalised first word, suggest it is a name doing something.
NAME_FOLLOWERS = {
    "is",
    "was",
    "has",
    "had",
    "does",
    "did",
    "always",
    "never",
    "just",
    "said",
    "told",
    "left",
    "got",
    "can't",
    "won't",
    "doesn't",
    "didn't",
    "keeps",
}


def _is_name(tokens: List[Token], index: int) -> bool:
    """A capitalised word that looks like a first name ("Priya keeps asking")."""
    text = tokens[index].text
    if not (text[:1].isupper() and text[1:].islower()) or text == "I":
        return False
    if index > 0:
        return True
    # At the start of a message capitals prove little: want a verb right after.
    following = tokens[1].text if len(tokens) > 1 else ""
    return following.islower() and (
        following in NAME_FOLLOWERS or following.endswith(("s", "ed"))
    )


def _subjects(tokens: List[Token], partner_words: Set[str]) -> Iterable[tuple]:
    """(actor, token) for each word that can name who acts, in order."""
    for index, token in enumerate(tokens):
        word = token.text.lower().replace("’", "'")
        if word in SELF_WORDS or token.text == "I":
            yield "self", token
        elif word in SECOND_PERSON:
            yield "addressee", token
        elif word in THIRD_PERSON or word in partner_words or _is_name(tokens, index):
            yield "partner", token


def detect_actor(tokens: List[Token], partner_words: Set[str]) -> tuple | None:
    """('self' | 'partner', token) for the actor of the message, or None."""
    found = list(_subjects(tokens, partner_words))
    if not found:
        return None
    first_word = tokens[0].text.lower() if tokens else ""
    if first_word in SUBORDINATORS and len(found) > 1:
        found = found[1:]
    role, token = found[0]
    # Speaking to the partner ("you never listen") is the user making the move.
    return ("self" if role == "addressee" else role), token


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class ActorExtractor(GraphComponent, EntityExtractorMixin):
    """Adds an `actor` entity (self or partner) to every parsed message."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ActorExtractor:
        return cls(config)

    def __init__(self, config: Dict[str, Any]) -> None:
        self.component_config = config
        self.partner_words = _partner_words()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            found = detect_actor(tokens, self.partner_words)
            if not found:
                continue
            actor, token = found
            entity = {
                "entity": "actor",
                "value": actor,
                "start": token.start,
                "end": token.end,
                "confidence": 1.0,
            }
            message.set(
                ENTITIES,
                message.get(ENTITIES, []) + self.add_extractor_name([entity]),
                add_to_output=True,
            )
        return messages
