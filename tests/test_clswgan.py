"""Tests of f-CLSWGAN: the gradient penalty by hand, shapes, determinism, synthesis quality, errors (CPU, seconds)."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

torch = pytest.importorskip("torch")

from zsl_tutorial.methods import CLSWGAN  # noqa: E402
from zsl_tutorial.methods.clswgan import PAPER_PRESETS, gradient_penalty  # noqa: E402


def make_problem(seed=0, n_seen=6, n_unseen=3, a=6, d=16, n_per=80, n_test=30, noise=0.15):
    """Non-negative features relu(S[y] W) + noise with well separated classes; labels local to each S."""
    rng = np.random.default_rng(seed)
    S = rng.random((n_seen + n_unseen, a))
    W = rng.normal(size=(a, d)) * 2

    def draw(classes, n):
        y = np.repeat(classes, n)
        return np.maximum(S[y] @ W, 0) + noise * rng.random((len(y), d)), y

    Xs, ys = draw(np.arange(n_seen), n_per)
    Xt, yt = draw(np.arange(n_seen), n_test)
    Xu, yu = draw(np.arange(n_seen, n_seen + n_unseen), n_test)
    return dict(Xs=Xs, ys=ys, Ss=S[:n_seen], Xt=Xt, yt=yt, Xu=Xu, yu=yu - n_seen, Su=S[n_seen:], S=S)


SMALL = dict(paper_init=False, hidden=64, epochs=40, lr=3e-3, beta=0.3, n_synth=40, clf_epochs=10, pretrain_epochs=60, progress=False,
             device="cpu")


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """Small networks: one thread is faster, and a CPU shared with other jobs does not stall two
    spinning threads (measured under load: the `fitted` fixture took 182 s with 2 threads, 6 s with 1)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def make_easy_problem(seed=0, n_per=60, d=12, a=5, noise=0.1):
    """Ten well-separated classes whose features add up per attribute (x = a W + noise, a two-hot).

    Classes (0, 2) and (2, 4) are held out as unseen; every attribute still occurs among the
    eight seen classes, so a generator can compose the unseen classes from what it has seen.
    Labels are local: rows of ``Ss`` for seen samples, rows of ``Su`` for unseen ones.
    """
    import itertools

    rng = np.random.default_rng(seed)
    S = np.array([np.isin(np.arange(a), pair).astype(float) for pair in itertools.combinations(range(a), 2)])
    W = rng.random((a, d)) * 3
    unseen = np.array([1, 8])
    seen = np.setdiff1d(np.arange(len(S)), unseen)

    def draw(classes):
        y = np.repeat(np.arange(len(classes)), n_per)
        return S[classes][y] @ W + noise * rng.standard_normal((len(y), d)).clip(0), y

    (Xs, ys), (Xu, yu) = draw(seen), draw(unseen)
    return dict(Xs=Xs, ys=ys, Ss=S[seen], Xu=Xu, yu=yu, Su=S[unseen])


@pytest.fixture(scope="module")
def problem():
    return make_problem()


@pytest.fixture(scope="module")
def fitted(problem):
    return CLSWGAN(seed=0, **SMALL).fit(problem["Xs"], problem["ys"], problem["Ss"], candidates=problem["S"])


# ----------------------------------------------------------------- the gradient penalty
class LinearCritic(torch.nn.Module):
    def __init__(self, w, v):
        super().__init__()
        self.w, self.v = torch.tensor(w), torch.tensor(v)

    def forward(self, x, a):
        return x @ self.w + a @ self.v + 0.5


def test_gradient_penalty_of_a_linear_critic_is_norm_minus_one_squared():
    w = [3.0, 4.0]  # ‖w‖ = 5 → penalty (5 − 1)² = 16 for every interpolate
    critic = LinearCritic(w, [1.0, -2.0, 0.5])
    g = torch.Generator().manual_seed(0)
    real, fake, cond = torch.rand(7, 2, generator=g), torch.rand(7, 2, generator=g), torch.rand(7, 3, generator=g)
    assert float(gradient_penalty(critic, real, fake, cond)) == pytest.approx(16.0)
    alpha = torch.full((7, 1), 0.3)
    assert float(gradient_penalty(critic, real, fake, cond, alpha=alpha)) == pytest.approx(16.0)
    unit = LinearCritic([0.6, 0.8], [0.0, 0.0, 0.0])  # a 1-Lipschitz critic pays nothing
    assert float(gradient_penalty(unit, real, fake, cond)) == pytest.approx(0.0, abs=1e-12)


def test_gradient_penalty_of_a_quadratic_critic_by_hand():
    # D(x) = ½‖x‖² has gradient x̂; with α = ½ the interpolate of (2, 0) and (0, 0) is (1, 0): penalty 0,
    # and of (4, 0) and (0, 0) is (2, 0): penalty (2 − 1)² = 1; the mean is 0.5.
    critic = lambda x, a: 0.5 * (x**2).sum(1)  # noqa: E731
    real = torch.tensor([[2.0, 0.0], [4.0, 0.0]])
    gp = gradient_penalty(critic, real, torch.zeros(2, 2), torch.zeros(2, 1), alpha=torch.full((2, 1), 0.5))
    assert float(gp.detach()) == pytest.approx(0.5)


def test_gradient_penalty_is_differentiable_and_checks_shapes():
    critic = torch.nn.Linear(3, 1)
    f = lambda x, a: critic(x).squeeze(1)  # noqa: E731
    gp = gradient_penalty(f, torch.rand(4, 3), torch.rand(4, 3), torch.rand(4, 2))
    gp.backward()
    assert critic.weight.grad is not None and torch.isfinite(critic.weight.grad).all()
    with pytest.raises(ValueError, match="same shape"):
        gradient_penalty(f, torch.rand(4, 3), torch.rand(5, 3), torch.rand(4, 2))


# ----------------------------------------------------------------- the estimator
def test_shapes_history_and_outputs(fitted, problem):
    p = problem
    gz_scores = fitted.decision_function(np.vstack([p["Xt"], p["Xu"]]), p["S"])
    assert gz_scores.shape == (len(p["Xt"]) + len(p["Xu"]), len(p["S"])) and gz_scores.dtype == np.float64
    np.testing.assert_allclose(np.exp(gz_scores).sum(1), 1.0, atol=1e-5)  # log-probabilities
    Xsyn, ysyn = fitted.synthesize(p["Su"], 25)
    assert Xsyn.shape == (3 * 25, p["Xs"].shape[1]) and np.array_equal(np.bincount(ysyn), [25, 25, 25])
    assert set(fitted.history_) == {"critic", "wasserstein", "gp", "generator", "cls"}
    assert all(len(v) == SMALL["epochs"] and np.all(np.isfinite(v)) for v in fitted.history_.values())
    assert fitted.device_ == "cpu"
    np.testing.assert_array_equal(fitted.seen_rows(p["S"]), np.arange(len(p["S"])) < len(p["Ss"]))
    np.testing.assert_array_equal(fitted.predict(p["Xu"], p["Su"]), fitted.decision_function(p["Xu"], p["Su"]).argmax(1))


def test_the_final_softmax_is_trained_in_fit_and_predictions_change_nothing(fitted, problem):
    p = problem
    a = fitted.decision_function(p["Xu"], p["S"])
    weights = [w.clone() for w in fitted.classifier_.parameters()]
    state = set(vars(fitted))
    fitted.decision_function(p["Xu"], p["Su"])
    fitted.score(p["Xu"], p["yu"], p["Su"])
    assert set(vars(fitted)) == state and all(torch.equal(w, v) for w, v in zip(weights, fitted.classifier_.parameters()))
    # ZSL among the unseen rows: the same softmax, renormalised over its unseen columns.
    zsl = fitted.decision_function(p["Xu"], p["Su"])
    np.testing.assert_allclose(zsl, torch.log_softmax(torch.as_tensor(a[:, len(p["Ss"]):]), dim=1).numpy(), atol=1e-5)
    np.testing.assert_array_equal(fitted.decision_function(p["Xu"], p["S"]), a)


def test_refit_classifier_reuses_the_generator_and_leaves_the_model_alone(fitted, problem):
    p = problem
    a = fitted.decision_function(p["Xu"], p["S"])
    other = fitted.refit_classifier(n_synth=7)
    assert other is not fitted and other.generator_ is fitted.generator_ and other.n_synth == 7
    assert not np.array_equal(a, other.decision_function(p["Xu"], p["S"]))
    np.testing.assert_array_equal(a, fitted.decision_function(p["Xu"], p["S"]))
    fresh = CLSWGAN(seed=0, **{**SMALL, "n_synth": 7}).fit(p["Xs"], p["ys"], p["Ss"], candidates=p["S"])
    np.testing.assert_array_equal(other.decision_function(p["Xu"], p["S"]), fresh.decision_function(p["Xu"], p["S"]))
    with pytest.raises(ValueError, match="need a new fit"):
        fitted.refit_classifier(hidden=8)
    before = fitted.get_params()["n_synth"]
    fitted.set_params(n_synth=7)  # read in fit only: the fitted predictions stay the same
    np.testing.assert_array_equal(a, fitted.decision_function(p["Xu"], p["S"]))
    fitted.set_params(n_synth=before)


def test_a_generator_snapshot_is_the_model_trained_for_fewer_epochs(problem):
    """refit_classifier(epochs=e) from a snapshot equals a fresh fit of e epochs, bit for bit:
    the number of epochs can be chosen on validation at the cost of one GAN training."""
    p = problem
    kw = {**SMALL, "epochs": 3, "pretrain_epochs": 3, "clf_epochs": 2}
    long = CLSWGAN(seed=0, snapshot_epochs=(1, 2), **kw).fit(p["Xs"], p["ys"], p["Ss"], candidates=p["S"])
    assert sorted(long.generator_snapshots_) == [1, 2] and long.epochs_trained_ == 3
    before = long.decision_function(p["Xu"], p["S"])
    short = long.refit_classifier(epochs=1)
    fresh = CLSWGAN(seed=0, **{**kw, "epochs": 1}).fit(p["Xs"], p["ys"], p["Ss"], candidates=p["S"])
    np.testing.assert_array_equal(short.decision_function(p["Xu"], p["S"]), fresh.decision_function(p["Xu"], p["S"]))
    assert short.epochs == 1 and short.epochs_trained_ == 1 and len(short.history_["critic"]) == 1
    assert short.generator_ is not long.generator_
    np.testing.assert_array_equal(before, long.decision_function(p["Xu"], p["S"]))  # the long model is unchanged
    with pytest.raises(ValueError, match="snapshot_epochs"):
        fresh.refit_classifier(epochs=2)  # more epochs than were trained: no snapshot can give them
    with pytest.raises(TypeError, match="snapshot_epochs"):
        CLSWGAN(snapshot_epochs=5, **kw).fit(p["Xs"], p["ys"], p["Ss"])
    planned = CLSWGAN(**kw).plan_grid_fit([{"epochs": 4}, {"epochs": 2, "n_synth": 9}, {"epochs": 4}])
    assert planned.epochs == 4 and planned.snapshot_epochs == (2,)


def test_classes_not_given_to_fit_are_refused(problem):
    p = problem
    seen_only = CLSWGAN(seed=0, **{**SMALL, "epochs": 1}).fit(p["Xs"], p["ys"], p["Ss"])
    assert seen_only.decision_function(p["Xt"], p["Ss"]).shape == (len(p["Xt"]), len(p["Ss"]))
    with pytest.raises(ValueError, match="candidates=") as err:
        seen_only.decision_function(p["Xu"], p["Su"])
    assert "rows [0, 1, 2] of S" in str(err.value)
    with pytest.warns(DeprecationWarning, match="seen_mask"):
        seen_only.decision_function(p["Xt"], p["Ss"], seen_mask=np.ones(len(p["Ss"]), bool))
    with pytest.raises(ValueError, match="auxiliary dimensions"):
        CLSWGAN(**SMALL).fit(p["Xs"], p["ys"], p["Ss"], candidates=p["S"][:, :3])


def test_deterministic_with_a_seed(problem):
    p = problem
    kw = dict(SMALL, epochs=2)
    m1 = CLSWGAN(seed=3, **kw).fit(p["Xs"], p["ys"], p["Ss"], candidates=p["S"])
    m2 = CLSWGAN(seed=3, **kw).fit(p["Xs"], p["ys"], p["Ss"], candidates=p["S"])
    np.testing.assert_array_equal(m1.synthesize(p["Su"], 5)[0], m2.synthesize(p["Su"], 5)[0])
    np.testing.assert_array_equal(m1.decision_function(p["Xu"], p["S"]), m2.decision_function(p["Xu"], p["S"]))
    assert m1.history_ == m2.history_
    m3 = CLSWGAN(seed=4, **kw).fit(p["Xs"], p["ys"], p["Ss"])
    assert not np.array_equal(m1.synthesize(p["Su"], 5)[0], m3.synthesize(p["Su"], 5)[0])


def test_synthetic_features_land_near_their_own_class(fitted, problem):
    p = problem
    # seen classes: generated features are closer to their class's real mean than to any other class's mean
    Xsyn, ysyn = fitted.synthesize(p["Ss"], 50)
    means = np.stack([p["Xs"][p["ys"] == c].mean(0) for c in range(len(p["Ss"]))])
    syn_means = np.stack([Xsyn[ysyn == c].mean(0) for c in range(len(p["Ss"]))])
    dist = np.linalg.norm(syn_means[:, None] - means[None], axis=2)
    np.testing.assert_array_equal(dist.argmin(1), np.arange(len(p["Ss"])))
    assert Xsyn.min() >= p["Xs"].min() - 1e-9  # the ReLU output, mapped back: never below the training minimum
    # unseen classes: the classifier trained on their synthetic features recognises real ones well above chance
    assert fitted.score(p["Xu"], p["yu"], p["Su"]) > 2 / len(p["Su"])


def test_every_class_is_synthesized_nearest_its_own_real_mean():
    """On an easy problem, each class's synthetic mean is nearer its real mean than any other of the
    ten classes' means: for the 8 seen classes and, the zero-shot part, for the 2 unseen ones."""
    p = make_easy_problem(seed=0)
    gan = CLSWGAN(seed=0, **dict(SMALL, hidden=32, epochs=30)).fit(p["Xs"], p["ys"], p["Ss"])
    real_means = np.vstack([[p[X][p[y] == c].mean(0) for c in range(len(p[S]))]
                            for X, y, S in (("Xs", "ys", "Ss"), ("Xu", "yu", "Su"))])
    X_syn, y_syn = gan.synthesize(np.vstack([p["Ss"], p["Su"]]), 50)
    syn_means = np.stack([X_syn[y_syn == c].mean(0) for c in range(10)])
    dist = np.linalg.norm(syn_means[:, None] - real_means[None], axis=2)  # synthetic class x real class
    np.testing.assert_array_equal(dist.argmin(axis=1), np.arange(10))


def test_errors(problem):
    p = problem
    with pytest.raises(NotFittedError):
        CLSWGAN().decision_function(p["Xu"], p["Su"])
    with pytest.raises(NotFittedError):
        CLSWGAN().synthesize(p["Su"], 3)
    X = p["Xs"].copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="(?i)nan|finite"):
        CLSWGAN(**SMALL).fit(X, p["ys"], p["Ss"])
    with pytest.raises(ValueError):
        CLSWGAN(**SMALL).fit(p["Xs"], p["ys"][:-1], p["Ss"])
    with pytest.raises(ValueError, match="hidden"):
        CLSWGAN(hidden=0).fit(p["Xs"], p["ys"], p["Ss"])
    with pytest.raises(ValueError, match="beta"):
        CLSWGAN(beta=-1.0).fit(p["Xs"], p["ys"], p["Ss"])
    with pytest.raises(ValueError, match="n_synth"):
        CLSWGAN(n_synth=0).fit(p["Xs"], p["ys"], p["Ss"])
    with pytest.raises(ValueError, match="lr"):
        CLSWGAN(lr=0.0).fit(p["Xs"], p["ys"], p["Ss"])
    with pytest.raises(ValueError):  # a label with no row in S
        CLSWGAN(**SMALL).fit(p["Xs"], p["ys"] + 1, p["Ss"])
    with pytest.raises(ValueError):  # S with a different number of classes than the labels use
        CLSWGAN(**SMALL).fit(p["Xs"], p["ys"], p["Ss"][:3])


def test_prediction_input_errors(fitted, problem):
    p = problem
    with pytest.raises(ValueError, match="features"):
        fitted.decision_function(p["Xu"][:, :5], p["Su"])
    with pytest.raises(ValueError, match="auxiliary"):
        fitted.decision_function(p["Xu"], p["Su"][:, :3])
    with pytest.raises(ValueError, match="n_per_class"):
        fitted.synthesize(p["Su"], 0)


def test_device_choice(problem, monkeypatch):
    p = problem
    m = CLSWGAN(seed=0, **dict(SMALL, epochs=1, device=None)).fit(p["Xs"], p["ys"], p["Ss"])
    assert m.device_ == ("cuda" if torch.cuda.is_available() else "cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    m = CLSWGAN(seed=0, **dict(SMALL, epochs=1, device=None)).fit(p["Xs"], p["ys"], p["Ss"])
    assert m.device_ == "cpu"
    with pytest.raises((RuntimeError, ValueError)):
        CLSWGAN(seed=0, **dict(SMALL, epochs=1, device="no-such-device")).fit(p["Xs"], p["ys"], p["Ss"])


def test_paper_preset():
    m = CLSWGAN.paper_preset("cub")
    assert (m.hidden, m.batch_size, m.n_critic, m.gp_weight, m.beta) == (4096, 64, 5, 10.0, 0.01)
    assert (m.lr, m.epochs, m.n_synth) == (1e-4, 56, 300)
    assert CLSWGAN.paper_preset("AWA2").n_synth == PAPER_PRESETS["AWA"]["n_synth"] == 1800
    assert CLSWGAN.paper_preset("SUN", epochs=3).epochs == 3
    with pytest.raises(ValueError, match="preset"):
        CLSWGAN.paper_preset("ImageNet")


def test_import_stays_light():
    import subprocess
    import sys

    code = "import sys, zsl_tutorial.methods.clswgan; print('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
