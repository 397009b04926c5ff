"""Shared machinery for the zero-shot estimators: validation, fitted checks, predict and score.

Every estimator follows one sklearn-like contract:

- ``fit(X, y, S)``: X is (n_samples, n_features), S is (n_classes, n_aux) with one
  row of auxiliary information per class, and y indexes the rows of S;
- ``decision_function(X, S)``: (n_samples, len(S)) compatibility scores, higher is better;
- ``predict(X, S)``: the row of S with the highest score;
- ``score(X, y, S)``: per-class top-1 accuracy (``metrics.per_class_accuracy``).

The S given at prediction time may hold *other* classes than the S seen in
``fit`` (the unseen classes): that is what makes the method zero-shot. Only its
number of columns must match.

sklearn is imported lazily (it costs about a second), so importing this
package stays cheap; the error raised before ``fit`` is still sklearn's
``NotFittedError``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._deps import require
from .._params import ParamsMixin
from .._validation import check_class_matrix, check_fit_inputs, check_labels, check_matrix
from ..metrics import per_class_accuracy

__all__ = ["ZSLEstimator", "cosine_similarity", "check_positive"]


def cosine_similarity(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Cosine between every row of ``A`` and every row of ``B``: (len(A), len(B)).

    A zero row gets cosine 0 with everything instead of a division by zero.
    """
    na = np.linalg.norm(A, axis=1, keepdims=True)
    nb = np.linalg.norm(B, axis=1, keepdims=True)
    return (A / np.where(na > 0, na, 1.0)) @ (B / np.where(nb > 0, nb, 1.0)).T


def check_positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    """A finite real hyper-parameter > 0 (or >= 0 with ``allow_zero``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}.")
    v = float(value)
    ok = np.isfinite(v) and (v >= 0 if allow_zero else v > 0)
    if not ok:
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}.")
    return v


def _not_fitted(obj: object) -> Exception:
    NotFittedError = require("sklearn.exceptions").NotFittedError  # lazy: sklearn's import is slow

    return NotFittedError(
        f"This {type(obj).__name__} is not fitted yet. Call fit(X, y, S) on the training "
        "(seen) classes before decision_function, predict or score."
    )


class ZSLEstimator(ParamsMixin):
    """Base class: subclasses implement ``_fit`` and ``_decision_function``.

    After ``fit`` every estimator has ``n_features_in_`` (columns of X) and
    ``n_aux_in_`` (columns of S), against which prediction inputs are checked.
    """

    # ------------------------------------------------------------ parameters
    # get_params / set_params come from ParamsMixin (shared with CNNEncoder and ImageGAN).
    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    # ------------------------------------------------------------ validation
    def _validate_fit(self, X: Any, y: Any, S: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        X, y, S = check_fit_inputs(X, y, S)
        self.n_features_in_ = X.shape[1]
        self.n_aux_in_ = S.shape[1]
        return X, y, S

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_features_in_"):
            raise _not_fitted(self)

    def _check_X(self, X: Any) -> np.ndarray:
        self._check_fitted()
        X = check_matrix(X, "X")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} was fitted on "
                f"{self.n_features_in_}. Use features from the same extractor as in fit."
            )
        return X

    def _check_S(self, S: Any, min_classes: int = 1) -> np.ndarray:
        self._check_fitted()
        S = check_class_matrix(S, "S", min_classes=min_classes)
        if S.shape[1] != self.n_aux_in_:
            raise ValueError(
                f"S has {S.shape[1]} auxiliary dimensions, but {type(self).__name__} was fitted on "
                f"{self.n_aux_in_}. The candidate classes may differ from training, but must be "
                "described by the same attributes or embedding."
            )
        return S

    # ------------------------------------------------------------ interface
    def fit(self, X: Any, y: Any, S: Any) -> "ZSLEstimator":
        """Learn from seen-class samples X with labels y indexing the rows of S."""
        self._check_params()  # hyper-parameter mistakes first: they are cheaper to fix
        X, y, S = self._validate_fit(X, y, S)
        self._fit(X, y, S)
        return self

    def decision_function(self, X: Any, S: Any) -> np.ndarray:
        """Compatibility scores (n_samples, n_candidate_classes); higher means more likely."""
        X = self._check_X(X)
        S = self._check_S(S)
        return self._decision_function(X, S)

    def predict(self, X: Any, S: Any) -> np.ndarray:
        """Index of the best-scoring row of S for every sample (S needs at least two candidate rows)."""
        check_class_matrix(S, "S", min_classes=2)  # choosing among one class is always "right"
        return np.argmax(self.decision_function(X, S), axis=1)

    def score(self, X: Any, y: Any, S: Any) -> float:
        """Per-class top-1 accuracy among the candidate classes in S."""
        X = self._check_X(X)
        S = self._check_S(S, min_classes=2)  # accuracy among one candidate is 100% and meaningless
        y = check_labels(y, S.shape[0], "y")
        if len(y) != len(X):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels; they must describe the same samples.")
        return per_class_accuracy(y, np.argmax(self._decision_function(X, S), axis=1))

    # Subclasses fill these in; inputs are already validated.
    def _check_params(self) -> None:
        """Raise a clear error for invalid constructor arguments (checked in fit, as sklearn does)."""

    def _fit(self, X: np.ndarray, y: np.ndarray, S: np.ndarray) -> None:  # pragma: no cover
        raise NotImplementedError

    def _decision_function(self, X: np.ndarray, S: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError
