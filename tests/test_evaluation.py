"""Tests of the one evaluation protocol (zsl_tutorial.evaluation) and its lesson-05 figures (CPU, seconds)."""
from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest

from zsl_tutorial.data import ZSLDataset
from zsl_tutorial.data.synthetic import make_synthetic
from zsl_tutorial.evaluation import (
    METRICS,
    MethodSpec,
    Result,
    course_methods,
    evaluate,
    format_table,
    gzsl_at,
    leaderboard,
    long_tail_subset,
    peek_at_test,
    rehearsal_calibration,
    resample,
    summarise,
    tune,
    tune_on_test,
)
from zsl_tutorial.methods import ESZSL, AttributeRegressor
from zsl_tutorial.metrics import calibrated_predict, gzsl_scores, harmonic_mean, per_class_accuracy, seen_unseen_curve

SMALL = dict(n_seen=9, n_unseen=4, n_attributes=12, n_features=24, n_per_class=24, n_val=3)


def tiny(seed=0, **kw):
    return make_synthetic(**{**SMALL, **kw}, seed=seed)


@pytest.fixture(scope="module")
def ds():
    return tiny(0)


def ridge_spec(**kw):
    return MethodSpec("ridge", AttributeRegressor, grid={"alpha": [0.01, 1.0, 100.0]}, **kw)


def poisoned(ds, seed=1):
    """The same dataset, but every test feature replaced by a draw from a *wrong* class's samples.

    Any hyper-parameter chosen with the test samples would now differ; one chosen on train/val must not.
    """
    rng = np.random.default_rng(seed)
    X = ds.X.copy()
    test = np.concatenate([ds.splits["test_seen"], ds.splits["test_unseen"]])
    X[test] = rng.permutation(X[test])[:, rng.permutation(X.shape[1])] * 3.0
    return ZSLDataset(X, ds.y, ds.class_names, ds.S, ds.splits, ds.aux_names, name="poisoned")


class SpyDataset:
    """Forwards to a dataset and records every split it hands out."""

    def __init__(self, ds):
        self._ds, self.calls = ds, []

    def train_view(self, split="trainval", **kw):
        self.calls.append(("train_view", split))
        return self._ds.train_view(split, **kw)

    def zsl_view(self, split="test_unseen", **kw):
        self.calls.append(("zsl_view", split))
        return self._ds.zsl_view(split, **kw)

    def gzsl_view(self, **kw):
        self.calls.append(("gzsl_view", None))
        return self._ds.gzsl_view(**kw)

    def gzsl_validation(self, *a, **kw):
        self.calls.append(("gzsl_validation", None))
        return self._ds.gzsl_validation(*a, **kw)

    def view(self, split, *a, **kw):
        self.calls.append(("view", split))
        return self._ds.view(split, *a, **kw)


TEST_CALLS = {("zsl_view", "test_unseen"), ("gzsl_view", None), ("view", "test_seen"), ("view", "test_unseen"),
              ("train_view", "trainval")}


# ------------------------------------------------------------------ tuning never sees the test set
@pytest.mark.parametrize("select", ["zsl", "gzsl"])
def test_tune_asks_only_for_train_and_val_splits(ds, select):
    spy = SpyDataset(ds)
    tune(ridge_spec(select=select), spy)
    assert spy.calls, "the spy saw nothing"
    assert not set(spy.calls) & TEST_CALLS, spy.calls


def test_tune_fn_gets_train_and_val_views_only(ds):
    seen = []

    def tune_fn(train, val):
        seen.append((train.classes.tolist(), val.classes.tolist()))
        return {"feature_ridge": 1.0, "attribute_ridge": 1.0}

    spy = SpyDataset(ds)
    params, score = tune(MethodSpec("eszsl", ESZSL, tune_fn=tune_fn), spy)
    assert params == {"feature_ridge": 1.0, "attribute_ridge": 1.0} and 0.0 <= score <= 1.0
    (train_classes, val_classes), = seen
    assert train_classes == ds.classes_in("train").tolist()
    assert val_classes == ds.classes_in("val").tolist()
    assert not set(spy.calls) & TEST_CALLS


@pytest.mark.parametrize("select", ["zsl", "gzsl"])
def test_poisoned_test_features_change_nothing_in_tuning(ds, select):
    bad = poisoned(ds)
    spec = ridge_spec(select=select)
    assert tune(spec, ds) == tune(spec, bad)
    # ... and the calibration γ is chosen without them too.
    assert evaluate(spec, ds).gamma == evaluate(spec, bad).gamma
    assert evaluate(spec, ds).params == evaluate(spec, bad).params


def test_poisoning_does_move_what_tuning_on_test_would_choose():
    """Guards the test above: the poison is strong enough to change a test-set choice and the test scores."""
    ds = tiny(3)
    bad = poisoned(ds)
    spec = MethodSpec("eszsl", ESZSL, tune_fn=lambda tr, va: ESZSL.grid_search(tr, va).params)
    assert tune(spec, ds) == tune(spec, bad)
    assert tune_on_test(spec, ds) != tune_on_test(spec, bad)
    assert evaluate(spec, ds).zsl != evaluate(spec, bad).zsl


# ------------------------------------------------------------------ post-fit parameters
class Counting:
    """A tiny estimator: ridge to attributes, plus a post-fit ``shift`` added to the first candidate's score."""

    fits: list = []
    refits: list = []

    def __init__(self, alpha=1.0, shift=0.0, seed=0):
        self.alpha, self.shift, self.seed = alpha, shift, seed
        self.calls = []

    def fit(self, X, y, S):
        Counting.fits.append((self.alpha, len(X)))
        self.inner_ = AttributeRegressor(alpha=self.alpha).fit(X, y, S)
        return self

    def set_params(self, **kw):
        for k, v in kw.items():
            setattr(self, k, v)
        return self

    def refit_classifier(self, **kw):
        """A new model sharing the fitted inner one, as f-CLSWGAN's refit_classifier does."""
        new = copy.copy(self)
        new.calls = []
        Counting.refits.append(kw)
        return new.set_params(**kw)

    def decision_function(self, X, S):
        self.calls.append(self.shift)
        out = self.inner_.decision_function(X, S)
        out[:, 0] += self.shift
        return out

    def score(self, X, y, S):
        return per_class_accuracy(y, np.argmax(self.decision_function(X, S), axis=1))


def test_post_fit_cells_share_one_fit_and_evaluate_reuses_the_rehearsal(ds):
    Counting.fits, Counting.refits = [], []
    spec = MethodSpec("counting", Counting, grid={"alpha": [0.1, 10.0], "shift": [5.0, 0.0, 9.0]},
                      select="gzsl", post_fit=("shift",))
    res = evaluate(spec, ds)
    n_fit = len(ds.gzsl_validation()[0].X)
    # two alphas on the rehearsal, then ONE refit on trainval (the rehearsal model is reused for γ)
    assert Counting.fits[:2] == [(0.1, n_fit), (10.0, n_fit)]
    assert len(Counting.fits) == 3 and Counting.fits[2] == (res.params["alpha"], len(ds.splits["trainval"]))
    # a huge shift sends every sample to the first class, which cannot win H, so the chosen shift is 0
    assert res.params["shift"] == 0.0
    assert Counting.refits == [{"shift": 0.0}, {"shift": 9.0}] * 2  # the other cells: cheap refits, per alpha


def test_post_fit_best_value_is_the_rehearsal_model(ds):
    """The γ must be fitted with the chosen post-fit value, not the last one tried."""
    made, Counting.refits = [], []

    def make(**kw):
        made.append(Counting(**kw))
        return made[-1]

    spec = MethodSpec("counting", make, grid={"alpha": [1.0], "shift": [0.0, 50.0]}, select="gzsl",
                      post_fit=("shift",))
    res = evaluate(spec, ds)
    assert res.params["shift"] == 0.0
    rehearsal = made[0]
    assert rehearsal.calls == [0.0, 0.0]  # scored at 0, then used for γ: the winner; the 50 cell was a copy
    assert Counting.refits == [{"shift": 50.0}]


def test_method_spec_rejects_bad_settings():
    with pytest.raises(ValueError, match="select"):
        MethodSpec("x", AttributeRegressor, select="test")
    with pytest.raises(ValueError, match="non-empty list"):
        MethodSpec("x", AttributeRegressor, grid={"alpha": []})
    with pytest.raises(ValueError, match="non-empty list"):
        MethodSpec("x", AttributeRegressor, grid={"alpha": "1"})
    with pytest.raises(ValueError, match="post_fit"):
        MethodSpec("x", AttributeRegressor, grid={"alpha": [1.0]}, post_fit=("shift",))
    with pytest.raises(TypeError, match="make"):
        MethodSpec("x", "AttributeRegressor")
    with pytest.raises(TypeError, match="MethodSpec"):
        evaluate(AttributeRegressor, tiny())


def test_with_params_fixes_the_choice_and_skips_tuning(ds):
    spec = ridge_spec().with_params({"alpha": 100.0})
    assert spec.grid == {} and spec.fixed == {"alpha": 100.0}
    assert tune(spec, ds) == ({}, pytest.approx(np.nan, nan_ok=True))
    assert evaluate(spec, ds).zsl == pytest.approx(
        AttributeRegressor(alpha=100.0).fit(*ds.train_view()[:3]).score(*ds.zsl_view()[:3]))
    with pytest.raises(ValueError, match="not parameters"):
        ridge_spec().with_params({"alhpa": 1.0})


# ------------------------------------------------------------------ evaluate's numbers
def test_evaluate_matches_a_hand_written_protocol(ds):
    spec = ridge_spec()
    res = evaluate(spec, ds, seed=0)
    params, _ = tune(spec, ds)
    assert res.params == params
    tr, zv, gz = ds.train_view(), ds.zsl_view(), ds.gzsl_view()
    model = AttributeRegressor(**params).fit(tr.X, tr.y, tr.S)
    assert res.zsl == pytest.approx(model.score(zv.X, zv.y, zv.S))
    scores = model.decision_function(gz.X, gz.S)
    seen, unseen = np.flatnonzero(gz.seen_mask), np.flatnonzero(~gz.seen_mask)
    plain = gzsl_scores(gz.y, scores.argmax(1), seen, unseen)
    cal = gzsl_scores(gz.y, calibrated_predict(scores, gz.seen_mask, res.gamma), seen, unseen)
    assert (res.u, res.s, res.h) == pytest.approx(tuple(plain))
    assert (res.u_cal, res.s_cal, res.h_cal) == pytest.approx(tuple(cal))
    assert res.h == pytest.approx(harmonic_mean(res.u, res.s))
    assert 0.0 <= res.ausuc <= 1.0 and res.fit_seconds <= res.total_seconds


def test_gzsl_at_checks_shape_and_applies_gamma(ds):
    gz = ds.gzsl_view()
    rng = np.random.default_rng(0)
    scores = rng.random((len(gz.y), len(gz.classes)))
    with pytest.raises(ValueError, match="seen_mask"):
        gzsl_at(scores[:, :-1], gz.y, gz.seen_mask)
    with pytest.raises(ValueError, match="decision_function"):
        gzsl_at(scores[:-1], gz.y, gz.seen_mask)
    big = gzsl_at(scores, gz.y, gz.seen_mask, gamma=10.0)  # every sample pushed to an unseen class
    assert big.s == 0.0 and big.u > 0.0
    low = gzsl_at(scores, gz.y, gz.seen_mask, gamma=-10.0)  # every sample pushed to a seen class
    assert low.u == 0.0 and low.h == 0.0


def test_gzsl_at_old_view_form_warns_and_agrees(ds):
    gz = ds.gzsl_view()
    scores = np.random.default_rng(1).random((len(gz.y), len(gz.classes)))
    with pytest.warns(DeprecationWarning, match="view.y, view.seen_mask"):
        old = gzsl_at(scores, gz, 0.05)
    assert old == gzsl_at(scores, gz.y, gz.seen_mask, 0.05)
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="decision_function"):
        gzsl_at(scores[:, :-1], gz)


def test_evaluate_is_composed_of_the_public_steps(ds):
    """The Result's numbers are exactly what the public steps give on its own model and scores."""
    res = evaluate(AttributeRegressor(alpha=1.0), ds, seed=0)
    gz = res.view
    assert res.scores.shape == (len(gz.y), len(gz.classes))
    np.testing.assert_array_equal(res.scores, res.model.decision_function(gz.X, gz.S))
    assert res.plain == gzsl_at(res.scores, gz.y, gz.seen_mask)
    assert res.calibrated == gzsl_at(res.scores, gz.y, gz.seen_mask, res.gamma)
    cal = rehearsal_calibration(AttributeRegressor(alpha=1.0), ds, seed=0)
    assert cal.gamma_ == res.gamma == res.calibration.gamma_
    assert cal.gamma_ == seen_unseen_curve(*_rehearsal_scores(ds, AttributeRegressor(alpha=1.0))).best[0]
    assert "model" not in res.as_dict() and res.without_artefacts().model is None
    assert res.without_artefacts() == res  # artefacts are not compared


def _rehearsal_scores(ds, model):
    fit, val = ds.gzsl_validation(seed=0)
    model.fit(fit.X, fit.y, fit.S)
    return model.decision_function(val.X, val.S), val.y, val.seen_mask


def test_rehearsal_calibration_never_touches_test_samples(ds):
    """Poisoning every test feature leaves the rehearsal's gamma unchanged."""
    X = ds.X.copy()
    test = np.concatenate([ds.splits["test_seen"], ds.splits["test_unseen"]])
    X[test] = np.random.default_rng(3).normal(size=(len(test), X.shape[1])) * 100
    poisoned = dataclasses.replace(ds, X=X)
    a = rehearsal_calibration(ESZSL(), ds, seed=2).gamma_
    b = rehearsal_calibration(ESZSL(), poisoned, seed=2).gamma_
    assert a == b


def test_rehearsal_calibration_prefit_uses_the_given_model(ds):
    fit, _ = ds.gzsl_validation(seed=0)
    model = ESZSL().fit(fit.X, fit.y, fit.S)
    assert rehearsal_calibration(model, ds, seed=0, prefit=True).gamma_ == rehearsal_calibration(ESZSL(), ds, seed=0).gamma_


def test_evaluate_takes_an_estimator_and_a_grid_table(ds):
    spec = MethodSpec("ridge", AttributeRegressor, grid={"alpha": [0.1, 10.0]})
    res = evaluate(spec, ds, seed=0)
    assert [cell for cell, _ in res.tuning] == [{"alpha": 0.1}, {"alpha": 10.0}]
    assert res.params == max(res.tuning, key=lambda t: t[1])[0]
    direct = evaluate(AttributeRegressor(alpha=res.params["alpha"]), ds, seed=0)
    assert (direct.zsl, direct.h, direct.h_cal) == (res.zsl, res.h, res.h_cal)
    with pytest.raises(TypeError, match="unfitted estimator"):
        evaluate(AttributeRegressor, ds)
    assert spec.with_fixed(metric="euclidean").fixed == {"metric": "euclidean"}
    assert spec.with_fixed(metric="euclidean").grid == spec.grid
    with pytest.raises(ValueError, match="searched by the grid"):
        spec.with_fixed(alpha=1.0)


# ------------------------------------------------------------------ the mistake, measured
def test_tuning_on_test_is_never_worse_on_test_than_honest_tuning():
    spec = MethodSpec("eszsl", ESZSL, tune_fn=lambda tr, va: ESZSL.grid_search(tr, va).params)
    for seed in (0, 1, 2):
        d = tiny(seed)
        honest, peek = evaluate(spec, d, seed=seed), peek_at_test(spec, d, seed=seed)
        assert peek.zsl >= honest.zsl - 1e-12
        assert peek.h_cal >= honest.h_cal - 1e-12
        params, score = tune_on_test(spec, d)
        assert params == peek.params and score == pytest.approx(peek.zsl)


def test_tune_on_test_uses_the_test_classes(ds):
    spy = SpyDataset(ds)
    tune_on_test(ridge_spec(), spy)
    assert ("zsl_view", "test_unseen") in spy.calls and ("train_view", "trainval") in spy.calls
    spy = SpyDataset(ds)
    tune_on_test(ridge_spec(select="gzsl"), spy)
    assert ("gzsl_view", None) in spy.calls
    with pytest.raises(TypeError, match="MethodSpec"):
        tune_on_test("ridge", ds)


# ------------------------------------------------------------------ course_methods
def test_course_methods_names_order_and_errors():
    names = [s.name for s in course_methods(fast=True)]
    assert names == ["Ridge → attributes", "ESZSL", "SAE (semantic)", "SAE (visual)", "Reverse ridge",
                     "Deep encoder", "f-CLSWGAN"]
    picked = course_methods(include=["f-CLSWGAN", "ESZSL"], fast=True)
    assert [s.name for s in picked] == ["f-CLSWGAN", "ESZSL"]
    with pytest.raises(ValueError, match="unknown method.*ESZLS.*choose from"):
        course_methods(include=["ESZLS"])
    fast = {s.name: s for s in course_methods(fast=True)}
    full = {s.name: s for s in course_methods(fast=False)}
    assert fast["f-CLSWGAN"].fixed["epochs"] < full["f-CLSWGAN"].fixed["epochs"]
    assert fast["Deep encoder"].fixed["epochs"] < full["Deep encoder"].fixed["epochs"]
    assert full["f-CLSWGAN"].post_fit == ("n_synth",) and full["f-CLSWGAN"].select == "gzsl"


# ------------------------------------------------------------------ leaderboard, summarise, format_table
def test_leaderboard_redraws_per_seed_and_is_deterministic():
    made = []

    def data(seed):
        made.append(seed)
        return tiny(seed)

    specs = course_methods(include=["Ridge → attributes", "ESZSL"], fast=True)
    rows = leaderboard(specs, data, seeds=[0, 1], progress=False)
    assert made == [0, 1]  # one dataset per seed, built once
    assert [(r.method, r.seed) for r in rows] == [("Ridge → attributes", 0), ("ESZSL", 0),
                                                  ("Ridge → attributes", 1), ("ESZSL", 1)]
    for r in rows:
        assert all(0.0 <= getattr(r, m) <= 1.0 for m in ("zsl", "u", "s", "h", "h_cal", "ausuc"))
        assert r.h == pytest.approx(harmonic_mean(r.u, r.s))
    again = leaderboard(specs, data, seeds=[0, 1], progress=False)
    strip = lambda r: {k: v for k, v in r.as_dict().items() if not k.endswith("seconds")}  # noqa: E731
    assert [strip(r) for r in rows] == [strip(r) for r in again]
    assert rows[0].zsl != rows[2].zsl  # the seed changed the data
    fixed = leaderboard(specs[:1], tiny(0), seeds=[0, 1], progress=False)
    assert fixed[0].zsl == fixed[1].zsl  # a fixed dataset: ridge is deterministic
    with pytest.raises(ValueError, match="at least one"):
        leaderboard([], tiny(0), seeds=[0])
    with pytest.raises(ValueError, match="at least one"):
        leaderboard(specs, tiny(0), seeds=[])


def fake(method, seed, h):
    return Result(method, seed, {}, zsl=h, u=h, s=h, h=h, u_cal=h, s_cal=h, h_cal=h, gamma=0.0, ausuc=h,
                  fit_seconds=1.0 + seed, total_seconds=2.0)


def test_summarise_mean_std_and_order():
    rows = [fake("B", 0, 0.2), fake("A", 0, 0.5), fake("B", 1, 0.4), fake("A", 1, 0.5), fake("B", 2, 0.6)]
    out = summarise(rows)
    assert [r["method"] for r in out] == ["B", "A"] and [r["n"] for r in out] == [3, 2]
    assert out[0]["h_mean"] == pytest.approx(0.4) and out[0]["h_std"] == pytest.approx(0.2)  # ddof = 1
    assert out[1]["h_std"] == 0.0 and out[0]["fit_seconds_mean"] == pytest.approx(2.0)
    assert set(out[0]) == {"method", "n"} | {f"{m}_{k}" for m in METRICS for k in ("mean", "std")}
    single = summarise([fake("C", 0, 0.3)], metrics=("h",))
    assert single == [{"method": "C", "n": 1, "h_mean": 0.3, "h_std": 0.0}]
    with pytest.raises(ValueError, match="no results"):
        summarise([])


def test_format_table_is_markdown_in_percent():
    table = format_table(summarise([fake("B", 0, 0.2), fake("B", 1, 0.4)]))
    lines = table.splitlines()
    assert lines[0] == ("| method | ZSL top-1 | u | s | H | H calibrated | AUSUC | fit time (s) |")
    assert lines[1] == "|---|---:|---:|---:|---:|---:|---:|---:|"
    assert lines[2] == ("| B | 30.0 ± 14.1 | 30.0 ± 14.1 | 30.0 ± 14.1 | 30.0 ± 14.1 | 30.0 ± 14.1 "
                        "| 0.300 ± 0.141 | 1.50 ± 0.71 |")
    assert format_table(summarise([fake("B", 0, 0.2)], ("h",)), ("h",)).splitlines()[2] == "| B | 20.0 ± 0.0 |"


# ------------------------------------------------------------------ long-tailed subsets and resampling
def test_long_tail_subset_sizes_fall_geometrically():
    y = np.repeat(np.arange(5), 100)
    idx = long_tail_subset(y, imbalance=16.0, seed=3)
    assert np.all(np.diff(idx) > 0) and idx.max() < len(y)
    counts = np.sort(np.bincount(y[idx]))[::-1]
    assert counts.tolist() == [100, 50, 25, 12, 6]  # 100 · 16^(−r/4), rounded
    assert np.array_equal(idx, long_tail_subset(y, imbalance=16.0, seed=3))
    other = np.bincount(y[long_tail_subset(y, imbalance=16.0, seed=4)])
    assert sorted(other.tolist(), reverse=True) == counts.tolist()
    assert long_tail_subset(y, imbalance=1000.0, min_per_class=3).size == 100 + 18 + 3 + 3 + 3
    assert long_tail_subset(y, imbalance=1.0).size == 500
    with pytest.raises(ValueError, match="imbalance"):
        long_tail_subset(y, imbalance=0.5)
    with pytest.raises(ValueError, match="two classes"):
        long_tail_subset(np.zeros(10, dtype=int))
    with pytest.raises(ValueError, match="min_per_class"):
        long_tail_subset(np.repeat([0, 1], [1, 5]), min_per_class=2)


def test_resample_keeps_classes_and_redraws_samples():
    pool = tiny(0, n_per_class=60)
    a, b = resample(pool, n_per_class=20, seed=0), resample(pool, n_per_class=20, seed=1)
    for d in (a, b):
        assert np.bincount(d.y).tolist() == [20] * pool.n_classes
        assert d.unseen_classes.tolist() == pool.unseen_classes.tolist()
        assert d.classes_in("val").tolist() == pool.classes_in("val").tolist()
        assert np.array_equal(d.S, pool.S) and all(ok for _, ok in d.leakage_report())
    assert not np.array_equal(a.X, b.X)
    assert np.array_equal(resample(pool, n_per_class=20, seed=1).X, b.X)
    with pytest.raises(ValueError, match="fewer than"):
        resample(pool, n_per_class=61)


# ------------------------------------------------------------------ figures
def test_leaderboard_plots_draw_and_check_inputs():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from zsl_tutorial.leaderboard_plots import leaderboard_bars, mean_map, paired_dots

    ax = mean_map("harmonic", points={"a": (0.2, 0.9)}, arrows={"b": ((0.1, 0.9), (0.5, 0.6))})
    img = ax.images[0].get_array()
    assert img[-1, 0] == 0 and img[-1, -1] == pytest.approx(100) and img[0, -1] == 0  # H(u=0, s=1) = 0
    assert mean_map("arithmetic", colorbar=False).images[0].get_array()[-1, 0] == pytest.approx(50)
    with pytest.raises(ValueError, match="kind"):
        mean_map("geometric")
    with pytest.raises(ValueError, match="pair"):
        mean_map(points={"bad": (20, 90)})
    summary = summarise([fake("A", 0, 0.2), fake("A", 1, 0.4), fake("B", 0, 0.5), fake("B", 1, 0.7)])
    ax = leaderboard_bars(summary)
    assert len(ax.patches) == 4 and [t.get_text() for t in ax.get_xticklabels()] == ["A", "B"]
    assert ax.patches[0].get_height() == pytest.approx(30.0)
    with pytest.raises(ValueError, match="not in the summary"):
        leaderboard_bars(summary, metrics=("nope",))
    with pytest.raises(ValueError, match="empty"):
        leaderboard_bars([])
    ax = paired_dots([0.4, 0.5], [0.45, 0.6])
    assert "+7.5" in ax.get_legend().get_texts()[0].get_text()
    with pytest.raises(ValueError, match="same length"):
        paired_dots([0.4], [0.4, 0.5])
    plt.close("all")
