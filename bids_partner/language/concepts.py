"""Which of the coach's ideas a question asks about, in any words.

Questions about the ideas (the `ask_concept` intent) were written to
docs/labelling/concepts.md by several writers in distinct voices, each labelled
with the topic it asks about; the topics are the concept ids of
content/psychoeducation.yml. This module loads them and holds the classifier that
the NLU component (rasa_plugins/nlu/concept_reader.py) and `make bench-concepts-cv`
share: TF-IDF of words and characters with all-MiniLM-L6-v2 sentence embeddings,
logistic regression over the concepts. Chosen by cross-writer validation over the
keyword routing it backs up (benchmarks/concepts_cv.py). No Rasa imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, List, Sequence, Tuple

import numpy as np
import scipy.sparse as sp
import yaml

from bids_partner.language.sparse_models import column_major, logistic_regression
from bids_partner.language.text_features import tfidf_and_embedding, word_and_char_tfidf

if TYPE_CHECKING:
    from bids_partner.coaching.schema import Concept

INTENT = "ask_concept"


class ConceptDataError(ValueError):
    """A concepts file is missing, malformed or names no topic."""


@dataclass(frozen=True)
class LabelledQuestion:
    text: str
    topic: str  # a concept id of content/psychoeducation.yml
    writer: str = ""


def load_file(path: Path) -> List[LabelledQuestion]:
    """One writer's questions (`ask_concept: [{text, topic}]`); the writer is the
    file's name."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConceptDataError(f"{path}: not readable YAML ({error})") from error
    items = content.get(INTENT) if isinstance(content, dict) else None
    if not isinstance(items, list) or not items:
        raise ConceptDataError(f"{path}: expected a list `{INTENT}`")
    found: List[LabelledQuestion] = []
    for number, item in enumerate(items, start=1):
        text = item.get("text") if isinstance(item, dict) else None
        topic = item.get("topic") if isinstance(item, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise ConceptDataError(f"{path}: question {number} needs a text")
        if not isinstance(topic, str) or not topic.strip():
            raise ConceptDataError(f"{path}: question {number} needs a topic")
        found.append(LabelledQuestion(text, topic, path.stem))
    return found


def load_questions(folder: Path) -> List[LabelledQuestion]:
    """Every writer's questions in the YAML files of `folder` (data/concepts/)."""
    files = sorted(folder.glob("*.yml"))
    if not files:
        raise ConceptDataError(f"{folder}: no concepts files")
    return [question for path in files for question in load_file(path)]


def content_examples(concepts: Iterable[Concept]) -> List[LabelledQuestion]:
    """Each concept's own words in content/psychoeducation.yml as two more
    examples of it: its keywords together, and its text."""
    return [
        LabelledQuestion(text, concept.id, "content")
        for concept in concepts
        for text in (", ".join(concept.keywords), concept.text)
    ]


class ConceptClassifier:
    """Logistic regression over TF-IDF (words, characters) and, optionally, the
    sentence embedding; deterministic (fixed seed)."""

    def __init__(
        self,
        C: float = 100.0,
        seed: int = 42,
        with_tfidf: bool = True,
        with_encoder: bool = True,
    ) -> None:
        if not (with_tfidf or with_encoder):
            raise ValueError("the concept classifier needs TF-IDF or the encoder")
        self.with_tfidf = with_tfidf
        self.with_encoder = with_encoder
        self.words, self.chars = word_and_char_tfidf()
        self.model = logistic_regression(C, seed, class_weight=None)

    def _features(
        self, texts: Sequence[str], fit: bool, vectors: np.ndarray | None = None
    ) -> sp.csr_matrix:
        vectorizers = (self.words, self.chars) if self.with_tfidf else ()
        return tfidf_and_embedding(vectorizers, texts, fit, self.with_encoder, vectors)

    def fit(self, questions: Iterable[LabelledQuestion]) -> ConceptClassifier:
        questions = list(questions)
        column_major(
            self.model.fit(
                self._features([q.text for q in questions], fit=True),
                [q.topic for q in questions],
            )
        )
        return self

    @property
    def concepts(self) -> List[str]:
        return [str(c) for c in self.model.classes_]

    def rank_many(
        self, texts: Sequence[str], vectors: np.ndarray | None = None
    ) -> List[List[Tuple[str, float]]]:
        """For each text, every concept with its probability, likeliest first.
        `vectors` are the texts' sentence embeddings if already computed."""
        probabilities = self.model.predict_proba(
            self._features(texts, fit=False, vectors=vectors)
        )
        classes = self.concepts
        return [
            sorted(
                ((classes[i], float(row[i])) for i in range(len(classes))),
                key=lambda pair: -pair[1],
            )
            for row in probabilities
        ]

    def rank(
        self, text: str, vector: np.ndarray | None = None
    ) -> List[Tuple[str, float]]:
        return self.rank_many(
            [text], None if vector is None else np.asarray(vector).reshape(1, -1)
        )[0]
