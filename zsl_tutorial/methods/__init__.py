"""Zero-shot learning methods with one sklearn-like interface.

``fit(X, y, S)`` on seen classes, then ``decision_function(X, S)``,
``predict(X, S)`` and ``score(X, y, S)`` with any candidate classes S, seen or
unseen. Importing this package loads numpy only: scipy, sklearn and torch are
imported by the methods that need them.
"""
from __future__ import annotations

from ._base import ZSLEstimator, cosine_similarity
from .attribute_regressor import AttributeRegressor, attribute_quality
from .calibration import CalibratedStacking
from .clswgan import CLSWGAN
from .deep_encoder import DeepEncoder
from .mini_clip import MiniCLIP, clip_loss
from .eszsl import ESZSL, ESZSLGridResult
from .hubness import ReverseRidge, center, csls_scores, k_occurrence_from_scores
from .sae import SAE
from .search import SAECV, ClassDisjointSearch, ESZSLCV

__all__ = [
    "ZSLEstimator",
    "ESZSL",
    "ESZSLGridResult",
    "ESZSLCV",
    "SAECV",
    "ClassDisjointSearch",
    "SAE",
    "AttributeRegressor",
    "attribute_quality",
    "DeepEncoder",
    "MiniCLIP",
    "clip_loss",
    "CalibratedStacking",
    "CLSWGAN",
    "ReverseRidge",
    "csls_scores",
    "center",
    "k_occurrence_from_scores",
    "cosine_similarity",
]
