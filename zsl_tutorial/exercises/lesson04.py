"""Checks for the exercises of lesson 04 (generative zero-shot learning)."""
from __future__ import annotations

import numpy as np

from ._runner import Case, run_checks

__all__: list[str] = ["check_gradient_penalty", "check_gzsl_harmonic"]


def _close(result, expected, tol=1e-6) -> bool:
    try:
        v = float(np.asarray(result, dtype=float))
    except (TypeError, ValueError):
        return False
    return bool(np.isfinite(v) and abs(v - expected) <= tol * max(1.0, abs(expected)))


# ------------------------------------------------------------ exercise 1: the gradient penalty
def _gp_cases() -> list[Case]:
    cases = []
    for w in ([3.0, 4.0], [0.6, 0.8], [0.1, 0.0, 0.2], [2.0, -1.0, 2.0, 0.0], [0.0, 0.0]):
        w = np.array(w)
        expected = (np.linalg.norm(w) - 1.0) ** 2
        cases.append(Case((w.copy(),), lambda r, e=expected: _close(r, e),
                          "for D(x) = w·x + b the gradient with respect to x is w at every point, so the penalty "
                          "is (‖w‖₂ − 1)²: the Euclidean norm (np.linalg.norm), minus one, squared."))
    return cases


def check_gradient_penalty(fn) -> bool:
    """Exercise: ``fn(w)`` returns the WGAN-GP penalty (‖∇D‖₂ − 1)² of the linear critic D(x) = w·x + b."""
    return run_checks("gradient penalty", fn, _gp_cases(),
                      success="A 1-Lipschitz critic (‖w‖ = 1) pays nothing; a steeper one pays quadratically.")


# ------------------------------------------------------------ exercise 2: u, s and H from per-class accuracies
def _h_cases() -> list[Case]:
    rng = np.random.default_rng(4)
    cases = []
    for n, n_seen in ((6, 4), (10, 7), (5, 1), (8, 4)):
        acc = rng.random(n)
        seen = np.zeros(n, dtype=bool)
        seen[rng.permutation(n)[:n_seen]] = True
        u, s = acc[~seen].mean(), acc[seen].mean()
        expected = 2 * u * s / (u + s)
        cases.append(Case((acc.copy(), seen.copy()), lambda r, e=expected: _close(r, e),
                          "u is the mean accuracy over the unseen classes (seen_mask False), s over the seen "
                          "ones, and H = 2us / (u + s): average per class first, then take the harmonic mean."))
    acc, seen = np.array([0.0, 0.0, 0.9, 0.8]), np.array([False, False, True, True])
    cases.append(Case((acc, seen), lambda r: _close(r, 0.0),
                      "when every unseen class scores 0, u = 0 and so H = 0 (not nan): handle u + s = 0 too."))
    acc, seen = np.zeros(3), np.array([True, False, False])
    cases.append(Case((acc, seen), lambda r: _close(r, 0.0), "if u + s = 0, return 0 rather than dividing by zero."))
    return cases


def check_gzsl_harmonic(fn) -> bool:
    """Exercise: ``fn(per_class_acc, seen_mask)`` returns H = 2us/(u+s) from per-class accuracies."""
    return run_checks("harmonic mean H", fn, _h_cases(),
                      success="H stays near the smaller of u and s, so a model must do well on both.")
