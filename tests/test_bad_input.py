"""Bad input across the public API: every mistake gets one clear error that names the problem.

The course promise (COURSE_DESIGN §4): every public function validates its
inputs and raises a ``ValueError`` or ``TypeError`` whose message says what is
wrong, never a raw numpy/torch traceback or a silently wrong number. Each case
below asserts on the message text. The property-based tests at the end feed
random shapes, dtypes and labels and accept only two outcomes: a result that
satisfies the metric's defining identity, or the documented error.

The estimators' shared input checks (``fit``, ``decision_function``,
``predict``, ``score`` of every ``ZSLEstimator``) are tested once, in
test_estimator_contract.py, together with a test that every estimator goes
through them; here are the metrics, helpers, datasets and dependency checks.
The one torch estimator fitted here is kept tiny (one epoch, a handful of
units); the whole file runs in well under 30 s on two CPU cores.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from zsl_tutorial import metrics as M
from zsl_tutorial.data import ZSLDataset, make_split
from zsl_tutorial.methods import (
    CLSWGAN,
    SAE,
    AttributeRegressor,
    CalibratedStacking,
    DeepEncoder,
    ESZSL,
    ReverseRidge,
    center,
    csls_scores,
    k_occurrence_from_scores,
)

PROPS = settings(max_examples=40, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
ERRORS = (ValueError, TypeError)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(30, 5))
Y = np.arange(30) % 3
S = RNG.random((3, 4)) + 0.1

# The closed-form methods, for the property test below (fitting is instant). The estimators' shared
# input checks (fit, decision_function, predict, score) are tested once in test_estimator_contract.py.
CLOSED_FORM = {
    "ESZSL": lambda: ESZSL(),
    "SAE-semantic": lambda: SAE(),
    "AttributeRegressor": lambda: AttributeRegressor(),
    "ReverseRidge": lambda: ReverseRidge(),
}


def _with(arr, i, j, value):
    out = np.array(arr, dtype=float)
    out[i, j] = value
    return out


# --------------------------------------------------------------------------- CLSWGAN's own prediction rule
def test_clswgan_refuses_classes_it_was_not_fitted_for():
    gan = CLSWGAN(hidden=8, epochs=1, pretrain_epochs=1, clf_epochs=1, n_synth=4, batch_size=16, n_critic=1,
                  progress=False).fit(X, Y, S)
    with pytest.raises(ValueError, match=r"not among the 3 candidate classes[\s\S]*candidates="):
        gan.decision_function(X, S + 1.0)


# --------------------------------------------------------------------------- metrics
SC = RNG.normal(size=(6, 4))
YT = np.array([0, 1, 2, 3, 0, 2])
MASK = np.array([True, True, False, False])

METRIC_CASES = [
    ("pca-length", lambda: M.per_class_accuracy([0, 1, 2], [0, 1]), ValueError, r"y_true has 3 labels but y_pred has 2"),
    ("pca-empty", lambda: M.per_class_accuracy([], []), ValueError, r"y_true is empty"),
    ("pca-strings", lambda: M.per_class_accuracy(["cat", "dog"], ["cat", "cat"]), TypeError,
     r"y_true must hold integer class indices.*np.unique"),
    ("pca-bool", lambda: M.per_class_accuracy([True, False], [True, True]), TypeError, r"got booleans"),
    ("pca-complex", lambda: M.per_class_accuracy(np.array([1 + 0j, 2]), [1, 2]), TypeError, r"dtype complex"),
    ("pca-object", lambda: M.per_class_accuracy(np.array([1, 2], dtype=object), [1, 2]), TypeError, r"dtype object"),
    ("pca-nan", lambda: M.per_class_accuracy([0.0, np.nan], [0, 1]), TypeError, r"non-integer floats"),
    ("pca-2d", lambda: M.per_class_accuracy(np.zeros((2, 2), int), np.zeros((2, 2), int)), ValueError, r"must be 1-D"),
    ("pca-None", lambda: M.per_class_accuracy(None, None), TypeError, r"y_true must be a 1-D array.*NoneType"),
    ("pca-class-without-samples", lambda: M.per_class_accuracy([0, 1], [0, 1], classes=[5]), ValueError,
     r"class\(es\) \[5\] have no samples in y_true"),
    ("pca-classes-empty", lambda: M.per_class_accuracy([0, 1], [0, 1], classes=[]), ValueError, r"classes is empty"),
    ("pca-classes-fraction", lambda: M.per_class_accuracy([0, 1], [0, 1], classes=[0.5]), TypeError,
     r"classes must hold integer class indices"),
    ("gzsl-overlap", lambda: M.gzsl_scores([0, 1], [0, 1], [0, 1], [1]), ValueError,
     r"classes \[1\] are listed as both seen and unseen"),
    ("gzsl-no-unseen-class", lambda: M.gzsl_scores([0, 1], [0, 1], [0, 1], []), ValueError,
     r"at least one seen and one unseen class"),
    ("gzsl-no-unseen-sample", lambda: M.gzsl_scores([0, 0], [0, 1], [0], [1]), ValueError,
     r"y_true has no sample of any unseen class"),
    ("gzsl-no-seen-sample", lambda: M.gzsl_scores([1, 1], [0, 1], [0], [1]), ValueError,
     r"y_true has no sample of any seen class"),
    ("gzsl-stray-class", lambda: M.gzsl_scores([0, 1, 2], [0, 1, 2], [0], [1]), ValueError,
     r"classes \[2\] that are neither seen nor unseen"),
    ("gzsl-fraction-class", lambda: M.gzsl_scores([0, 1], [0, 1], [0.5], [1]), TypeError,
     r"seen_classes must hold integer class indices"),
    ("gzsl-string-class", lambda: M.gzsl_scores([0, 1], [0, 1], ["zebra"], [1]), TypeError,
     r"seen_classes must hold integer class indices"),
    ("gzsl-nan-class", lambda: M.gzsl_scores([0, 1], [0, 1], [np.nan], [1]), TypeError,
     r"seen_classes must hold integer class indices"),
    ("gzsl-negative-class", lambda: M.gzsl_scores([0, 1], [0, 1], [-1, 0], [1]), ValueError,
     r"seen_classes has negative labels"),
    ("gzsl-bool-classes", lambda: M.gzsl_scores([0, 1], [0, 1], [True, False], [False, True]), TypeError,
     r"got booleans.*np.flatnonzero"),
    ("gzsl-None", lambda: M.gzsl_scores([0, 1], [0, 1], None, [1]), TypeError,
     r"seen_classes must be a list of integer class ids"),
    ("gzsl-2d", lambda: M.gzsl_scores([0, 1], [0, 1], [[0]], [[1]]), ValueError, r"must be a flat list"),
    ("suc-nan", lambda: M.seen_unseen_curve(_with(SC, 1, 1, np.nan), YT, MASK), ValueError,
     r"scores contains 1 NaN or infinite"),
    ("suc-bool-scores", lambda: M.seen_unseen_curve(SC > 0, YT, MASK), TypeError, r"scores must hold real numbers, got booleans"),
    ("suc-complex", lambda: M.seen_unseen_curve(SC.astype(complex), YT, MASK), TypeError, r"complex"),
    ("suc-int-mask", lambda: M.seen_unseen_curve(SC, YT, [1, 1, 0, 0]), TypeError,
     r"seen_mask must be a boolean array.*dtype=bool"),
    ("suc-mask-length", lambda: M.seen_unseen_curve(SC, YT, MASK[:3]), ValueError, r"seen_mask must have shape \(4,\)"),
    ("suc-label-range", lambda: M.seen_unseen_curve(SC, YT + 1, MASK), ValueError, r"label 4 but there are only 4"),
    ("suc-rows", lambda: M.seen_unseen_curve(SC, YT[:5], MASK), ValueError, r"scores has 6 rows but y_true has 5"),
    ("suc-one-column", lambda: M.seen_unseen_curve(SC[:, :1], np.zeros(6, int), MASK[:1]), ValueError,
     r"at least two candidate classes"),
    ("suc-only-seen-samples", lambda: M.seen_unseen_curve(SC, np.array([0, 1] * 3), MASK), ValueError,
     r"both seen and unseen classes"),
    ("ausuc-all-seen", lambda: M.ausuc(SC, YT, np.ones(4, bool)), ValueError,
     r"at least one seen and one unseen candidate"),
    ("calibrated-gamma-string", lambda: M.calibrated_predict(SC, MASK, "0.5"), TypeError, r"gamma must be a real number"),
    ("calibrated-gamma-None", lambda: M.calibrated_predict(SC, MASK, None), TypeError, r"gamma must be a real number"),
    ("calibrated-gamma-nan", lambda: M.calibrated_predict(SC, MASK, np.nan), ValueError, r"gamma must be a finite"),
    ("kocc-dims", lambda: M.k_occurrence(X, S), ValueError, r"queries have 5 dimensions but targets have 4"),
    ("kocc-k-too-big", lambda: M.k_occurrence(X[:, :4], S, k=5), ValueError, r"k must be an integer in \[1, 3\]"),
    ("kocc-k-float", lambda: M.k_occurrence(X[:, :4], S, k=2.0), ValueError, r"k must be an integer"),
    ("kocc-k-bool", lambda: M.k_occurrence(X[:, :4], S, k=True), ValueError, r"k must be an integer"),
    ("kocc-nan", lambda: M.k_occurrence(_with(X[:, :4], 0, 0, np.inf), S), ValueError, r"queries contains 1 NaN"),
    ("kocc-metric", lambda: M.k_occurrence(X[:, :4], S, k=1, metric="manhattan"), ValueError,
     r"metric must be 'cosine' or 'euclidean'"),
    ("kocc-strings", lambda: M.k_occurrence([["a"]], [["b"]], k=1), TypeError, r"queries must hold numbers"),
    ("skew-2d", lambda: M.hubness_skewness(np.zeros((3, 3))), ValueError, r"n_k must be 1-D with at least 3"),
    ("skew-short", lambda: M.hubness_skewness([1, 2]), ValueError, r"at least 3 counts"),
    ("skew-nan", lambda: M.hubness_skewness([1, 2, np.nan]), ValueError, r"NaN or infinite"),
    ("skew-negative", lambda: M.hubness_skewness([-1, 2, 3]), ValueError, r"negative values"),
    ("skew-strings", lambda: M.hubness_skewness(["a", "b", "c"]), TypeError, r"n_k must hold counts"),
    ("skew-complex", lambda: M.hubness_skewness(np.array([1, 2, 3j])), TypeError, r"n_k must hold counts"),
    ("skew-bool", lambda: M.hubness_skewness([True, False, True]), TypeError, r"n_k must hold counts"),
    ("skew-None", lambda: M.hubness_skewness(None), TypeError, r"n_k must hold counts"),
    ("hm-percent", lambda: M.harmonic_mean(50, 60), ValueError, r"fraction, not a percentage"),
    ("hm-nan", lambda: M.harmonic_mean(np.nan, 0.5), ValueError, r"u must be an accuracy in \[0, 1\]"),
    ("hm-string", lambda: M.harmonic_mean("0.5", 0.5), TypeError, r"u must be an accuracy"),
    ("hm-None", lambda: M.harmonic_mean(0.5, None), TypeError, r"s must be an accuracy"),
    ("hm-array", lambda: M.harmonic_mean(np.array([0.1, 0.2]), 0.5), TypeError, r"u must be an accuracy"),
    ("hm-complex", lambda: M.harmonic_mean(0.5 + 0j, 0.5), TypeError, r"u must be an accuracy"),
    ("hm-bool", lambda: M.harmonic_mean(True, 0.5), TypeError, r"u must be an accuracy"),
]


@pytest.mark.parametrize("case", METRIC_CASES, ids=[c[0] for c in METRIC_CASES])
def test_metrics_reject_bad_input(case):
    _, call, exc, match = case
    with pytest.raises(exc, match=match):
        call()


def test_harmonic_mean_accepts_numpy_scalars():
    assert M.harmonic_mean(np.float32(0.5), np.float64(0.5)) == pytest.approx(0.5)
    assert M.harmonic_mean(np.array(0.25), 1) == pytest.approx(0.4)


# --------------------------------------------------------------------------- calibration and hubness helpers
Q = RNG.normal(size=(8, 3))
T = RNG.normal(size=(4, 3))

HELPER_CASES = [
    ("cs-gamma-string", lambda: CalibratedStacking("a").predict(SC, MASK), ValueError, r"gamma must be a finite number"),
    ("cs-gamma-None", lambda: CalibratedStacking(None).predict(SC, MASK), ValueError, r"gamma must be a finite number"),
    ("cs-fit-nan", lambda: CalibratedStacking().fit(np.full((6, 4), np.nan), YT, MASK), ValueError, r"NaN or infinite"),
    ("cs-fit-int-mask", lambda: CalibratedStacking().fit(SC, YT, [1, 1, 0, 0]), TypeError, r"boolean"),
    ("cs-fit-labels", lambda: CalibratedStacking().fit(SC, YT + 3, MASK), ValueError, r"only 4 classes"),
    ("cs-fit-length", lambda: CalibratedStacking().fit(SC, YT[:3], MASK), ValueError, r"6 rows but y_true has 3"),
    ("cs-fit-complex", lambda: CalibratedStacking().fit(SC.astype(complex), YT, MASK), TypeError, r"complex"),
    ("cs-fit-strings", lambda: CalibratedStacking().fit(SC, YT.astype(str), MASK), TypeError, r"integer class indices"),
    ("cs-fit-one-class", lambda: CalibratedStacking().fit(SC[:, :1], np.zeros(6, int), MASK[:1]), ValueError,
     r"at least two candidate"),
    ("cs-evaluate-no-unseen", lambda: CalibratedStacking().evaluate(SC, np.array([0, 1] * 3), MASK), ValueError,
     r"no sample of any unseen class"),
    ("cs-evaluate-all-seen", lambda: CalibratedStacking().evaluate(SC, YT, np.ones(4, bool)), ValueError,
     r"at least one seen and one unseen"),
    ("csls-dims", lambda: csls_scores(Q, T[:, :2]), ValueError, r"queries have 3 dimensions but targets have 2"),
    ("csls-k-big", lambda: csls_scores(Q, T, k=5), ValueError, r"k must be an integer in \[1, 4\]"),
    ("csls-k-zero", lambda: csls_scores(Q, T, k=0), ValueError, r"k must be an integer"),
    ("csls-k-bool", lambda: csls_scores(Q, T, k=True), ValueError, r"k must be an integer"),
    ("csls-nan", lambda: csls_scores(_with(Q, 0, 0, np.nan), T, k=2), ValueError, r"queries contains 1 NaN"),
    ("csls-strings", lambda: csls_scores(Q.astype(str), T, k=2), TypeError, r"queries must hold numbers"),
    ("csls-complex", lambda: csls_scores(Q, T.astype(complex), k=2), TypeError, r"targets holds complex"),
    ("csls-empty", lambda: csls_scores(np.zeros((0, 3)), T, k=1), ValueError, r"queries is empty"),
    ("center-dims", lambda: center(Q, T[:, :2]), ValueError, r"queries have 3 dimensions but targets have 2"),
    ("center-mean-length", lambda: center(Q, T, query_mean=[1, 2]), ValueError, r"query_mean must be a vector of length 3"),
    ("center-mean-nan", lambda: center(Q, T, query_mean=[1, 2, np.nan]), ValueError, r"query_mean contains 1 NaN"),
    ("center-mean-strings", lambda: center(Q, T, target_mean=["a", "b", "c"]), TypeError, r"target_mean must hold numbers"),
    ("center-nan", lambda: center(np.full((8, 3), np.inf), T), ValueError, r"queries contains 24 NaN or infinite"),
    ("center-complex", lambda: center(Q.astype(complex), T), TypeError, r"queries holds complex"),
    ("center-object", lambda: center(Q.astype(object), T), TypeError, r"dtype object"),
    ("kofs-k", lambda: k_occurrence_from_scores(SC, k=5), ValueError, r"k must be an integer in \[1, 4\]"),
    ("kofs-bool", lambda: k_occurrence_from_scores(SC > 0, k=1), TypeError, r"got booleans"),
]


@pytest.mark.parametrize("case", HELPER_CASES, ids=[c[0] for c in HELPER_CASES])
def test_calibration_and_hubness_helpers_reject_bad_input(case):
    _, call, exc, match = case
    with pytest.raises(exc, match=match):
        call()


# --------------------------------------------------------------------------- ZSLDataset and make_split
DY = np.arange(40) % 5
DX = RNG.normal(size=(40, 5))
DS = RNG.random((5, 4)) + 0.1
SPLIT = make_split(DY, [4], val=[3])
NAMES = list("abcde")


def _ds(X=DX, y=DY, names=NAMES, S=DS, splits=SPLIT, **kw):
    return ZSLDataset(X, y, names, S, splits, name="toy", **kw)


DATASET_CASES = [
    ("seen-unseen-overlap", lambda: _ds(splits={**SPLIT, "test_unseen": np.flatnonzero(np.isin(DY, [3, 4]))}),
     ValueError, r"class\(es\) \['d'\] appear in both trainval \(seen\) and test_unseen"),
    ("train-val-overlap", lambda: _ds(splits={**SPLIT, "val": SPLIT["trainval"]}), ValueError,
     r"train and val share class\(es\)"),
    ("test-seen-sample-trained", lambda: _ds(splits={**SPLIT, "test_seen": SPLIT["trainval"][:3]}), ValueError,
     r"3 sample\(s\) are in both trainval and test_seen"),
    ("y-strings", lambda: _ds(y=DY.astype(str)), ValueError, r"y must hold integer class indices"),
    ("y-float", lambda: _ds(y=DY.astype(float)), ValueError, r"y must hold integer class indices"),
    ("y-bool", lambda: _ds(y=DY > 2), ValueError, r"y must hold integer class indices, got dtype bool"),
    ("y-range", lambda: _ds(y=DY + 1), ValueError, r"labels must lie in \[0, 4\], found range \[1, 5\]"),
    ("y-length", lambda: _ds(X=DX[:-1]), ValueError, r"y has shape \(40,\), but X has 39 samples"),
    ("X-nan", lambda: _ds(X=_with(DX, 7, 0, np.nan)), ValueError, r"X has NaN or inf in 1 sample\(s\), first at index \[7\]"),
    ("X-strings", lambda: _ds(X=DX.astype(str)), TypeError, r"X must hold real numbers, got dtype <U"),
    ("X-object", lambda: _ds(X=DX.astype(object)), TypeError, r"X must hold real numbers, got dtype object"),
    ("X-complex", lambda: _ds(X=DX.astype(complex)), TypeError, r"X must hold real numbers, got dtype complex"),
    ("X-1d", lambda: _ds(X=DX[:, 0]), ValueError, r"X must be at least 2-D"),
    ("X-empty", lambda: _ds(X=np.zeros((0, 5)), y=np.zeros(0, int), splits={k: [] for k in SPLIT}), ValueError,
     r"X is empty"),
    ("S-nan", lambda: _ds(S=_with(DS, 2, 0, np.nan)), ValueError, r"S has NaN or inf for classes \['c'\]"),
    ("S-strings", lambda: _ds(S=DS.astype(str)), TypeError, r"S must hold real numbers, got dtype <U"),
    ("S-object", lambda: _ds(S=DS.astype(object)), TypeError, r"S must hold real numbers, got dtype object"),
    ("S-complex", lambda: _ds(S=DS.astype(complex)), TypeError, r"S must hold real numbers, got dtype complex"),
    ("S-zero-row", lambda: _ds(S=np.vstack([DS[:4], np.zeros(4)])), ValueError,
     r"class\(es\) \['e'\] have an all-zero auxiliary vector"),
    ("S-rows", lambda: _ds(S=DS[:4]), ValueError, r"S has 4 rows but there are 5 class names"),
    ("S-1d", lambda: _ds(S=DS[:, 0]), ValueError, r"S must be 2-D"),
    ("names-duplicate", lambda: _ds(names=list("aacde")), ValueError, r"duplicate class names \['a'\]"),
    ("names-string", lambda: _ds(names="abcde"), TypeError, r"class_names must be a list of names"),
    ("names-None", lambda: _ds(names=None), TypeError, r"class_names must be a list of names"),
    ("splits-not-a-dict", lambda: _ds(splits=[SPLIT["trainval"]]), TypeError, r"splits must be a dict"),
    ("split-missing", lambda: _ds(splits={k: v for k, v in SPLIT.items() if k != "val"}), ValueError,
     r"splits is missing \['val'\]"),
    ("split-bool-mask", lambda: _ds(splits={**SPLIT, "test_unseen": DY == 4}), ValueError,
     r"split 'test_unseen' must be a 1-D array of integer sample indices"),
    ("split-range", lambda: _ds(splits={**SPLIT, "val": SPLIT["val"] + 100}), ValueError,
     r"split 'val' has indices outside \[0, 39\]"),
    ("split-duplicates", lambda: _ds(splits={**SPLIT, "val": np.r_[SPLIT["val"], SPLIT["val"][:1]]}), ValueError,
     r"split 'val' lists some samples twice"),
    ("trainval-empty", lambda: _ds(splits={**SPLIT, "trainval": np.array([], int)}), ValueError,
     r"split 'trainval' is empty"),
    ("no-unseen", lambda: _ds(splits={**SPLIT, "test_unseen": np.array([], int)}), ValueError,
     r"split 'test_unseen' is empty"),
    ("aux-names", lambda: _ds(aux_names=["a"]), ValueError, r"1 aux_names for 4 columns of S"),
    ("split-val-unseen-overlap", lambda: make_split(DY, [4], val=[4]), ValueError,
     r"val classes must be seen classes, but \[4\] are unseen"),
    ("split-val-absent", lambda: make_split(DY, [4], val=[7]), ValueError, r"\[7\] have no samples in y"),
    ("split-val-all-seen", lambda: make_split(DY, [4], val=[0, 1, 2, 3]), ValueError, r"leave at least one seen class"),
    ("split-unseen-fraction", lambda: make_split(DY, [3.5]), TypeError, r"unseen must hold integer class indices"),
    ("split-val-fraction", lambda: make_split(DY, [4], val=[2.5]), TypeError, r"val must hold integer class indices"),
    ("split-unseen-string", lambda: make_split(DY, ["zebra"]), TypeError, r"unseen must hold integer class indices"),
    ("split-unseen-nan", lambda: make_split(DY, [np.nan]), TypeError, r"unseen must hold integer class indices"),
    ("split-unseen-None", lambda: make_split(DY, None), TypeError, r"unseen must be a list of integer class ids"),
    ("split-unseen-negative", lambda: make_split(DY, [-1]), ValueError, r"unseen has negative labels"),
    ("split-unseen-absent", lambda: make_split(DY, [9]), ValueError, r"unseen classes \[9\] have no samples"),
    ("split-unseen-empty", lambda: make_split(DY, []), ValueError, r"choose at least one unseen class"),
    ("split-all-unseen", lambda: make_split(DY, [0, 1, 2, 3, 4]), ValueError, r"at least two seen classes"),
    ("split-single-class", lambda: make_split(np.zeros(10, int), [0]), ValueError, r"at least two seen classes"),
    ("split-y-strings", lambda: make_split(DY.astype(str), [4]), ValueError,
     r"y must be a 1-D array of integer labels, got dtype <U"),
    ("split-y-float", lambda: make_split(DY.astype(float), [4]), ValueError, r"integer labels, got dtype float64"),
    ("split-y-bool", lambda: make_split(DY > 2, [1]), ValueError, r"integer labels, got dtype bool"),
    ("split-y-2d", lambda: make_split(DY[:, None], [4]), ValueError, r"shape \(40, 1\)"),
    ("split-y-negative", lambda: make_split(DY - 1, [3]), ValueError, r"y has negative labels"),
    ("split-y-empty", lambda: make_split(np.zeros(0, int), [3]), ValueError, r"y is empty"),
    ("split-fraction-range", lambda: make_split(DY, [4], test_seen_fraction=1.5), ValueError,
     r"test_seen_fraction must be in \(0, 1\)"),
    ("split-fraction-string", lambda: make_split(DY, [4], test_seen_fraction="0.2"), TypeError,
     r"test_seen_fraction must be a real number"),
    ("split-n_val-range", lambda: make_split(DY, [4], n_val=10), ValueError, r"n_val must be between 1 and 3"),
    ("split-n_val-float", lambda: make_split(DY, [4], n_val=1.5), TypeError, r"n_val must be an integer"),
    ("split-seed-negative", lambda: make_split(DY, [4], seed=-1), ValueError, r"seed must be an integer in \[0, 4294967295\]"),
    ("split-seed-string", lambda: make_split(DY, [4], seed="0"), TypeError, r"seed must be an integer"),
    ("split-tiny-class", lambda: make_split(np.r_[DY[:5], 0], [4]), ValueError,
     r"class 1 has too few samples \(1\) to hold some back"),
]


@pytest.mark.parametrize("case", DATASET_CASES, ids=[c[0] for c in DATASET_CASES])
def test_dataset_and_split_reject_bad_input(case):
    _, call, exc, match = case
    with pytest.raises(exc, match=match):
        call()


def test_make_split_accepts_one_unseen_class_as_a_number_and_duplicates():
    a, b, c = make_split(DY, 4, val=[3]), make_split(DY, [4, 4], val=[3]), make_split(DY, np.array([4.0]), val=[3])
    for other in (b, c):
        for k in a:
            np.testing.assert_array_equal(a[k], other[k])


# --------------------------------------------------------------------------- property-based
def _arrays():
    """Small 2-D arrays of one of several dtypes and shapes (empty ones too), valid or not, NaN/inf included."""
    shapes = st.tuples(st.integers(0, 6), st.integers(0, 4))
    return st.one_of(
        hnp.arrays(np.float64, shapes,
                   elements=st.one_of(st.floats(-1e4, 1e4), st.sampled_from([np.nan, np.inf, -np.inf]))),
        hnp.arrays(np.float64, shapes, elements=st.floats(-10, 10)),
        hnp.arrays(np.int64, shapes, elements=st.integers(-3, 3)),
        hnp.arrays(np.bool_, shapes),
        hnp.arrays(np.complex128, shapes, elements=st.complex_numbers(max_magnitude=5, allow_nan=False)),
        hnp.arrays("U2", shapes),
    )


@PROPS
@given(Xr=_arrays(), Sr=_arrays(),
       yr=hnp.arrays(np.int64, st.integers(0, 7), elements=st.integers(-1, 4)),
       which=st.sampled_from(list(CLOSED_FORM)))
def test_fit_on_random_input_either_works_or_raises_the_documented_error(Xr, Sr, yr, which):
    """Random shapes, dtypes and labels: a model whose scores have the right shape, or ValueError/TypeError."""
    try:
        model = CLOSED_FORM[which]().fit(Xr, yr, Sr)
    except ERRORS:
        return
    # It fitted, so the inputs were valid: check what validity means.
    Xf, Sf = np.asarray(Xr, float), np.asarray(Sr, float)
    assert len(Xf) == len(yr) > 0 and np.isfinite(Xf).all() and np.isfinite(Sf).all()
    assert set(np.unique(yr)) == set(range(len(Sf))) and len(Sf) >= 2
    assert np.all(np.any(Sf != 0, axis=1))
    scores = model.decision_function(Xr, Sr)
    assert scores.shape == (len(Xf), len(Sf)) and np.isfinite(scores).all()
    pred = model.predict(Xr, Sr)
    np.testing.assert_array_equal(pred, np.argmax(scores, axis=1))
    assert 0.0 <= model.score(Xr, yr, Sr) <= 1.0


@PROPS
@given(y_true=hnp.arrays(np.int64, st.integers(0, 12), elements=st.integers(-1, 5)),
       y_pred=hnp.arrays(np.int64, st.integers(0, 12), elements=st.integers(-1, 5)),
       seen=st.lists(st.integers(-1, 5), max_size=4), unseen=st.lists(st.integers(-1, 5), max_size=4))
def test_gzsl_scores_on_random_labels(y_true, y_pred, seen, unseen):
    """u and s equal per-class accuracy on the unseen / seen samples, and H their harmonic mean, or a clear error."""
    try:
        res = M.gzsl_scores(y_true, y_pred, seen, unseen)
    except ERRORS:
        return
    is_u = np.isin(y_true, unseen)
    exp_u = np.mean([np.mean(y_pred[y_true == c] == c) for c in np.unique(y_true[is_u])])
    exp_s = np.mean([np.mean(y_pred[y_true == c] == c) for c in np.unique(y_true[~is_u])])
    assert res.u == pytest.approx(exp_u) and res.s == pytest.approx(exp_s)
    assert res.h == pytest.approx(0.0 if exp_u + exp_s == 0 else 2 * exp_u * exp_s / (exp_u + exp_s))
    assert not set(seen) & set(unseen)


@PROPS
@given(scores=hnp.arrays(np.float64, st.tuples(st.integers(1, 10), st.integers(1, 5)),
                         elements=st.integers(-12, 12).map(lambda v: v / 4)),
       rnd=st.randoms(use_true_random=False), n_seen=st.integers(0, 5))
def test_seen_unseen_curve_matches_calibrated_predictions(scores, rnd, n_seen):
    """Every point of the exact curve is what calibrated stacking scores with a gamma inside its interval.

    Scores are multiples of 1/4 so that every difference and midpoint is exact in floating point: with
    arbitrary decimals two deltas can differ by one ulp (1.9 - 1.1 vs 0.7 - (-0.1)), and no gamma
    between them is resolved the same way by ``scores - gamma`` and by ``delta > gamma``.
    """
    n, c = scores.shape
    mask = np.arange(c) < n_seen
    y = np.array([rnd.randrange(c) for _ in range(n)])
    try:
        curve = M.seen_unseen_curve(scores, y, mask)
    except ERRORS:
        assert c < 2 or mask.all() or not mask.any() or mask[y].all() or not mask[y].any()
        return
    g = curve.gammas
    for i in range(len(g)):
        gamma = (g[i] + g[i + 1]) / 2 if i + 1 < len(g) else g[i] + 1.0
        pred = M.calibrated_predict(scores, mask, gamma)
        res = M.gzsl_scores(y, pred, np.flatnonzero(mask), np.flatnonzero(~mask))
        assert res.u == pytest.approx(curve.unseen[i]) and res.s == pytest.approx(curve.seen[i])
    assert -1e-12 <= curve.auc <= 1 + 1e-12


@PROPS
@given(u=st.one_of(st.floats(allow_nan=True), st.integers(-2, 200), st.none(), st.text(max_size=3), st.booleans()),
       s=st.floats(0, 1))
def test_harmonic_mean_on_arbitrary_values(u, s):
    try:
        h = M.harmonic_mean(u, s)
    except ERRORS as exc:
        assert "u must be an accuracy in [0, 1]" in str(exc)
        return
    assert isinstance(u, (int, float)) and not isinstance(u, bool) and 0 <= u <= 1
    assert min(u, s) - 1e-12 <= h <= max(u, s) + 1e-12


@PROPS
@given(q=hnp.arrays(np.float64, st.tuples(st.integers(1, 8), st.just(3)), elements=st.floats(-5, 5)),
       t=hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.just(3)), elements=st.floats(-5, 5)),
       k=st.one_of(st.integers(-1, 7), st.floats(0, 3), st.booleans()))
def test_k_occurrence_counts_add_up_or_raise(q, t, k):
    """N_k (here from CSLS scores) sums to k per query, since each query names k targets, or k is refused."""
    scores = csls_scores(q, t, k=min(len(q), len(t)))
    assert scores.shape == (len(q), len(t))
    try:
        nk = k_occurrence_from_scores(scores, k=k)
    except ERRORS as exc:
        assert "k must be an integer" in str(exc) or "at least two candidate classes" in str(exc)
        return
    assert nk.sum() == k * len(q) and len(nk) == len(t)
    if len(nk) >= 3:
        assert np.isfinite(M.hubness_skewness(nk))


@PROPS
@given(y=hnp.arrays(np.int64, st.integers(1, 40), elements=st.integers(0, 6)),
       unseen=st.lists(st.integers(-1, 7), min_size=0, max_size=3),
       seed=st.integers(0, 3))
def test_make_split_and_dataset_are_leak_free_or_refused(y, unseen, seed):
    """Any split that make_split builds gives a dataset that passes every leakage check."""
    try:
        splits = make_split(y, unseen, seed=seed)
    except ERRORS:
        return
    names = [f"c{i}" for i in range(int(y.max()) + 1)]
    S = np.eye(len(names)) + 0.1
    ds = ZSLDataset(np.arange(len(y), dtype=float)[:, None], y, names, S, splits)
    assert all(ok for _, ok in ds.leakage_report())
    assert set(ds.unseen_classes) == set(unseen)


# --------------------------------------------------------------------------- a dependency that is too old
@pytest.fixture
def old(monkeypatch):
    """Pretend the named distributions are installed at version 1.0.0 (everything else as it is)."""
    from zsl_tutorial import _deps

    real = _deps._installed_version
    fake: dict[str, str | None] = {}
    monkeypatch.setattr(_deps, "_installed_version", lambda dist: fake[dist] if dist in fake else real(dist))
    monkeypatch.setattr(_deps, "_CHECKED", set())  # forget what this process already checked
    return fake


def _drift_calls():
    from zsl_tutorial import _deps, plots, text

    return {
        "torch": lambda: DeepEncoder(epochs=1, progress=False).fit(X, Y, S),
        "scikit-learn": lambda: AttributeRegressor().fit(X, Y, S),
        "scipy": lambda: SAE().fit(X, Y, S),
        "matplotlib": lambda: plots.heatmap(np.eye(2), ["a", "b"], ["c", "d"]),
        "sentence-transformers": lambda: text.load_sentence_model("no/such-model", verbose=False),
        "transformers": lambda: _deps.require("transformers.pipelines"),  # what zero_shot_text needs first
    }


@pytest.mark.parametrize("dist", ["torch", "scikit-learn", "scipy", "matplotlib", "sentence-transformers",
                                  "transformers"])
def test_too_old_dependency_names_package_versions_and_fix(old, dist):
    from zsl_tutorial._deps import DependencyError
    from zsl_tutorial.env import MIN_VERSIONS

    old[dist] = "1.0.0"
    need = MIN_VERSIONS[dist]
    with pytest.raises(DependencyError) as err:
        _drift_calls()[dist]()
    msg = str(err.value)
    assert isinstance(err.value, ImportError)  # code that falls back on ImportError keeps working
    assert f"{dist} 1.0.0 is too old for zsl_tutorial: it needs {dist} >= {need}" in msg
    assert f'pip install -U "{dist}>={need}"' in msg and "bash scripts/setup.sh" in msg


def test_raised_minimum_is_checked_against_the_real_installed_version(monkeypatch):
    from zsl_tutorial import _deps, env

    monkeypatch.setattr(_deps, "_CHECKED", set())
    monkeypatch.setitem(env.MIN_VERSIONS, "torch", "999.0")
    have = _deps._installed_version("torch")
    with pytest.raises(ImportError, match=rf'torch {have} is too old .* needs torch >= 999\.0[\s\S]*"torch>=999\.0"'):
        _deps.require("torch.nn")


def test_missing_dependency_is_named():
    from zsl_tutorial import _deps

    with pytest.raises(ImportError, match=r"^surely_not_a_package_zsl is not installed, and zsl_tutorial needs it"
                                          r"[\s\S]*pip install -U \"surely_not_a_package_zsl\""):
        _deps.require("surely_not_a_package_zsl.sub")


def test_recent_versions_with_local_labels_pass_and_are_checked_once(old, monkeypatch):
    from zsl_tutorial import _deps

    old["torch"] = "2.9.0+cpu"
    calls = []
    inner = _deps._installed_version
    monkeypatch.setattr(_deps, "_installed_version", lambda dist: calls.append(dist) or inner(dist))
    torch = _deps.require("torch")
    assert _deps.require("torch.nn.functional").__name__ == "torch.nn.functional"
    assert torch.__name__ == "torch" and calls == ["torch"]  # the second call is a set lookup


def test_a_dev_build_with_an_odd_version_string_is_not_blocked(old):
    from zsl_tutorial import _deps

    old["torch"] = "not-a-version"
    assert _deps.require("torch").__name__ == "torch"


# --------------------------------------------------------------------------- poisoned caches
# tests/test_download.py and tests/test_animals.py cover checksums, retries, truncated transfers,
# offline errors, zip-slip and malicious pickles inside the Animal-MNIST wheel. The gap filled here:
# a cache file (.npz) replaced by one whose arrays are pickles that run code when loaded.
class _Payload:
    def __init__(self, target):
        self.target = str(target)

    def __reduce__(self):
        import os

        return (os.system, (f"echo pwned > {self.target}",))


def _poisoned_npz(path, target, **arrays):
    evil = np.empty(1, dtype=object)
    evil[0] = _Payload(target)
    with open(path, "wb") as fh:
        np.savez(fh, **{k: evil for k in arrays})
    assert b"system" in path.read_bytes()  # it really asks for os.system (np.savez stores, uncompressed)


def test_poisoned_animal_mnist_cache_is_refused_deleted_and_rebuilt(tmp_path, monkeypatch, capsys):
    from zsl_tutorial.data import animals

    target = tmp_path / "pwned"
    cache = tmp_path / animals._CACHE_NAME
    _poisoned_npz(cache, target, images=None, labels=None)

    def stop(*args, **kwargs):
        raise RuntimeError("rebuild requested")  # the refetch itself is tested in test_animals.py

    monkeypatch.setattr(animals, "fetch_animal_mnist", stop)
    with pytest.raises(RuntimeError, match="rebuild requested"):
        animals._load_images(tmp_path, verbose=True)
    assert "is damaged; rebuilding it" in capsys.readouterr().out
    assert not target.exists(), "the poisoned cache ran code"
    assert not cache.exists()


def test_poisoned_feature_cache_is_ignored_without_running_it(tmp_path):
    from zsl_tutorial import encoders

    target = tmp_path / "pwned"
    path = tmp_path / "animal_cnn_x.npz"
    _poisoned_npz(path, target, features=None, classes=None, loss_history=None)
    arrays, why = encoders._read_cache(path, 1, 64)
    assert arrays is None and "has no record of it" in why
    (tmp_path / "manifest.json").write_text('{"animal_cnn_x.npz": {"sha256": "0", "names": '
                                            '["features", "classes", "loss_history"]}}')
    arrays, why = encoders._read_cache(path, 1, 64)  # even when the manifest names it: never unpickled
    assert arrays is None and "Python objects (a pickle); refused" in why
    assert not target.exists(), "the poisoned cache ran code"


@pytest.mark.parametrize("call, exc, match", [
    (lambda ds: ds.view("test_unseen", candidates=[4.5]), TypeError, r"candidates must hold integer class indices"),
    (lambda ds: ds.view("test_unseen", candidates=[7]), ValueError, r"candidates has label 7 but there are only 5"),
    (lambda ds: ds.view("test_unseen", candidates=[4, 4]), ValueError, r"candidates lists some class twice"),
    (lambda ds: ds.view("test_seen", candidates=[0, 1]), ValueError,
     r"split 'test_seen' has samples of \['c', 'd'\], which are not among the candidates"),
    (lambda ds: ds.view("test_unseen", candidates="e"), TypeError, r"candidates must be a list of class ids"),
    (lambda ds: ds.view("nope"), ValueError, r"unknown split 'nope'"),
    (lambda ds: ds.zsl_view("trainval"), ValueError, r"zsl_view takes 'test_unseen'"),
    (lambda ds: ds.gzsl_validation(holdout="0.2"), TypeError, r"holdout must be a real number"),
    (lambda ds: ds.gzsl_validation(holdout=1.5), ValueError, r"holdout must be in \(0, 1\)"),
    (lambda ds: ds.gzsl_validation(seed=-1), ValueError, r"seed must be an integer in \[0, 4294967295\]"),
], ids=["fraction", "range", "duplicate", "missing-class", "string", "split-name", "zsl-split", "holdout-type",
        "holdout-range", "seed"])
def test_dataset_views_reject_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call(_ds())


def test_view_keeps_the_candidate_order():
    v = _ds().view("test_unseen", candidates=[4, 0])
    np.testing.assert_array_equal(v.classes, [4, 0])
    assert set(v.y) == {0} and v.class_names == ["e", "a"]


def test_check_requirements_takes_one_name_as_a_string(monkeypatch):
    from zsl_tutorial import env

    assert env.check_requirements("numpy", raise_error=False) == []
    monkeypatch.setitem(env.MIN_VERSIONS, "numpy", "999.0")
    (problem,) = env.check_requirements("numpy", raise_error=False)
    assert problem.startswith("numpy ") and "too old (need >= 999.0)" in problem


# ---------------------------------------------------------------- #14: extreme values, labels, seeds, wrong types
def test_extreme_but_finite_features_are_refused_with_the_fix():
    from zsl_tutorial.methods import ESZSL

    X, y, S = np.ones((6, 3)), np.array([0, 0, 1, 1, 2, 2]), np.eye(3)
    X[2, 1] = 1e200
    with pytest.raises(ValueError, match=r"X holds values as large as 1e\+200; .* Scale it first"):
        ESZSL().fit(X, y, S)
    ESZSL().fit(X.clip(max=1e6), y, S)  # large but sane values still work


def test_unsigned_labels_too_large_for_int64_are_not_called_negative():
    from zsl_tutorial._validation import check_labels

    with pytest.raises(ValueError, match="beyond any possible number of classes"):
        check_labels(np.array([0, 2**64 - 1], dtype=np.uint64))
    assert check_labels(np.array([0, 3], dtype=np.uint64)).tolist() == [0, 3]


def test_per_class_accuracy_with_huge_label_ids_needs_no_huge_memory():
    from zsl_tutorial.metrics import per_class_accuracy

    y = np.array([0, 10**12, 10**12, 5])
    assert per_class_accuracy(y, np.array([0, 10**12, 1, 5])) == pytest.approx((1 + 0.5 + 1) / 3)
    assert per_class_accuracy(y, y, classes=[10**12]) == 1.0
    with pytest.raises(ValueError, match=r"class\(es\) \[7\] have no samples"):
        per_class_accuracy(y, y, classes=[7, 5])


@pytest.mark.parametrize("seed", [2**70, 2**32, -1])
def test_a_seed_out_of_range_is_a_clear_error(seed):
    from zsl_tutorial.methods import DeepEncoder

    with pytest.raises(ValueError, match=r"seed must be an integer in \[0, 4294967295\]"):
        DeepEncoder(seed=seed).fit(np.ones((4, 2)), np.array([0, 0, 1, 1]), np.eye(2))


@pytest.mark.parametrize("bad", [(np.ones((2, 2)), np.array([0, 1]), np.eye(2)), "AWA2", None])
def test_evaluate_refuses_what_is_not_a_dataset(bad):
    from zsl_tutorial.evaluation import evaluate
    from zsl_tutorial.methods import ESZSL

    with pytest.raises(TypeError, match="ds must be a ZSLDataset"):
        evaluate(ESZSL(), bad)


def test_evaluate_refuses_a_view_with_the_fix():
    from zsl_tutorial.data import make_synthetic
    from zsl_tutorial.evaluation import evaluate
    from zsl_tutorial.methods import ESZSL

    with pytest.raises(TypeError, match="got View; build one from arrays"):
        evaluate(ESZSL(), make_synthetic(seed=0, n_per_class=5).train_view())


def _synthetic_with(**splits):
    """make_synthetic's data with some splits replaced (a degenerate data set)."""
    from zsl_tutorial.data import make_synthetic

    ds = make_synthetic(seed=0, n_per_class=10)
    return ZSLDataset(ds.X, ds.y, ds.class_names, ds.S, {**ds.splits, **splits}, name="degenerate")


def test_an_empty_class_list_is_named_as_such():
    X = np.ones((4, 2))
    with pytest.raises(ValueError, match="class_names is empty"):
        ZSLDataset(X, np.zeros(4, int), [], np.zeros((0, 3)), {s: np.arange(4) for s in
                                                                ("trainval", "train", "val", "test_seen", "test_unseen")})


def test_empty_tuning_splits_are_named_with_the_fix_wherever_they_are_needed():
    from zsl_tutorial.evaluation import evaluate
    from zsl_tutorial.methods import ESZSL, ESZSLCV

    empty = np.array([], dtype=np.int64)
    ds = _synthetic_with(train=empty, val=empty)  # a legal data set: it just cannot be tuned on
    for call in (lambda: evaluate(ESZSL(), ds), lambda: evaluate(ESZSLCV(), ds), lambda: ds.gzsl_validation()):
        with pytest.raises(ValueError, match=r"\['train', 'val'\] are empty.*make_split"):
            call()
    with pytest.raises(ValueError, match=r"split 'val' is empty, so it has no view.*make_split"):
        ds.zsl_view("val")
    assert ds.zsl_view().X.shape[0] > 0  # the rest of the data set still works


def test_a_single_validation_class_gets_a_fix_for_a_zsl_search():
    from zsl_tutorial.evaluation import evaluate
    from zsl_tutorial.methods import ESZSLCV

    from zsl_tutorial.data import make_synthetic

    ds = make_synthetic(seed=0, n_per_class=10)
    val = ds.splits["val"]
    one = val[ds.y[val] == ds.classes_in("val")[0]]
    single = ZSLDataset(ds.X, ds.y, ds.class_names, ds.S, {**ds.splits, "val": one}, name="one-val")
    with pytest.raises(ValueError, match=r"holds 1 class.*Hold out more validation classes"):
        evaluate(ESZSLCV(), single)


def test_a_single_unseen_class_is_refused_by_evaluate_as_score_refuses_it():
    from zsl_tutorial.evaluation import evaluate
    from zsl_tutorial.methods import ESZSL

    from zsl_tutorial.data import make_synthetic

    ds = make_synthetic(seed=0, n_per_class=10)
    tu = ds.splits["test_unseen"]
    single = ZSLDataset(ds.X, ds.y, ds.class_names, ds.S,
                        {**ds.splits, "test_unseen": tu[ds.y[tu] == ds.unseen_classes[0]]}, name="one-unseen")
    z = single.zsl_view()
    model = ESZSL().fit(*single.train_view()[:3])
    with pytest.raises(ValueError, match="at least 2"):
        model.score(z.X, z.y, z.S)
    with pytest.raises(ValueError, match=r"1 unseen class.*ZSL top-1 = 1\.0.*at least 2 classes"):
        evaluate(ESZSL(), single)


def _raised_inside_the_package(exc: BaseException) -> bool:
    """Whether the innermost frame of ``exc`` is the package's own code (a check), not numpy's or torch's."""
    tb = exc.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    return "zsl_tutorial" in tb.tb_frame.f_code.co_filename


@settings(max_examples=100, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(n_train=st.sampled_from([3, 2, 4, 3, 1, 0]), n_val=st.sampled_from([2, 3, 2, 1, 0]),
       n_unseen=st.sampled_from([2, 3, 2, 1, 0]), sizes=st.lists(st.sampled_from([5, 4, 5, 1]), min_size=1, max_size=4),
       d=st.integers(1, 4), scale=st.sampled_from([1.0, 1.0, 1e-150, 1e30, 1e99, 1e101, 1e200]),
       which=st.sampled_from(["ESZSL", "ESZSLCV", "AttributeRegressor", "SAE-semantic"]), seed=st.integers(0, 3))
def test_evaluate_on_random_small_data_sets_gives_a_result_or_a_clear_error(n_train, n_val, n_unseen, sizes, d, scale,
                                                                             which, seed):
    """Degenerate and extreme data sets through the whole protocol: a finite Result, or a ValueError
    raised by one of the package's own checks (never from deep inside numpy), and never NaN."""
    from zsl_tutorial.evaluation import evaluate
    from zsl_tutorial.methods import ESZSLCV

    rng = np.random.default_rng(seed)
    n_classes = n_train + n_val + n_unseen
    per_class = [sizes[c % len(sizes)] for c in range(n_classes)]
    y = np.repeat(np.arange(n_classes), per_class)
    X = rng.normal(size=(len(y), d)) * scale
    S = rng.uniform(0.1, 1.0, size=(n_classes, 3))
    model = ESZSLCV() if which == "ESZSLCV" else CLOSED_FORM[which]()
    unseen = list(range(n_train + n_val, n_classes))
    try:
        splits = make_split(y, unseen, val=list(range(n_train, n_train + n_val)), seed=seed)
        ds = ZSLDataset(X, y, [f"c{i}" for i in range(n_classes)], S, splits)
        result = evaluate(model, ds, seed=seed)
    except ERRORS as exc:
        assert _raised_inside_the_package(exc), f"{type(exc).__name__} from deep inside: {exc}"
        event(f"refused: {str(exc).split(';')[0][:60]}")  # --hypothesis-show-statistics lists what was tried
        return
    event("a result")
    numbers = [result.zsl, result.u, result.s, result.h, result.u_cal, result.s_cal, result.h_cal, result.ausuc]
    assert all(np.isfinite(v) and 0.0 <= v <= 1.0 for v in numbers), numbers
    assert abs(scale) <= 1e100 and len(unseen) >= 2
