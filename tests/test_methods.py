"""Tests of zsl_tutorial.methods (everything but the torch DeepEncoder, see test_deep_encoder.py).

Closed forms are checked against independent direct solves, and behaviour on
hand-made problems whose answer is known.
"""
from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from zsl_tutorial.data import View
from zsl_tutorial.metrics import (
    calibrated_predict,
    gzsl_scores,
    hubness_skewness,
    k_occurrence,
    per_class_accuracy,
    seen_unseen_curve,
)
from zsl_tutorial.methods import (
    ESZSL,
    SAE,
    AttributeRegressor,
    CalibratedStacking,
    ReverseRidge,
    attribute_quality,
    center,
    cosine_similarity,
    csls_scores,
    k_occurrence_from_scores,
)
from zsl_tutorial.methods.eszsl import _EigenESZSL
from zsl_tutorial.methods.sae import sae_solve


def make_problem(seed=0, n_seen=12, n_unseen=6, a=10, d=40, n_per=40, n_per_test=30, noise=0.3, linear=False):
    """Features generated from class attributes: X = g(S[y] W) + noise, for seen and unseen classes.

    Returns (X_seen, y_seen, S_seen, X_unseen, y_unseen, S_unseen), labels local to each S.
    """
    rng = np.random.default_rng(seed)
    S = rng.random((n_seen + n_unseen, a))
    W = rng.normal(size=(a, d))

    def draw(classes, n):
        y = np.repeat(classes, n)
        Z = S[y] @ W
        X = Z if linear else np.tanh(Z / 2)
        return X + noise * rng.normal(size=X.shape), y

    Xs, ys = draw(np.arange(n_seen), n_per)
    Xu, yu = draw(np.arange(n_seen, n_seen + n_unseen), n_per_test)
    return Xs, ys, S[:n_seen], Xu, yu - n_seen, S[n_seen:]


@pytest.fixture(scope="module")
def problem():
    return make_problem()


ESTIMATORS = [
    lambda: ESZSL(feature_ridge=1.0, attribute_ridge=1.0),
    lambda: SAE(lam=1.0),
    lambda: SAE(lam=1.0, direction="visual"),
    lambda: AttributeRegressor(alpha=1.0),
    lambda: AttributeRegressor(alpha=1.0, metric="euclidean"),
    lambda: ReverseRidge(alpha=1.0),
    lambda: ReverseRidge(alpha=1.0, metric="cosine"),
]
IDS = ["eszsl", "sae-sem", "sae-vis", "attr-cos", "attr-euc", "rev-euc", "rev-cos"]


# --------------------------------------------------------------------------- package
def test_import_does_not_load_torch():
    code = "import sys, zsl_tutorial.methods; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------- common contract
@pytest.mark.parametrize("make", ESTIMATORS, ids=IDS)
def test_zero_shot_on_unseen_classes_beats_chance(make, problem):
    Xs, ys, Ss, Xu, yu, Su = problem
    est = make().fit(Xs, ys, Ss)
    scores = est.decision_function(Xu, Su)  # other classes than in fit: the point of ZSL
    assert scores.shape == (len(Xu), len(Su))
    pred = est.predict(Xu, Su)
    np.testing.assert_array_equal(pred, scores.argmax(1))
    acc = est.score(Xu, yu, Su)
    assert acc == per_class_accuracy(yu, pred)
    assert acc > 3 * (1 / len(Su)), f"{est} only reaches {acc:.2f} on an easy problem"


@pytest.mark.parametrize(
    "est, match",
    [
        (ESZSL(feature_ridge=0.0), "feature_ridge must be a finite number > 0"),
        (ESZSL(attribute_ridge=-1.0), "attribute_ridge must be a finite number > 0"),
        (ESZSL(feature_ridge=np.nan), "feature_ridge"),
        (SAE(lam=0.0), "lam must be"),
        (SAE(direction="both"), "direction must be 'semantic' or 'visual'"),
        (AttributeRegressor(alpha=0.0), "alpha must be"),
        (AttributeRegressor(metric="manhattan"), "metric must be 'cosine' or 'euclidean'"),
        (ReverseRidge(alpha=-2.0), "alpha must be"),
        (ReverseRidge(metric="dot"), "metric must be"),
    ],
)
def test_bad_hyperparameters(est, match, problem):
    Xs, ys, Ss, *_ = problem
    with pytest.raises(ValueError, match=match):
        est.fit(Xs, ys, Ss)


def test_params_and_repr():
    # clone, set_params and the not-fitted error of every estimator: test_estimator_contract.py
    est = SAE(lam=0.5, direction="visual")
    assert est.get_params() == {"lam": 0.5, "direction": "visual"}
    assert repr(est) == "SAE(lam=0.5, direction='visual')"


def test_deterministic(problem):
    Xs, ys, Ss, Xu, _, Su = problem
    for make in ESTIMATORS:
        a = make().fit(Xs, ys, Ss).decision_function(Xu, Su)
        b = make().fit(Xs, ys, Ss).decision_function(Xu, Su)
        np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------- ESZSL
def test_eszsl_matches_paper_formula():
    """V = (X Xᵀ + γI)⁻¹ X Y Sᵀ (S Sᵀ + λI)⁻¹ with the paper's column layout and a dense ±1 Y."""
    Xs, ys, Ss, *_ = make_problem(seed=1, n_seen=5, a=4, d=6, n_per=5)
    gamma, lam = 0.7, 0.3
    Xp, Sp = Xs.T, Ss.T  # d×n, a×z
    Y = -np.ones((len(ys), len(Ss)))
    Y[np.arange(len(ys)), ys] = 1
    V = (
        np.linalg.inv(Xp @ Xp.T + gamma * np.eye(Xp.shape[0]))
        @ Xp @ Y @ Sp.T
        @ np.linalg.inv(Sp @ Sp.T + lam * np.eye(Sp.shape[0]))
    )
    est = ESZSL(feature_ridge=gamma, attribute_ridge=lam).fit(Xs, ys, Ss)
    np.testing.assert_allclose(est.V_, V, rtol=1e-9, atol=1e-12)
    x, s = Xs[0], Ss[2]
    assert est.decision_function(x[None], Ss)[0, 2] == pytest.approx(x @ V @ s)
    np.testing.assert_allclose(est.embed(Xs) @ Ss.T, est.decision_function(Xs, Ss))


@pytest.mark.parametrize("gamma, lam", [(1e-3, 1e-3), (1e-3, 1e3), (1.0, 1.0), (1e3, 1e-2), (10.0, 100.0)])
def test_eszsl_eigen_path_equals_direct_solve(gamma, lam):
    Xs, ys, Ss, *_ = make_problem(seed=2, d=30, a=8, n_per=20)
    V_direct = ESZSL(feature_ridge=gamma, attribute_ridge=lam).fit(Xs, ys, Ss).V_  # np.linalg.solve
    V_fast = _EigenESZSL(Xs, ys, Ss).V(gamma, lam)
    rel = np.linalg.norm(V_fast - V_direct) / np.linalg.norm(V_direct)
    assert rel < 1e-8


def test_eszsl_grid_search_equals_fitting_every_cell():
    Xs, ys, Ss, Xu, yu, Su = make_problem(seed=3, noise=1.0)
    gammas, lams = [1e-2, 1.0, 1e2], [1e-3, 1e-1, 1e1, 1e3]
    res = ESZSL.grid_search((Xs, ys, Ss), (Xu, yu, Su), feature_ridges=gammas, attribute_ridges=lams)
    expected = {t: np.array([[ESZSL(feature_ridge=g, attribute_ridge=l, targets=t).fit(Xs, ys, Ss).score(Xu, yu, Su) for l in lams]
                             for g in gammas]) for t in ("signed", "binary")}
    assert list(res.scores_by_targets) == ["signed", "binary"]  # both codings, the paper's first
    for t, grid in expected.items():
        np.testing.assert_allclose(res.scores_by_targets[t], grid, atol=1e-12)
    best = max(expected, key=lambda t: expected[t].max())
    assert res.targets == best
    np.testing.assert_array_equal(res.scores, res.scores_by_targets[best])
    assert res.scores.shape == (3, 4)
    assert res.score == max(g.max() for g in expected.values())
    i, j = np.unravel_index(np.argmax(expected[best]), expected[best].shape)
    assert res.params == {"feature_ridge": gammas[i], "attribute_ridge": lams[j], **({} if best == "signed" else {"targets": best})}
    # The model the search describes is the model ESZSL(**params) fits.
    assert ESZSL(**res.params).fit(Xs, ys, Ss).score(Xu, yu, Su) == pytest.approx(res.score)
    assert len(res.cells()) == 2 * 3 * 4
    one = ESZSL.grid_search((Xs, ys, Ss), (Xu, yu, Su), feature_ridges=gammas, attribute_ridges=lams, targets="signed")
    np.testing.assert_array_equal(one.scores, res.scores_by_targets["signed"])
    assert one.targets == "signed" and len(one.cells()) == 12
    assert len(np.unique(res.scores)) > 1  # the grid must matter, or this test proves little


@pytest.mark.parametrize("bad", ["ternary", [], ["signed", "signed"], ("signed", "onehot"), 1])
def test_eszsl_grid_search_refuses_unknown_codings(bad):
    Xs, ys, Ss, Xu, yu, Su = make_problem(seed=3)
    with pytest.raises(ValueError, match="targets must be 'signed', 'binary' or a list"):
        ESZSL.grid_search((Xs, ys, Ss), (Xu, yu, Su), targets=bad)


def test_eszsl_grid_search_accepts_views_and_default_grid():
    Xs, ys, Ss, Xu, yu, Su = make_problem(seed=4)
    train = View(Xs, ys, Ss, np.arange(len(Ss)), [f"c{i}" for i in range(len(Ss))], np.ones(len(Ss), bool))
    val = View(Xu, yu, Su, np.arange(len(Su)), [f"u{i}" for i in range(len(Su))], np.zeros(len(Su), bool))
    res = ESZSL.grid_search(train, val)
    assert res.scores.shape == (7, 7)
    np.testing.assert_allclose(res.feature_ridges, 10.0 ** np.arange(-3, 4))
    assert ESZSL(**res.params).fit(Xs, ys, Ss).score(Xu, yu, Su) == pytest.approx(res.score)


def test_eszsl_grid_search_errors():
    Xs, ys, Ss, Xu, yu, Su = make_problem(seed=4)
    with pytest.raises(ValueError, match="both must come from the same dataset"):
        ESZSL.grid_search((Xs, ys, Ss), (Xu[:, :-1], yu, Su))
    with pytest.raises(ValueError, match="every value of attribute_ridges must be"):
        ESZSL.grid_search((Xs, ys, Ss), (Xu, yu, Su), attribute_ridges=[1.0, -1.0])
    with pytest.raises(TypeError, match="View or an \\(X, y, S\\) tuple"):
        ESZSL.grid_search(Xs, (Xu, yu, Su))
    with pytest.raises(ValueError, match="only 1 distinct class"):
        ESZSL.grid_search((Xs, ys, Ss), (Xu[yu == 0], yu[yu == 0], Su))


# --------------------------------------------------------------------------- SAE
def test_sae_solves_the_sylvester_equation():
    Xs, ys, Ss, *_ = make_problem(seed=5, d=25, a=7, n_per=10)
    lam = 0.4
    est = SAE(lam=lam).fit(Xs, ys, Ss)
    Xp, Sp = Xs.T, Ss[ys].T  # paper layout: d×n and a×n
    lhs = Sp @ Sp.T @ est.W_ + lam * est.W_ @ Xp @ Xp.T
    rhs = (1 + lam) * Sp @ Xp.T
    assert est.W_.shape == (7, 25)
    assert np.linalg.norm(lhs - rhs) / np.linalg.norm(rhs) < 1e-10


def test_sae_matches_kronecker_solve():
    """vec(A W + W B) = (I ⊗ A + Bᵀ ⊗ I) vec(W) with column-major vec: an independent dense solve."""
    rng = np.random.default_rng(6)
    X, Sy, lam = rng.normal(size=(20, 4)), rng.normal(size=(20, 3)), 0.8
    A, B, C = Sy.T @ Sy, lam * X.T @ X, (1 + lam) * Sy.T @ X
    K = np.kron(np.eye(4), A) + np.kron(B.T, np.eye(3))
    W = np.linalg.solve(K, C.flatten(order="F")).reshape((3, 4), order="F")
    np.testing.assert_allclose(sae_solve(X, Sy, lam), W, rtol=1e-10, atol=1e-12)


def test_sae_directions_score_as_documented(problem):
    Xs, ys, Ss, Xu, _, Su = problem
    sem = SAE(lam=1.0).fit(Xs, ys, Ss)
    W = sem.W_

    def cos(A, B):
        return (A / np.linalg.norm(A, axis=1, keepdims=True)) @ (B / np.linalg.norm(B, axis=1, keepdims=True)).T

    np.testing.assert_allclose(sem.decision_function(Xu, Su), cos(Xu @ W.T, Su))
    np.testing.assert_allclose(sem.encode(Xu), Xu @ W.T)
    np.testing.assert_allclose(sem.decode(Su), Su @ W)
    both = sem.decision_functions(Xu, Su)  # both directions from the one fit
    np.testing.assert_allclose(both["semantic"], cos(Xu @ W.T, Su))
    np.testing.assert_allclose(both["visual"], cos(Xu, Su @ W))
    before = sem.decision_function(Xu, Su)
    sem.set_params(direction="visual")  # a parameter is read in fit only: the fitted model is unchanged
    np.testing.assert_array_equal(sem.decision_function(Xu, Su), before)
    vis = SAE(lam=1.0, direction="visual").fit(Xs, ys, Ss)
    np.testing.assert_allclose(vis.decision_function(Xu, Su), both["visual"])


def test_sae_recovers_noiseless_linear_code():
    """If X = S_y M with orthonormal rows (M Mᵀ = I), W = M makes both terms exact (W x = s and
    Wᵀ s = x), and it solves the Sylvester equation: SᵀS M + λ M MᵀSᵀS M = (1+λ) SᵀS M. The
    solution is unique (SᵀS is positive definite, λXᵀX semi-definite), so SAE must return M."""
    rng = np.random.default_rng(7)
    M = np.linalg.qr(rng.normal(size=(12, 5)))[0].T  # 5×12 with orthonormal rows
    S = rng.random((6, 5))
    y = np.repeat(np.arange(6), 10)
    est = SAE(lam=2.0).fit(S[y] @ M, y, S)
    np.testing.assert_allclose(est.W_, M, atol=1e-9)


# --------------------------------------------------------------------------- attribute regression
def test_attribute_regressor_recovers_attributes_of_unseen_classes():
    Xs, ys, Ss, Xu, yu, Su = make_problem(seed=8, linear=True, noise=0.0, d=30)
    est = AttributeRegressor(alpha=1e-6).fit(Xs, ys, Ss)
    np.testing.assert_allclose(est.predict_attributes(Xu), Su[yu], atol=1e-5)
    assert est.score(Xu, yu, Su) == 1.0


def test_attribute_regressor_euclidean_scores_are_negative_distances(problem):
    Xs, ys, Ss, Xu, _, Su = problem
    est = AttributeRegressor(metric="euclidean").fit(Xs, ys, Ss)
    np.testing.assert_allclose(est.decision_function(Xu, Su), -cdist(est.predict_attributes(Xu), Su), atol=1e-10)
    est.set_params(metric="cosine")
    np.testing.assert_allclose(
        est.decision_function(Xu, Su), 1 - cdist(est.predict_attributes(Xu), Su, "cosine"), atol=1e-10
    )


def test_attribute_quality_known_answers():
    rng = np.random.default_rng(9)
    A = rng.random((50, 4))
    A[:, 2] = 0.3  # constant: mean of fifty 0.3s is not exactly 0.3 in floating point
    P = np.column_stack([A[:, 0], -A[:, 1], rng.random(50), 2 * A[:, 3] + 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nan-safe means: no RuntimeWarning either
        q = attribute_quality(A, P)
    np.testing.assert_allclose(q[[0, 1, 3]], [1.0, -1.0, 1.0])
    assert np.isnan(q[2])
    B = rng.random((50, 3))
    C = B + rng.normal(size=B.shape)
    expected = [np.corrcoef(B[:, j], C[:, j])[0, 1] for j in range(3)]
    np.testing.assert_allclose(attribute_quality(B, C), expected)
    # Constant *prediction* is undefined too.
    assert np.isnan(attribute_quality(B, np.ones_like(B))).all()


def test_attribute_quality_errors():
    with pytest.raises(ValueError, match="A_true has shape \\(5, 3\\) but A_pred has \\(5, 2\\)"):
        attribute_quality(np.ones((5, 3)), np.ones((5, 2)))
    with pytest.raises(ValueError, match="at least two rows"):
        attribute_quality(np.ones((1, 3)), np.ones((1, 3)))
    with pytest.raises(ValueError, match="NaN"):
        attribute_quality(np.full((3, 2), np.nan), np.ones((3, 2)))


# --------------------------------------------------------------------------- calibrated stacking
def _gzsl_scores_with_seen_bias(seed=10, bias=0.6):
    """Scores (n × 6 candidates, first 3 seen) that are right before a bias on the seen columns."""
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(6), 20)
    clean = rng.uniform(0.0, 0.1, size=(len(y), 6))
    clean[np.arange(len(y)), y] += 0.5  # the true class leads by 0.4 to 0.6
    seen = np.array([True, True, True, False, False, False])
    return clean + bias * seen, y, seen


def test_calibrated_stacking_removes_a_known_seen_bias():
    scores, y, seen = _gzsl_scores_with_seen_bias()
    assert gzsl_scores(y, scores.argmax(1), [0, 1, 2], [3, 4, 5]).u == 0.0  # bias hides all unseen
    cs = CalibratedStacking().fit(scores, y, seen)
    # An unseen sample is right iff γ > 0.1 + (noise gap in [-0.1, 0.1]), a seen one iff
    # γ < 0.5 + (gap): every γ in (0.2, 0.4) is perfect, and any perfect γ lies in (0, 0.6).
    assert 0.0 < cs.gamma_ < 0.6
    assert cs.evaluate(scores, y, seen).h == 1.0
    np.testing.assert_array_equal(cs.predict(scores, seen), y)


def test_calibrated_stacking_gamma_reproduces_curve_optimum():
    rng = np.random.default_rng(11)
    y = rng.integers(0, 8, 300)
    scores = rng.normal(size=(300, 8)) + 1.0 * np.eye(8)[y]
    seen = np.arange(8) < 5
    scores[:, seen] += 0.8
    cs = CalibratedStacking().fit(scores, y, seen)
    curve = seen_unseen_curve(scores, y, seen)
    assert cs.best_.h == pytest.approx(curve.harmonic.max())
    # The chosen γ is away from a tie, so plain calibrated_predict reproduces the optimum.
    assert cs.evaluate(scores, y, seen).h == pytest.approx(curve.harmonic.max(), abs=1e-12)
    assert cs.evaluate(scores, y, seen).h > CalibratedStacking(0.0).evaluate(scores, y, seen).h


def test_calibrated_stacking_unfitted_uses_gamma_and_errors():
    scores, y, seen = _gzsl_scores_with_seen_bias()
    np.testing.assert_array_equal(CalibratedStacking(0.25).predict(scores, seen), calibrated_predict(scores, seen, 0.25))
    with pytest.raises(ValueError, match="gamma must be a finite number"):
        CalibratedStacking(float("nan")).predict(scores, seen)
    with pytest.raises(ValueError, match="seen_mask must have shape"):
        CalibratedStacking().fit(scores, y, seen[:-1])
    with pytest.raises(ValueError, match="at least one seen and one unseen"):
        CalibratedStacking().fit(scores, y, np.ones(6, bool))
    with pytest.raises(ValueError, match="both seen and unseen classes"):
        CalibratedStacking().fit(scores[y < 3], y[y < 3], seen)


# --------------------------------------------------------------------------- hubness
def test_csls_matches_definition_by_loops():
    rng = np.random.default_rng(12)
    Q, T, k = rng.normal(size=(7, 4)), rng.normal(size=(5, 4)), 2
    cos = cosine_similarity(Q, T)
    expected = np.empty_like(cos)
    for i in range(7):
        for j in range(5):
            r_t = np.mean(sorted(cos[i], reverse=True)[:k])  # q's k nearest targets
            r_s = np.mean(sorted(cos[:, j], reverse=True)[:k])  # t's k nearest queries
            expected[i, j] = 2 * cos[i, j] - r_t - r_s
    np.testing.assert_allclose(csls_scores(Q, T, k=k), expected)


def test_k_occurrence_from_scores_agrees_with_metrics():
    rng = np.random.default_rng(13)
    Q, T = rng.normal(size=(60, 8)), rng.normal(size=(9, 8))
    for k in (1, 3):
        np.testing.assert_array_equal(k_occurrence_from_scores(cosine_similarity(Q, T), k), k_occurrence(Q, T, k=k))


def _hub_problem(seed):
    """Queries share a direction m; target 0 sits on m, so it is close to every query: a hub."""
    rng = np.random.default_rng(seed)
    d, n_t, n_q = 50, 20, 400
    T = rng.normal(size=(n_t, d)) / np.sqrt(d)
    m = rng.normal(size=d)
    m /= np.linalg.norm(m)
    y = rng.integers(1, n_t, n_q)  # no query truly belongs to the hub
    Q = T[y] + 0.5 * rng.normal(size=(n_q, d)) / np.sqrt(d) + m
    T[0] = m
    return Q, T, y


@pytest.mark.parametrize("seed", [0, 1])
def test_csls_reduces_a_constructed_hub(seed):
    Q, T, y = _hub_problem(seed)
    n1_cos = k_occurrence(Q, T, k=1)
    n1_csls = k_occurrence_from_scores(csls_scores(Q, T, k=10), k=1)
    assert n1_cos[0] > 0.4 * len(Q)  # the construction works: one target takes > 40 % of queries
    assert n1_csls[0] < 0.7 * n1_cos[0]
    assert hubness_skewness(n1_csls) < hubness_skewness(n1_cos)
    acc_cos = np.mean(cosine_similarity(Q, T).argmax(1) == y)
    acc_csls = np.mean(csls_scores(Q, T, k=10).argmax(1) == y)
    assert acc_csls > acc_cos + 0.1


def test_center_subtracts_each_sets_own_mean():
    rng = np.random.default_rng(14)
    Q, T = rng.normal(size=(30, 5)), rng.normal(size=(8, 5))
    c1, c2 = rng.normal(size=5), rng.normal(size=5)
    Qc, Tc = center(Q, T)
    np.testing.assert_allclose(Qc.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(Tc.mean(0), 0, atol=1e-12)
    # Invariant to a separate offset on each set.
    Qo, To = center(Q + c1, T + c2)
    np.testing.assert_allclose(Qo, Qc, atol=1e-12)
    np.testing.assert_allclose(To, Tc, atol=1e-12)
    # An explicit (e.g. training) mean is used as given.
    Qm, Tm = center(Q, T, query_mean=c1)
    np.testing.assert_allclose(Qm, Q - c1)
    np.testing.assert_allclose(Tm, Tc)
    with pytest.raises(ValueError, match="query_mean must be a vector of length 5"):
        center(Q, T, query_mean=np.ones(4))
    with pytest.raises(ValueError, match="queries have 5 dimensions but targets have 4"):
        center(Q, T[:, :4])


@pytest.mark.parametrize("seed", [0, 1])
def test_centering_removes_a_hub_created_by_a_shared_offset(seed):
    """A large offset shared by all points turns cosine into a Euclidean-like comparison, where the
    target nearest the centroid (target 0, shrunk towards it) becomes a hub; centering removes it."""
    rng = np.random.default_rng(seed)
    d, n_t, n_q = 100, 30, 600
    T = rng.normal(size=(n_t, d))
    T[0] *= 0.2
    Q = T[rng.integers(0, n_t, n_q)] + 1.5 * rng.normal(size=(n_q, d))
    c = rng.normal(size=d)
    c *= 30 / np.linalg.norm(c)
    n_off = k_occurrence(Q + c, T + c, k=5)
    n_cen = k_occurrence(*center(Q + c, T + c), k=5)
    assert n_off[0] > 0.9 * n_q
    assert n_cen[0] < 0.4 * n_q
    assert hubness_skewness(n_cen) < hubness_skewness(n_off) - 1.0


def test_hubness_function_errors():
    Q, T = np.ones((4, 3)), np.eye(3)
    with pytest.raises(ValueError, match="k must be an integer in \\[1, 3\\]"):
        csls_scores(Q, T, k=4)
    with pytest.raises(ValueError, match="queries have 3 dimensions but targets have 2"):
        csls_scores(Q, T[:, :2])
    with pytest.raises(ValueError, match="NaN"):
        csls_scores(np.full((2, 3), np.nan), T, k=1)
    with pytest.raises(ValueError, match="k must be an integer in \\[1, 3\\]"):
        k_occurrence_from_scores(np.ones((4, 3)), k=0)


def test_reverse_ridge_matches_closed_form_and_sklearn(problem):
    from sklearn.linear_model import Ridge

    Xs, ys, Ss, Xu, _, Su = problem
    est = ReverseRidge(alpha=3.0).fit(Xs, ys, Ss)
    ref = Ridge(alpha=3.0, fit_intercept=False).fit(Ss[ys], Xs)  # S_y -> X, no intercept
    np.testing.assert_allclose(est.W_, ref.coef_.T, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(est.decode(Su), Su @ est.W_)
    np.testing.assert_allclose(est.decision_function(Xu, Su), -cdist(Xu, Su @ est.W_), atol=1e-8)


@pytest.mark.parametrize("seed", [0, 1])
def test_reverse_mapping_has_less_hubness_than_forward(seed):
    """Shigeto et al. (2015): regressing X -> S creates hubs among class prototypes; S -> X does not."""
    Xs, ys, Ss, Xu, yu, Su = make_problem(seed, n_seen=40, n_unseen=20, a=30, d=200, n_per=50, n_per_test=50, noise=1.5)
    fwd = AttributeRegressor(alpha=10.0, metric="euclidean").fit(Xs, ys, Ss)
    rev = ReverseRidge(alpha=10.0).fit(Xs, ys, Ss)
    n_fwd = k_occurrence(fwd.predict_attributes(Xu), Su, k=1, metric="euclidean")
    n_rev = k_occurrence(Xu, rev.decode(Su), k=1, metric="euclidean")
    assert hubness_skewness(n_rev) < hubness_skewness(n_fwd) - 1.0
    assert n_rev.max() < n_fwd.max()
    assert rev.score(Xu, yu, Su) > fwd.score(Xu, yu, Su)


def test_eszsl_target_coding_is_a_parameter(problem):
    """{0, 1} targets give the closed form with Y one-hot; {-1, 1} (the paper, the default) with 2Y - 1."""
    from zsl_tutorial.methods import ESZSL, ESZSLCV

    Xs, ys, Ss, Xu, yu, Su = problem
    d, a = Xs.shape[1], Ss.shape[1]
    for targets, Y in (("binary", np.eye(len(Ss))[ys]), ("signed", 2 * np.eye(len(Ss))[ys] - 1)):
        V = np.linalg.solve(Xs.T @ Xs + 0.5 * np.eye(d), Xs.T @ Y @ Ss) @ np.linalg.inv(Ss.T @ Ss + 2.0 * np.eye(a))
        np.testing.assert_allclose(ESZSL(feature_ridge=0.5, attribute_ridge=2.0, targets=targets).fit(Xs, ys, Ss).V_, V, atol=1e-8)
    assert ESZSL().get_params()["targets"] == "signed"
    with pytest.raises(ValueError, match="targets must be 'signed'"):
        ESZSL(targets="onehot").fit(Xs, ys, Ss)
    grid = ESZSL.grid_search((Xs, ys, Ss), (Xu, yu, Su), targets="binary")
    assert grid.params["targets"] == "binary"
    assert "targets" not in ESZSL.grid_search((Xs, ys, Ss), (Xu, yu, Su), targets="signed").params
    cv = ESZSLCV(targets="binary").fit(np.vstack([Xs, Xu]), np.r_[ys, yu + len(Ss)], np.vstack([Ss, Su]),
                                       val_classes=np.arange(len(Ss), len(Ss) + len(Su)))
    assert cv.best_params_ == grid.params and cv.best_estimator_.targets == "binary" == cv.targets_
    both = ESZSLCV().fit(np.vstack([Xs, Xu]), np.r_[ys, yu + len(Ss)], np.vstack([Ss, Su]),
                         val_classes=np.arange(len(Ss), len(Ss) + len(Su)))
    assert both.targets == ("signed", "binary") and both.targets_ == both.cv_results_.targets


def test_eszsl_old_parameter_names_work_for_one_version_with_a_warning(problem):
    """``gamma``/``lam`` (now ``feature_ridge``/``attribute_ridge``) and the grids' ``gammas``/``lams``
    keep working, each with a DeprecationWarning that names the new name, and give the same model."""
    from sklearn.base import clone

    from zsl_tutorial.evaluation import EszslGrid
    from zsl_tutorial.methods import ESZSL, ESZSLCV

    Xs, ys, Ss, Xu, yu, Su = problem
    new = ESZSL(feature_ridge=0.5, attribute_ridge=2.0).fit(Xs, ys, Ss)
    with pytest.warns(DeprecationWarning, match="'gamma' is deprecated .* use 'feature_ridge'"):
        old = ESZSL(gamma=0.5, lam=2.0)
    assert old.get_params() == new.get_params() and "gamma" not in old.get_params()
    np.testing.assert_array_equal(old.fit(Xs, ys, Ss).V_, new.V_)
    with pytest.warns(DeprecationWarning, match="'lam' is deprecated"):
        assert old.lam == 2.0
    with pytest.warns(DeprecationWarning, match="use 'feature_ridge'"):
        old.set_params(gamma=3.0)
    assert old.feature_ridge == 3.0 and clone(old).feature_ridge == 3.0
    with pytest.raises(TypeError, match="got both 'gamma' and 'feature_ridge'"):
        ESZSL(feature_ridge=0.1, gamma=0.2)
    with pytest.raises(TypeError, match="unexpected keyword argument 'alpha'"):
        ESZSL(alpha=0.1)

    grid = ESZSL.grid_search((Xs, ys, Ss), (Xu, yu, Su), feature_ridges=[0.1, 10.0], attribute_ridges=[1.0, 100.0])
    with pytest.warns(DeprecationWarning, match="'gammas' is deprecated"):
        old_grid = ESZSL.grid_search((Xs, ys, Ss), (Xu, yu, Su), gammas=[0.1, 10.0], lams=[1.0, 100.0])
    np.testing.assert_array_equal(old_grid.scores, grid.scores)
    with pytest.warns(DeprecationWarning, match="'gamma' is deprecated"):
        assert grid.gamma == grid.feature_ridge
    with pytest.warns(DeprecationWarning, match="'lams' is deprecated"):
        np.testing.assert_array_equal(grid.lams, grid.attribute_ridges)

    with pytest.warns(DeprecationWarning, match="'gammas' is deprecated"):
        cv = ESZSLCV(gammas=(0.1, 10.0))
    assert cv.get_params()["feature_ridges"] == (0.1, 10.0)
    cv.fit(np.vstack([Xs, Xu]), np.r_[ys, yu + len(Ss)], np.vstack([Ss, Su]),
           val_classes=np.arange(len(Ss), len(Ss) + len(Su)))
    with pytest.warns(DeprecationWarning, match="use 'attribute_ridge_'"):
        assert cv.lam_ == cv.attribute_ridge_
    with pytest.warns(DeprecationWarning, match="'lams' is deprecated"):
        assert EszslGrid(lams=(1.0,)).attribute_ridges == (1.0,)
