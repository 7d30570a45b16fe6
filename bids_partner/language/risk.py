"""Reading a message, or the last few messages together, for signs of risk.

The labelled messages (data/safety/, written to docs/labelling/safety.md by several
writers) say whether a message shows risk (clear, unsure or none) and of which
category. This module loads them and holds the classifier that the NLU component
(rasa_plugins/nlu/risk_reader.py) and `make bench-safety` share: TF-IDF of words
and characters with all-MiniLM-L6-v2 sentence embeddings, logistic regression over
each kind of safe talk ("none:idiom", ...) and the three categories. The risk
score is the probability of any category.
No Rasa imports.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

import numpy as np
import scipy.sparse as sp
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bids_partner.language.reply_data import load_replies
from bids_partner.language.risk_shapes import shape_text
from bids_partner.language.sparse_models import KeptIdfVectorizer, column_major
from bids_partner.language.text_features import tfidf_and_embedding, word_and_char_tfidf

RISKS = ("clear", "unsure", "none")
CATEGORIES = ("self_harm", "abuse", "harm_to_others")
NONE = "none"
# The kinds of hard near-miss (docs/labelling/safety.md): messages that use risk's
# words and show none.
NEAR_MISS_KINDS = (
    "idiom",
    "negated",
    "past_resolved",
    "harmless_sense",
    "ordinary_hurt",
)
SAFE_KINDS = (*NEAR_MISS_KINDS, "everyday")
# A safe class is "none" or "none:<kind>" (LabelledRisk.label).
SAFE_CLASS_PREFIX = f"{NONE}:"
# Safe talk from the other data, labelled by where it comes from.
ORDINARY, REPLY = "ordinary", "reply"
# A moment someone close reached out, as users tell it in the showing-up
# exercise (data/replies/, the scene below).
DESCRIBED_MOMENT = "described_moment"
SHOWING_UP = "showing_up"
# Risk whose category nobody labelled (the crisis intent's examples in data/nlu):
# it counts toward the risk score, never as the category named.
UNSPECIFIED = "unspecified"
# Recent messages are read together as one text, the oldest first.
TURN_SEPARATOR = " … "


class SafetyDataError(ValueError):
    """A safety file is missing, malformed or has an unknown label."""


@dataclass(frozen=True)
class LabelledRisk:
    text: str  # one message, or the turns of a conversation joined
    risk: str  # clear | unsure | none
    category: str  # a CATEGORIES entry, or "none"
    writer: str = ""
    detail: str = ""  # the near-miss kind of a "none" message
    turns: int = 1

    @property
    def label(self) -> str:
        """The class learnt: the category of a risk, or "none" with the kind of
        safe talk ("none:idiom", "none:reply"). One "none" class has to hold
        idioms, negations, past events and small talk on one side of a single
        plane; as classes of their own, at 95% of risk asked, hard near-misses
        were asked 30.0% -> 25.3% and everyday talk 5.7% -> 3.7%
        (results/safety-cv/safe-kinds-as-classes.md)."""
        if self.risk != NONE:
            return self.category
        return f"{SAFE_CLASS_PREFIX}{self.detail}" if self.detail else NONE


def join_turns(turns: Sequence[str]) -> str:
    return TURN_SEPARATOR.join(t.strip() for t in turns)


def _item(path: Path, where: str, item: object, text: str, writer: str, turns: int):
    if not isinstance(item, dict):
        raise SafetyDataError(f"{path}: {where} is not a mapping")
    risk, category = item.get("risk"), item.get("category")
    if risk not in RISKS:
        raise SafetyDataError(f"{path}: {where} has risk {risk!r}")
    if risk != NONE and category not in CATEGORIES:
        raise SafetyDataError(f"{path}: {where} has category {category!r}")
    # A misspelt kind would silently become a class of its own.
    if item.get("near_miss") and item["near_miss"] not in SAFE_KINDS:
        raise SafetyDataError(f"{path}: {where} has near_miss {item['near_miss']!r}")
    return LabelledRisk(
        text,
        str(risk),
        str(category) if risk != NONE else NONE,
        writer,
        str(item.get("near_miss") or ""),
        turns,
    )


def load_file(path: Path) -> List[LabelledRisk]:
    """The messages and conversations of one writer's file, checked."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SafetyDataError(f"{path}: not readable YAML ({error})") from error
    if not isinstance(content, dict) or not isinstance(content.get("messages"), list):
        raise SafetyDataError(f"{path}: expected `writer` and a list `messages`")
    writer = str(content.get("writer", path.stem))
    found: List[LabelledRisk] = []
    for number, item in enumerate(content["messages"], start=1):
        text = item.get("text") if isinstance(item, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise SafetyDataError(f"{path}: message {number} needs a text")
        found.append(_item(path, f"message {number}", item, text, writer, 1))
    for number, item in enumerate(content.get("conversations") or [], start=1):
        turns = item.get("turns") if isinstance(item, dict) else None
        if not isinstance(turns, list) or not all(isinstance(t, str) for t in turns):
            raise SafetyDataError(f"{path}: conversation {number} needs `turns`")
        found.append(
            _item(
                path,
                f"conversation {number}",
                item,
                join_turns(turns),
                writer,
                len(turns),
            )
        )
    return found


def load_safety(folder: Path) -> List[LabelledRisk]:
    files = sorted(folder.glob("*.yml"))
    if not files:
        raise SafetyDataError(f"{folder}: no safety files")
    return [item for path in files for item in load_file(path)]


def with_recent_turns(items: Sequence[LabelledRisk], seed: int) -> List[LabelledRisk]:
    """Each writer's single messages read after one or two of their ordinary ones,
    as the context layer reads them: a risk stays a risk after small talk, and
    heavy but safe talk strung together stays safe."""
    rng = random.Random(seed)
    by_writer: Dict[str, List[LabelledRisk]] = defaultdict(list)
    for item in items:
        if item.turns == 1:
            by_writer[item.writer].append(item)
    joined: List[LabelledRisk] = []
    for writer, singles in by_writer.items():
        safe = [i for i in singles if i.risk == NONE]
        for item in singles:
            before = rng.sample(safe, k=rng.choice((1, 2)))
            joined.append(
                LabelledRisk(
                    join_turns([b.text for b in before] + [item.text]),
                    item.risk,
                    item.category,
                    writer,
                    item.detail,
                    len(before) + 1,
                )
            )
    return joined


def replies_to_a_partner(folder: Path) -> List[LabelledRisk]:
    """The labelled rehearsal replies (data/replies/), as ordinary talk: in a
    rehearsal people answer a partner who is hurt, angry or crying, and those
    words must not read as risk. The moments users described in the showing-up
    exercise ("he sat in the car after the doctor"), each once, are ordinary
    talk of their own kind: their writers were asked for ordinary bids."""
    replies = load_replies(folder)
    moments = dict.fromkeys(
        (r.partner, r.writer) for r in replies if r.scene == SHOWING_UP
    )
    return [
        *(LabelledRisk(r.text, NONE, NONE, "replies", REPLY) for r in replies),
        *(
            LabelledRisk(text, NONE, NONE, writer, DESCRIBED_MOMENT)
            for text, writer in moments
        ),
    ]


def training_items(
    labelled: Sequence[LabelledRisk],
    intent_examples: Sequence[LabelledRisk],
    replies_folder: Path,
    seed: int,
) -> List[LabelledRisk]:
    """What the risk classifier learns from: the labelled messages, the same
    single messages after recent turns, the intents' examples and the rehearsal
    replies (the RiskReader and `make bench-safety` alike)."""
    return [
        *labelled,
        *with_recent_turns(labelled, seed),
        *intent_examples,
        *replies_to_a_partner(replies_folder),
    ]


class RiskClassifier:
    """Logistic regression over TF-IDF and sentence embeddings; deterministic."""

    def __init__(
        self,
        C: float = 4.0,
        seed: int = 42,
        with_encoder: bool = True,
        with_shapes: bool = False,
    ):
        self.with_encoder = with_encoder
        self.words, self.chars = word_and_char_tfidf()
        # Words marked with the negation or past they sit in (risk_shapes.py).
        self.shapes: TfidfVectorizer | None = (
            KeptIdfVectorizer(
                ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+"
            )
            if with_shapes
            else None
        )
        # lbfgs, not the other readers' Newton-CG: here both take about 100 s
        # once the embeddings are made (results/session22/solver.md).
        self.model = LogisticRegression(
            C=C, max_iter=3000, class_weight="balanced", random_state=seed
        )

    def _features(
        self, texts: Sequence[str], fit: bool, vectors: np.ndarray | None = None
    ) -> sp.csr_matrix:
        features = tfidf_and_embedding(
            (self.words, self.chars), texts, fit, self.with_encoder, vectors
        )
        # A classifier saved before shapes existed has no such attribute.
        shapes = getattr(self, "shapes", None)
        if shapes is None:
            return features
        marked = [shape_text(t) for t in texts]
        block = shapes.fit_transform(marked) if fit else shapes.transform(marked)
        return sp.hstack([features, block]).tocsr()

    def fit(self, items: Iterable[LabelledRisk]) -> RiskClassifier:
        items = list(items)
        column_major(
            self.model.fit(
                self._features([i.text for i in items], fit=True),
                [i.label for i in items],
            )
        )
        return self

    def scores(
        self, texts: Sequence[str], vectors: np.ndarray | None = None
    ) -> List[Tuple[float, str]]:
        """For each text: the probability that it shows risk, and the likeliest
        category. `vectors` are the texts' sentence embeddings if computed."""
        probabilities = self.model.predict_proba(
            self._features(texts, fit=False, vectors=vectors)
        )
        classes = [str(c) for c in self.model.classes_]
        safe = [
            i
            for i, c in enumerate(classes)
            if c == NONE or c.startswith(SAFE_CLASS_PREFIX)
        ]
        found = []
        for row in probabilities:
            risky = [(row[i], c) for i, c in enumerate(classes) if c in CATEGORIES]
            found.append((float(1.0 - row[safe].sum()), max(risky)[1]))
        return found

    def score(self, text: str) -> Tuple[float, str]:
        return self.scores([text])[0]


def recall_and_alarms(
    items: Sequence[LabelledRisk], scores: Sequence[float], threshold: float
) -> Tuple[float, float]:
    """(share of risk items at or above `threshold`, share of none items above)."""
    risk = np.array([i.risk != NONE for i in items])
    caught = np.array(scores) >= threshold
    return float(caught[risk].mean()), float(caught[~risk].mean())
