"""TF-IDF and linear models over sparse rows, kept so that reading one message
is cheap (benchmarks/profile_turn.py shows where a turn's time goes)."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize


def logistic_regression(
    C: float, seed: int, class_weight: str | None = "balanced"
) -> LogisticRegression:
    """The readers' logistic regression. Newton-CG reaches the optimum lbfgs
    reaches (the loss is convex) in 13-20 steps instead of 61-254: the reply
    judge's fit took 0.68x the time, with its kinds identical on 1,314 replies
    (results/session22/solver.md). The RiskReader keeps lbfgs: there the two
    take the same time."""
    return LogisticRegression(
        C=C,
        solver="newton-cg",
        max_iter=3000,
        class_weight=class_weight,
        random_state=seed,
    )


def column_major(model: LogisticRegression) -> LogisticRegression:
    """The fitted `model` with its weights kept column-major (Fortran order).

    Predicting multiplies the sparse rows by `coef_.T`. scipy copies a dense
    operand that is not C-contiguous on every sparse product, and `coef_.T` of a
    row-major `coef_` is not: with 13 classes over a few hundred thousand TF-IDF
    columns that copy was about 3 ms of every message. The probabilities are the
    same to the bit; skops keeps the order on disk.
    """
    model.coef_ = np.asfortranarray(model.coef_)
    return model


class KeptIdfVectorizer(TfidfVectorizer):
    """A TfidfVectorizer that keeps its idf weights as a vector once fitted.

    scikit-learn 1.1 rebuilds `idf_` from a diagonal matrix to check that it is
    fitted, then multiplies by that matrix, on every call: about 0.35 ms of the
    0.5 ms it takes to read one message over 70,000 terms. The weights and the
    steps are the same; a value may differ in its last bit (the row norm is
    summed in another order).
    """

    def fit(self, raw_documents: Iterable[str], y: Any = None) -> KeptIdfVectorizer:
        super().fit(raw_documents, y)
        self._keep_idf()
        return self

    def fit_transform(self, raw_documents: Iterable[str], y: Any = None) -> Any:
        rows = super().fit_transform(raw_documents, y)
        self._keep_idf()
        return rows

    def _keep_idf(self) -> None:
        self.idf_weights_ = self.idf_ if self.use_idf else None

    def transform(self, raw_documents: Iterable[str]) -> sp.csr_matrix:
        rows = CountVectorizer.transform(self, raw_documents).astype(np.float64)
        if self.sublinear_tf:
            np.log(rows.data, rows.data)
            rows.data += 1
        if self.use_idf:
            rows.data *= self.idf_weights_[rows.indices]
        return normalize(rows, norm=self.norm, copy=False) if self.norm else rows
