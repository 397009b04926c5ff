"""SAE: "Semantic Autoencoder for Zero-Shot Learning" (Kodirov, Xiang & Gong, CVPR 2017).

A linear autoencoder whose code is forced to be the class attribute vector:
encoder W maps a feature x to W x ≈ s, and the tied decoder Wᵀ maps s back to
x. Relaxing ``W X = S`` into a penalty gives the Sylvester equation (X d×n,
S a×n holds each sample's class attributes)

    S Sᵀ W + λ W X Xᵀ = (1 + λ) S Xᵀ,

solved exactly by ``scipy.linalg.solve_sylvester`` (Bartels–Stewart).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._deps import require
from ._base import ZSLEstimator, check_positive, cosine_similarity

__all__ = ["SAE"]

_DIRECTIONS = ("semantic", "visual")


def sae_solve(X: np.ndarray, S_samples: np.ndarray, lam: float) -> np.ndarray:
    """W (a×d) solving S Sᵀ W + λ W X Xᵀ = (1+λ) S Xᵀ, with X n×d and S_samples n×a (rows = samples)."""
    solve_sylvester = require("scipy.linalg").solve_sylvester  # lazy: keeps `import zsl_tutorial.methods` light

    A = S_samples.T @ S_samples  # a×a  (S Sᵀ in the paper's column layout)
    B = lam * (X.T @ X)  # d×d  (λ X Xᵀ)
    C = (1.0 + lam) * (S_samples.T @ X)  # a×d  ((1+λ) S Xᵀ)
    return solve_sylvester(A, B, C)


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
        if direction == "semantic":
            return cosine_similarity(X @ self.W_.T, S)
        return cosine_similarity(X, S @ self.W_)

    def _decision_function(self, X: np.ndarray, S: np.ndarray) -> np.ndarray:
        return self._scores(X, S, self.direction_)
