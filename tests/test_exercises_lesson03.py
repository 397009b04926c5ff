"""The lesson-03 exercise checks: a right answer passes, a wrong one gets a hint, a broken one never raises."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import skew

from zsl_tutorial.exercises import check_calibrated_stacking, check_lost_attributes, check_skewness
from zsl_tutorial.metrics import calibrated_predict, hubness_skewness


# ------------------------------------------------------------------ answers
def calib_right(scores, seen_mask, gamma):
    return np.argmax(scores - gamma * np.asarray(seen_mask, dtype=bool), axis=1)


def calib_library(scores, seen_mask, gamma):
    return calibrated_predict(scores, np.asarray(seen_mask, dtype=bool), gamma)


def calib_wrong_side(scores, seen_mask, gamma):  # penalises the unseen classes instead
    return np.argmax(scores - gamma * ~np.asarray(seen_mask, dtype=bool), axis=1)


def calib_adds(scores, seen_mask, gamma):  # adds gamma to the seen classes
    return np.argmax(scores + gamma * np.asarray(seen_mask, dtype=bool), axis=1)


def calib_scores(scores, seen_mask, gamma):  # returns the calibrated scores, not labels
    return scores - gamma * np.asarray(seen_mask, dtype=bool)


def calib_raw_mask(scores, seen_mask, gamma):  # multiplying by a 0/1 mask is fine too
    return np.argmax(scores - gamma * seen_mask, axis=1)


def calib_fancy_index(scores, seen_mask, gamma):  # indexing with a 0/1 int mask picks columns 1, 0, 0: wrong
    out = scores.copy()
    out[:, seen_mask] -= gamma
    return np.argmax(out, axis=1)


def lost_right(S, seen):
    return np.flatnonzero(np.ptp(S[seen], axis=0) == 0)


def lost_mask(S, seen):
    return np.ptp(S[seen], axis=0) == 0


def lost_zero_only(S, seen):  # only catches attributes stuck at 0
    return np.flatnonzero(np.all(S[seen] == 0, axis=0))


def lost_all_rows(S, seen):  # looks at every class, seen or not
    return np.flatnonzero(np.ptp(S, axis=0) == 0)


def skew_right(n_k):
    d = n_k - n_k.mean()
    return np.mean(d**3) / np.mean(d**2) ** 1.5


def skew_sample_corrected(n_k):
    return skew(n_k, bias=False)


def skew_no_power(n_k):  # forgets the 3/2 power of the variance
    d = n_k - n_k.mean()
    return np.mean(d**3) / np.mean(d**2)


def skew_abs(n_k):
    return abs(skew_right(n_k))


def broken(*args):
    raise KeyError("oops")


def stub(*args):
    raise NotImplementedError


# -------------------------------------------------------------------- tests
@pytest.mark.parametrize("fn", [calib_right, calib_library, calib_raw_mask])
def test_calibrated_stacking_right(fn, capsys):
    assert check_calibrated_stacking(fn)
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("fn", [calib_wrong_side, calib_adds, calib_scores, calib_fancy_index])
def test_calibrated_stacking_wrong(fn, capsys):
    assert not check_calibrated_stacking(fn)
    out = capsys.readouterr().out
    assert "not yet" in out and "seen" in out


@pytest.mark.parametrize("fn", [lost_right, lost_mask, lambda S, seen: list(lost_right(S, seen))])
def test_lost_attributes_right(fn, capsys):
    assert check_lost_attributes(fn)
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("fn", [lost_zero_only, lost_all_rows])
def test_lost_attributes_wrong(fn, capsys):
    assert not check_lost_attributes(fn)
    assert "seen" in capsys.readouterr().out


@pytest.mark.parametrize("fn", [skew_right, skew_sample_corrected, lambda n: skew(n), hubness_skewness])
def test_skewness_right(fn, capsys):
    assert check_skewness(fn)
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("fn", [skew_no_power, skew_abs, lambda n: float(np.std(n))])
def test_skewness_wrong(fn, capsys):
    assert not check_skewness(fn)
    assert "not yet" in capsys.readouterr().out


@pytest.mark.parametrize("check", [check_calibrated_stacking, check_lost_attributes, check_skewness])
def test_broken_stub_and_missing_answers_never_raise(check, capsys):
    assert not check(broken)
    out = capsys.readouterr().out
    assert "KeyError" in out and "not yet" in out
    assert not check(stub)
    assert "stub" in capsys.readouterr().out
    assert not check(None)
    assert not check(42)  # a value instead of a function
    assert "not yet" in capsys.readouterr().out


def test_checks_do_not_let_the_learner_mutate_the_cases():
    def mutating(scores, seen_mask, gamma):
        scores -= 100.0  # in place: must not spoil a later run of the same check
        return calib_right(scores, seen_mask, gamma)

    check_calibrated_stacking(mutating)
    assert check_calibrated_stacking(calib_right)
