"""ESZSL: "An embarrassingly simple approach to zero-shot learning" (Romera-Paredes & Torr, ICML 2015).

A bilinear compatibility ``score(x, s) = xᵀ V s`` with a closed-form V. In the
paper's notation (X is d×n, Y is n×z with entries in {-1, 1}, S is a×z):

    V = (X Xᵀ + γI)⁻¹ X Y Sᵀ (S Sᵀ + λI)⁻¹

Here X is stored n×d and S z×a (one row per sample / class), so the code reads
``V = (XᵀX + γI)⁻¹ Xᵀ Y S (SᵀS + λI)⁻¹``: the same matrix, d×a.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import numpy as np

from .._validation import check_fit_inputs
from ..metrics import per_class_accuracy
from ._base import ZSLEstimator, check_positive

__all__ = ["ESZSL", "ESZSLGridResult"]

#: The grid of the paper: 10^-3 ... 10^3 for both regularisers.
DEFAULT_GRID = 10.0 ** np.arange(-3, 4)


def _signed_targets_times_S(y: np.ndarray, S: np.ndarray) -> np.ndarray:
    """Y S for Y = 2·onehot(y) − 1 (n×z, in {-1, 1}), without building the n×z matrix Y.

    Every row of Y S is ``2 S[y_i] − Σ_c S_c``: the right class pulls, all classes push.
    """
    return 2.0 * S[y] - S.sum(axis=0)


#: How the targets Y are coded: the paper's {-1, 1} ("signed") or one-hot {0, 1} ("binary", as in
#: the widely used reference code of Popular-ZSL-Algorithms).
TARGET_CODINGS = ("signed", "binary")


def _targets_times_S(y: np.ndarray, S: np.ndarray, targets: str = "signed") -> np.ndarray:
    """Y S for the chosen coding of Y: with {0, 1} it is just S[y]; with {-1, 1}, 2 S[y] − Σ_c S_c."""
    if targets == "binary":
        return S[y]
    if targets != "signed":
        raise ValueError(f"targets must be 'signed' ({{-1, 1}}, the paper) or 'binary' ({{0, 1}}), got {targets!r}.")
    return _signed_targets_times_S(y, S)


def eszsl_solve(X: np.ndarray, y: np.ndarray, S: np.ndarray, gamma: float, lam: float,
                targets: str = "signed") -> np.ndarray:
    """The closed form V (d×a) by two direct linear solves (no explicit inverse, for stability)."""
    d, a = X.shape[1], S.shape[1]
    B = X.T @ _targets_times_S(y, S, targets)  # d×a: Xᵀ Y S
    left = np.linalg.solve(X.T @ X + gamma * np.eye(d), B)  # (XᵀX + γI)⁻¹ Xᵀ Y S
    # Right-multiplying by a symmetric inverse is a solve on the transpose.
    return np.linalg.solve(S.T @ S + lam * np.eye(a), left.T).T


class _EigenESZSL:
    """ESZSL for many (γ, λ) at once: decompose XᵀX and SᵀS once.

    With XᵀX = U_x diag(e_x) U_xᵀ and SᵀS = U_s diag(e_s) U_sᵀ,
    ``V(γ, λ) = U_x [ (U_xᵀ B U_s) ⊘ ((e_x + γ)(e_s + λ)ᵀ) ] U_sᵀ`` with B = XᵀYS,
    so each grid cell costs an element-wise division instead of two O(d³) solves.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, S: np.ndarray, targets: str = "signed") -> None:
        ex, self.Ux = np.linalg.eigh(X.T @ X)
        es, self.Us = np.linalg.eigh(S.T @ S)
        # Gram matrices are positive semi-definite; clip round-off negatives.
        self.ex, self.es = np.maximum(ex, 0.0), np.maximum(es, 0.0)
        self.B_rot = self.Ux.T @ (X.T @ _targets_times_S(y, S, targets)) @ self.Us

    def rotated(self, gamma: float, lam: float) -> np.ndarray:
        """U_xᵀ V U_s: V expressed in the two eigenbases."""
        return self.B_rot / np.outer(self.ex + gamma, self.es + lam)

    def V(self, gamma: float, lam: float) -> np.ndarray:
        return self.Ux @ self.rotated(gamma, lam) @ self.Us.T


class ESZSLGridResult(NamedTuple):
    """Outcome of :meth:`ESZSL.grid_search`; ``scores[i, j]`` is for ``gammas[i]``, ``lams[j]``."""

    gamma: float
    lam: float
    score: float
    scores: np.ndarray
    gammas: np.ndarray
    lams: np.ndarray
    targets: str = "signed"

    @property
    def params(self) -> dict[str, float]:
        """The best hyper-parameters, ready for ``ESZSL(**result.params)``."""
        params = {"gamma": self.gamma, "lam": self.lam}
        return params if self.targets == "signed" else {**params, "targets": self.targets}


def _as_xys(data: Any, name: str) -> tuple[Any, Any, Any]:
    """Accept a ``View`` (anything with .X, .y, .S) or an (X, y, S) triple."""
    if all(hasattr(data, f) for f in ("X", "y", "S")):
        return data.X, data.y, data.S
    if isinstance(data, (tuple, list)) and len(data) == 3:
        return tuple(data)  # type: ignore[return-value]
    raise TypeError(f"{name} must be a dataset View or an (X, y, S) tuple, got {type(data).__name__}.")


def _check_grid(values: Any, name: str) -> np.ndarray:
    arr = np.atleast_1d(np.asarray(values, dtype=float))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D list of numbers.")
    for v in arr:
        check_positive(v, f"every value of {name}")
    return arr


class ESZSL(ZSLEstimator):
    """Embarrassingly simple zero-shot learning (Romera-Paredes & Torr, 2015).

    Parameters
    ----------
    gamma : float > 0
        Ridge penalty on the feature side, (XᵀX + γI)⁻¹.
    lam : float > 0
        Ridge penalty on the attribute side, (SᵀS + λI)⁻¹.
    targets : "signed" or "binary"
        How Y codes the classes: the paper's {−1, 1} (each sample pushed towards its
        own class and away from all the others), or one-hot {0, 1} (pulled towards its
        own class only, as in the Popular-ZSL-Algorithms reference code).

    Every row of the ``S`` given to ``fit`` is a training class, so pass the seen
    classes' rows only (as ``ZSLDataset.train_view`` does).

    Attributes
    ----------
    V_ : array (n_features, n_aux)
        The bilinear compatibility matrix; ``decision_function(X, S) = X V_ Sᵀ``.
    """

    def __init__(self, gamma: float = 1.0, lam: float = 1.0, targets: str = "signed") -> None:
        self.gamma = gamma
        self.lam = lam
        self.targets = targets

    def _check_params(self) -> None:
        check_positive(self.gamma, "gamma")
        check_positive(self.lam, "lam")
        _targets_times_S(np.zeros(1, int), np.ones((1, 1)), self.targets)  # the one check of the coding

    def _fit(self, X: np.ndarray, y: np.ndarray, S: np.ndarray) -> None:
        self.V_ = eszsl_solve(X, y, S, float(self.gamma), float(self.lam), self.targets)

    def embed(self, X: Any) -> np.ndarray:
        """Project samples into the auxiliary space, X V (n × n_aux); scores are its dot with S's rows."""
        return self._check_X(X) @ self.V_

    def _decision_function(self, X: np.ndarray, S: np.ndarray) -> np.ndarray:
        return (X @ self.V_) @ S.T

    @classmethod
    def grid_search(
        cls,
        train: Any,
        val: Any,
        *,
        gammas: Sequence[float] | np.ndarray = DEFAULT_GRID,
        lams: Sequence[float] | np.ndarray = DEFAULT_GRID,
        targets: str = "signed",
    ) -> ESZSLGridResult:
        """Choose (γ, λ) by per-class top-1 on *validation classes* disjoint from training.

        ``train`` and ``val`` are ``View``s (e.g. ``ds.train_view("train")`` and
        ``ds.zsl_view("val")``) or (X, y, S) triples. Validation is conventional ZSL:
        each val sample is classified among the val classes only. Never tune on
        the test split; refit the winner on ``trainval`` afterwards::

            res = ESZSL.grid_search(ds.train_view("train"), ds.zsl_view("val"))
            model = ESZSL(**res.params).fit(*ds.train_view("trainval")[:3])

        XᵀX and SᵀS are eigendecomposed once (see ``_EigenESZSL``), so the whole
        grid costs about as much as one fit. Ties go to the first cell in grid order.
        """
        X, y, S = check_fit_inputs(*_as_xys(train, "train"))
        Xv, yv, Sv = check_fit_inputs(*_as_xys(val, "val"))
        if Xv.shape[1] != X.shape[1] or Sv.shape[1] != S.shape[1]:
            raise ValueError(
                f"train has {X.shape[1]} features and {S.shape[1]} auxiliary dims, but val has "
                f"{Xv.shape[1]} and {Sv.shape[1]}; both must come from the same dataset."
            )
        gammas = _check_grid(gammas, "gammas")
        lams = _check_grid(lams, "lams")

        eig = _EigenESZSL(X, y, S, targets)
        # Rotate the validation data once; each cell is then two small products.
        P = Xv @ eig.Ux  # n_val × d
        Q = Sv @ eig.Us  # z_val × a
        scores = np.empty((len(gammas), len(lams)))
        for i, g in enumerate(gammas):
            for j, l in enumerate(lams):
                pred = np.argmax(P @ (eig.rotated(g, l) @ Q.T), axis=1)
                scores[i, j] = per_class_accuracy(yv, pred)
        i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
        return ESZSLGridResult(float(gammas[i]), float(lams[j]), float(scores[i, j]), scores, gammas, lams, targets)
