"""SAE: "Semantic Autoencoder for Zero-Shot Learning" (Kodirov, Xiang & Gong, CVPR 2017).

A linear autoencoder whose code is forced to be the class attribute vector:
encoder W maps a feature x to W x ≈ s, and the tied decoder Wᵀ maps s back to
x. Relaxing ``W X = S`` into a penalty gives the Sylvester equation (X d×n,
S a×n holds each sample's class attributes)

    S Sᵀ W + λ W X Xᵀ = (1 + λ) S Xᵀ,

solved exactly by ``scipy.linalg.solve_sylvester`` (Bartels–Stewart).
"""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import numpy as np

from .._deps import require
from ._base import ZSLEstimator, check_positive, cosine_similarity

__all__ = ["SAE", "SAEGridResult"]

_DIRECTIONS = ("semantic", "visual")


def sae_solve(X: np.ndarray, S_samples: np.ndarray, lam: float) -> np.ndarray:
    """W (a×d) solving S Sᵀ W + λ W X Xᵀ = (1+λ) S Xᵀ, with X n×d and S_samples n×a (rows = samples)."""
    solve_sylvester = require("scipy.linalg").solve_sylvester  # lazy: keeps `import zsl_tutorial.methods` light

    A = S_samples.T @ S_samples  # a×a  (S Sᵀ in the paper's column layout)
    B = lam * (X.T @ X)  # d×d  (λ X Xᵀ)
    C = (1.0 + lam) * (S_samples.T @ X)  # a×d  ((1+λ) S Xᵀ)
    return solve_sylvester(A, B, C)


class _EigenSAE:
    """SAE for many λ at once: eigendecompose SᵀS and XᵀX once.

    With SᵀS = U_a diag(e_a) U_aᵀ and XᵀX = U_x diag(e_x) U_xᵀ, the Sylvester equation
    becomes diagonal in the two eigenbases: ``W(λ) = U_a [(1+λ) C' ⊘ (e_a + λ e_x)] U_xᵀ``
    with C' = U_aᵀ SᵀX U_x, so each λ costs an element-wise division instead of a new
    O(d³) Bartels–Stewart solve. Entries whose denominator is 0 (a direction in neither
    space) are 0, as in the minimum-norm solution.
    """

    def __init__(self, X: np.ndarray, S_samples: np.ndarray) -> None:
        ea, self.Ua = np.linalg.eigh(S_samples.T @ S_samples)
        ex, self.Ux = np.linalg.eigh(X.T @ X)
        # Gram matrices are positive semi-definite; clip round-off negatives.
        self.ea, self.ex = np.maximum(ea, 0.0), np.maximum(ex, 0.0)
        self.C_rot = self.Ua.T @ (S_samples.T @ X) @ self.Ux

    def W(self, lam: float) -> np.ndarray:
        denom = self.ea[:, None] + lam * self.ex[None, :]
        rotated = np.where(denom > 0, (1.0 + lam) * self.C_rot / np.where(denom > 0, denom, 1.0), 0.0)
        return self.Ua @ rotated @ self.Ux.T


class SAEGridResult(NamedTuple):
    """Outcome of :meth:`SAE.grid_search`: ``scores[i, j]`` is ZSL top-1 for ``lams[i]`` and ``directions[j]``."""

    scores: np.ndarray
    lams: np.ndarray
    directions: tuple

    def best(self, direction: str) -> tuple[float, float]:
        """The first best λ for ``direction``, and its validation score."""
        j = self.directions.index(direction)
        i = int(np.argmax(self.scores[:, j]))
        return float(self.lams[i]), float(self.scores[i, j])


class SAE(ZSLEstimator):
    """Semantic autoencoder (Kodirov et al., 2017).

    Parameters
    ----------
    lam : float > 0
        Weight of the reconstruction term ||X − Wᵀ S||² against the
        embedding constraint ||W X − S||².
    direction : "semantic" or "visual"
        Where test samples meet class prototypes. ``"semantic"`` encodes each x
        to W x and compares it with the rows of S; ``"visual"`` decodes each class
        row s to Wᵀ s and compares it with x. Both use cosine similarity. The
        visual direction maps *into* the high-dimensional space, which reduces
        hubness (Shigeto et al., 2015).

    The original code also L2-normalises every feature dimension beforehand;
    do that (or not) before calling ``fit``, it is not done here.

    Attributes
    ----------
    W_ : array (n_aux, n_features)
        The encoder; ``W_.T`` is the decoder.
    """

    def __init__(self, lam: float = 0.2, direction: str = "semantic") -> None:
        self.lam = lam
        self.direction = direction

    def _check_params(self) -> None:
        check_positive(self.lam, "lam")
        if self.direction not in _DIRECTIONS:
            raise ValueError(f"direction must be 'semantic' or 'visual', got {self.direction!r}.")

    def _fit(self, X: np.ndarray, y: np.ndarray, S: np.ndarray) -> None:
        self.W_ = sae_solve(X, S[y], float(self.lam))
        # Read once, here: set_params(direction=...) after fit must not change this model's predictions.
        self.direction_ = self.direction

    def encode(self, X: Any) -> np.ndarray:
        """Features to the semantic space: W x for every row (n × n_aux)."""
        return self._check_X(X) @ self.W_.T

    def decode(self, S: Any) -> np.ndarray:
        """Class rows to the visual space: Wᵀ s for every row (n_classes × n_features)."""
        return self._check_S(S) @ self.W_

    def decision_functions(self, X: Any, S: Any) -> dict[str, np.ndarray]:
        """Scores in both directions from this one fit: ``{"semantic": ..., "visual": ...}``.

        One solve serves both, since the decoder is the encoder's transpose; compare
        them without refitting (``decision_function`` uses the fitted ``direction_``).
        """
        X, S = self._check_X(X), self._check_S(S)
        return {d: self._scores(X, S, d) for d in _DIRECTIONS}

    def _scores(self, X: np.ndarray, S: np.ndarray, direction: str) -> np.ndarray:
        return self._score_with(self.W_, X, S, direction)

    def _decision_function(self, X: np.ndarray, S: np.ndarray) -> np.ndarray:
        return self._scores(X, S, self.direction_)

    @classmethod
    def grid_search(cls, train: Any, val: Any, *, lams: Sequence[float] = (0.05, 0.2, 1.0, 5.0),
                    directions: Sequence[str] = _DIRECTIONS) -> SAEGridResult:
        """ZSL top-1 on *validation classes* for every λ and both directions, from one decomposition.

        ``train`` and ``val`` are ``View``s or ``(X, y, S)`` triples (e.g. ``ds.train_view("train")``
        and ``ds.zsl_view("val")``); never the test split. See :class:`_EigenSAE`.
        """
        from .._validation import check_fit_inputs
        from ..metrics import per_class_accuracy
        from .eszsl import _as_xys, _check_grid

        X, y, S = check_fit_inputs(*_as_xys(train, "train"))
        Xv, yv, Sv = check_fit_inputs(*_as_xys(val, "val"))
        if Xv.shape[1] != X.shape[1] or Sv.shape[1] != S.shape[1]:
            raise ValueError(f"train has {X.shape[1]} features and {S.shape[1]} auxiliary dims, but val has "
                             f"{Xv.shape[1]} and {Sv.shape[1]}; both must come from the same dataset.")
        lams = _check_grid(lams, "lams")
        directions = tuple(directions)
        bad = [d for d in directions if d not in _DIRECTIONS]
        if bad or not directions:
            raise ValueError(f"directions must name 'semantic' and/or 'visual', got {directions!r}.")
        eig = _EigenSAE(X, S[y])
        scores = np.empty((len(lams), len(directions)))
        for i, lam in enumerate(lams):
            W = eig.W(float(lam))
            for j, d in enumerate(directions):
                scores[i, j] = per_class_accuracy(yv, np.argmax(cls._score_with(W, Xv, Sv, d), axis=1))
        return SAEGridResult(scores, lams, directions)

    @staticmethod
    def _score_with(W: np.ndarray, X: np.ndarray, S: np.ndarray, direction: str) -> np.ndarray:
        if direction == "semantic":
            return cosine_similarity(X @ W.T, S)
        return cosine_similarity(X, S @ W)
