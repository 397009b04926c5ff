"""Hubness of points among themselves (lesson 03): k-occurrence, the data to draw points from, and the
skewness of N_k as the dimension grows. :mod:`zsl_tutorial.methods.hubness` holds the corrections."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .._validation import check_matrix
from ..metrics import hubness_skewness

__all__ = ["HUBNESS_SOURCES", "k_occurrence_self", "sample_points", "hubness_by_dimension"]

#: Data the hubness explorer can draw points from.
HUBNESS_SOURCES = ("gaussian", "uniform", "synthetic")


def k_occurrence_self(X, k: int = 10) -> np.ndarray:
    """N_k of points among themselves: how often each row of X is among the k nearest *other* rows.

    Euclidean distance; a point is never its own neighbour (unlike
    ``metrics.k_occurrence(X, X)``, which counts it). The counts sum to ``k * len(X)``.
    """
    from .._deps import require

    NearestNeighbors = require("sklearn.neighbors").NearestNeighbors
    X = check_matrix(X, "X")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k < len(X):
        raise ValueError(f"k must be an integer in [1, {len(X) - 1}] (fewer than the number of points), got {k!r}.")
    idx = NearestNeighbors(n_neighbors=int(k) + 1).fit(X).kneighbors(X, return_distance=False)
    # Drop each point itself; with duplicate points it may not come first, so remove it by value.
    rows = np.arange(len(X))[:, None]
    keep = idx != rows
    keep[keep.sum(axis=1) > k, -1] = False  # the point was not among its k+1 neighbours: drop the farthest
    return np.bincount(idx[keep].ravel(), minlength=len(X))


def sample_points(source: str, dim: int, n_points: int, seed: int) -> np.ndarray:
    if source not in HUBNESS_SOURCES:
        raise ValueError(f"source must be one of {HUBNESS_SOURCES}, got {source!r}.")
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise ValueError(f"dimension must be a positive integer, got {dim!r}.")
    rng = np.random.default_rng(seed)
    if source == "gaussian":
        return rng.standard_normal((n_points, int(dim)))
    if source == "uniform":
        return rng.random((n_points, int(dim)))
    from ..data.synthetic import make_synthetic

    per = max(5, int(np.ceil(n_points / 50)))
    ds = make_synthetic(n_features=max(2, int(dim)), n_per_class=per, seed=seed)
    X = ds.X[rng.permutation(len(ds.X))[:n_points]].astype(np.float64)
    return X[:, :dim] if dim == 1 else X


def hubness_by_dimension(dims: Sequence[int], k: int = 10, source: str = "gaussian", n_points: int = 1000,
                         seed: int = 0) -> np.ndarray:
    """Skewness of N_k (points among themselves) for each dimension in ``dims``.

    ``source`` is ``"gaussian"`` (i.i.d. standard normal), ``"uniform"`` (unit
    cube) or ``"synthetic"`` (features of ``make_synthetic(n_features=dim)``).
    """
    if isinstance(n_points, bool) or not isinstance(n_points, (int, np.integer)) or n_points < 3:
        raise ValueError(f"n_points must be an integer >= 3, got {n_points!r}.")
    dims = [int(d) for d in dims]
    if not dims:
        raise ValueError("dims is empty; give at least one dimension.")
    return np.array([hubness_skewness(k_occurrence_self(sample_points(source, d, n_points, seed), k)) for d in dims])
