"""Hubness and three ways to reduce it.

In high-dimensional spaces a few points, *hubs*, are among the nearest
neighbours of very many others (Radovanović et al., 2010). In ZSL a hub is a
class prototype that soaks up the predictions of most test samples. Remedies:

- map the other way, class prototypes into the visual space, and search there
  (Shigeto et al., 2015): :class:`ReverseRidge`, or ``SAE(direction="visual")``;
- CSLS, cross-domain similarity local scaling (Conneau et al., 2018):
  :func:`csls_scores`;
- centering both sets before taking cosines: :func:`center`.

Measure with ``metrics.k_occurrence`` / ``metrics.hubness_skewness`` on
embeddings, or :func:`k_occurrence_from_scores` on any score matrix (e.g. CSLS).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_matrix, check_scores
from ._base import ZSLEstimator, check_positive, cosine_similarity

__all__ = ["csls_scores", "center", "k_occurrence_from_scores", "ReverseRidge"]


def _check_same_dim(queries: np.ndarray, targets: np.ndarray) -> None:
    if queries.shape[1] != targets.shape[1]:
        raise ValueError(
            f"queries have {queries.shape[1]} dimensions but targets have {targets.shape[1]}; "
            "embed both in the same space first."
        )


def _check_k(k: Any, upper: int, what: str) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= upper:
        raise ValueError(f"k must be an integer in [1, {upper}] ({what}), got {k!r}.")
    return int(k)


def _mean_top_k(M: np.ndarray, k: int) -> np.ndarray:
    """Mean of the k largest entries of every row of M."""
    # partition is O(n) per row; only the top k need to be found, not sorted.
    return np.partition(M, M.shape[1] - k, axis=1)[:, M.shape[1] - k :].mean(axis=1)


def csls_scores(queries: Any, targets: Any, k: int = 10) -> np.ndarray:
    """CSLS (Conneau et al., 2018): 2·cos(q, t) − r_T(q) − r_S(t), shape (n_queries, n_targets).

    r_T(q) is the mean cosine of query q to its k nearest targets, r_S(t) the mean
    cosine of target t to its k nearest queries. A hub t is close to many queries,
    so its large r_S(t) pulls all its scores down. r_T(q) is constant along a row,
    so it never changes which target a query picks; it matters when the scores
    are compared across queries (e.g. retrieving queries for a target).
    """
    queries = check_matrix(queries, "queries")
    targets = check_matrix(targets, "targets")
    _check_same_dim(queries, targets)
    k = _check_k(k, min(len(queries), len(targets)), "at most the number of queries and of targets")
    cos = cosine_similarity(queries, targets)
    r_T = _mean_top_k(cos, k)  # per query: its k nearest targets
    r_S = _mean_top_k(cos.T, k)  # per target: its k nearest queries
    return 2.0 * cos - r_T[:, None] - r_S[None, :]


def center(
    queries: Any,
    targets: Any,
    *,
    query_mean: Any = None,
    target_mean: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Subtract the mean of the queries from the queries, and the mean of the targets from the targets.

    Each set is centred by its *own* mean (by default): a direction shared by
    all points (e.g. the non-negative offset of ReLU features) makes every
    cosine large and lets the targets nearest to that direction become hubs;
    removing it leaves the differences that identify classes. Centering test
    queries by their own mean uses the test batch as a whole (transductive); for
    a strictly inductive protocol pass ``query_mean`` computed on training data.
    """
    queries = check_matrix(queries, "queries")
    targets = check_matrix(targets, "targets")
    _check_same_dim(queries, targets)
    out = []
    for arr, mean, name in ((queries, query_mean, "query_mean"), (targets, target_mean, "target_mean")):
        if mean is None:
            m = arr.mean(axis=0)
        else:
            m = check_matrix(np.atleast_2d(np.asarray(mean)), name)
            if m.shape != (1, arr.shape[1]):
                raise ValueError(f"{name} must be a vector of length {arr.shape[1]}, got shape {np.shape(mean)}.")
            m = m[0]
        out.append(arr - m)
    return out[0], out[1]


def k_occurrence_from_scores(scores: Any, k: int = 1) -> np.ndarray:
    """N_k from a (queries × targets) score matrix: how often each target is in a query's top k.

    The same count as ``metrics.k_occurrence``, but for any similarity (CSLS,
    a bilinear ESZSL score, ...) rather than a distance between embeddings.
    """
    scores = check_scores(scores)
    k = _check_k(k, scores.shape[1], "at most the number of targets")
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    return np.bincount(top.ravel(), minlength=scores.shape[1])


class ReverseRidge(ZSLEstimator):
    """Ridge regression from class attributes to features, then nearest neighbour in feature space.

    Shigeto et al. (2015), "Ridge regression, hubness, and zero-shot learning":
    mapping features *to* the attribute space shrinks the embedded samples
    towards the origin and creates hubs; mapping class prototypes into the
    higher-dimensional feature space and searching there does not.
    W = argmin ||X − S_y W||² + α||W||² (S_y: each sample's class row; no
    intercept, as in the paper), and a class's visual prototype is s W.

    Parameters
    ----------
    alpha : float > 0
        Ridge penalty.
    metric : "euclidean" or "cosine"
        Nearest neighbour in feature space; Euclidean as in the paper.
        Scores are negative distances or cosines (higher = closer).

    Attributes
    ----------
    W_ : array (n_aux, n_features)
    """

    def __init__(self, alpha: float = 1.0, metric: str = "euclidean") -> None:
        self.alpha = alpha
        self.metric = metric

    def _check_params(self) -> None:
        check_positive(self.alpha, "alpha")
        if self.metric not in ("euclidean", "cosine"):
            raise ValueError(f"metric must be 'euclidean' or 'cosine', got {self.metric!r}.")

    def _fit(self, X: np.ndarray, y: np.ndarray, S: np.ndarray) -> None:
        Sy = S[y]  # n×a: each sample's class attributes are the regression inputs
        a = S.shape[1]
        # Only an a×a system: cheap even when the features are 2048-dimensional.
        self.W_ = np.linalg.solve(Sy.T @ Sy + float(self.alpha) * np.eye(a), Sy.T @ X)

    def decode(self, S: Any) -> np.ndarray:
        """Class rows mapped into the feature space (n_classes × n_features)."""
        return self._check_S(S) @ self.W_

    def _decision_function(self, X: np.ndarray, S: np.ndarray) -> np.ndarray:
        if self.metric not in ("euclidean", "cosine"):
            raise ValueError(f"metric must be 'euclidean' or 'cosine', got {self.metric!r}.")
        P = S @ self.W_
        if self.metric == "cosine":
            return cosine_similarity(X, P)
        sq = (X**2).sum(1)[:, None] - 2 * X @ P.T + (P**2).sum(1)[None, :]
        return -np.sqrt(np.maximum(sq, 0.0))
