"""Checks for the exercises of lesson 08 (a zero-shot study on your own data).

1. ``check_out_of_seen_range(fn)``: which (unseen class, attribute) values lie outside every seen class's range.
2. ``check_save_features(fn)``: write features and class names as an ``.npz`` that ``read_tables`` reads
   without unpickling.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from ._runner import Case, run_checks

__all__ = ["check_out_of_seen_range", "check_save_features"]


def _outside(S: np.ndarray, seen, unseen) -> set:
    from ..diagnostics.coverage import outside_pairs  # the package's answer is the reference

    return set(outside_pairs(S, seen, unseen))


def _pairs(result) -> set | None:
    try:
        return {(int(c), int(j)) for c, j in result}
    except (TypeError, ValueError):
        return None


def check_out_of_seen_range(fn) -> bool:
    """``fn(S, seen, unseen)``: the (class, column) pairs of unseen classes whose value lies outside
    [min, max] of that column over the seen classes; any order."""
    rng = np.random.default_rng(8)
    S = rng.uniform(0, 1, size=(7, 5))
    S[5, 2], S[6, 0], S[6, 4] = 1.7, -0.4, 2.0  # above, below and above every seen value
    cases = [Case((S, [0, 1, 2, 3, 4], [5, 6]), lambda r: _pairs(r) == _outside(S, [0, 1, 2, 3, 4], [5, 6]),
                  "for each unseen class c and column j, compare S[c, j] with S[seen, j].min() and .max(); return "
                  "the pairs (c, j) where it lies below the minimum OR above the maximum.")]
    inside = S.copy()
    inside[5:] = (S[:5].min(axis=0) + S[:5].max(axis=0)) / 2
    cases.append(Case((inside, [0, 1, 2, 3, 4], [5, 6]), lambda r: _pairs(r) == set(),
                      "when every unseen value lies between the seen minimum and maximum, return an empty list."))
    edge = S.copy()
    edge[5] = S[:5].max(axis=0)  # equal to the maximum is inside the range
    cases.append(Case((edge, [0, 1, 2, 3, 4], [5]), lambda r: _pairs(r) == set(),
                      "a value equal to the seen maximum (or minimum) is inside the range: use < and >, not <= and >=."))
    # seen and unseen need not be the first and last rows
    cases.append(Case((S, [6, 1, 3, 5, 0], [2, 4]), lambda r: _pairs(r) == _outside(S, [6, 1, 3, 5, 0], [2, 4]),
                      "use the rows named by `seen` and `unseen` (S[seen]), not the first and last rows of S."))
    return run_checks("out_of_seen_range", fn, cases,
                      success="A model cannot learn a value no seen class shows: hold such classes out only knowingly.")


def _saved_ok(X: np.ndarray, names: list[str]):
    def ok(result) -> bool:
        path = Path(result)
        with np.load(path, allow_pickle=False) as z:  # exactly how read_tables opens it
            return (set(z.files) >= {"X", "labels"} and np.array_equal(z["X"], X)
                    and [str(v) for v in z["labels"].tolist()] == names)
    return ok


def check_save_features(fn) -> bool:
    """``fn(path, X, names)``: write ``X`` and one class name per row to ``path`` (.npz); return the path."""
    rng = np.random.default_rng(8)
    X = rng.normal(size=(6, 3))
    names = ["zebra", "horse", "zebra", "okapi", "horse", "okapi"]
    hint = ("np.savez(path, X=X, labels=np.asarray(names, dtype=str)), then return path: the arrays must be called "
            "X and labels, and the labels must be text, not objects (read_tables never unpickles).")
    with tempfile.TemporaryDirectory(prefix="zsl08-check-") as tmp:
        cases = [Case((Path(tmp) / "plain.npz", X, list(names)), _saved_ok(X, names), hint),
                 # what a pandas column's .values gives: an object array, which np.savez would pickle
                 Case((Path(tmp) / "objects.npz", X, np.array(names, dtype=object)), _saved_ok(X, names),
                      "your labels were an object array (as pandas gives them), which np.savez pickles and "
                      "read_tables refuses: convert them with np.asarray(names, dtype=str).")]
        return run_checks("save_features", fn, cases,
                          success="read_tables(path, classes.csv, unseen=[...]) reads this file as it is.")
