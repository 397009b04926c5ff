"""Checks for the exercises of lesson 07 (real benchmarks: the xlsa17 files and the published numbers).

1. ``check_loc_to_index(fn)``: a 1-based MATLAB ``*_loc`` column into 0-based numpy indices.
2. ``check_class_names_of(fn)``: 1-based ``labels`` of ``res101.mat`` into class names via ``allclasses_names``.
3. ``check_ours_minus_paper(fn)``: the "ours − paper" column, with no number where the paper has none.
"""
from __future__ import annotations

import numpy as np

from ._runner import Case, run_checks

__all__ = ["check_loc_to_index", "check_class_names_of", "check_ours_minus_paper"]


def _as_matlab_column(values) -> np.ndarray:
    """What scipy.io.loadmat returns for an index vector of the release: an (n, 1) float64 column."""
    return np.asarray(values, dtype=np.float64).reshape(-1, 1)


def _indices_ok(expected: np.ndarray):
    def ok(result) -> bool:
        r = np.asarray(result)
        return (r.ndim == 1 and r.dtype.kind in "iu" and r.shape == expected.shape
                and np.array_equal(r, expected))
    return ok


def check_loc_to_index(fn) -> bool:
    """``fn(loc)``: loc is an (n, 1) float column of 1-based sample numbers -> 1-D integer array of 0-based indices."""
    cases = []
    for values in ([3, 1, 7], [1], [5, 2, 9, 10, 4]):
        expected = np.asarray(values, dtype=np.int64) - 1
        cases.append(Case((_as_matlab_column(values),), _indices_ok(expected),
                          "MATLAB counts from 1 and numpy from 0: subtract 1. Also flatten the (n, 1) column "
                          "to 1-D (.ravel()) and make it integer (.astype(int)): numpy refuses float indices."))
    # the first sample of the file is number 1 in MATLAB: it must become index 0, not stay 1 or wrap to -1
    cases.append(Case((_as_matlab_column([1, 2]),), _indices_ok(np.array([0, 1])),
                      "sample number 1 is the first column of features: index 0. Subtract 1 from every entry."))
    # a row vector (1, n) must work as well: some copies of the release store them that way
    cases.append(Case((np.array([[4.0, 6.0]]),), _indices_ok(np.array([3, 5])),
                      "flatten with .ravel() (not [:, 0]), so that a (1, n) row works as well as an (n, 1) column."))
    return run_checks("loc_to_index", fn, cases,
                      success="This is the first thing load_xlsa17 does with every *_loc vector.")


def check_class_names_of(fn) -> bool:
    """``fn(labels, allclasses_names)``: (n, 1) float 1-based labels and a list of names -> list of n names."""
    names = ["antelope", "grizzly+bear", "killer+whale", "beaver", "dalmatian"]
    cases = []
    for labels in ([1, 3, 5], [2], [5, 5, 1, 4]):
        expected = [names[i - 1] for i in labels]
        cases.append(Case((_as_matlab_column(labels), list(names)),
                          lambda r, e=expected: [str(x) for x in r] == e and len(list(r)) == len(e),
                          "label c (1-based) is allclasses_names[c - 1]. Flatten the labels, convert them to int, "
                          "subtract 1, then look each one up; return a list with one name per label."))
    # label 1 is the first class; a forgotten -1 gives the wrong name, and the last label fails with IndexError
    cases.append(Case((_as_matlab_column([1, 5]), list(names)),
                      lambda r: [str(x) for x in r] == ["antelope", "dalmatian"],
                      "label 1 is the first name in the list (index 0), label 5 the last one (index 4)."))
    return run_checks("class_names_of", fn, cases,
                      success="Now a predicted class index can be read as an animal, bird or scene.")


def check_ours_minus_paper(fn) -> bool:
    """``fn(ours, paper)``: dicts metric -> % (paper values may be None) -> dict metric -> ours − paper or None."""
    def ok_for(expected):
        def ok(result) -> bool:
            if not isinstance(result, dict) or set(result) != set(expected):
                return False
            for k, e in expected.items():
                r = result[k]
                if e is None:
                    if r is not None:
                        return False
                elif r is None or not np.isclose(float(r), e, atol=1e-9):
                    return False
            return True
        return ok

    ours = {"zsl": 61.0, "u": 12.4, "s": 80.1, "h": 21.5}
    eszsl_awa2 = {"zsl": 58.6, "u": 5.9, "s": 77.8, "h": 11.0}
    cases = [
        Case((dict(ours), dict(eszsl_awa2)), ok_for({k: ours[k] - eszsl_awa2[k] for k in eszsl_awa2}),
             "subtract the paper's number from ours, for each metric: ours[m] - paper[m] "
             "(positive means we did better)."),
        # f-CLSWGAN on AWA2: the paper has no number, so neither does the difference
        Case((dict(ours), {"zsl": None, "u": None, "s": None, "h": None}),
             ok_for({"zsl": None, "u": None, "s": None, "h": None}),
             "where the paper has no number (None), the difference is None too: never treat a missing "
             "number as 0."),
        Case((dict(ours), {"zsl": 57.3, "h": None}), ok_for({"zsl": 61.0 - 57.3, "h": None}),
             "return one entry per metric of `paper` (and only those), None where paper[m] is None."),
        Case(({"zsl": 40.0, "h": 10.0}, {"zsl": 54.1, "h": 2.2}), ok_for({"zsl": 40.0 - 54.1, "h": 10.0 - 2.2}),
             "keep the sign: ours - paper is negative when the paper did better."),
    ]
    return run_checks("ours_minus_paper", fn, cases,
                      success="benchmarks.compare fills its Δ columns the same way.")
