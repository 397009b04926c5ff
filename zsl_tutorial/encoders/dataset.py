"""A dataset with features in place of its images."""
from __future__ import annotations

from typing import Any

import numpy as np


def feature_dataset(dataset, features: Any, *, name: str | None = None):
    """The same ``ZSLDataset`` (labels, classes, S, splits) with ``features`` (n, d) in place of the images."""
    from ..data import ZSLDataset

    F = np.asarray(features)
    if F.ndim != 2 or len(F) != len(dataset.X):
        raise ValueError(f"features must be (n_samples, d) with n_samples = {len(dataset.X)}, got shape {F.shape}.")
    return ZSLDataset(F, dataset.y, dataset.class_names, dataset.S, dataset.splits, dataset.aux_names,
                      name=name or f"{dataset.name} (CNN features)", description=dataset.description,
                      extras=dict(dataset.extras))
