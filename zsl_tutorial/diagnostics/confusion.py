"""Where a GZSL model's predictions go: the confusion matrix, and the predictions and u, s, H at one γ."""
from __future__ import annotations

import numpy as np

from .._validation import check_labels
from ..metrics import GZSLScore, calibrated_predict, gzsl_at

__all__ = ["gzsl_confusion", "predictions_at"]


def gzsl_confusion(y_true, y_pred, n_classes: int) -> np.ndarray:
    """Row-normalised confusion matrix (true class x predicted class); rows without samples stay 0."""
    y_true = check_labels(y_true, n_classes, "y_true")
    y_pred = check_labels(y_pred, n_classes, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}.")
    C = np.zeros((n_classes, n_classes))
    np.add.at(C, (y_true, y_pred), 1.0)
    rows = C.sum(axis=1, keepdims=True)
    return np.divide(C, rows, out=np.zeros_like(C), where=rows > 0)


def predictions_at(scores, y, seen_mask, gamma: float) -> tuple[np.ndarray, GZSLScore]:
    """The calibrated predictions at ``gamma`` (for the confusion table) and their u, s, H."""
    return calibrated_predict(scores, seen_mask, gamma), gzsl_at(scores, y, seen_mask, gamma)
