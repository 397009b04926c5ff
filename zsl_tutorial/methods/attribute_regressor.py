"""Attribute regression: predict a sample's attributes, then pick the nearest class.

A DAP-like baseline (Lampert et al., 2009/2014, with ridge regression in place
of per-attribute probabilistic classifiers): learn x ↦ s from seen classes,
then classify unseen samples by the class row of S closest to the prediction.
Its per-attribute errors are easy to inspect with :func:`attribute_quality`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._deps import require
from .._validation import check_matrix
from ._base import ZSLEstimator, check_positive, cosine_similarity

__all__ = ["AttributeRegressor", "attribute_quality"]

_METRICS = ("cosine", "euclidean")


class AttributeRegressor(ZSLEstimator):
    """Ridge regression from features to class attributes, then nearest prototype.

    Parameters
    ----------
    alpha : float > 0
        Ridge penalty (``sklearn.linear_model.Ridge``, with an intercept).
    metric : "cosine" or "euclidean"
        How predicted attributes are compared with the class rows of S; the
        scores are cosines, or negative Euclidean distances (higher = closer).
    """

    def __init__(self, alpha: float = 1.0, metric: str = "cosine") -> None:
        self.alpha = alpha
        self.metric = metric

    def _check_params(self) -> None:
        check_positive(self.alpha, "alpha")
        if self.metric not in _METRICS:
            raise ValueError(f"metric must be 'cosine' or 'euclidean', got {self.metric!r}.")

    def _fit(self, X: np.ndarray, y: np.ndarray, S: np.ndarray) -> None:
        Ridge = require("sklearn.linear_model").Ridge  # lazy: sklearn takes about a second to import

        # Each sample's target is its class's attribute vector.
        self.regressor_ = Ridge(alpha=float(self.alpha)).fit(X, S[y])

    def predict_attributes(self, X: Any) -> np.ndarray:
        """Predicted attribute vectors (n_samples × n_aux)."""
        X = self._check_X(X)
        return np.asarray(self.regressor_.predict(X), dtype=np.float64).reshape(len(X), -1)

    def _decision_function(self, X: np.ndarray, S: np.ndarray) -> np.ndarray:
        if self.metric not in _METRICS:
            raise ValueError(f"metric must be 'cosine' or 'euclidean', got {self.metric!r}.")
        A = np.asarray(self.regressor_.predict(X), dtype=np.float64).reshape(len(X), -1)
        if self.metric == "cosine":
            return cosine_similarity(A, S)
        # ||a − s||² = ||a||² − 2 a·s + ||s||², clipped at 0 against round-off.
        sq = (A**2).sum(1)[:, None] - 2 * A @ S.T + (S**2).sum(1)[None, :]
        return -np.sqrt(np.maximum(sq, 0.0))


def attribute_quality(A_true: Any, A_pred: Any) -> np.ndarray:
    """Pearson correlation between true and predicted values, one per attribute (column).

    The result is ``nan`` for an attribute that is constant in ``A_true`` (or in
    ``A_pred``), since a correlation is undefined there. That is exactly the
    *semantic loss* case: an attribute that never varies over the training
    classes cannot be learned from them, however useful it would be for the
    unseen ones. Use ``np.nanmean`` to average, and report the nan columns.
    """
    A_true = check_matrix(A_true, "A_true")
    A_pred = check_matrix(A_pred, "A_pred")
    if A_true.shape != A_pred.shape:
        raise ValueError(
            f"A_true has shape {A_true.shape} but A_pred has {A_pred.shape}; "
            "give one predicted attribute vector per true one."
        )
    if len(A_true) < 2:
        raise ValueError("a correlation needs at least two rows (samples).")
    dt = A_true - A_true.mean(axis=0)
    dp = A_pred - A_pred.mean(axis=0)
    denom = np.sqrt((dt**2).sum(axis=0) * (dp**2).sum(axis=0))
    num = (dt * dp).sum(axis=0)
    # Written out instead of np.corrcoef so a constant column gives nan without a warning.
    out = np.full(A_true.shape[1], np.nan)
    # Constancy is tested on the raw values: the mean of n copies of 0.3 need not be
    # exactly 0.3, which would leave round-off residues and a meaningless correlation.
    varies = (np.ptp(A_true, axis=0) > 0) & (np.ptp(A_pred, axis=0) > 0)
    ok = varies & (denom > 0)
    out[ok] = np.clip(num[ok] / denom[ok], -1.0, 1.0)
    return out
