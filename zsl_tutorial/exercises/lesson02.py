"""Checks for the exercises of lesson 02 (encoder-based zero-shot learning).

- ``check_nearest_prototype(fn)``: ``fn(A, S)`` returns, for each predicted
  attribute vector (row of A), the index of the class row of S with the highest
  *cosine* similarity.
- ``check_eszsl_closed_form(fn)``: ``fn(X, Y, S, gamma, lam)`` returns ESZSL's
  V = (X Xᵀ + γI)⁻¹ X Y Sᵀ (S Sᵀ + λI)⁻¹ in the paper's notation (X is d×n,
  Y is n×z in {-1, 1}, S is a×z).
- ``check_chance_level(fn)``: ``fn(view)`` returns the per-class top-1 that
  uniform random guessing gets in expectation on a ``View``.
- ``check_crossing_point(fn)``: ``fn(ks, few_shot, zero_shot)`` returns the smallest number of labelled
  images per class ``k`` (of the increasing ``ks``) whose few-shot accuracy is above the zero-shot one, or
  ``math.inf`` when none is (the description is worth more images than were tried).
"""
from __future__ import annotations

import math

import numpy as np

from ..data.dataset import View
from ._runner import Case, run_checks

__all__ = ["check_nearest_prototype", "check_eszsl_closed_form", "check_chance_level", "check_crossing_point"]


# ----------------------------------------------------------- nearest prototype
def _cosine_argmax(A: np.ndarray, S: np.ndarray) -> np.ndarray:
    An = A / np.linalg.norm(A, axis=1, keepdims=True)
    Sn = S / np.linalg.norm(S, axis=1, keepdims=True)
    return np.argmax(An @ Sn.T, axis=1)


def _same_labels(expected: np.ndarray):
    def ok(result) -> bool:
        r = np.asarray(result)
        return r.shape == expected.shape and r.dtype.kind in "iu" and np.array_equal(r, expected)
    return ok


def _prototype_cases() -> list[Case]:
    rng = np.random.default_rng(2)
    cases = []
    # 1. Long class vectors: the dot product (and Euclidean distance) pick another class than cosine.
    A = np.array([[1.0, 0.0], [0.9, 0.1], [0.2, 1.0]])
    S = np.array([[1.0, 0.0], [5.0, 5.0], [0.0, 0.5]])
    cases.append(Case((A, S), _same_labels(_cosine_argmax(A, S)),  # expected [0, 0, 2]
                      "return one integer label per row of A. Cosine ignores the length of both vectors: "
                      "divide every row of A and of S by its norm before the dot product (a plain dot product "
                      "favours long class vectors, a distance favours short ones)."))
    # 2. A random problem.
    A, S = rng.random((12, 5)), rng.random((4, 5))
    cases.append(Case((A, S), _same_labels(_cosine_argmax(A, S)),
                      "return one integer per row of A: the index of the row of S with the largest cosine "
                      "similarity, e.g. np.argmax(cos, axis=1)."))
    # 3. Scaled predictions: cosine must not change when a prediction is scaled.
    A = rng.random((20, 7))
    S = rng.random((6, 7)) * rng.uniform(0.2, 5.0, size=(6, 1))
    A_scaled = A * rng.uniform(0.01, 100.0, size=(20, 1))
    cases.append(Case((A_scaled, S), _same_labels(_cosine_argmax(A, S)),
                      "normalise each row of A and each row of S to unit length (axis=1, keepdims=True)."))
    return cases


def check_nearest_prototype(fn) -> bool:
    """Check ``fn(A, S) -> labels``: nearest class prototype by cosine similarity."""
    return run_checks("nearest_prototype", fn, _prototype_cases(),
                      success="Cosine compares directions, so a shrunken prediction still finds its class.")


# ------------------------------------------------------------- ESZSL closed form
def _eszsl_reference(X: np.ndarray, Y: np.ndarray, S: np.ndarray, gamma: float, lam: float) -> np.ndarray:
    d, a = X.shape[0], S.shape[0]
    left = np.linalg.solve(X @ X.T + gamma * np.eye(d), X @ Y @ S.T)
    return np.linalg.solve(S @ S.T + lam * np.eye(a), left.T).T


def _signed_onehot(y: np.ndarray, z: int) -> np.ndarray:
    Y = -np.ones((len(y), z))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def _eszsl_cases() -> list[Case]:
    rng = np.random.default_rng(3)
    cases = []
    for d, n, a, z, gamma, lam in ((6, 30, 4, 3, 1.0, 1.0), (10, 50, 7, 5, 0.1, 10.0), (3, 20, 8, 4, 100.0, 0.01)):
        X = rng.normal(size=(d, n))
        Y = _signed_onehot(np.arange(n) % z, z)
        S = rng.random((a, z))
        V = _eszsl_reference(X, Y, S, gamma, lam)

        def ok(result, V=V) -> bool:
            r = np.asarray(result, dtype=float)
            return r.shape == V.shape and np.allclose(r, V, rtol=1e-6, atol=1e-9)

        hint = (f"V must have shape (d, a) = {V.shape}: (X Xᵀ + γI)⁻¹ is d×d, X Y Sᵀ is d×a and (S Sᵀ + λI)⁻¹ is "
                "a×a. Use X @ X.T (not X.T @ X), np.eye of the right size for each, and np.linalg.inv or "
                "np.linalg.solve.")
        cases.append(Case((X, Y, S, gamma, lam), ok, hint))
    return cases


def check_eszsl_closed_form(fn) -> bool:
    """Check ``fn(X, Y, S, gamma, lam) -> V``, ESZSL's closed form in the paper's notation."""
    return run_checks("eszsl_closed_form", fn, _eszsl_cases(),
                      success="That is the whole training of ESZSL: two regularised inverses.")


# ------------------------------------------------------------------ chance level
def _view(n_candidates: int, y: list[int], seen: int = 0) -> View:
    classes = np.arange(n_candidates) + 100
    S = np.ones((n_candidates, 3))
    mask = np.zeros(n_candidates, bool)
    mask[:seen] = True
    return View(np.zeros((len(y), 2)), np.asarray(y), S, classes, [f"c{i}" for i in range(n_candidates)], mask)


def _chance_cases() -> list[Case]:
    def near(value: float):
        return lambda r: isinstance(r, (int, float, np.floating, np.integer)) and abs(float(r) - value) < 1e-9

    hint_k = ("uniform guessing picks each candidate class with probability 1/k, where k is the number of "
              "candidate classes: the rows of view.S (or len(view.classes)).")
    return [
        Case((_view(3, [0, 0, 1, 2, 2, 2]),), near(1 / 3), hint_k),
        Case((_view(10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] * 3, seen=7),), near(1 / 10), hint_k),
        # Candidates with no test sample still count: the model may answer them.
        Case((_view(5, [0, 0, 1, 1]),), near(1 / 5),
             "count the candidate classes the model chooses among (rows of view.S), not only the classes that "
             "happen to have test samples."),
        # Unbalanced classes do not change per-class chance.
        Case((_view(4, [0] * 97 + [1, 2, 3]),), near(1 / 4),
             "per-class accuracy averages over classes, so class sizes do not matter: it is 1/k."),
    ]


def check_chance_level(fn) -> bool:
    """Check ``fn(view) -> float``: expected per-class top-1 of uniform random guessing."""
    return run_checks("chance_level", fn, _chance_cases(),
                      success=("Always compare a ZSL score with this number, and say how many candidates there were."))


# ----------------------------------------------------------- how many images is a description worth
def _crossing(ks, few_shot, zero_shot):
    return next((k for k, acc in zip(ks, few_shot) if acc > zero_shot), math.inf)


def _crossing_cases() -> list[Case]:
    def exactly(expected):
        return lambda result: (isinstance(result, (int, float, np.integer, np.floating)) and not isinstance(result, bool)
                               and result == expected)

    ks = [1, 2, 5, 10, 20]
    return [
        Case((ks, [0.40, 0.55, 0.70, 0.80, 0.85], 0.60), exactly(5),
             "return the first k (in the order given) whose few-shot accuracy is above the zero-shot accuracy: "
             "here 0.70 at k = 5 is the first above 0.60."),
        Case((ks, [0.90, 0.95, 0.97, 0.98, 0.99], 0.60), exactly(1),
             "one labelled image per class can already be enough: when the first entry is above the zero-shot "
             "accuracy, return the first k."),
        Case((ks, [0.30, 0.40, 0.45, 0.50, 0.55], 0.60), exactly(math.inf),
             "when no few-shot accuracy is above the zero-shot one, return math.inf: the description is worth "
             "more labelled images than were tried."),
        Case((ks, [0.40, 0.60, 0.61, 0.80, 0.85], 0.60), exactly(5),
             "'above' means strictly above: a tie (0.60 at k = 2) is not yet a win for the labelled images."),
        Case(([3, 7], np.array([0.2, 0.9]), 0.5), exactly(7),
             "use the ks you are given (here 3 and 7), not positions: return ks[i], not i."),
    ]


def check_crossing_point(fn) -> bool:
    """``fn(ks, few_shot, zero_shot)``: the smallest k whose few-shot accuracy beats zero-shot, or ``math.inf``."""
    return run_checks("crossing point", fn, _crossing_cases(),
                      success="A description is worth fewer labelled images than this k; below it, it wins.")
