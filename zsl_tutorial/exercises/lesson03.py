"""Checks for the exercises of lesson 03 (failure modes of encoder-based ZSL)."""
from __future__ import annotations

import numpy as np

from ._runner import Case, run_checks

__all__: list[str] = ["check_calibrated_stacking", "check_lost_attributes", "check_skewness"]


def _as_int_vector(result, n: int) -> np.ndarray | None:
    arr = np.asarray(result)
    if arr.shape != (n,) or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        return None
    if not np.all(arr == np.round(arr)):
        return None
    return arr.astype(np.int64)


# ------------------------------------------------------------------ part 1: bias
def _calibration_cases() -> list[Case]:
    rng = np.random.default_rng(3)
    cases = []
    # A GZSL-like score matrix: seen columns score higher on average.
    for n, c, n_seen, gamma in ((40, 6, 4, 0.5), (30, 5, 2, 0.0), (25, 7, 3, -0.3), (50, 8, 5, 2.0)):
        scores = rng.standard_normal((n, c))
        seen = np.zeros(c, dtype=bool)
        seen[rng.permutation(c)[:n_seen]] = True
        scores[:, seen] += 0.8
        expected = np.argmax(scores - gamma * seen, axis=1)
        cases.append(Case(
            (scores.copy(), seen.copy(), gamma),
            lambda r, e=expected, n=n: (v := _as_int_vector(r, n)) is not None and np.array_equal(v, e),
            "return one column index per row: np.argmax of the scores after subtracting gamma from the "
            "*seen* columns only (seen_mask is True there); a negative gamma favours seen classes.",
        ))
    # Seen mask given as 0/1 integers still means "seen".
    scores = np.array([[1.0, 0.9, 0.2], [0.1, 0.5, 0.45], [0.3, 0.2, 0.25]])
    mask = np.array([1, 0, 0])
    expected = np.argmax(scores - 0.2 * mask.astype(bool), axis=1)  # [1, 1, 2]
    cases.append(Case((scores, mask, 0.2), lambda r, e=expected: (v := _as_int_vector(r, 3)) is not None
                      and np.array_equal(v, e),
                      "seen_mask may hold 0/1 integers: turn it into booleans (or floats) before using it."))
    return cases


def check_calibrated_stacking(fn) -> bool:
    """Exercise: ``fn(scores, seen_mask, gamma)`` returns argmax_c score_c − γ·[c is seen] for every row."""
    return run_checks("calibrated stacking", fn, _calibration_cases(),
                      success="That one line turns a biased GZSL model into a usable one.")


# --------------------------------------------------------- part 2: semantic loss
def _lost_cases() -> list[Case]:
    def ok(expected, n_attr):
        def judge(r):
            arr = np.asarray(r)
            if arr.dtype == bool:
                if arr.shape != (n_attr,):
                    return False
                arr = np.flatnonzero(arr)
            arr = np.asarray(arr).ravel()
            if arr.size and not np.issubdtype(arr.dtype, np.number):
                return False
            return np.array_equal(np.sort(arr.astype(np.int64)), np.asarray(expected, dtype=np.int64))
        return judge

    rng = np.random.default_rng(5)
    S1 = rng.random((8, 6))
    S1[[0, 2, 5], 1] = 0.0        # attribute 1: zero for the seen classes, not for the unseen ones
    S1[[0, 2, 5], 4] = 0.7        # attribute 4: constant but not zero
    S2 = rng.random((6, 5))
    S2[:, 3] = 1.0                # attribute 3: constant for *every* class
    S2[[1, 4], 0] = 0.25          # attribute 0: only two of the three seen classes agree
    S3 = rng.random((5, 4))       # nothing lost
    hint_seen = ("look only at the rows of the seen classes (S[seen]); an attribute is lost when it takes the same "
                 "value for all of them, which need not be 0 (np.ptp or max - min == 0).")
    return [
        Case((S1, np.array([0, 2, 5])), ok([1, 4], 6), hint_seen),
        Case((S2, np.array([1, 3, 4])), ok([3], 5), hint_seen),
        Case((S3, np.array([0, 1, 2])), ok([], 4), "when no attribute is constant over the seen classes, "
             "return an empty array (np.flatnonzero of an all-False mask)."),
    ]


def check_lost_attributes(fn) -> bool:
    """Exercise: ``fn(S, seen)`` returns the indices of attributes constant over the rows ``seen`` of S."""
    return run_checks("lost attributes", fn, _lost_cases(),
                      success="Run it on any new split before you trust a zero-shot result.")


# ----------------------------------------------------------------- part 3: hubness
def _skew_pop(x) -> float:
    x = np.asarray(x, dtype=float)
    d = x - x.mean()
    return float(np.mean(d**3) / np.mean(d**2) ** 1.5)


def _skew_sample(x) -> float:
    n = len(x)
    return _skew_pop(x) * np.sqrt(n * (n - 1)) / (n - 2)


def _skewness_cases() -> list[Case]:
    rng = np.random.default_rng(11)
    hubby = np.concatenate([rng.integers(0, 6, 95), [60, 75, 90, 120, 150]])
    symmetric = np.array([3, 5, 7, 5, 3, 7, 5, 5])
    left = 20 - rng.poisson(3, 60) ** 2 // 2
    cases = []
    for arr, hint in ((hubby, "skewness = mean((N - mean)^3) / std^3, with the mean and std of the counts N "
                              "(divide by n, as np.std does by default)."),
                      (symmetric, "a symmetric distribution has skewness 0."),
                      (left, "a long tail to the left gives a negative skewness; do not take absolute values.")):
        pop, samp = _skew_pop(arr), _skew_sample(arr)
        cases.append(Case(
            (arr.copy(),),
            lambda r, p=pop, s=samp: np.ndim(r) == 0 and np.isfinite(float(r))
            and (abs(float(r) - p) < 1e-6 * max(1.0, abs(p)) or abs(float(r) - s) < 1e-6 * max(1.0, abs(s))),
            hint,
        ))
    return cases


def check_skewness(fn) -> bool:
    """Exercise: ``fn(n_k)`` returns the skewness of the k-occurrence counts (scipy.stats.skew's value)."""
    return run_checks("skewness of N_k", fn, _skewness_cases(),
                      success="Large positive values mean a few hubs soak up the neighbourhoods.")
