"""Tests of zsl_tutorial.data.synthetic.make_synthetic."""
from __future__ import annotations

import numpy as np
import pytest

from zsl_tutorial.data import ZSLDataset
from zsl_tutorial.data.synthetic import make_synthetic
from zsl_tutorial.methods import AttributeRegressor

SMALL = dict(n_seen=6, n_unseen=3, n_attributes=12, n_features=16, n_per_class=10)


@pytest.fixture(scope="module")
def default_ds():
    return make_synthetic()


def test_default_shapes(default_ds):
    ds = default_ds
    assert isinstance(ds, ZSLDataset)
    assert ds.X.shape == (50 * 100, 256)
    assert ds.X.dtype == np.float32
    assert ds.S.shape == (50, 85)
    assert ds.y.shape == (5000,)
    assert ds.n_classes == 50
    assert len(ds.seen_classes) == 40 and len(ds.unseen_classes) == 10
    np.testing.assert_array_equal(ds.unseen_classes, np.arange(40, 50))
    np.testing.assert_array_equal(np.bincount(ds.y), np.full(50, 100))
    assert len(ds.aux_names) == 85
    # Validation classes: a third of the seen classes by default (AwA's 27/13).
    assert len(ds.classes_in("val")) == 13 and len(ds.classes_in("train")) == 27
    assert all(ok for _, ok in ds.leakage_report())


def test_custom_sizes():
    ds = make_synthetic(n_seen=7, n_unseen=4, n_attributes=9, n_features=20, n_per_class=12,
                        n_val=2, test_seen_fraction=0.25, seed=3)
    assert ds.X.shape == (11 * 12, 20)
    assert ds.S.shape == (11, 9)
    assert len(ds.seen_classes) == 7 and len(ds.unseen_classes) == 4
    assert len(ds.classes_in("val")) == 2
    assert len(ds.splits["test_seen"]) == 7 * 3
    assert len(ds.splits["test_unseen"]) == 4 * 12
    assert ds.class_names[0] == "seen_00" and ds.class_names[-1] == "unseen_03"


def test_determinism_same_seed():
    a, b = make_synthetic(**SMALL, seed=11), make_synthetic(**SMALL, seed=11)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.S, b.S)
    np.testing.assert_array_equal(a.y, b.y)
    for k in a.splits:
        np.testing.assert_array_equal(a.splits[k], b.splits[k])


def test_different_seed_differs():
    a, b = make_synthetic(**SMALL, seed=1), make_synthetic(**SMALL, seed=2)
    assert not np.allclose(a.X, b.X)
    assert not np.allclose(a.S, b.S)


def test_value_ranges(default_ds):
    assert np.all((default_ds.S >= 0) & (default_ds.S <= 1))
    assert np.all(default_ds.X >= 0)
    assert np.isfinite(default_ds.X).all()
    # Continuous attributes, not just 0/1.
    assert np.mean((default_ds.S > 0.05) & (default_ds.S < 0.95)) > 0.3


@pytest.mark.parametrize("constant", [[0, 3, 7], 4])
def test_constant_attributes(constant):
    # Lost attributes take random 0/1 values over the unseen classes, so with few unseen
    # classes one can come out constant by chance (probability 2 ** (1 - n_unseen) each);
    # 12 unseen classes and a fixed seed make this deterministic and not a near miss.
    ds = make_synthetic(n_seen=8, n_unseen=12, n_attributes=10, n_features=16, n_per_class=6,
                        constant_attributes=constant, seed=5)
    cols = np.arange(constant) if isinstance(constant, int) else np.array(constant)
    seen, unseen = ds.seen_classes, ds.unseen_classes
    # Exactly constant (0) over seen classes ...
    np.testing.assert_array_equal(ds.S[np.ix_(seen, cols)], 0.0)
    # ... but varying over unseen classes (each lost attribute takes both 0 and 1 here).
    for j in cols:
        assert np.ptp(ds.S[unseen, j]) > 0, f"attribute {j} is constant over the unseen classes"
        assert set(np.unique(ds.S[unseen, j])) <= {0.0, 1.0}
    # The other attributes still vary over seen classes.
    others = np.setdiff1d(np.arange(10), cols)
    assert np.all(np.ptp(ds.S[np.ix_(seen, others)], axis=0) > 0)
    np.testing.assert_array_equal(ds.extras["constant_attributes"], cols)


def test_no_constant_attributes_by_default(default_ds):
    assert np.all(np.ptp(default_ds.S[default_ds.seen_classes], axis=0) > 0)
    assert default_ds.extras["constant_attributes"].size == 0


def test_n_nuisance_adds_columns():
    base = make_synthetic(**SMALL, seed=4)
    ds = make_synthetic(**SMALL, n_nuisance=5, seed=4)
    assert ds.X.shape == (base.X.shape[0], base.X.shape[1] + 5)
    # The informative part is unchanged by adding nuisance dimensions.
    np.testing.assert_array_equal(ds.X[:, :16], base.X)
    assert np.all(ds.X[:, 16:] >= 0)
    # Nuisance columns do not depend on the class: their class means are all alike.
    means = np.array([ds.X[ds.y == c, 16:].mean() for c in range(ds.n_classes)])
    assert means.std() < 0.2


def test_learnable_zero_shot(default_ds):
    """A ridge map X -> S trained on seen classes is clearly above chance on unseen classes."""
    tr, te = default_ds.train_view(), default_ds.zsl_view()
    model = AttributeRegressor(alpha=1.0).fit(tr.X, tr.y, tr.S)
    acc = model.score(te.X, te.y, te.S)
    chance = 1.0 / len(te.classes)
    assert acc > 3 * chance, f"ZSL accuracy {acc:.3f} is not clearly above chance {chance:.3f}"


def test_noise_free_classes_are_separable():
    # Without noise every sample sits on its class centre: seen classes are perfectly separable.
    ds = make_synthetic(**SMALL, noise=0.0, class_noise=0.0, seed=0)
    for c in range(ds.n_classes):
        Xc = ds.X[ds.y == c]
        np.testing.assert_allclose(Xc, np.broadcast_to(Xc[0], Xc.shape))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_seen": 1}, "n_seen must be an integer >= 2"),
        ({"n_seen": 10.0}, "n_seen must be an integer"),
        ({"n_unseen": 0}, "n_unseen must be an integer >= 1"),
        ({"n_attributes": 1}, "n_attributes must be an integer >= 2"),
        ({"n_features": 1}, "n_features must be an integer >= 2"),
        ({"n_per_class": 4}, "n_per_class must be an integer >= 5"),
        ({"n_latent": 0}, "n_latent must be an integer >= 1"),
        ({"n_nuisance": -1}, "n_nuisance must be a non-negative integer"),
        ({"n_nuisance": 1.5}, "n_nuisance must be a non-negative integer"),
        ({"noise": -1.0}, "noise and class_noise must be"),
        ({"class_noise": -0.1}, "noise and class_noise must be"),
        ({"noise": float("nan")}, "noise and class_noise must be finite"),
        ({"constant_attributes": [12]}, r"constant_attributes must index attributes in \[0, 11\]"),
        ({"constant_attributes": [-1]}, "constant_attributes must index attributes"),
        ({"constant_attributes": 12}, "at least one attribute must stay informative"),
        ({"constant_attributes": -2}, "constant_attributes as a count must be >= 0"),
        ({"n_val": 6}, "n_val must be between 1 and 5"),
        ({"test_seen_fraction": 1.5}, "test_seen_fraction"),
    ],
)
def test_bad_arguments(kwargs, match):
    args = dict(SMALL)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        make_synthetic(**args)
