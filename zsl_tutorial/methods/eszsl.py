"""ESZSL: "An embarrassingly simple approach to zero-shot learning" (Romera-Paredes & Torr, ICML 2015).

A bilinear compatibility ``score(x, s) = xᵀ V s`` with a closed-form V. In the
paper's notation (X is d×n, Y is n×z with entries in {-1, 1}, S is a×z):

    V = (X Xᵀ + γI)⁻¹ X Y Sᵀ (S Sᵀ + λI)⁻¹

Here X is stored n×d and S z×a (one row per sample / class), so the code reads
``V = (XᵀX + γI)⁻¹ Xᵀ Y S (SᵀS + λI)⁻¹``: the same matrix, d×a.

The two ridges are called ``feature_ridge`` (the paper's γ; ``alpha`` in the Popular-ZSL-Algorithms
code) and ``attribute_ridge`` (the paper's λ; ``gamma`` in that code), so that no name of this
package means two things: ``gamma`` is calibrated stacking's seen-class penalty. The old names
``gamma`` and ``lam`` still work for one version, with a ``DeprecationWarning``.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import numpy as np

from .._params import Renamed, renamed_keywords, take_renamed
from .._validation import check_fit_inputs
from ..metrics import per_class_accuracy
from ._base import ZSLEstimator, check_positive

__all__ = ["ESZSL", "ESZSLGridResult", "TARGET_CODINGS"]

#: The grid of the paper: 10^-3 ... 10^3 for both regularisers.
DEFAULT_GRID = 10.0 ** np.arange(-3, 4)
#: The grids' names before the rename, kept for one version.
_OLD_GRID_NAMES = {"gammas": "feature_ridges", "lams": "attribute_ridges"}


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


def eszsl_solve(X: np.ndarray, y: np.ndarray, S: np.ndarray, feature_ridge: float, attribute_ridge: float,
                targets: str = "signed") -> np.ndarray:
    """The closed form V (d×a) by two direct linear solves (no explicit inverse, for stability)."""
    d, a = X.shape[1], S.shape[1]
    B = X.T @ _targets_times_S(y, S, targets)  # d×a: Xᵀ Y S
    left = np.linalg.solve(X.T @ X + feature_ridge * np.eye(d), B)  # (XᵀX + γI)⁻¹ Xᵀ Y S
    # Right-multiplying by a symmetric inverse is a solve on the transpose.
    return np.linalg.solve(S.T @ S + attribute_ridge * np.eye(a), left.T).T


class _EigenESZSL:
    """ESZSL for many (γ, λ) at once: decompose XᵀX and SᵀS once.

    With XᵀX = U_x diag(e_x) U_xᵀ and SᵀS = U_s diag(e_s) U_sᵀ,
    ``V(γ, λ) = U_x [ (U_xᵀ B U_s) ⊘ ((e_x + γ)(e_s + λ)ᵀ) ] U_sᵀ`` with B = XᵀYS,
    so each grid cell costs an element-wise division instead of two O(d³) solves.
    Only B depends on the coding of Y, so both codings share the decompositions.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, S: np.ndarray, targets: str = "signed") -> None:
        ex, self.Ux = np.linalg.eigh(X.T @ X)
        es, self.Us = np.linalg.eigh(S.T @ S)
        # Gram matrices are positive semi-definite; clip round-off negatives.
        self.ex, self.es = np.maximum(ex, 0.0), np.maximum(es, 0.0)
        self._X, self._y, self._S = X, y, S
        self.recode(targets)

    def recode(self, targets: str) -> "_EigenESZSL":
        """Switch the coding of Y: recompute only B's rotation, U_xᵀ Xᵀ Y S U_s."""
        self.targets = targets
        self.B_rot = self.Ux.T @ (self._X.T @ _targets_times_S(self._y, self._S, targets)) @ self.Us
        return self

    def rotated(self, feature_ridge: float, attribute_ridge: float) -> np.ndarray:
        """U_xᵀ V U_s: V expressed in the two eigenbases."""
        return self.B_rot / np.outer(self.ex + feature_ridge, self.es + attribute_ridge)

    def V(self, feature_ridge: float, attribute_ridge: float) -> np.ndarray:
        return self.Ux @ self.rotated(feature_ridge, attribute_ridge) @ self.Us.T


class ESZSLGridResult(NamedTuple):
    """Outcome of :meth:`ESZSL.grid_search`; ``scores[i, j]`` is for ``feature_ridges[i]``,
    ``attribute_ridges[j]`` with the chosen coding ``targets``; ``scores_by_targets`` holds the grid
    of every coding tried."""

    feature_ridge: float
    attribute_ridge: float
    score: float
    scores: np.ndarray
    feature_ridges: np.ndarray
    attribute_ridges: np.ndarray
    targets: str = "signed"
    scores_by_targets: dict | None = None

    # The names before the rename (one version, with a warning).
    gamma = Renamed("feature_ridge", "gamma")
    lam = Renamed("attribute_ridge", "lam")
    gammas = Renamed("feature_ridges", "gammas")
    lams = Renamed("attribute_ridges", "lams")

    @property
    def params(self) -> dict[str, float]:
        """The best hyper-parameters, ready for ``ESZSL(**result.params)``."""
        params = {"feature_ridge": self.feature_ridge, "attribute_ridge": self.attribute_ridge}
        return params if self.targets == "signed" else {**params, "targets": self.targets}

    def cells(self) -> tuple[tuple[dict, float], ...]:
        """Every tried cell as (params for ``ESZSL(**params)``, validation score), codings in search order."""
        grids = self.scores_by_targets or {self.targets: self.scores}
        return tuple(({"feature_ridge": float(g), "attribute_ridge": float(l),
                       **({} if t == "signed" else {"targets": t})}, float(grid[i, j]))
                     for t, grid in grids.items()
                     for i, g in enumerate(self.feature_ridges) for j, l in enumerate(self.attribute_ridges))


def check_codings(targets: Any, name: str = "targets") -> tuple[str, ...]:
    """One coding ("signed" or "binary") or a non-empty sequence of distinct codings, as a tuple."""
    codings = (targets,) if isinstance(targets, str) else tuple(targets) if isinstance(targets, (tuple, list)) else None
    if not codings or len(set(codings)) != len(codings) or not set(codings) <= set(TARGET_CODINGS):
        raise ValueError(f"{name} must be 'signed', 'binary' or a list of distinct ones such as "
                         f"{list(TARGET_CODINGS)}, got {targets!r}.")
    return codings


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
    feature_ridge : float > 0
        Ridge penalty on the feature side, the paper's γ in (XᵀX + γI)⁻¹ (``alpha`` in the
        Popular-ZSL-Algorithms code). Formerly ``gamma``.
    attribute_ridge : float > 0
        Ridge penalty on the attribute side, the paper's λ in (SᵀS + λI)⁻¹ (``gamma`` in that
        code). Formerly ``lam``.
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

    gamma = Renamed("feature_ridge")
    lam = Renamed("attribute_ridge")

    def __init__(self, feature_ridge: float = 1.0, attribute_ridge: float = 1.0, targets: str = "signed",
                 **old_names: float) -> None:
        self.feature_ridge = feature_ridge
        self.attribute_ridge = attribute_ridge
        self.targets = targets
        take_renamed(self, old_names, {"feature_ridge": 1.0, "attribute_ridge": 1.0})

    def _check_params(self) -> None:
        check_positive(self.feature_ridge, "feature_ridge")
        check_positive(self.attribute_ridge, "attribute_ridge")
        _targets_times_S(np.zeros(1, int), np.ones((1, 1)), self.targets)  # the one check of the coding

    def _fit(self, X: np.ndarray, y: np.ndarray, S: np.ndarray) -> None:
        self.V_ = eszsl_solve(X, y, S, float(self.feature_ridge), float(self.attribute_ridge), self.targets)

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
        feature_ridges: Sequence[float] | np.ndarray = DEFAULT_GRID,
        attribute_ridges: Sequence[float] | np.ndarray = DEFAULT_GRID,
        targets: str | Sequence[str] = TARGET_CODINGS,
        **old_names: Any,
    ) -> ESZSLGridResult:
        """Choose the two ridges (γ, λ) and the coding of Y by per-class top-1 on *validation classes* disjoint from training.

        ``train`` and ``val`` are ``View``s (e.g. ``ds.train_view("train")`` and
        ``ds.zsl_view("val")``) or (X, y, S) triples. Validation is conventional ZSL:
        each val sample is classified among the val classes only. Never tune on
        the test split; refit the winner on ``trainval`` afterwards::

            res = ESZSL.grid_search(ds.train_view("train"), ds.zsl_view("val"))
            model = ESZSL(**res.params).fit(*ds.train_view("trainval")[:3])

        XᵀX and SᵀS are eigendecomposed once (see ``_EigenESZSL``), so the whole
        grid costs about as much as one fit. ``targets`` is one coding or several to try
        (default both, the paper's first): which one wins depends on the data, so the
        validation classes decide it as they decide γ and λ. Ties go to the first cell in
        grid order, and to the earlier coding. ``gammas`` and ``lams``, the grids' former
        names, still work for one version, with a ``DeprecationWarning``.
        """
        grids_in = renamed_keywords("ESZSL.grid_search", old_names, _OLD_GRID_NAMES,
                                    {"feature_ridges": feature_ridges, "attribute_ridges": attribute_ridges},
                                    {"feature_ridges": DEFAULT_GRID, "attribute_ridges": DEFAULT_GRID})
        X, y, S = check_fit_inputs(*_as_xys(train, "train"))
        Xv, yv, Sv = check_fit_inputs(*_as_xys(val, "val"))
        if Xv.shape[1] != X.shape[1] or Sv.shape[1] != S.shape[1]:
            raise ValueError(
                f"train has {X.shape[1]} features and {S.shape[1]} auxiliary dims, but val has "
                f"{Xv.shape[1]} and {Sv.shape[1]}; both must come from the same dataset."
            )
        feature_ridges = _check_grid(grids_in["feature_ridges"], "feature_ridges")
        attribute_ridges = _check_grid(grids_in["attribute_ridges"], "attribute_ridges")

        codings = check_codings(targets)
        eig = _EigenESZSL(X, y, S, codings[0])
        # Rotate the validation data once; each cell is then two small products.
        P = Xv @ eig.Ux  # n_val × d
        Q = Sv @ eig.Us  # z_val × a
        grids: dict[str, np.ndarray] = {}
        for coding in codings:
            eig.recode(coding)
            scores = grids[coding] = np.empty((len(feature_ridges), len(attribute_ridges)))
            for i, g in enumerate(feature_ridges):
                for j, l in enumerate(attribute_ridges):
                    pred = np.argmax(P @ (eig.rotated(g, l) @ Q.T), axis=1)
                    scores[i, j] = per_class_accuracy(yv, pred)
        best = max(codings, key=lambda c: grids[c].max())  # max keeps the first of equal codings
        i, j = np.unravel_index(int(np.argmax(grids[best])), grids[best].shape)
        return ESZSLGridResult(float(feature_ridges[i]), float(attribute_ridges[j]), float(grids[best][i, j]),
                               grids[best], feature_ridges, attribute_ridges, best, grids)
