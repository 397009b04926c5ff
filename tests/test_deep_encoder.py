"""Tests of the torch DeepEncoder: shapes, determinism, learning, and input checks (CPU, a few seconds)."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

torch = pytest.importorskip("torch")

from zsl_tutorial.methods import DeepEncoder  # noqa: E402


def make_problem(seed=0, n_seen=10, n_unseen=5, a=8, d=32, n_per=60, n_per_test=30, noise=0.3):
    """X = tanh(S[y] W / 2) + noise, for seen (train) and unseen (test) classes; labels local to each S."""
    rng = np.random.default_rng(seed)
    S = rng.random((n_seen + n_unseen, a))
    W = rng.normal(size=(a, d))

    def draw(classes, n):
        y = np.repeat(classes, n)
        return np.tanh(S[y] @ W / 2) + noise * rng.normal(size=(len(y), d)), y

    Xs, ys = draw(np.arange(n_seen), n_per)
    Xu, yu = draw(np.arange(n_seen, n_seen + n_unseen), n_per_test)
    return Xs, ys, S[:n_seen], Xu, yu - n_seen, S[n_seen:]


SMALL = dict(hidden=64, epochs=15, batch_size=64, lr=3e-3, progress=False, device="cpu")


@pytest.fixture(scope="module")
def problem():
    return make_problem()


@pytest.fixture(scope="module")
def fitted(problem):
    Xs, ys, Ss, *_ = problem
    return DeepEncoder(seed=0, **SMALL).fit(Xs, ys, Ss)


def test_shapes_and_outputs(fitted, problem):
    Xs, ys, Ss, Xu, yu, Su = problem
    scores = fitted.decision_function(Xu, Su)
    assert isinstance(scores, np.ndarray) and scores.dtype == np.float64
    assert scores.shape == (len(Xu), len(Su))
    assert np.all(np.abs(scores) <= 1 + 1e-6)  # cosines
    Z = fitted.embed(Xu)
    assert Z.shape == (len(Xu), Ss.shape[1])
    np.testing.assert_array_equal(fitted.predict(Xu, Su), scores.argmax(1))
    assert fitted.device_ == "cpu"
    assert len(fitted.loss_history_) == SMALL["epochs"]
    assert fitted.loss_history_[-1] < 0.5 * fitted.loss_history_[0]


def test_learns_unseen_classes_well_above_chance(fitted, problem):
    *_, Xu, yu, Su = problem
    acc = fitted.score(Xu, yu, Su)
    assert acc > 3 * (1 / len(Su)), f"unseen per-class accuracy {acc:.2f} on an easy problem"


def test_same_seed_same_scores_other_seed_differs(fitted, problem):
    Xs, ys, Ss, Xu, _, Su = problem
    again = DeepEncoder(seed=0, **SMALL).fit(Xs, ys, Ss)
    np.testing.assert_array_equal(again.decision_function(Xu, Su), fitted.decision_function(Xu, Su))
    other = DeepEncoder(seed=1, **SMALL).fit(Xs, ys, Ss)
    assert not np.array_equal(other.decision_function(Xu, Su), fitted.decision_function(Xu, Su))


def test_fit_leaves_the_global_torch_rng_alone(problem):
    Xs, ys, Ss, *_ = problem
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    DeepEncoder(seed=0, **{**SMALL, "epochs": 1}).fit(Xs, ys, Ss)
    assert torch.equal(torch.rand(3), expected)


def test_linear_model_and_progress_bar(problem, capsys):
    Xs, ys, Ss, *_ = problem
    est = DeepEncoder(**{**SMALL, "hidden": (), "epochs": 2, "progress": True}).fit(Xs, ys, Ss)
    assert len(est.model_) == 1  # hidden=() is a single linear layer
    assert "DeepEncoder" in capsys.readouterr().err


def test_embed_checks_its_input_as_prediction_does(problem):
    # The shared checks of fit, decision_function, predict and score: test_estimator_contract.py.
    Xs, ys, Ss, Xu, yu, Su = problem
    est = DeepEncoder(**{**SMALL, "epochs": 1})
    with pytest.raises(NotFittedError, match="not fitted"):
        est.embed(Xu)
    est.fit(Xs, ys, Ss)
    with pytest.raises(ValueError, match="X has 31 features, but DeepEncoder was fitted on 32"):
        est.embed(Xu[:, 1:])


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"temperature": 0.0}, ValueError, "temperature must be a finite number > 0"),
        ({"epochs": 0}, ValueError, r"epochs must be an integer in \[1, inf\], got 0"),
        ({"hidden": (64, 0)}, ValueError, r"every hidden size must be an integer in \[1, inf\]"),
        ({"lr": -1e-3}, ValueError, "lr must be"),
        ({"seed": -1}, ValueError, r"seed must be an integer in \[0, 4294967295\]"),
        # A wrong type is a TypeError (zsl_tutorial._validation.check_int), as everywhere in the package.
        ({"batch_size": 2.5}, TypeError, "batch_size must be an integer, got float"),
    ],
)
def test_bad_hyperparameters(params, error, match, problem):
    Xs, ys, Ss, *_ = problem
    with pytest.raises(error, match=match):
        DeepEncoder(**{**SMALL, **params}).fit(Xs, ys, Ss)
