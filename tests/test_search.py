"""Hyper-parameter search as estimators: ESZSLCV and ClassDisjointSearch (class-disjoint validation only)."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from zsl_tutorial.data.synthetic import make_synthetic
from zsl_tutorial.evaluation import MethodSpec, course_methods, evaluate
from zsl_tutorial.methods import CLSWGAN, ESZSL, ESZSLCV, AttributeRegressor, ClassDisjointSearch
from zsl_tutorial.methods.search import class_disjoint_split

SMALL = dict(n_seen=9, n_unseen=4, n_attributes=12, n_features=24, n_per_class=24, n_val=3)
GAN = dict(hidden=16, epochs=2, pretrain_epochs=2, clf_epochs=2, paper_init=False, progress=False, device="cpu")


@pytest.fixture(scope="module")
def ds():
    return make_synthetic(**SMALL, seed=0)


def _numbers(r):
    return (r.params, r.zsl, r.u, r.s, r.h, r.h_cal, r.gamma, r.ausuc)


def test_eszslcv_is_the_eigen_grid_inside_fit(ds):
    tr, va, tv = ds.train_view("train"), ds.zsl_view("val"), ds.train_view("trainval")
    grid = ESZSL.grid_search(tr, va)
    val_rows = np.flatnonzero(np.isin(tv.classes, ds.classes_in("val")))
    cv = ESZSLCV().fit(tv.X, tv.y, tv.S, val_classes=val_rows)
    assert cv.best_params_ == grid.params and cv.best_score_ == grid.score
    np.testing.assert_allclose(cv.V_, ESZSL(**grid.params).fit(tv.X, tv.y, tv.S).V_)
    np.testing.assert_array_equal(cv.predict(va.X, va.S), cv.best_estimator_.predict(va.X, va.S))
    assert clone(cv).get_params() == cv.get_params()


def test_evaluate_with_a_search_estimator_equals_the_method_spec(ds):
    spec = course_methods(include=["ESZSL"])[0]
    assert _numbers(evaluate(ESZSLCV(), ds)) == _numbers(evaluate(spec, ds))
    grid = {"alpha": [0.01, 1.0, 100.0]}
    by_spec = evaluate(MethodSpec("ridge", AttributeRegressor, grid=grid), ds, seed=1)
    by_search = evaluate(ClassDisjointSearch(AttributeRegressor(), grid), ds, seed=1, name="ridge")
    assert _numbers(by_search) == _numbers(by_spec) and by_search.method == "ridge"
    assert by_search.tuning == by_spec.tuning


def test_gzsl_search_reuses_one_gan_per_cell_and_matches_the_spec(ds):
    grid = {"n_synth": [5, 20]}
    spec = MethodSpec("gan", CLSWGAN, fixed=GAN, grid=grid, select="gzsl", post_fit=("n_synth",))
    search = ClassDisjointSearch(CLSWGAN(**GAN), grid, select="gzsl")
    a, b = evaluate(spec, ds, seed=2), evaluate(search, ds, seed=2)
    assert _numbers(a) == _numbers(b)
    fitted = b.model
    assert fitted.rehearsal_estimator_.n_synth == fitted.best_params_["n_synth"]
    assert fitted.best_estimator_.seed == 2  # the protocol's seed reached the wrapped estimator


def test_an_epochs_grid_costs_one_gan_training_on_the_rehearsal(ds, monkeypatch):
    """Epochs are chosen on the rehearsal from generator snapshots of one GAN, trained for the most
    epochs in the grid; the final refit trains only the chosen number."""
    trained = []
    real_fit = CLSWGAN._fit

    def counting_fit(self, X, y, S):
        trained.append(int(self.epochs))
        return real_fit(self, X, y, S)

    monkeypatch.setattr(CLSWGAN, "_fit", counting_fit)
    search = ClassDisjointSearch(CLSWGAN(**{**GAN, "epochs": 1}), {"epochs": [1, 3], "n_synth": [5, 20]}, select="gzsl")
    r = evaluate(search, ds, seed=0)
    chosen = r.model.best_params_["epochs"]
    assert trained == [3, chosen]  # one rehearsal GAN (3 epochs, snapshot at 1), then the refit
    assert [cell for cell, _ in r.tuning] == [{"epochs": e, "n_synth": n} for e in (1, 3) for n in (5, 20)]
    assert r.model.rehearsal_estimator_.epochs_trained_ == chosen
    assert r.model.best_estimator_.epochs == chosen and r.model.best_estimator_.snapshot_epochs == ()


def test_search_never_sees_the_validation_classes_while_training(ds):
    tv = ds.train_view("trainval")
    val_rows = np.flatnonzero(np.isin(tv.classes, ds.classes_in("val")))
    for select in ("zsl", "gzsl"):
        train, val = class_disjoint_split(tv.X, tv.y, tv.S, val_rows, select=select)
        assert not np.isin(train.classes, val_rows).any()
        assert np.isin(val_rows, val.classes).all()
        if select == "gzsl":
            # rehearsal: held-out samples of the training classes are "seen", none of them trained on
            assert val.seen_mask.sum() == len(train.classes)
            assert not (set(map(bytes, train.X)) & set(map(bytes, val.X)))


def test_default_val_classes_are_seeded_and_bad_ones_refused(ds):
    tv = ds.train_view("trainval")
    a = ClassDisjointSearch(AttributeRegressor(), {"alpha": [1.0]}, seed=3).fit(tv.X, tv.y, tv.S)
    b = ClassDisjointSearch(AttributeRegressor(), {"alpha": [1.0]}, seed=3).fit(tv.X, tv.y, tv.S)
    np.testing.assert_array_equal(a.val_classes_, b.val_classes_)
    with pytest.raises(ValueError, match="val_classes must be row indices"):
        ESZSLCV().fit(tv.X, tv.y, tv.S, val_classes=[len(tv.S)])
    with pytest.raises(ValueError, match="fewer than 2 classes to train on"):
        ESZSLCV().fit(tv.X, tv.y, tv.S, val_classes=np.arange(len(tv.S) - 1))
    with pytest.raises(ValueError, match="not a parameter of AttributeRegressor"):
        ClassDisjointSearch(AttributeRegressor(), {"lam": [1.0]}).fit(tv.X, tv.y, tv.S)
    with pytest.raises(ValueError, match="select must be 'zsl'"):
        ClassDisjointSearch(AttributeRegressor(), {"alpha": [1.0]}, select="test").fit(tv.X, tv.y, tv.S)


def test_course_estimators_give_the_course_methods_numbers(ds):
    names = ["Ridge → attributes", "ESZSL", "SAE (visual)"]
    from zsl_tutorial.evaluation import course_estimators, leaderboard

    by_spec = leaderboard(course_methods(include=names), ds, seeds=[0], progress=False)
    by_est = leaderboard(course_estimators(include=names), ds, seeds=[0], progress=False)
    assert [r.method for r in by_est] == names
    assert [_numbers(r) for r in by_est] == [_numbers(r) for r in by_spec]
    ests = course_estimators(fast=True)
    assert isinstance(ests["ESZSL"], ESZSLCV) and ests["f-CLSWGAN"].select == "gzsl"
    assert all(clone(e).get_params().keys() == e.get_params().keys() for e in ests.values())


def test_specs_and_search_estimators_convert_both_ways(ds):
    from zsl_tutorial.evaluation import peek_at_test, tune_on_test

    spec = course_methods(include=["ESZSL"])[0]
    est = spec.to_estimator()
    assert isinstance(est, ESZSLCV)
    assert tune_on_test(est, ds) == tune_on_test(spec, ds)  # the leaky tools take estimators too
    assert peek_at_test(est, ds) == peek_at_test(spec, ds)
    ridge = MethodSpec("ridge", AttributeRegressor, grid={"alpha": [0.1, 10.0]}).to_estimator()
    assert isinstance(ridge, ClassDisjointSearch) and ridge.param_grid == {"alpha": [0.1, 10.0]}
    assert isinstance(MethodSpec("r", AttributeRegressor, fixed={"alpha": 3.0}).to_estimator(), AttributeRegressor)
    with pytest.raises(ValueError, match="custom tune_fn"):
        MethodSpec("x", ESZSL, tune_fn=lambda tr, va: {}).to_estimator()


def test_saecv_one_decomposition_gives_the_sylvester_grid(ds):
    from zsl_tutorial.methods import SAE, SAECV
    from zsl_tutorial.methods.sae import _EigenSAE, sae_solve

    tr, va = ds.train_view("train"), ds.zsl_view("val")
    eig = _EigenSAE(tr.X, tr.S[tr.y])
    for lam in (0.05, 1.0, 5.0):
        # SᵀS is singular here (12 attributes, 6 classes), so the two solvers differ in the 6th digit;
        # judge both by how well they solve S Sᵀ W + λ W X Xᵀ = (1+λ) S Xᵀ.
        Ss = tr.S[tr.y]

        def residual(W):
            C = (1 + lam) * Ss.T @ tr.X
            return np.linalg.norm(Ss.T @ Ss @ W + lam * W @ tr.X.T @ tr.X - C) / np.linalg.norm(C)

        W, ref = eig.W(lam), sae_solve(tr.X, Ss, lam)
        assert residual(W) <= max(residual(ref), 1e-10) and np.linalg.norm(W - ref) <= 1e-5 * np.linalg.norm(ref)
    grid = SAE.grid_search(tr, va, lams=(0.05, 0.2, 1.0, 5.0))
    for j, d in enumerate(grid.directions):
        by_fit = [SAE(lam=l, direction=d).fit(tr.X, tr.y, tr.S).score(va.X, va.y, va.S) for l in grid.lams]
        np.testing.assert_allclose(grid.scores[:, j], by_fit)
    # As an estimator, in the protocol: the same numbers as the one-fit-per-λ search.
    for d in ("semantic", "visual"):
        a = evaluate(SAECV(direction=d), ds, seed=0)
        b = evaluate(ClassDisjointSearch(SAE(direction=d), {"lam": [0.05, 0.2, 1.0, 5.0]}), ds, seed=0)
        assert _numbers(a) == _numbers(b)
    assert isinstance(course_methods(include=["SAE (visual)"])[0].to_estimator(), SAECV)
