"""Each lesson-08 check passes a right answer, refuses a wrong one with a hint, and survives a broken one."""
from __future__ import annotations

import numpy as np
import pytest
from exercise_contract import assert_right_wrong_broken

import zsl_tutorial.exercises as ex
from zsl_tutorial.exercises.lesson08 import check_out_of_seen_range, check_save_features


# ---------------------------------------------------------------- exercise 1
def save_right(path, X, names):
    np.savez(path, X=np.asarray(X), labels=np.asarray(names, dtype=str))
    return path


def save_objects(path, X, names):  # keeps a pandas-style object array: np.savez pickles it
    np.savez(path, X=np.asarray(X), labels=np.asarray(names))
    return path


def save_lowercase(path, X, names):  # the wrong array name
    np.savez(path, x=np.asarray(X), labels=np.asarray(names, dtype=str))
    return path


# ---------------------------------------------------------------- exercise 2
def range_right(S, seen, unseen):
    S = np.asarray(S)
    lo, hi = S[seen].min(axis=0), S[seen].max(axis=0)
    return [(c, j) for c in unseen for j in range(S.shape[1]) if S[c, j] < lo[j] or S[c, j] > hi[j]]


def range_above_only(S, seen, unseen):  # forgets values below the seen minimum
    S = np.asarray(S)
    hi = S[seen].max(axis=0)
    return [(c, j) for c in unseen for j in range(S.shape[1]) if S[c, j] > hi[j]]


def range_inclusive(S, seen, unseen):  # counts a value equal to the seen extreme as outside
    S = np.asarray(S)
    lo, hi = S[seen].min(axis=0), S[seen].max(axis=0)
    return [(c, j) for c in unseen for j in range(S.shape[1]) if S[c, j] <= lo[j] or S[c, j] >= hi[j]]


def range_first_rows(S, seen, unseen):  # assumes the seen classes are the first rows
    S = np.asarray(S)
    k = len(seen)
    lo, hi = S[:k].min(axis=0), S[:k].max(axis=0)
    return [(c, j) for c in unseen for j in range(S.shape[1]) if S[c, j] < lo[j] or S[c, j] > hi[j]]


CHECKS = [
    (check_save_features, save_right, [(save_objects, "np.asarray(names, dtype=str)"), (save_lowercase, "called X")]),
    (check_out_of_seen_range, range_right, [(range_above_only, "below the minimum OR above"),
                                            (range_inclusive, "use < and >"), (range_first_rows, "S[seen]")]),
]


@pytest.mark.parametrize("check, right, wrongs", CHECKS, ids=lambda x: getattr(x, "__name__", ""))
def test_right_wrong_broken(capsys, check, right, wrongs):
    assert_right_wrong_broken(check, right, wrongs, capsys)
    assert check(42) is False  # not a function


def test_checks_are_exported_from_the_exercises_package():
    for name in ("check_out_of_seen_range", "check_save_features"):
        assert name in ex.__all__ and callable(getattr(ex, name))


def test_the_package_agrees_with_exercise_2(tmp_path):
    """diagnostics.outside_seen_range is exercise 2's answer, with names: the same pairs on the worked example."""
    from zsl_tutorial.data import read_tables, write_digits_example
    from zsl_tutorial.diagnostics import outside_seen_range

    features, classes = write_digits_example(tmp_path)
    for unseen in (["3", "7", "9"], ["2", "8", "9"], ["0", "1", "8"]):
        ds = read_tables(features, classes, unseen=unseen)
        pairs = sorted((ds.class_names[c], ds.aux_names[j]) for c, j in range_right(ds.S, ds.seen_classes,
                                                                                  ds.unseen_classes))
        assert pairs == sorted((o.class_name, o.column) for o in outside_seen_range(ds))
    assert ("8", "closed_loops") in pairs


def test_a_file_saved_by_exercise_1_is_read_by_read_tables(tmp_path):
    from zsl_tutorial.data import read_tables, write_digits_example

    _, classes = write_digits_example(tmp_path)
    X = np.arange(160, dtype=float).reshape(40, 4)
    names = np.array([str(i % 10) for i in range(40)], dtype=object)  # as a pandas column gives them
    path = save_right(tmp_path / "mine.npz", X, names)
    ds = read_tables(path, classes, unseen=["3", "7"], n_val=1, test_seen_fraction=0.5)
    assert np.array_equal(ds.X, X) and [ds.class_names[c] for c in ds.y] == list(names)
    with pytest.raises(ValueError, match=r"seen class\(es\) \['0'\] have a single sample"):
        keep = np.r_[0, np.flatnonzero(names != "0")]
        save_right(tmp_path / "one.npz", X[keep], names[keep])
        read_tables(tmp_path / "one.npz", classes, unseen=["3", "7"], n_val=1)


def test_the_package_helper_passes_its_own_exercise(capsys):
    """diagnostics.coverage.outside_pairs is the reference answer of exercise 2 (and outside_seen_range's core)."""
    from zsl_tutorial.diagnostics.coverage import outside_pairs

    assert ex.check_out_of_seen_range(outside_pairs) is True
    assert "✓" in capsys.readouterr().out
