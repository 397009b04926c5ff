"""The lesson-05 exercise checks: a right answer passes, a wrong one gets a hint, a broken one never raises."""
from __future__ import annotations

import numpy as np
import pytest

from zsl_tutorial.exercises import (
    LEAK_QUIZ,
    check_choose_on_validation,
    check_harmonic_mean,
    check_per_class_accuracy,
    check_spot_the_leak,
)
from zsl_tutorial.metrics import harmonic_mean, per_class_accuracy, per_sample_accuracy


# ------------------------------------------------------------------ answers
def pc_right(y_true, y_pred):
    classes = np.unique(y_true)
    return float(np.mean([np.mean(y_pred[y_true == c] == c) for c in classes]))


def pc_library(y_true, y_pred):
    return per_class_accuracy(y_true, y_pred)


def pc_per_sample(y_true, y_pred):
    return per_sample_accuracy(y_true, y_pred)


def pc_bincount_all_labels(y_true, y_pred):  # averages over 0..max label, counting absent classes as 0
    n = np.bincount(y_true)
    hits = np.bincount(y_true[y_true == y_pred], minlength=len(n))
    return float(np.mean(np.divide(hits, n, out=np.zeros(len(n)), where=n > 0)))


def pc_over_predicted(y_true, y_pred):  # averages over the predicted classes too
    classes = np.union1d(y_true, y_pred)
    return float(np.mean([np.mean(y_pred[y_true == c] == c) if np.any(y_true == c) else 0.0 for c in classes]))


def pc_percent(y_true, y_pred):
    return 100 * pc_right(y_true, y_pred)


def h_right(u, s):
    return 0.0 if u + s == 0 else 2 * u * s / (u + s)


def h_library(u, s):
    return harmonic_mean(u, s)


def h_arithmetic(u, s):
    return (u + s) / 2


def h_geometric(u, s):
    return float(np.sqrt(u * s))


def h_no_guard(u, s):  # divides by zero at u = s = 0
    return 2 * u * s / (u + s)


def choose_right(val_scores, test_scores):
    return float(np.asarray(test_scores).flat[np.argmax(val_scores)])


def choose_unravel(val_scores, test_scores):
    v, t = np.asarray(val_scores), np.asarray(test_scores)
    return t[np.unravel_index(np.argmax(v), v.shape)]


def choose_test_max(val_scores, test_scores):  # the leak
    return float(np.max(test_scores))


def choose_val_max(val_scores, test_scores):  # reports the validation number
    return float(np.max(val_scores))


def choose_last_tie(val_scores, test_scores):  # breaks ties towards the last cell
    v = np.asarray(val_scores).ravel()
    return float(np.asarray(test_scores).ravel()[len(v) - 1 - np.argmax(v[::-1])])


def broken(*args):
    raise KeyError("oops")


def stub(*args):
    raise NotImplementedError


# ------------------------------------------------------------------ the checks
@pytest.mark.parametrize("check, right", [
    (check_per_class_accuracy, pc_right), (check_per_class_accuracy, pc_library),
    (check_harmonic_mean, h_right), (check_harmonic_mean, h_library),
    (check_choose_on_validation, choose_right), (check_choose_on_validation, choose_unravel),
])
def test_right_answers_pass(check, right, capsys):
    assert check(right) is True
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("check, wrong, hint", [
    (check_per_class_accuracy, pc_per_sample, "average over classes"),
    (check_per_class_accuracy, pc_bincount_all_labels, "only over the classes that occur in y_true"),
    (check_per_class_accuracy, pc_over_predicted, "only over the classes that occur in y_true"),
    (check_per_class_accuracy, pc_percent, "fraction"),
    (check_harmonic_mean, h_arithmetic, "twice the product"),
    (check_harmonic_mean, h_geometric, "twice the product"),
    (check_choose_on_validation, choose_test_max, "Never take the max of test_scores"),
    (check_choose_on_validation, choose_val_max, "*test* score of that same cell"),
    (check_choose_on_validation, choose_last_tie, "keep the first best cell"),
])
def test_wrong_answers_get_a_hint(check, wrong, hint, capsys):
    assert check(wrong) is False
    out = capsys.readouterr().out
    assert "not yet" in out and hint in out


def test_missing_zero_guard_is_explained(capsys):
    assert check_harmonic_mean(h_no_guard) is False
    out = capsys.readouterr().out
    assert "ZeroDivisionError" in out and "return 0.0" in out


@pytest.mark.parametrize("check", [check_per_class_accuracy, check_harmonic_mean, check_choose_on_validation])
def test_broken_and_stub_answers_never_raise(check, capsys):
    assert check(broken) is False
    assert "KeyError" in capsys.readouterr().out
    assert check(stub) is False
    assert "still a stub" in capsys.readouterr().out
    assert check(lambda *a: None) is False
    assert "returned None" in capsys.readouterr().out
    assert check(lambda *a: "0.5") is False


# ------------------------------------------------------------------ spot the leak (a value exercise)
@pytest.mark.parametrize("answer", [{"B", "C", "E", "G"}, ["g", "e", "c", "b"], "B, C, E, G", ("B", "C", "E", "G")])
def test_spot_the_leak_accepts_the_right_letters_in_any_form(answer, capsys):
    assert check_spot_the_leak(answer) is True
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("answer, hint", [
    ({"B", "C", "E"}, "you found 3 of 4 leaks"),
    ({"B", "C", "E", "G", "A"}, "A is the honest protocol"),
    ({"B", "C", "E", "G", "F"}, "rehearsal"),
    ({"B", "Z"}, "not procedures of the quiz"),
    (42, "as a set of strings"),
])
def test_spot_the_leak_hints(answer, hint, capsys):
    assert check_spot_the_leak(answer) is False
    out = capsys.readouterr().out
    assert "not yet" in out and hint in out


def test_spot_the_leak_stub_and_quiz(capsys):
    assert check_spot_the_leak(...) is False
    assert "fill in" in capsys.readouterr().out
    assert sorted(LEAK_QUIZ) == list("ABCDEFG") and all(len(v) > 20 for v in LEAK_QUIZ.values())


# ------------------------------------------------------------------ is a difference real?
def decide_right(diffs, level=0.95):
    low, high = np.quantile(diffs, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high), "real" if low > 0 or high < 0 else "tie"


def decide_library(diffs, level=0.95):
    from zsl_tutorial.evaluation.bootstrap import BootstrapH, compare_h

    boot = BootstrapH({("a", "h"): np.asarray(diffs), ("b", "h"): np.zeros(len(diffs))},
                      {("a", "h"): 0.0, ("b", "h"): 0.0}, (0,), len(diffs))
    (d,) = compare_h(boot, [("a", "b")], level=level)
    return d.low, d.high, "real" if d.low > 0 or d.high < 0 else "tie"


def decide_fixed_level(diffs, level=0.95):
    return decide_right(diffs)  # ignores the level it is given


def decide_positive_only(diffs, level=0.95):
    low, high, _ = decide_right(diffs, level)
    return low, high, "real" if low > 0 else "tie"  # a real loss is real too


@pytest.mark.parametrize("right", [decide_right, decide_library])
def test_deciding_a_difference_right_passes(right, capsys):
    from zsl_tutorial.exercises import check_decide_difference

    assert check_decide_difference(right) is True
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("wrong", [decide_fixed_level, decide_positive_only, lambda d, level=0.95: (0.0, 1.0),
                                   lambda d, level=0.95: (float(d.min()), float(d.max()), "real")])
def test_deciding_a_difference_wrong_gets_the_hint(wrong, capsys):
    from zsl_tutorial.exercises import check_decide_difference

    assert check_decide_difference(wrong) is False
    assert "quantiles of the replicates" in capsys.readouterr().out
