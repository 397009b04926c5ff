"""The capstone's pieces: the worked example's files, outside_seen_range, and the study report."""
from __future__ import annotations

import numpy as np
import pytest

from zsl_tutorial.data import read_tables, resplit, write_digits_example
from zsl_tutorial.diagnostics import outside_seen_range
from zsl_tutorial.evaluation import (bootstrap_h, compare_h, course_estimators, format_differences, leaderboard,
                                     study_report)


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    folder = tmp_path_factory.mktemp("digits")
    return write_digits_example(folder)


def test_the_worked_example_is_scikit_learns_digits_with_a_full_class_table(digits):
    from sklearn.datasets import load_digits

    features, classes = digits
    with np.load(features, allow_pickle=False) as z:
        assert z["X"].shape == (1797, 64) and np.array_equal(z["X"], load_digits().data)
        assert sorted(set(z["labels"].tolist())) == [str(i) for i in range(10)]
    ds = read_tables(features, classes, unseen=["3", "7", "9"], aux="attributes")
    assert ds.S.shape == (10, 11) and len({tuple(r) for r in ds.S}) == 10, "every digit has its own row"
    assert not [p for p in features.parent.iterdir() if p.name.startswith(".")], "no temporary file left"


def test_outside_seen_range_names_the_class_the_column_and_the_range(digits):
    ds = read_tables(*digits, unseen=["2", "8", "9"])
    out = outside_seen_range(ds)
    assert [(o.class_name, o.column) for o in out] == [("2", "bottom_bar"), ("8", "closed_loops")]
    assert (out[1].value, out[1].seen_min, out[1].seen_max) == (2.0, 0.0, 1.0)
    assert outside_seen_range(read_tables(*digits, unseen=["3", "7", "9"])) == []


def test_the_report_states_data_checks_numbers_and_differences(digits):
    ds = read_tables(*digits, unseen=["3", "7", "9"], n_val=2)
    methods = course_estimators(include=["ESZSL", "SAE (visual)"], fast=True)
    results = leaderboard(methods, lambda s: resplit(ds, s), (0, 1), keep_artefacts=True, progress=False)
    boot = bootstrap_h(results, n_boot=200, seed=0)
    diffs = compare_h(boot, [(("SAE (visual)", "h_cal"), ("ESZSL", "h_cal"))])
    text = study_report(ds, results, diffs, n_boot=200)
    for needed in ("digits_features.npz", "sha256", "unseen (3): 3, 7, 9", "chance in conventional ZSL is 33.3%",
                   "✓ no unseen class has a training sample", "none: every unseen value",
                   "mean ± std over 2 seed(s) (0, 1)", "| ESZSL |", "SAE (visual), calibrated",
                   "Holm-adjusted over the 1 comparisons", "Only 2 seed(s)", "redraws the validation classes"):
        assert needed in text, needed
    d = diffs[0]
    assert f"{100 * d.diff:+.1f}" in format_differences(diffs, 200)
    with pytest.raises(ValueError, match="n_boot"):
        study_report(ds, results, diffs)
    with pytest.raises(ValueError, match="at least one method"):
        study_report(ds, [])
    fixed = read_tables(*digits, unseen=["3", "7", "9"], val=["0", "5"])
    assert "keeps the validation classes" in study_report(fixed, results)


def test_format_differences_marks_a_p_value_at_the_bootstrap_floor():
    from zsl_tutorial.evaluation import PairedDifference

    d = PairedDifference(("A", "h"), ("B", "h_cal"), 0.1, 0.05, 0.15, 0.0005, 0.001, True)
    table = format_differences([d], 2000)
    assert "| A | B, calibrated | +10.0 | [+5.0, +15.0] | ≤ 0.0005 | 0.0010 | yes |" in table
