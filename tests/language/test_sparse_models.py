"""Reading one message is cheap: every linear model over sparse rows keeps its
weights column-major (a copy of them was 3 ms of each turn), and the TF-IDF keeps
its idf weights as a vector, giving what scikit-learn's TfidfVectorizer gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import numpy as np
import pytest
import scipy.sparse as sp
import skops.io as sio
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bids_partner.language.concepts import ConceptClassifier, LabelledQuestion
from bids_partner.language.replies import ReplyClassifier
from bids_partner.language.reply_data import LabelledReply
from bids_partner.language.risk import LabelledRisk, RiskClassifier
from bids_partner.language.sparse_models import KeptIdfVectorizer, column_major


def reads_in_place(model: LogisticRegression) -> bool:
    return bool(model.coef_.T.flags["C_CONTIGUOUS"])


def test_column_major_keeps_every_probability_to_the_bit() -> None:
    rows = sp.random(60, 500, density=0.05, format="csr", random_state=0)
    kinds = np.arange(60) % 4
    model = LogisticRegression(max_iter=500, random_state=0).fit(rows, kinds)
    assert not reads_in_place(model)
    before = model.predict_proba(rows)
    assert reads_in_place(column_major(model))
    assert np.array_equal(model.predict_proba(rows), before)


def test_the_risk_classifier_reads_in_place() -> None:
    items = [
        LabelledRisk("i want to die tonight", "clear", "self_harm"),
        LabelledRisk("he hits me when he drinks", "clear", "abuse"),
        LabelledRisk("we argued about the dishes", "none", "none"),
        LabelledRisk("that joke killed me", "none", "none", detail="idiom"),
    ] * 3
    classifier = RiskClassifier(with_encoder=False).fit(items)
    assert reads_in_place(classifier.model)


def test_the_reply_judge_reads_in_place() -> None:
    replies = [
        LabelledReply("Come look!", "on my way, show me", "toward"),
        LabelledReply("Come look!", "busy", "away"),
        LabelledReply("Come look!", "you always interrupt me", "against"),
        LabelledReply("Come look!", "first I need a hug", "reach"),
    ] * 3
    classifier = ReplyClassifier(with_encoder=False).fit(replies)
    assert reads_in_place(classifier.model)


def test_the_concept_reader_reads_in_place() -> None:
    questions = [
        LabelledQuestion("what is a bid?", "bids"),
        LabelledQuestion("what does turning toward mean", "turning_toward"),
    ] * 3
    classifier = ConceptClassifier(with_encoder=False).fit(questions)
    assert reads_in_place(classifier.model)


TRAINING = [
    "you never listen to me",
    "can we sit together tonight?",
    "I'm sorry, I was on my phone. Tell me again?",
    "whatever, do what you want",
    "i need a hug first tbh",
]
READ = ["You never EVER listen", "sit with me 🙂", "zzz unseen words", ""]


@pytest.mark.parametrize(
    "options",
    [
        {"ngram_range": (1, 2), "sublinear_tf": True},
        {"analyzer": "char_wb", "ngram_range": (2, 5), "sublinear_tf": True},
        {"token_pattern": r"\S+"},
        {"use_idf": False},
        {"norm": None, "sublinear_tf": True},
    ],
)
def test_kept_idf_reads_as_scikit_learns_tfidf(options: Dict[str, Any]) -> None:
    ours, theirs = KeptIdfVectorizer(**options), TfidfVectorizer(**options)
    fitted = ours.fit_transform(TRAINING)
    assert abs(fitted - theirs.fit_transform(TRAINING)).max() < 1e-12
    assert abs(ours.transform(READ) - theirs.transform(READ)).max() < 1e-12
    refitted = KeptIdfVectorizer(**options).fit(TRAINING)
    assert abs(refitted.transform(READ) - theirs.transform(READ)).max() < 1e-12


def test_kept_idf_survives_a_save_and_load(tmp_path: Path) -> None:
    vectorizer = KeptIdfVectorizer(sublinear_tf=True).fit(TRAINING)
    sio.dump(vectorizer, tmp_path / "v.skops")
    loaded = sio.load(tmp_path / "v.skops", trusted=True)
    assert abs(loaded.transform(READ) - vectorizer.transform(READ)).max() == 0


def test_an_unfitted_kept_idf_says_so() -> None:
    with pytest.raises(NotFittedError):
        KeptIdfVectorizer().transform(READ)
