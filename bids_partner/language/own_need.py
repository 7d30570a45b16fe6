"""Whether a reply that turned toward the partner also said the user's own need.

"Toward, then my own need" is toward (docs/labelling/replies.md); the rehearsal
notes the need, and a scene that practises the user's own need (aim: reach)
counts it as met. Labellers marked the writers' toward replies `also_needs` in
data/replies/also_needs/; this reader learns that from the reply's words.

Chosen by `benchmarks/reply_also_needs.py`: over five groups of writers, TF-IDF of
words and characters with logistic regression read it far better than the reply
judge's clause readings did (reach in a clause >= 0.3). Read it with care in a
scene no labeller saw: left out one scene at a time, it flags more replies that
say no need.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

import numpy as np
import scipy.sparse as sp
import yaml

from bids_partner.language.sparse_models import (
    KeptIdfVectorizer,
    column_major,
    logistic_regression,
)

# A toward reply read at least this likely to say the user's own need says it.
SAYS_OWN_NEED = 0.5
Key = Tuple[str, str]


class OwnNeedDataError(ValueError):
    """A labels file is malformed."""


def load_own_need_labels(folder: Path) -> Tuple[Dict[Key, bool], Dict[str, float]]:
    """Every labeller's `also_needs`, by (writer, reply text); a reply two
    labellers disagree on is left out. Also how the labellers agreed where both
    labelled (replies labelled twice, disagreements, Cohen's kappa)."""
    given: Dict[Key, List[bool]] = {}
    for path in sorted(folder.glob("*.yml")):
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise OwnNeedDataError(f"{path}: not valid YAML ({error})") from error
        labels = content.get("labels") if isinstance(content, dict) else None
        if not isinstance(labels, list):
            raise OwnNeedDataError(f"{path}: expected `labeller` and a list `labels`")
        for number, item in enumerate(labels, start=1):
            if not (
                isinstance(item, dict)
                and isinstance(item.get("writer"), str)
                and isinstance(item.get("text"), str)
                and isinstance(item.get("also_needs"), bool)
            ):
                raise OwnNeedDataError(
                    f"{path}: label {number} needs writer, text and also_needs "
                    "(true or false)"
                )
            key = (item["writer"], item["text"])
            given.setdefault(key, []).append(item["also_needs"])
    twice = [(labels[0], labels[1]) for labels in given.values() if len(labels) > 1]
    agreed = {key: labels[0] for key, labels in given.items() if len(set(labels)) == 1}
    return agreed, {
        "twice": len(twice),
        "disagree": sum(a != b for a, b in twice),
        "kappa": kappa(twice),
    }


def kappa(pairs: Sequence[Tuple[bool, bool]]) -> float:
    """Cohen's kappa of two labellers' yes/no labels."""
    if not pairs:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / len(pairs)
    first = sum(a for a, _ in pairs) / len(pairs)
    second = sum(b for _, b in pairs) / len(pairs)
    expected = first * second + (1 - first) * (1 - second)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


class OwnNeedReader:
    """Logistic regression over word and character TF-IDF of the reply alone;
    deterministic (fixed seed)."""

    def __init__(self, C: float = 10.0, seed: int = 42) -> None:
        self.words = KeptIdfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self.chars = KeptIdfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
        )
        self.model = logistic_regression(C, seed)

    def _features(self, texts: Sequence[str], fit: bool) -> sp.csr_matrix:
        if fit:
            blocks = [self.words.fit_transform(texts), self.chars.fit_transform(texts)]
        else:
            blocks = [self.words.transform(texts), self.chars.transform(texts)]
        return sp.hstack(blocks).tocsr()

    def fit(self, texts: Sequence[str], labels: Sequence[bool]) -> OwnNeedReader:
        column_major(self.model.fit(self._features(texts, fit=True), list(labels)))
        return self

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """How likely each reply is to say the user's own need."""
        row = list(self.model.classes_).index(True)
        return self.model.predict_proba(self._features(texts, fit=False))[:, row]

    def says_own_need(self, text: str, threshold: float = SAYS_OWN_NEED) -> bool:
        return bool(self.probabilities([text])[0] >= threshold)


def fit_own_need(
    replies: Iterable[Tuple[str, str]], labels: Dict[Key, bool], seed: int = 42
) -> OwnNeedReader | None:
    """The reader fitted on the labelled ones of `replies` ((writer, text) pairs:
    a writer left out of a fold leaves its labels out too); None when they hold
    too few of each label to learn from."""
    found = [
        (text, labels[(writer, text)])
        for writer, text in replies
        if ((writer, text) in labels)
    ]
    if sum(label for _, label in found) < 2 or sum(not label for _, label in found) < 2:
        return None
    return OwnNeedReader(seed=seed).fit(
        [text for text, _ in found], [label for _, label in found]
    )
