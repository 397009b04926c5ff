"""Each lesson-07 check passes a right answer, refuses a wrong one with a hint, and survives a broken one."""
from __future__ import annotations

import numpy as np
import pytest
from exercise_contract import assert_right_wrong_broken

import zsl_tutorial.exercises as ex
from zsl_tutorial.exercises.lesson07 import check_class_names_of, check_loc_to_index, check_ours_minus_paper


# ---------------------------------------------------------------- exercise 1
def loc_right(loc):
    return np.asarray(loc).ravel().astype(np.int64) - 1


def loc_no_shift(loc):  # forgot MATLAB's 1-based counting
    return np.asarray(loc).ravel().astype(np.int64)


def loc_float(loc):  # right values, but float indices cannot index numpy arrays
    return np.asarray(loc).ravel() - 1


def loc_column(loc):  # works for (n, 1) only
    return np.asarray(loc)[:, 0].astype(int) - 1


# ---------------------------------------------------------------- exercise 2
def names_right(labels, allclasses_names):
    return [allclasses_names[i] for i in np.asarray(labels).ravel().astype(int) - 1]


def names_no_shift(labels, allclasses_names):  # off by one, and IndexError on the last class
    return [allclasses_names[i % len(allclasses_names)] for i in np.asarray(labels).ravel().astype(int)]


# ---------------------------------------------------------------- exercise 3
def delta_right(ours, paper):
    return {m: None if p is None else ours[m] - p for m, p in paper.items()}


def delta_sign(ours, paper):  # paper - ours
    return {m: None if p is None else p - ours[m] for m, p in paper.items()}


def delta_zero_for_missing(ours, paper):  # treats a missing number as 0
    return {m: ours[m] - (p or 0.0) for m, p in paper.items()}


CHECKS = [
    (check_loc_to_index, loc_right, [(loc_no_shift, "subtract 1"), (loc_float, "float indices"),
                                     (loc_column, "(1, n) row")]),
    (check_class_names_of, names_right, [(names_no_shift, "allclasses_names[c - 1]")]),
    (check_ours_minus_paper, delta_right, [(delta_sign, "ours[m] - paper[m]"),
                                           (delta_zero_for_missing, "never treat a missing number as 0")]),
]


@pytest.mark.parametrize("check, right, wrongs", CHECKS, ids=lambda x: getattr(x, "__name__", ""))
def test_right_wrong_broken(capsys, check, right, wrongs):
    assert_right_wrong_broken(check, right, wrongs, capsys)
    assert check(42) is False  # not a function


def test_the_package_helper_passes_its_own_exercise():
    """benchmarks.ours_minus_paper is the reference implementation of exercise 3."""
    from zsl_tutorial.benchmarks import ours_minus_paper

    assert check_ours_minus_paper(ours_minus_paper) is True


def test_checks_are_exported_from_the_exercises_package():
    for name in ("check_loc_to_index", "check_class_names_of", "check_ours_minus_paper"):
        assert name in ex.__all__ and callable(getattr(ex, name))


def test_the_loader_agrees_with_exercise_1(tmp_path):
    """What the exercise asks is what load_xlsa17 does: loc - 1 indexes the same samples."""
    from scipy.io import loadmat

    from zsl_tutorial.data.xlsa17 import load_xlsa17, write_xlsa17_fixture

    folder = write_xlsa17_fixture(tmp_path, "CUB")
    raw = loadmat(folder / "att_splits.mat")
    ds = load_xlsa17("CUB", root=tmp_path, download=False, progress=False)
    for key in ("trainval", "test_seen", "test_unseen"):
        np.testing.assert_array_equal(ds.splits[key], loc_right(raw[f"{key}_loc"]))
    labels = loadmat(folder / "res101.mat")["labels"]
    assert names_right(labels[:5], ds.class_names) == [ds.class_names[c] for c in ds.y[:5]]
