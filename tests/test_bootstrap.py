"""The paired two-level bootstrap of differences in H, and Holm's correction."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from zsl_tutorial.evaluation import bootstrap_h, compare_h, holm


def _result(method, seed, correct_rate, *, n_per_class=40, n_seen=4, n_unseen=3, rng=None, gamma=0.0):
    """A stand-in for evaluate's Result: scores whose argmax is right on about ``correct_rate`` of samples."""
    rng = rng or np.random.default_rng(seed)
    n_classes = n_seen + n_unseen
    y = np.repeat(np.arange(n_classes), n_per_class)
    scores = rng.random((len(y), n_classes))
    right = rng.random(len(y)) < correct_rate
    scores[np.arange(len(y))[right], y[right]] += 2.0
    view = SimpleNamespace(y=y, seen_mask=np.arange(n_classes) < n_seen)
    from zsl_tutorial.metrics import gzsl_at

    g, gc = gzsl_at(scores, y, view.seen_mask), gzsl_at(scores, y, view.seen_mask, gamma)
    return SimpleNamespace(method=method, seed=seed, scores=scores, view=view, h=g.h, h_cal=gc.h, gamma=gamma)


def test_holm_matches_the_step_down_rule():
    np.testing.assert_allclose(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(holm([0.5]), [0.5])
    np.testing.assert_allclose(holm([0.4, 0.6]), [0.8, 0.8])       # never above 1, never below the raw value
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        holm([0.2, 1.5])


def test_a_clear_winner_is_real_and_a_copy_is_a_tie():
    results = []
    for s in (0, 1, 2):
        good = _result("good", s, 0.9)
        copy = SimpleNamespace(**{**vars(good), "method": "copy"})
        results += [good, copy, _result("poor", s, 0.4, rng=np.random.default_rng(100 + s))]
    boot = bootstrap_h(results, n_boot=500, seed=0)
    assert set(boot.samples) == {(m, k) for m in ("good", "copy", "poor") for k in ("h", "h_cal")}
    win, tie = compare_h(boot, [("good", "poor"), ("good", "copy")])
    assert win.real and win.low > 0 and win.diff > 0.3 and win.p == pytest.approx(1 / 500)
    # Paired: the same predictions give exactly zero in every replicate.
    assert (tie.diff, tie.low, tie.high, tie.p, tie.real) == (0.0, 0.0, 0.0, 1.0, False)
    assert win.low <= win.diff <= win.high


def test_the_observed_difference_is_the_mean_over_seeds_and_the_interval_covers_it():
    results = [r for s in (0, 1, 2) for r in (_result("a", s, 0.7), _result("b", s, 0.6, rng=np.random.default_rng(9 + s)))]
    boot = bootstrap_h(results, n_boot=400, seed=1)
    (d,) = compare_h(boot, [("a", "b")])
    want = np.mean([r.h for r in results if r.method == "a"]) - np.mean([r.h for r in results if r.method == "b"])
    assert d.diff == pytest.approx(want)
    assert d.low < d.diff < d.high


def test_resampling_the_seeds_widens_the_interval_when_seeds_disagree():
    # Seeds that disagree about the winner: only the outer level can see it.
    results = []
    for s, (ra, rb) in enumerate([(0.9, 0.5), (0.5, 0.9), (0.85, 0.55)]):
        results += [_result("a", s, ra, n_per_class=200), _result("b", s, rb, n_per_class=200,
                                                                   rng=np.random.default_rng(50 + s))]
    (outer,) = compare_h(bootstrap_h(results, n_boot=400, seed=0), [("a", "b")])
    (inner,) = compare_h(bootstrap_h(results, n_boot=400, seed=0, resample_seeds=False), [("a", "b")])
    assert outer.high - outer.low > 2 * (inner.high - inner.low)
    assert not outer.real


def test_calibrated_h_uses_each_results_own_gamma():
    results = [_result("m", s, 0.8, gamma=0.5) for s in (0, 1)]
    boot = bootstrap_h(results, n_boot=200, kinds=("h_cal",))
    assert boot.observed[("m", "h_cal")] == pytest.approx(np.mean([r.h_cal for r in results]))


def test_clear_errors():
    r = _result("a", 0, 0.8)
    with pytest.raises(ValueError, match="keep_artefacts=True"):
        bootstrap_h([SimpleNamespace(**{**vars(r), "scores": None})])
    with pytest.raises(ValueError, match="same methods"):
        bootstrap_h([r, _result("b", 0, 0.5), _result("a", 1, 0.8)])
    with pytest.raises(ValueError, match="other samples"):
        bootstrap_h([r, _result("b", 0, 0.5, n_per_class=30)])
    with pytest.raises(ValueError, match="kinds"):
        bootstrap_h([r], kinds=("zsl",))
    with pytest.raises(ValueError, match="two results are named 'a' for seed 0"):
        bootstrap_h([r, _result("a", 0, 0.5)])  # the second would silently replace the first
    boot = bootstrap_h([r, _result("b", 0, 0.5)], n_boot=100)
    with pytest.raises(ValueError, match="not in the bootstrap"):
        compare_h(boot, [("a", "c")])
    with pytest.raises(ValueError, match="between 0 and 1"):
        compare_h(boot, [("a", "b")], level=95)


def test_on_a_real_leaderboard():
    from zsl_tutorial.data import make_synthetic
    from zsl_tutorial.evaluation import course_estimators, leaderboard

    ds = make_synthetic(seed=0, n_per_class=30)
    results = leaderboard(course_estimators(include=["ESZSL", "Ridge → attributes"]), ds, seeds=[0, 1],
                          progress=False, keep_artefacts=True)
    boot = bootstrap_h(results, n_boot=200, seed=0)
    (d,) = compare_h(boot, [(("ESZSL", "h_cal"), ("Ridge → attributes", "h_cal"))])
    assert d.low <= d.high and 0 < d.p <= 1
