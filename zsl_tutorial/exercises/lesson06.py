"""Checks for the exercises of lesson 06 (zero-shot classification with transformers).

1. ``check_single_label_scores(fn)``: the NLI pipeline's scores with ``multi_label=False``.
2. ``check_multi_label_scores(fn)``: the same with ``multi_label=True``.
3. ``check_embedding_zero_shot(fn)``: nearest label by cosine similarity in a shared embedding space.
"""
from __future__ import annotations

import numpy as np

from ._runner import Case, run_checks

__all__ = ["check_single_label_scores", "check_multi_label_scores", "check_embedding_zero_shot"]


def _softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _single_label(logits: np.ndarray, entailment_id: int) -> np.ndarray:
    return _softmax(np.asarray(logits, dtype=float)[:, entailment_id])


def _multi_label(logits: np.ndarray, entailment_id: int, contradiction_id: int) -> np.ndarray:
    pair = np.asarray(logits, dtype=float)[:, [contradiction_id, entailment_id]]
    return _softmax(pair, axis=1)[:, 1]


def _cosine_argmax(T: np.ndarray, L: np.ndarray) -> np.ndarray:
    T = T / np.linalg.norm(T, axis=1, keepdims=True)
    L = L / np.linalg.norm(L, axis=1, keepdims=True)
    return np.argmax(T @ L.T, axis=1)


def _close(expected: np.ndarray):
    def ok(result) -> bool:
        r = np.asarray(result, dtype=float).ravel()
        return r.shape == expected.shape and np.allclose(r, expected, atol=1e-6)
    return ok


def _nli_logits(seed: int, n_labels: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 3, (n_labels, 3))


def check_single_label_scores(fn) -> bool:
    """``fn(logits, entailment_id)``: logits (n_labels x 3), one row per (text, hypothesis) pair -> (n_labels,)."""
    cases = []
    for seed, n, ent in [(0, 4, 2), (1, 3, 2), (2, 5, 0), (3, 1, 2)]:
        logits = _nli_logits(seed, n)
        cases.append(Case((logits.copy(), ent), _close(_single_label(logits, ent)),
                          "take the entailment column (one logit per label), then a softmax ACROSS the labels, "
                          "so that the scores sum to 1. Use the entailment_id you are given."))
    # bart-large-mnli's logits can be large: a stable softmax subtracts the maximum first
    big = np.array([[-5.0, 0.0, 800.0], [-3.0, 1.0, 795.0], [4.0, 0.5, 700.0]])
    cases.append(Case((big.copy(), 2), _close(_single_label(big, 2)),
                      "large logits overflow np.exp: subtract the largest entailment logit before exponentiating."))
    return run_checks("single_label_scores", fn, cases,
                      success="This is what pipeline('zero-shot-classification') does with multi_label=False.")


def check_multi_label_scores(fn) -> bool:
    """``fn(logits, entailment_id, contradiction_id)`` -> (n_labels,) scores, each label judged on its own."""
    cases = []
    for seed, n, ent, con in [(4, 4, 2, 0), (5, 3, 2, 0), (6, 5, 0, 2), (7, 1, 2, 0)]:
        logits = _nli_logits(seed, n)
        cases.append(Case((logits.copy(), ent, con), _close(_multi_label(logits, ent, con)),
                          "for EACH label separately, softmax over just two logits, [contradiction, entailment], "
                          "and keep the entailment probability. Ignore the neutral column; "
                          "the scores need not sum to 1."))
    return run_checks("multi_label_scores", fn, cases,
                      success="This is what pipeline('zero-shot-classification') does with multi_label=True.")


def check_embedding_zero_shot(fn) -> bool:
    """``fn(text_vectors, label_vectors)`` -> index of the most cosine-similar label for each text."""
    rng = np.random.default_rng(8)
    cases = []
    for n, L, d in [(6, 3, 5), (10, 4, 8), (1, 2, 3)]:
        T = rng.normal(size=(n, d))
        Lv = rng.normal(size=(L, d)) * rng.uniform(0.1, 10.0, size=(L, 1))  # very different lengths
        cases.append(Case((T.copy(), Lv.copy()), _close(_cosine_argmax(T, Lv).astype(float)),
                          "return one integer per text: the argmax over labels of the COSINE similarity. "
                          "Divide each row of both matrices by its length first "
                          "(np.linalg.norm(..., axis=1, keepdims=True)), "
                          "otherwise long label vectors win."))
    # a case where the raw dot product and the cosine disagree
    T = np.array([[1.0, 0.1]])
    Lv = np.array([[1.0, 0.0], [5.0, 5.0]])
    cases.append(Case((T.copy(), Lv.copy()), _close(np.array([0.0])),
                      "the dot product favours the long vector [5, 5]; the cosine picks [1, 0]. Normalise first."))
    return run_checks("embedding_zero_shot", fn, cases,
                      success="Text and labels meet in one space, as images and attributes did in Approach 1.")
