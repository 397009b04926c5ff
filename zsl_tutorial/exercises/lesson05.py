"""Checks for the exercises of lesson 05 (evaluation done right)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ._runner import Case, run_checks

__all__: list[str] = [
    "check_per_class_accuracy",
    "check_harmonic_mean",
    "check_choose_on_validation",
    "check_spot_the_leak",
    "check_decide_difference",
    "LEAK_QUIZ",
]


def _is_close(result: Any, expected: float, tol: float = 1e-9) -> bool:
    if np.ndim(result) != 0:
        return False
    try:
        value = float(result)
    except (TypeError, ValueError):
        return False
    return bool(np.isfinite(value) and abs(value - expected) <= tol * max(1.0, abs(expected)))


# ------------------------------------------------------------ part 1: per-class accuracy
def _pc(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(np.mean([np.mean(y_pred[y_true == c] == c) for c in np.unique(y_true)]))


def _per_class_cases() -> list[Case]:
    rng = np.random.default_rng(5)
    # A balanced set first (per-sample = per-class here), to catch percentages.
    y0 = np.repeat([0, 1, 2, 3], 5)
    p0 = y0.copy()
    p0[[0, 6, 7, 19]] = [1, 0, 3, 2]
    cases = [Case((y0, p0), lambda r, e=_pc(y0, p0): _is_close(r, e),
                  "return a fraction in [0, 1] (0.8, not 80); np.mean of booleans gives one.")]
    # An imbalanced set where per-sample and per-class accuracy differ a lot.
    y1 = np.array([0] * 90 + [1] * 8 + [2] * 2)
    p1 = np.zeros(100, dtype=int)  # always predict the big class
    cases.append(Case((y1, p1), lambda r, e=_pc(y1, p1): _is_close(r, e),
                      "average over classes, not samples: compute each class's accuracy (the share of its own "
                      "samples predicted right), then take the plain mean of those numbers. Here the answer is 1/3, "
                      "not 0.9."))
    # Labels that are not 0..C-1: only the classes present in y_true count.
    y2 = np.array([3, 3, 3, 7, 7, 9, 9, 9, 9, 9])
    p2 = np.array([3, 3, 5, 7, 3, 9, 9, 9, 1, 9])
    cases.append(Case((y2, p2), lambda r, e=_pc(y2, p2): _is_close(r, e),
                      "average only over the classes that occur in y_true (np.unique(y_true)); labels need not "
                      "be 0..C-1, and a class that is only predicted (never true) has no accuracy."))
    # Random larger cases.
    for n, c in ((300, 12), (57, 5)):
        y = rng.integers(0, c, n)
        p = np.where(rng.random(n) < 0.6, y, rng.integers(0, c, n))
        cases.append(Case((y.copy(), p.copy()), lambda r, e=_pc(y, p): _is_close(r, e),
                          "return a fraction in [0, 1]: the mean over classes of (correct predictions of the class) "
                          "/ (samples of the class)."))
    return cases


def check_per_class_accuracy(fn) -> bool:
    """Exercise: ``fn(y_true, y_pred)`` returns the mean over the classes of ``y_true`` of each class's accuracy."""
    return run_checks("per-class accuracy", fn, _per_class_cases(),
                      success="Every class now counts the same, however many test samples it has.")


# ------------------------------------------------------------ part 2: harmonic mean
def _harmonic_cases() -> list[Case]:
    hint = "H = 2·u·s / (u + s): twice the product over the sum (the arithmetic mean would be (u + s) / 2)."
    cases = [Case((u, s), lambda r, e=2 * u * s / (u + s): _is_close(r, e), hint)
             for u, s in ((0.5, 0.5), (0.9, 0.1), (0.2, 0.8), (0.05, 0.95), (1.0, 0.6))]
    cases.append(Case((0.0, 0.9), lambda r: _is_close(r, 0.0),
                      "when one of u and s is 0, H is 0: a model that never recognises unseen classes is useless."))
    cases.append(Case((0.0, 0.0), lambda r: _is_close(r, 0.0),
                      "u = s = 0 would divide 0 by 0: return 0.0 in that case (check u + s == 0 first)."))
    return cases


def check_harmonic_mean(fn) -> bool:
    """Exercise: ``fn(u, s)`` returns 2us / (u + s), and 0 when u + s = 0."""
    return run_checks("harmonic mean", fn, _harmonic_cases(),
                      success="H is never above twice the smaller of u and s, so the weak side decides.")


# ------------------------------------------------------------ part 3: choose on validation
def _choose_cases() -> list[Case]:
    rng = np.random.default_rng(9)
    hint = ("find the cell with the best *validation* score (np.argmax(val_scores)), and return the *test* score of "
            "that same cell (test_scores.flat[...] works for 1-D and 2-D grids). Never take the max of test_scores.")
    cases = []
    val = np.array([0.40, 0.55, 0.52, 0.30])
    test = np.array([0.45, 0.48, 0.61, 0.20])  # the test-best cell is not the val-best one
    cases.append(Case((val, test), lambda r: _is_close(r, 0.48), hint))
    for shape in ((7, 7), (3, 5)):
        v = rng.random(shape)
        t = rng.random(shape)
        t.flat[np.argmax(v)] = 0.3 * t.max()  # make the test max elsewhere
        expected = float(t.flat[np.argmax(v)])
        cases.append(Case((v.copy(), t.copy()), lambda r, e=expected: _is_close(r, e),
                          hint + " The grids may be 2-D (γ × λ)."))
    tie_val = np.array([0.5, 0.7, 0.7, 0.1])
    tie_test = np.array([0.1, 0.2, 0.9, 0.3])
    cases.append(Case((tie_val, tie_test), lambda r: _is_close(r, 0.2),
                      "on a tie in validation, keep the first best cell (np.argmax does that)."))
    return cases


def check_choose_on_validation(fn) -> bool:
    """Exercise: ``fn(val_scores, test_scores)`` returns the test score of the grid cell best on validation."""
    return run_checks("choose on validation", fn, _choose_cases(),
                      success="That is the only test number you may report; the test max is a ceiling, not a result.")


# ------------------------------------------------------------ part 4: spot the leak
#: The procedures of the "spot the leak" quiz; the notebook prints them.
LEAK_QUIZ: dict[str, str] = {
    "A": "Choose ESZSL's γ and λ by top-1 on the `val` classes, then refit on `trainval` and report the test score.",
    "B": "Train the GAN for 50 epochs, evaluate on the test set after each, and report the best epoch's H.",
    "C": "Choose the calibration γ that maximises H on the GZSL test set.",
    "D": "Min-max scale the features with the minimum and maximum of the training features.",
    "E": "Extract features with a CNN pre-trained on ImageNet-1k, which contains several of the 'unseen' classes.",
    "F": "Choose the number of synthetic features per class by H on the `gzsl_validation` rehearsal.",
    "G": "Run five seeds and report the one with the best test H.",
}
_LEAKS = {"B", "C", "E", "G"}
_WHY = {
    "A": "A is the honest protocol: the val classes are seen classes playing unseen ones.",
    "D": "D only uses training data, so it is fine.",
    "F": "F tunes on the rehearsal inside the seen classes, so it is fine.",
    "B": "choosing *when to stop* by the test score is tuning on the test set too.",
    "C": "a γ picked on the test set is a test-set hyper-parameter.",
    "E": "the features themselves can carry information about the unseen classes (Xian et al.'s proposed splits "
         "exist to avoid exactly this).",
    "G": "picking the best of several runs on the test set is selection on the test set; report the mean ± std.",
}


def _leak_judge(answer: Any) -> tuple[bool, str]:
    if isinstance(answer, str):
        letters = {ch for ch in answer.upper() if ch.isalpha()}
    else:
        try:
            letters = {str(a).strip().upper() for a in answer}
        except TypeError:
            return False, 'give the letters of the leaky procedures as a set of strings, e.g. {"A", "D"}.'
    unknown = sorted(letters - set(LEAK_QUIZ))
    if unknown:
        return False, f"{unknown} are not procedures of the quiz; use letters from {sorted(LEAK_QUIZ)}."
    wrong = sorted(letters - _LEAKS)
    if wrong:
        return False, " ".join(_WHY[w] for w in wrong)
    missed = sorted(_LEAKS - letters)
    if missed:
        return False, (f"you found {len(letters)} of {len(_LEAKS)} leaks. Ask of each procedure: does any choice in "
                       "it depend on the test classes or test samples?")
    return True, ""


def check_spot_the_leak(answer) -> bool:
    """Exercise: ``answer`` is the set of letters of ``LEAK_QUIZ`` whose procedure leaks test information."""
    return run_checks("spot the leak", answer, _leak_judge, value=True,
                      success="B, C, E and G all make the reported number optimistic; lesson 05 measured by how much.")


# ------------------------------------------------------------ part 5: is a difference real?
def _decide_expected(diffs: np.ndarray, level: float) -> tuple[float, float, str]:
    low, high = np.quantile(diffs, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high), "real" if low > 0 or high < 0 else "tie"


def _decide_ok(result: Any, expected: tuple[float, float, str]) -> bool:
    if not isinstance(result, tuple) or len(result) != 3:
        return False
    low, high, verdict = result
    return _is_close(low, expected[0], 1e-9) and _is_close(high, expected[1], 1e-9) and verdict == expected[2]


def _decide_cases() -> list[Case]:
    rng = np.random.default_rng(11)
    hint = ("the interval is the (1 - level) / 2 and (1 + level) / 2 quantiles of the replicates "
            "(np.quantile(diffs, [...])); the verdict is \"real\" when the whole interval lies on one side of 0, "
            "else \"tie\". Return (low, high, verdict).")
    cases = []
    for center, spread, level in ((0.08, 0.02, 0.95), (0.01, 0.03, 0.95), (-0.05, 0.01, 0.95), (0.03, 0.02, 0.9),
                                  (0.03, 0.02, 0.99)):
        d = rng.normal(center, spread, 1000)
        cases.append(Case((d.copy(),), lambda r, e=_decide_expected(d, level): _decide_ok(r, e), hint,
                          kwargs={"level": level}))
    return cases


def check_decide_difference(fn) -> bool:
    """Exercise: ``fn(diffs, level=0.95)`` returns ``(low, high, verdict)``: the percentile interval of the
    bootstrap replicates of a difference, and ``"real"`` when it excludes 0, else ``"tie"``."""
    return run_checks("is the difference real?", fn, _decide_cases(),
                      success="One comparison, chosen before looking, needs no correction; a table of many needs "
                              "Holm's (compare_h does it).")
