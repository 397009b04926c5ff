"""Tests of zsl_tutorial.metrics.

Hand-computed cases, invariances, error messages, and a brute-force check of
the exact seen-unseen curve against calibrated_predict on a dense gamma grid.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from zsl_tutorial.metrics import (
    GZSLScore,
    ausuc,
    calibrated_predict,
    gzsl_scores,
    harmonic_mean,
    hubness_skewness,
    k_occurrence,
    per_class_accuracy,
    per_sample_accuracy,
    seen_unseen_curve,
)

# No example database: tests must not write into the repository.
FAST = settings(max_examples=60, deadline=None, database=None)


# --------------------------------------------------------------------------- per-class accuracy
def test_per_class_accuracy_hand_case():
    # class 0: 3 of 4 right; class 1: 1 of 2 right; class 2: 0 of 1 right.
    y_true = [0, 0, 0, 0, 1, 1, 2]
    y_pred = [0, 0, 0, 1, 1, 0, 0]
    assert per_class_accuracy(y_true, y_pred) == pytest.approx((3 / 4 + 1 / 2 + 0) / 3)
    assert per_sample_accuracy(y_true, y_pred) == pytest.approx(4 / 7)


def test_per_class_accuracy_predictions_outside_true_classes_count_as_wrong():
    # Predicting a class that never occurs in y_true (e.g. a seen class in ZSL) is just wrong.
    assert per_class_accuracy([0, 0, 1, 1], [7, 0, 1, 9]) == pytest.approx(0.5)


def test_per_class_accuracy_is_invariant_to_class_imbalance():
    y_true = np.array([0, 0, 1, 1, 1, 2, 2])
    y_pred = np.array([0, 1, 1, 1, 0, 2, 0])
    base_pc = per_class_accuracy(y_true, y_pred)
    base_ps = per_sample_accuracy(y_true, y_pred)
    # Duplicate every sample of class 1 (accuracy 2/3) nine times over.
    rows = np.flatnonzero(y_true == 1)
    y_true_big = np.concatenate([y_true] + [y_true[rows]] * 9)
    y_pred_big = np.concatenate([y_pred] + [y_pred[rows]] * 9)
    assert per_class_accuracy(y_true_big, y_pred_big) == pytest.approx(base_pc)
    assert per_sample_accuracy(y_true_big, y_pred_big) != pytest.approx(base_ps)
    # Per-sample accuracy is pulled towards the duplicated class's accuracy.
    assert abs(per_sample_accuracy(y_true_big, y_pred_big) - 2 / 3) < abs(base_ps - 2 / 3)


def test_per_class_accuracy_classes_restricts_the_average():
    y_true = [0, 0, 1, 1, 2, 2]
    y_pred = [0, 0, 1, 0, 0, 0]  # class accuracies 1, 0.5, 0
    assert per_class_accuracy(y_true, y_pred, classes=[1, 2]) == pytest.approx(0.25)
    assert per_class_accuracy(y_true, y_pred, classes=[0]) == pytest.approx(1.0)
    assert per_class_accuracy(y_true, y_pred, classes=np.array([2, 1, 1])) == pytest.approx(0.25)
    assert per_class_accuracy(y_true, y_pred) == pytest.approx(0.5)


def test_per_class_accuracy_accepts_integral_floats():
    assert per_class_accuracy(np.array([0.0, 1.0]), np.array([0.0, 0.0])) == pytest.approx(0.5)


@pytest.mark.parametrize(
    "y_true, y_pred, kwargs, exc, match",
    [
        ([0, 1, 1], [0, 1], {}, ValueError, "y_true has 3 labels but y_pred has 2"),
        ([0, 1], [0, 1], {"classes": [0, 5]}, ValueError, r"\[5\] have no samples"),
        ([0, 1], [0, 1], {"classes": []}, ValueError, "classes is empty"),
        ([0, -1], [0, 1], {}, ValueError, "negative labels"),
        ([0, 1], [0, -3], {}, ValueError, "negative labels"),
        ([0.5, 1.0], [0, 1], {}, TypeError, "integer class indices"),
        ([0, 1], [0.0, 1.25], {}, TypeError, "integer class indices"),
        ([0, 1], [0, np.nan], {}, TypeError, "integer class indices"),
        (["a", "b"], [0, 1], {}, TypeError, "Map class names to indices"),
        ([[0, 1]], [[0, 1]], {}, ValueError, "must be 1-D"),
        ([], [], {}, ValueError, "empty"),
        # `classes` gets the same checks as the labels: a negative id must not
        # wrap around to the last class, a float like 0.7 must not truncate to 0.
        ([0, 0, 1, 1], [0, 1, 1, 1], {"classes": [-1]}, ValueError, "negative"),
        ([0, 0, 1, 1], [0, 1, 1, 1], {"classes": [0.7]}, TypeError, "integer class indices"),
    ],
)
def test_per_class_accuracy_errors(y_true, y_pred, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        per_class_accuracy(y_true, y_pred, **kwargs)


@FAST
@given(
    st.integers(1, 6).flatmap(
        lambda k: st.tuples(
            hnp.arrays(np.int64, st.integers(1, 40), elements=st.integers(0, k - 1)),
            st.randoms(use_true_random=False),
        )
    )
)
def test_per_class_accuracy_property_bounds_and_perfect(data):
    y_true, rnd = data
    assert per_class_accuracy(y_true, y_true) == 1.0
    y_pred = np.array([rnd.randrange(0, 6) for _ in y_true])
    acc = per_class_accuracy(y_true, y_pred)
    assert 0.0 <= acc <= 1.0
    # Hand recomputation from its definition.
    expected = np.mean([np.mean(y_pred[y_true == c] == c) for c in np.unique(y_true)])
    assert acc == pytest.approx(expected)


# --------------------------------------------------------------------------- harmonic mean
def test_harmonic_mean_values():
    assert harmonic_mean(0.5, 0.5) == pytest.approx(0.5)
    assert harmonic_mean(0.2, 0.8) == pytest.approx(2 * 0.2 * 0.8 / 1.0)
    assert harmonic_mean(1.0, 1.0) == 1.0
    assert harmonic_mean(0.0, 0.0) == 0.0
    assert harmonic_mean(0.0, 0.9) == 0.0
    assert harmonic_mean(0.7, 0.0) == 0.0
    assert harmonic_mean(0.3, 0.6) == harmonic_mean(0.6, 0.3)


@pytest.mark.parametrize("u, s", [(-0.1, 0.5), (0.5, 1.2), (np.nan, 0.5), (0.5, np.inf), (50.0, 60.0)])
def test_harmonic_mean_rejects_invalid(u, s):
    with pytest.raises(ValueError, match=r"accuracy in \[0, 1\]"):
        harmonic_mean(u, s)


@FAST
@given(st.floats(0, 1), st.floats(0, 1))
def test_harmonic_mean_property_between_min_and_max(u, s):
    h = harmonic_mean(u, s)
    tol = 1e-12
    assert min(u, s) - tol <= h <= max(u, s) + tol
    if u == 0 or s == 0:
        assert h == 0.0
    if u == s:
        assert h == pytest.approx(u)
    # H never exceeds the arithmetic mean.
    assert h <= (u + s) / 2 + tol


# --------------------------------------------------------------------------- GZSL scores
def test_gzsl_scores_hand_case():
    seen, unseen = [0, 1], [2, 3]
    # Seen samples: class 0 2/2 right, class 1 1/2 right (the miss goes to an unseen class) -> s = 0.75.
    # Unseen samples: class 2 1/4 right (misses go to seen classes), class 3 1/1 right -> u = 0.625.
    y_true = [0, 0, 1, 1, 2, 2, 2, 2, 3]
    y_pred = [0, 0, 1, 3, 2, 0, 1, 0, 3]
    res = gzsl_scores(y_true, y_pred, seen, unseen)
    assert isinstance(res, GZSLScore)
    assert res.s == pytest.approx(0.75)
    assert res.u == pytest.approx(0.625)
    assert res.h == pytest.approx(2 * 0.75 * 0.625 / (0.75 + 0.625))


def test_gzsl_scores_only_uses_classes_present_in_y_true():
    # Unseen class 4 is a candidate but has no test sample: it is not averaged over.
    res = gzsl_scores([0, 1, 2], [0, 1, 4], seen_classes=[0, 1], unseen_classes=[2, 4])
    assert res.s == 1.0 and res.u == 0.0 and res.h == 0.0


def test_gzsl_scores_errors():
    with pytest.raises(ValueError, match=r"\[1\] are listed as both seen and unseen"):
        gzsl_scores([0, 1, 2], [0, 1, 2], [0, 1], [1, 2])
    with pytest.raises(ValueError, match=r"classes \[5\] that are neither seen nor unseen"):
        gzsl_scores([0, 2, 5], [0, 2, 5], [0, 1], [2, 3])
    with pytest.raises(ValueError, match="at least one seen and one unseen"):
        gzsl_scores([0, 1], [0, 1], [0, 1], [])
    with pytest.raises(ValueError, match="y_true has 2 labels but y_pred has 3"):
        gzsl_scores([0, 2], [0, 2, 2], [0], [2])


# --------------------------------------------------------------------------- calibrated stacking
def test_calibrated_predict_gamma_moves_predictions_to_unseen():
    mask = np.array([True, True, False])
    scores = np.array([[0.9, 0.1, 0.5], [0.2, 0.8, 0.7], [0.0, 0.3, 0.1]])
    np.testing.assert_array_equal(calibrated_predict(scores, mask, 0.0), [0, 1, 1])
    np.testing.assert_array_equal(calibrated_predict(scores, mask, 0.15), [0, 2, 1])
    np.testing.assert_array_equal(calibrated_predict(scores, mask, 0.5), [2, 2, 2])
    # Negative gamma favours seen classes.
    np.testing.assert_array_equal(calibrated_predict(np.array([[0.1, 0.0, 0.5]]), mask, -1.0), [0])


def test_calibrated_predict_number_of_unseen_predictions_grows_with_gamma():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(200, 8))
    mask = np.arange(8) < 5
    counts = [np.sum(~mask[calibrated_predict(scores, mask, g)]) for g in np.linspace(-3, 3, 25)]
    assert all(a <= b for a, b in zip(counts, counts[1:]))
    assert counts[0] < counts[-1]
    assert counts[-1] == 200


def test_calibrated_predict_errors():
    scores = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"seen_mask must have shape \(3,\)"):
        calibrated_predict(scores, np.array([True, False]), 0.1)
    with pytest.raises(TypeError, match="seen_mask must be a boolean array"):
        calibrated_predict(scores, np.array([1, 0, 0]), 0.1)
    with pytest.raises(ValueError, match="gamma must be a finite number"):
        calibrated_predict(scores, np.array([True, False, False]), float("nan"))
    with pytest.raises(ValueError, match="gamma must be a finite number"):
        calibrated_predict(scores, np.array([True, False, False]), np.inf)
    with pytest.raises(ValueError, match="at least two candidate classes"):
        calibrated_predict(np.zeros((2, 1)), np.array([True]), 0.0)
    with pytest.raises(ValueError, match="NaN or infinite"):
        calibrated_predict(np.array([[0.0, np.nan]]), np.array([True, False]), 0.0)


# --------------------------------------------------------------------------- seen-unseen curve
def _random_problem(seed, n=60, n_seen=4, n_unseen=3, signal=1.0):
    rng = np.random.default_rng(seed)
    c = n_seen + n_unseen
    mask = np.arange(c) < n_seen
    y = rng.integers(0, c, n)
    y[:2] = [0, c - 1]  # both groups present
    scores = rng.normal(size=(n, c))
    scores[np.arange(n), y] += signal
    scores[:, mask] += 0.5  # the usual seen-class bias
    return scores, y, mask


def _brute_force(scores, y, mask, gammas):
    seen, unseen = np.flatnonzero(mask), np.flatnonzero(~mask)
    pts = [gzsl_scores(y, calibrated_predict(scores, mask, g), seen, unseen) for g in gammas]
    return np.array([p.u for p in pts]), np.array([p.s for p in pts])


def _trapezoid(s, u):
    return float(np.sum((u[1:] - u[:-1]) * (s[1:] + s[:-1]) / 2))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_seen_unseen_curve_matches_brute_force(seed):
    scores, y, mask = _random_problem(seed)
    curve = seen_unseen_curve(scores, y, mask)
    lo, hi = curve.gammas[0], curve.gammas[-1]
    grid = np.linspace(lo - 0.5, hi + 0.5, 1500)
    U, S = _brute_force(scores, y, mask, grid)

    # Each brute-force point is the exact curve's point for the interval holding that gamma.
    idx = np.clip(np.searchsorted(curve.gammas, grid, side="right") - 1, 0, len(curve.gammas) - 1)
    np.testing.assert_allclose(U, curve.unseen[idx], atol=1e-12)
    np.testing.assert_allclose(S, curve.seen[idx], atol=1e-12)

    # A dense grid gives nearly the exact area.
    assert curve.auc == pytest.approx(_trapezoid(S, U), abs=0.01)

    # A grid that puts one gamma inside every interval between breakpoints
    # visits every point of the exact curve, and reproduces its area exactly.
    resolving = np.concatenate([[lo], (curve.gammas[1:-2] + curve.gammas[2:-1]) / 2, [hi]])
    U2, S2 = _brute_force(scores, y, mask, resolving)
    assert curve.auc == pytest.approx(_trapezoid(S2, U2), abs=1e-12)
    assert ausuc(scores, y, mask) == curve.auc


def test_coarse_grid_can_overestimate_the_exact_area():
    # One seen sample (right at any gamma < 0) and one unseen sample (right at gamma >= 1).
    # The achievable points are (u, s) = (0, 1), (0, 0), (1, 0): no gamma gets both right,
    # so the area is 0. A grid with only gamma = -5 and 5 would draw a chord (0,1)-(1,0)
    # and claim 0.5. The exact curve is therefore not always >= a grid's area.
    scores = np.array([[1.0, 1.0], [2.0, 1.0]])  # column 0 seen, column 1 unseen; deltas 0 and 1
    y = np.array([0, 1])
    mask = np.array([True, False])
    curve = seen_unseen_curve(scores, y, mask)
    assert curve.auc == 0.0
    assert curve.harmonic.max() == 0.0
    U, S = _brute_force(scores, y, mask, [-5.0, 5.0])
    assert _trapezoid(S, U) == pytest.approx(0.5)


@pytest.mark.parametrize("seed", [3, 4])
def test_seen_unseen_curve_endpoints_and_monotonicity(seed):
    scores, y, mask = _random_problem(seed, n=80)
    curve = seen_unseen_curve(scores, y, mask)
    seen_cols, unseen_cols = np.flatnonzero(mask), np.flatnonzero(~mask)
    is_seen = mask[y]
    # Smallest gamma: every sample predicted among seen classes.
    plain_seen = seen_cols[np.argmax(scores[:, seen_cols], axis=1)]
    assert curve.unseen[0] == 0.0
    assert curve.seen[0] == pytest.approx(per_class_accuracy(y[is_seen], plain_seen[is_seen]))
    # Largest gamma: every sample predicted among unseen classes.
    plain_unseen = unseen_cols[np.argmax(scores[:, unseen_cols], axis=1)]
    assert curve.seen[-1] == 0.0
    assert curve.unseen[-1] == pytest.approx(per_class_accuracy(y[~is_seen], plain_unseen[~is_seen]))
    # u grows and s shrinks with gamma.
    assert np.all(np.diff(curve.gammas) > 0)
    assert np.all(np.diff(curve.unseen) >= -1e-12)
    assert np.all(np.diff(curve.seen) <= 1e-12)
    assert 0.0 <= curve.auc <= 1.0


def test_seen_unseen_curve_perfect_scores_give_ausuc_one():
    y = np.array([0, 1, 2, 3, 0, 3])
    mask = np.array([True, True, False, False])
    scores = np.eye(4)[y]
    assert ausuc(scores, y, mask) == pytest.approx(1.0)
    gamma, best = seen_unseen_curve(scores, y, mask).best
    assert best == (1.0, 1.0, 1.0)
    np.testing.assert_array_equal(calibrated_predict(scores, mask, gamma), y)


def test_seen_unseen_curve_hand_case():
    # Two seen columns (0, 1), two unseen (2, 3); one sample per class.
    scores = np.array([[3.0, 0, 2, 0], [0, 3, 0, 1], [1, 0, 2, 0], [0, 0, 0, 2]])
    y = np.array([0, 1, 2, 3])
    mask = np.array([True, True, False, False])
    curve = seen_unseen_curve(scores, y, mask)
    # deltas (best seen - best unseen): 1, 2, -1, -2
    np.testing.assert_allclose(curve.gammas, [-3, -2, -1, 1, 2, 3])
    np.testing.assert_allclose(curve.unseen, [0, 0.5, 1, 1, 1, 1])
    np.testing.assert_allclose(curve.seen, [1, 1, 1, 0.5, 0, 0])
    assert curve.auc == pytest.approx(1.0)


def test_best_returns_max_harmonic_and_its_gamma_reproduces_it():
    # Regression: `best` used to return the breakpoint itself (here -1), where a
    # sample's calibrated seen and unseen scores tie; calibrated_predict then broke
    # the tie towards the seen column and scored H = 0.67 instead of the claimed 1.0.
    scores = np.array([[3.0, 0, 2, 0], [0, 3, 0, 1], [1, 0, 2, 0], [0, 0, 0, 2]])
    y = np.array([0, 1, 2, 3])
    mask = np.array([True, True, False, False])
    curve = seen_unseen_curve(scores, y, mask)
    gamma, best = curve.best
    assert best.h == pytest.approx(curve.harmonic.max()) == pytest.approx(1.0)
    assert tuple(gzsl_scores(y, calibrated_predict(scores, mask, gamma), [0, 1], [2, 3])) == pytest.approx(tuple(best))


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_best_on_random_scores(seed):
    scores, y, mask = _random_problem(seed)
    curve = seen_unseen_curve(scores, y, mask)
    gamma, best = curve.best
    H = curve.harmonic
    assert best.h == pytest.approx(H.max())
    np.testing.assert_allclose(H, [harmonic_mean(u, s) for u, s in zip(curve.unseen, curve.seen)])
    got = gzsl_scores(y, calibrated_predict(scores, mask, gamma), np.flatnonzero(mask), np.flatnonzero(~mask))
    assert tuple(got) == pytest.approx(tuple(best))


def test_seen_unseen_curve_errors():
    scores = np.zeros((4, 3))
    y = np.array([0, 1, 2, 0])
    with pytest.raises(ValueError, match="at least one seen and one unseen candidate"):
        seen_unseen_curve(scores, y, np.array([True, True, True]))
    with pytest.raises(ValueError, match="at least one seen and one unseen candidate"):
        seen_unseen_curve(scores, y, np.array([False, False, False]))
    with pytest.raises(ValueError, match="both seen and unseen classes"):
        seen_unseen_curve(scores, np.array([0, 1, 0, 1]), np.array([True, True, False]))
    with pytest.raises(ValueError, match="scores has 4 rows but y_true has 3"):
        seen_unseen_curve(scores, y[:3], np.array([True, False, False]))
    with pytest.raises(ValueError, match="only 3 classes"):
        seen_unseen_curve(scores, np.array([0, 1, 2, 3]), np.array([True, False, False]))
    with pytest.raises(TypeError, match="boolean"):
        ausuc(scores, y, np.array([1, 0, 0]))


@FAST
@given(
    hnp.arrays(np.float64, st.tuples(st.integers(2, 12), st.integers(2, 5)),
               elements=st.floats(-5, 5, allow_nan=False, width=32)),
    st.randoms(use_true_random=False),
)
def test_ausuc_property_in_unit_interval(scores, rnd):
    n, c = scores.shape
    mask = np.array([i < max(1, c // 2) for i in range(c)])
    y = np.array([rnd.randrange(c) for _ in range(n)])
    y[0], y[1] = 0, c - 1  # a seen and an unseen sample
    curve = seen_unseen_curve(scores, y, mask)
    assert -1e-12 <= curve.auc <= 1 + 1e-12
    assert np.all((curve.unseen >= 0) & (curve.unseen <= 1 + 1e-12))
    assert np.all((curve.seen >= 0) & (curve.seen <= 1 + 1e-12))
    assert np.all(np.diff(curve.unseen) >= -1e-12) and np.all(np.diff(curve.seen) <= 1e-12)
    assert curve.unseen[0] == 0 and curve.seen[-1] == 0


# --------------------------------------------------------------------------- hubness
def test_k_occurrence_hand_built_hub():
    # A central target is everybody's nearest neighbour.
    targets = np.array([[0.0, 0.0], [10, 0], [-10, 0], [0, 10], [0, -10]])
    rng = np.random.default_rng(0)
    queries = rng.uniform(-1, 1, size=(30, 2))
    nk = k_occurrence(queries, targets, k=1, metric="euclidean")
    np.testing.assert_array_equal(nk, [30, 0, 0, 0, 0])
    nk2 = k_occurrence(queries, targets, k=2, metric="euclidean")
    assert nk2[0] == 30 and nk2.sum() == 60
    assert hubness_skewness(nk2) > 0
    nk5 = k_occurrence(queries, targets, k=5, metric="euclidean")
    np.testing.assert_array_equal(nk5, [30] * 5)


def test_k_occurrence_cosine_ignores_length():
    targets = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    queries = np.array([[5.0, 0.2], [0.01, 0.0], [0.1, 3.0]])
    np.testing.assert_array_equal(k_occurrence(queries, targets, k=1), [2, 1, 0])
    np.testing.assert_array_equal(k_occurrence(queries * 100, targets, k=1), [2, 1, 0])
    # Euclidean distance does care about length: a short query pointing at a far target
    # is nearer (in Euclid's sense) to a short target in another direction.
    np.testing.assert_array_equal(
        k_occurrence(np.array([[0.0, 0.1]]), np.array([[0.0, 5.0], [0.3, 0.0]]), k=1, metric="euclidean"), [0, 1]
    )
    np.testing.assert_array_equal(k_occurrence(np.array([[0.0, 0.1]]), np.array([[0.0, 5.0], [0.3, 0.0]]), k=1), [1, 0])


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
@pytest.mark.parametrize("k", [1, 3, 7])
def test_k_occurrence_matches_brute_force(metric, k):
    rng = np.random.default_rng(k)
    Q, T = rng.normal(size=(50, 6)), rng.normal(size=(9, 6))
    nk = k_occurrence(Q, T, k=k, metric=metric)
    if metric == "cosine":
        d = 1 - (Q / np.linalg.norm(Q, axis=1, keepdims=True)) @ (T / np.linalg.norm(T, axis=1, keepdims=True)).T
    else:
        d = np.linalg.norm(Q[:, None, :] - T[None, :, :], axis=2)
    expected = np.bincount(np.argsort(d, axis=1)[:, :k].ravel(), minlength=len(T))
    np.testing.assert_array_equal(nk, expected)
    assert nk.sum() == len(Q) * k
    assert nk.shape == (len(T),)


def test_k_occurrence_errors():
    Q, T = np.ones((4, 3)), np.eye(3)
    with pytest.raises(ValueError, match="queries have 2 dimensions but targets have 3"):
        k_occurrence(np.ones((4, 2)), T)
    for k in (0, 4, -1):
        with pytest.raises(ValueError, match=r"k must be an integer in \[1, 3\]"):
            k_occurrence(Q, T, k=k)
    with pytest.raises(ValueError, match="k must be an integer"):
        k_occurrence(Q, T, k=1.5)
    with pytest.raises(ValueError, match="metric must be 'cosine' or 'euclidean'"):
        k_occurrence(Q, T, k=1, metric="manhattan")
    with pytest.raises(ValueError, match="must be 2-D"):
        k_occurrence(np.ones(3), T)
    with pytest.raises(ValueError, match="NaN or infinite"):
        k_occurrence(np.array([[np.nan, 0, 0]]), T)


def test_hubness_skewness():
    assert hubness_skewness([1, 2, 3, 4, 5]) == pytest.approx(0.0, abs=1e-12)
    assert hubness_skewness([3, 3, 3, 3]) == 0.0
    assert hubness_skewness([1, 1, 1, 1, 1, 1, 20]) > 1.0
    assert hubness_skewness([20, 20, 20, 20, 20, 20, 1]) < -1.0
    rng = np.random.default_rng(0)
    for _ in range(5):
        nk = rng.poisson(5, size=40)
        assert hubness_skewness(nk) == pytest.approx(scipy.stats.skew(nk.astype(float)))


def test_hubness_skewness_errors():
    with pytest.raises(ValueError, match="at least 3 counts"):
        hubness_skewness([1, 2])
    with pytest.raises(ValueError, match="1-D"):
        hubness_skewness(np.ones((3, 3)))
    with pytest.raises(ValueError, match="NaN or infinite"):
        hubness_skewness([1, 2, np.nan, 4])


# ------------------------------------------------------------------ the protocol's small steps
def test_gzsl_at_is_gzsl_scores_of_the_calibrated_argmax():
    from zsl_tutorial.metrics import calibrated_predict, gzsl_at, gzsl_scores

    rng = np.random.default_rng(4)
    scores = rng.normal(size=(60, 5))
    seen = np.array([True, True, True, False, False])
    y = rng.integers(0, 5, size=60)
    for gamma in (-1.0, 0.0, 0.3, 2.0):
        pred = calibrated_predict(scores, seen, gamma)
        assert gzsl_at(scores, y, seen, gamma) == gzsl_scores(y, pred, [0, 1, 2], [3, 4])
    with pytest.raises(ValueError, match="rows"):
        gzsl_at(scores[:-1], y, seen)


def test_seen_unseen_gap_flips_predictions_exactly_at_the_gap():
    from zsl_tutorial.metrics import calibrated_predict, seen_unseen_curve, seen_unseen_gap

    rng = np.random.default_rng(5)
    scores = rng.normal(size=(40, 6))
    seen = np.array([True, True, True, True, False, False])
    gap = seen_unseen_gap(scores, seen)
    np.testing.assert_allclose(gap, scores[:, seen].max(1) - scores[:, ~seen].max(1))
    below = calibrated_predict(scores, seen, float(gap.min()) - 1e-9)
    above = calibrated_predict(scores, seen, float(gap.max()) + 1e-9)
    assert seen[below].all() and not seen[above].any()
    y = np.r_[np.zeros(20, int), np.full(20, 5)]
    curve = seen_unseen_curve(scores, y, seen)
    np.testing.assert_array_equal(curve.gammas[1:-1], np.unique(gap))
    with pytest.raises(ValueError, match="at least one seen and one unseen"):
        seen_unseen_gap(scores, np.ones(6, bool))


def test_calibrated_stacking_uses_the_curve_rule():
    from zsl_tutorial.methods import CalibratedStacking
    from zsl_tutorial.metrics import seen_unseen_curve

    rng = np.random.default_rng(6)
    scores = rng.normal(size=(80, 6))
    seen = np.array([True, True, True, True, False, False])
    y = np.r_[rng.integers(0, 4, 40), rng.integers(4, 6, 40)]
    cal = CalibratedStacking().fit(scores, y, seen)
    gamma, best = seen_unseen_curve(scores, y, seen).best
    assert (cal.gamma_, cal.best_) == (gamma, best)
    assert cal.evaluate(scores, y, seen) == best


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_curve_at_gamma_is_what_calibrated_stacking_scores_there(seed):
    """``at(γ)`` reads the step function; between breakpoints it equals calibrated stacking at that γ."""
    scores, y, mask = _random_problem(seed)
    curve = seen_unseen_curve(scores, y, mask)
    g = curve.gammas
    for gamma in [(a + b) / 2 for a, b in zip(g[:-1], g[1:])] + [g[0] - 5.0]:
        got = curve.at(gamma)
        want = gzsl_scores(y, calibrated_predict(scores, mask, gamma), np.flatnonzero(mask), np.flatnonzero(~mask))
        assert tuple(got) == pytest.approx(tuple(want))
    assert tuple(curve.at(-np.inf)) == pytest.approx((curve.unseen[0], curve.seen[0], curve.harmonic[0]))
    assert tuple(curve.at(np.inf)) == pytest.approx((curve.unseen[-1], curve.seen[-1], curve.harmonic[-1]))
    with pytest.raises(ValueError, match="finite"):
        curve.at(np.nan)
    with pytest.raises(TypeError, match="gamma must be a real number"):
        curve.at("0.1")


def test_base_to_novel_scores_each_group_in_its_own_label_space():
    from zsl_tutorial.metrics import base_to_novel, gzsl_at

    # columns 0, 1 seen; 2, 3 unseen. Every seen sample scores an unseen class highest overall, but its own
    # class highest among the seen ones: GZSL calls all of them wrong, base-to-novel calls them right.
    scores = np.array([[0.5, 0.1, 0.9, 0.0],   # true 0
                       [0.1, 0.6, 0.0, 0.8],   # true 1
                       [0.2, 0.1, 0.7, 0.3],   # true 2
                       [0.9, 0.1, 0.6, 0.4]])  # true 2: among the unseen, still 2
    y = np.array([0, 1, 2, 2])
    mask = np.array([True, True, False, False])
    bn = base_to_novel(scores, y, mask)
    assert (bn.base, bn.novel, bn.hm) == (1.0, 1.0, 1.0)
    g = gzsl_at(scores, y, mask)
    assert g.s == 0.0 and g.u == 0.5 and g.h == 0.0


def test_base_to_novel_hm_is_never_below_gzsl_h_on_random_scores():
    from zsl_tutorial.metrics import base_to_novel, gzsl_at

    rng = np.random.default_rng(0)
    mask = np.array([True] * 5 + [False] * 3)
    y = np.repeat(np.arange(8), 6)
    for _ in range(50):
        scores = rng.normal(size=(len(y), 8)) + 1.5 * np.eye(8)[y] * rng.random()
        bn, g = base_to_novel(scores, y, mask), gzsl_at(scores, y, mask)
        # Restricting the candidates can only turn a wrong prediction right, never a right one wrong.
        assert bn.base >= g.s - 1e-12 and bn.novel >= g.u - 1e-12 and bn.hm >= g.h - 1e-12


def test_base_to_novel_refuses_what_it_cannot_score():
    from zsl_tutorial.metrics import base_to_novel

    scores, mask = np.zeros((3, 3)), np.array([True, True, False])
    with pytest.raises(ValueError, match="no sample of any unseen class"):
        base_to_novel(scores, np.array([0, 1, 1]), mask)
    with pytest.raises(ValueError, match="at least one seen and one unseen"):
        base_to_novel(scores, np.array([0, 1, 2]), np.ones(3, bool))
    with pytest.raises(ValueError, match="rows but y_true has"):
        base_to_novel(scores, np.array([0, 2]), mask)
    with pytest.raises(TypeError, match="boolean"):
        base_to_novel(scores, np.array([0, 1, 2]), np.array([1, 1, 0]))
