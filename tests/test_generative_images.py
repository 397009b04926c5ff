"""Tests of the conditional image GAN of lesson 04: shapes, determinism, errors, class consistency, a tiny training run.

Everything runs on the CPU in a few seconds, on hand-made 28×28 images: a white
square top-left for class 0 and bottom-right for class 1.
"""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

torch = pytest.importorskip("torch")

from zsl_tutorial.generative_images import ImageGAN, class_consistency, to_uint8  # noqa: E402

TINY = dict(epochs=2, width=2, n_noise=2, batch_size=16, progress=False, device="cpu")


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """Tiny networks: one thread is faster, and immune to a busy CPU."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def squares(n_per=48, seed=0):
    """uint8 images: class 0 has a 10×10 white square near the top-left corner, class 1 near the bottom-right."""
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n_per)
    X = np.zeros((len(y), 28, 28), np.uint8)
    for i, c in enumerate(y):
        r, s = rng.integers(0, 4, 2)
        off = 2 if c == 0 else 14
        X[i, off + r:off + r + 10, off + s:off + s + 10] = 255
    return X, y


S2 = np.array([[1.0, 0.0], [0.0, 1.0]])


@pytest.fixture(scope="module")
def data():
    return squares()


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return ImageGAN(seed=0, **TINY).fit(X, y, S2)


# ----------------------------------------------------------------- outputs
def test_generate_shapes_dtype_and_range(fitted):
    imgs = fitted.generate(S2, 5)
    assert imgs.shape == (2, 5, 28, 28) and imgs.dtype == np.float32
    assert imgs.min() >= 0.0 and imgs.max() <= 1.0
    one = fitted.generate(np.array([0.3, 0.7]), 3)  # a single (unseen) description: one row
    assert one.shape == (1, 3, 28, 28)
    assert fitted.generate(np.tile([0.5, 0.5], (4, 1)), 1).shape == (4, 1, 28, 28)
    assert set(fitted.history_) == {"discriminator", "generator", "aux"}
    assert all(len(v) == TINY["epochs"] and np.all(np.isfinite(v)) for v in fitted.history_.values())
    assert fitted.n_aux_in_ == 2 and fitted.device_ == "cpu"
    assert "ImageGAN(" in repr(fitted) and "aux_weight" in repr(fitted)


def test_same_noise_in_every_row_and_seeded_noise(fitted):
    a = np.array([0.2, 0.9])
    rows = fitted.generate(np.stack([a, a, a]), 4, seed=7)
    np.testing.assert_array_equal(rows[0], rows[2])  # same description, same noise → same images
    np.testing.assert_array_equal(rows[0], fitted.generate(a, 4, seed=7)[0])
    assert not np.array_equal(rows[0], fitted.generate(a, 4, seed=8)[0])
    assert not np.array_equal(rows[0][0], rows[0][1])  # different noise within a row
    np.testing.assert_array_equal(fitted.generate(S2, 2), fitted.generate(S2, 2, seed=0))  # default: the fit seed


def test_two_fits_with_the_same_seed_are_identical(data):
    X, y = data
    g1 = ImageGAN(seed=3, **TINY).fit(X, y, S2)
    g2 = ImageGAN(seed=3, **TINY).fit(X, y, S2)
    np.testing.assert_array_equal(g1.generate(S2, 4), g2.generate(S2, 4))
    assert g1.history_ == g2.history_
    g3 = ImageGAN(seed=4, **TINY).fit(X, y, S2)
    assert not np.array_equal(g1.generate(S2, 4), g3.generate(S2, 4))


def test_uint8_and_float_images_train_the_same_model(data):
    X, y = data
    g_uint8 = ImageGAN(seed=1, **dict(TINY, epochs=1)).fit(X, y, S2)
    g_float = ImageGAN(seed=1, **dict(TINY, epochs=1)).fit(X.astype(np.float64) / 255, y, S2)
    np.testing.assert_array_equal(g_uint8.generate(S2, 3), g_float.generate(S2, 3))


def test_options_and_refit_with_other_attributes(data):
    X, y = data
    g = ImageGAN(seed=0, aux_weight=0.0, spectral_norm=True, **dict(TINY, epochs=1)).fit(X, y, S2)
    assert g.generate(S2, 2).shape == (2, 2, 28, 28)
    S3 = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5]])
    g.fit(X, y, S3)  # a refit forgets the old attribute dimension
    assert g.n_aux_in_ == 3 and g.generate(S3, 1).shape == (2, 1, 28, 28)


def test_a_short_training_run_learns_the_condition():
    """A few seconds of training: each class's description puts the white square in its own corner."""
    X, y = squares(n_per=64)
    gan = ImageGAN(epochs=20, width=4, n_noise=2, batch_size=16, lr=5e-3, seed=0, progress=False,
                   device="cpu").fit(X, y, S2)
    imgs = gan.generate(S2, 20)
    top_left = imgs[:, :, :14, :14].mean(axis=(1, 2, 3))
    bottom_right = imgs[:, :, 14:, 14:].mean(axis=(1, 2, 3))
    assert top_left[0] > top_left[1] + 0.2, top_left
    assert bottom_right[1] > bottom_right[0] + 0.2, bottom_right
    assert class_consistency(CornerClassifier(), imgs.reshape(-1, 28, 28), np.repeat([0, 1], 20))[0] > 0.9


def test_follows_the_sklearn_estimator_contract(fitted, data):
    from sklearn.base import clone

    X, y = data
    params = dict(epochs=2, batch_size=16, lr=5e-4, width=2, n_noise=2, aux_weight=1.0, spectral_norm=False,
                  seed=0, device="cpu", progress=False)
    assert fitted.get_params() == params
    assert [k for k in vars(fitted) if k.endswith("_")], "fitted state lives in trailing-underscore attributes"
    copy = clone(fitted)
    assert type(copy) is ImageGAN and copy.get_params() == params
    assert not [k for k in vars(copy) if k.endswith("_")], "a clone must be unfitted"
    with pytest.raises(NotFittedError, match="not fitted"):
        copy.generate(S2, 2)
    assert copy.set_params(epochs=1, width=3) is copy
    assert (copy.epochs, copy.width, fitted.epochs) == (1, 3, 2)
    with pytest.raises(ValueError, match="no parameter 'widht'"):
        copy.set_params(widht=4)
    assert copy.fit(X, y, S2).generate(S2, 2).shape == (2, 2, 28, 28)  # a tiny fit after clone
    # The seed is a parameter, so a clone refitted on the same data draws the same images.
    np.testing.assert_array_equal(clone(fitted).fit(X, y, S2).generate(S2, 3), fitted.generate(S2, 3))


# ----------------------------------------------------------------- errors
@pytest.mark.parametrize("params, error, match", [
    (dict(epochs=0), ValueError, "epochs"),
    # A wrong integer type is a TypeError (zsl_tutorial._validation.check_int), as everywhere in the package.
    (dict(epochs=2.5), TypeError, "epochs must be an integer, got float"),
    (dict(batch_size=1), ValueError, "batch_size"),
    (dict(width=0), ValueError, "width"),
    (dict(n_noise=True), TypeError, "n_noise must be an integer, got bool"),
    (dict(seed=-1), ValueError, "seed"),
    (dict(lr=0.0), ValueError, "lr"),
    (dict(lr="fast"), ValueError, "lr"),
    (dict(aux_weight=-1.0), ValueError, "aux_weight"),
    (dict(aux_weight=float("nan")), ValueError, "aux_weight"),
    (dict(spectral_norm="yes"), ValueError, "spectral_norm"),
])
def test_bad_parameters_are_named(data, params, error, match):
    X, y = data
    with pytest.raises(error, match=match):
        ImageGAN(**{**TINY, **params}).fit(X, y, S2)


def test_bad_training_data(data):
    X, y = data
    gan = ImageGAN(**TINY)
    with pytest.raises(ValueError, match=r"\(n, 28, 28\)"):
        gan.fit(X[:, :27], y, S2)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        gan.fit(X.astype(float), y, S2)  # 0..255 floats: not [0, 1]
    with pytest.raises(ValueError, match="at least 2 images"):
        gan.fit(X[:1], y[:1], S2)
    with pytest.raises(ValueError, match="row index of S"):
        gan.fit(X, y[:-1], S2)
    with pytest.raises(ValueError, match="row index of S"):
        gan.fit(X, y + 1, S2)  # label 2 has no row in S
    with pytest.raises(ValueError, match="row index of S"):
        gan.fit(X, y.astype(float), S2)
    with pytest.raises(ValueError, match="finite"):
        gan.fit(X, y, np.array([[np.nan, 0.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="2-D"):
        gan.fit(X, y, np.array([1.0, 0.0]))


def test_generate_errors(fitted):
    with pytest.raises(NotFittedError, match="not fitted"):
        ImageGAN().generate(S2, 2)
    with pytest.raises(ValueError, match="trained with 2"):
        fitted.generate(np.ones((2, 3)), 2)  # mismatched attribute dimension
    with pytest.raises(ValueError, match="n_per_class"):
        fitted.generate(S2, 0)
    with pytest.raises(ValueError, match="seed"):
        fitted.generate(S2, 2, seed=-3)
    with pytest.raises(ValueError, match="finite"):
        fitted.generate(np.array([np.inf, 0.0]), 2)


# ----------------------------------------------------------------- class consistency
class FakeClassifier:
    """predict returns fixed labels, and records what it was given."""

    def __init__(self, labels):
        self.labels = np.asarray(labels)
        self.seen = None

    def predict(self, images):
        self.seen = images
        return self.labels


class CornerClassifier:
    """0 when the top-left quadrant is brighter than the bottom-right one, else 1."""

    def predict(self, images):
        x = images.astype(float)
        return (x[:, :14, :14].mean(axis=(1, 2)) <= x[:, 14:, 14:].mean(axis=(1, 2))).astype(int)


def test_class_consistency_on_a_hand_made_case():
    intended = np.array([3, 3, 3, 3, 5, 5, 7, 7, 7, 7])
    predicted = np.array([3, 3, 3, 1, 5, 3, 1, 1, 1, 1])  # class 3: 3/4, class 5: 1/2, class 7: 0/4
    clf = FakeClassifier(predicted)
    images = np.linspace(0, 1, 10 * 28 * 28).reshape(10, 28, 28)
    share, per = class_consistency(clf, images, intended)
    assert share == pytest.approx(4 / 10)
    np.testing.assert_allclose(per, [0.75, 0.5, 0.0])  # in the order of np.unique(intended)
    assert clf.seen.dtype == np.uint8 and clf.seen.min() == 0 and clf.seen.max() == 255
    np.testing.assert_array_equal(to_uint8(np.array([0.0, 0.5, 1.0])), [0, 128, 255])


def test_class_consistency_errors():
    images = np.zeros((4, 28, 28))
    with pytest.raises(TypeError, match="predict"):
        class_consistency(object(), images, np.zeros(4, int))
    with pytest.raises(ValueError, match="one intended label"):
        class_consistency(FakeClassifier(np.zeros(4, int)), images, np.zeros(3, int))
    with pytest.raises(ValueError, match="integer"):
        class_consistency(FakeClassifier(np.zeros(4, int)), images, np.zeros(4))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        class_consistency(FakeClassifier(np.zeros(4, int)), images + 2, np.zeros(4, int))
    with pytest.raises(ValueError, match="returned shape"):
        class_consistency(FakeClassifier(np.zeros(3, int)), images, np.zeros(4, int))


def test_import_stays_light():
    code = "import sys, zsl_tutorial.generative_images; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_class_separation_tells_conditioned_samples_from_unconditioned_ones():
    from zsl_tutorial.generative_images import class_separation

    rng = np.random.default_rng(0)
    noise = rng.random((4, 20, 8, 8))
    acc, chance = class_separation(noise)               # the same distribution for every class
    assert chance == 0.25 and acc < 0.6
    shifted = noise.copy()
    for c in range(4):
        shifted[c, :, c * 2:c * 2 + 2, :] += 1.0         # each class brightens its own rows
    acc, _ = class_separation(shifted)
    assert acc == 1.0
    with pytest.raises(ValueError, match="n_classes >= 2"):
        class_separation(noise[0])
