"""Calibrated stacking (Chao, Changpinyo, Gong & Sha, ECCV 2016) for generalized ZSL.

Models trained on seen classes score them too high, so in GZSL almost every
test sample is predicted as some seen class. Calibrated stacking subtracts a
constant γ from the seen classes' scores: ŷ = argmax_c f_c(x) − γ·1[c ∈ seen].
It works on the scores of *any* estimator (``decision_function``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._params import ParamsMixin
from ..metrics import GZSLScore, SeenUnseenCurve, calibrated_predict, gzsl_at, seen_unseen_curve

__all__ = ["CalibratedStacking"]


class CalibratedStacking(ParamsMixin):
    """Choose and apply the seen-class penalty γ of calibrated stacking.

    Parameters
    ----------
    gamma : float
        The penalty used by ``predict`` until ``fit`` chooses one (0 = plain argmax).

    ``fit`` picks the γ with the best harmonic mean H on **validation** data:
    scores of held-out samples from classes playing the roles of seen and unseen
    (e.g. ``val`` classes as pseudo-unseen). Never fit it on the test set: a γ
    tuned there makes the reported H optimistic. After ``fit``, ``gamma_`` is
    used; ``curve_`` holds the whole seen–unseen curve for plotting.
    """

    def __init__(self, gamma: float = 0.0) -> None:
        self.gamma = gamma

    @property
    def gamma_used(self) -> float:
        """The γ that ``predict`` applies: the fitted ``gamma_`` if any, else ``gamma``."""
        g = getattr(self, "gamma_", self.gamma)
        if isinstance(g, bool) or not isinstance(g, (int, float, np.integer, np.floating)) or not np.isfinite(g):
            raise ValueError(f"gamma must be a finite number, got {g!r}.")
        return float(g)

    def fit(self, scores_val: Any, y_val: Any, seen_mask: Any) -> "CalibratedStacking":
        """Pick γ maximising H on validation scores (n × candidates) with true columns ``y_val``.

        The rule is ``SeenUnseenCurve.best`` (the middle of the best interval of γ), the
        course's only one.
        """
        curve = seen_unseen_curve(scores_val, y_val, seen_mask)
        self.gamma_, self.best_ = curve.best
        self.curve_: SeenUnseenCurve = curve
        return self

    def predict(self, scores: Any, seen_mask: Any) -> np.ndarray:
        """Column index of argmax_c score_c − γ·[c is seen] for every row."""
        return calibrated_predict(scores, seen_mask, self.gamma_used)

    def evaluate(self, scores: Any, y_true: Any, seen_mask: Any) -> GZSLScore:
        """GZSL u, s and H of the calibrated predictions (seen classes = columns marked in ``seen_mask``)."""
        return gzsl_at(scores, y_true, seen_mask, self.gamma_used)
