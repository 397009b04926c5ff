"""Tests of zsl_tutorial.encoders: the seen-class CNN, the feature cache and the (offline) ResNet path."""
from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from sklearn.exceptions import NotFittedError  # noqa: E402

import zsl_tutorial as zt  # noqa: E402
from zsl_tutorial import encoders  # noqa: E402
from zsl_tutorial.encoders import CNNEncoder, animal_features, feature_dataset, resnet_features  # noqa: E402

@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """Tiny models run as fast on one thread, and far more steadily on a shared CPU."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


FAST = dict(epochs=3, batch_size=32, progress=False, device="cpu")


def make_images(n_per_class=24, labels=(3, 5, 7, 9), seed=0, size=28):
    """Easy synthetic 'animals': each class is a bright square at its own place, on noise; uint8."""
    rng = np.random.default_rng(seed)
    X, y = [], []
    for k, c in enumerate(labels):
        for _ in range(n_per_class):
            img = rng.integers(0, 60, size=(size, size))
            r, col = 3 + 6 * (k % 3) + rng.integers(-1, 2), 3 + 6 * (k // 3) + rng.integers(-1, 2)
            img[r:r + 7, col:col + 7] = 255
            X.append(img)
            y.append(c)
    return np.asarray(X, dtype=np.uint8), np.asarray(y)


def make_image_dataset(seed=0):
    """A tiny ZSLDataset of images (6 classes, 2 unseen), shaped like load_animals()."""
    X, y = make_images(n_per_class=20, labels=tuple(range(6)), seed=seed)
    S = np.random.default_rng(seed).random((6, 4)) + 0.1
    splits = zt.make_split(y, unseen=[4, 5], val=[3], seed=seed)
    return zt.ZSLDataset(X, y, [f"c{i}" for i in range(6)], S, splits, name="toy images")


@pytest.fixture(scope="module")
def toy():
    return make_images()


@pytest.fixture(scope="module")
def fitted(toy):
    X, y = toy
    return CNNEncoder(seed=0, **FAST).fit(X, y)


# ------------------------------------------------------------------- import
def test_import_does_not_import_torch():
    code = "import sys, zsl_tutorial.encoders; print('torch' in sys.modules, 'torchvision' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"


# --------------------------------------------------------------- CNNEncoder
def test_shapes_dtypes_and_labels(fitted, toy):
    X, y = toy
    F = fitted.transform(X)
    assert F.shape == (len(X), 64) and F.dtype == np.float32
    assert (F >= 0).all() and (F > 0).any()  # ReLU features, not all dead
    logits = fitted.decision_function(X[:5])
    assert logits.shape == (5, 4) and logits.dtype == np.float32
    np.testing.assert_array_equal(fitted.classes_, [3, 5, 7, 9])
    pred = fitted.predict(X)
    assert set(np.unique(pred)) <= {3, 5, 7, 9}  # original labels, not 0..k-1
    assert len(fitted.loss_history_) == FAST["epochs"]
    assert fitted.device_ == "cpu"
    # Float images in [0, 1] and (n, 1, H, W) stacks give the same features as uint8.
    np.testing.assert_allclose(fitted.transform(X[:7].astype(np.float64) / 255.0), F[:7], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fitted.transform(X[:7, None]), F[:7], rtol=1e-5, atol=1e-6)  # batch size may
    # change the last float bits of CPU convolutions, never more
    assert fitted.transform(list(X[:3])).shape == (3, 64)


def test_learns_an_easy_problem(fitted, toy):
    X, y = toy
    Xt, yt = make_images(n_per_class=10, seed=1)
    acc = fitted.score(Xt, yt)
    assert 0.0 <= acc <= 1.0
    assert acc > 0.9, f"accuracy {acc:.2f} on squares at four places"
    assert fitted.loss_history_[-1] < fitted.loss_history_[0]


def test_feature_dim_is_respected(toy):
    X, y = toy
    enc = CNNEncoder(feature_dim=16, seed=0, **{**FAST, "epochs": 1}).fit(X, y)
    assert enc.transform(X[:4]).shape == (4, 16)


def test_thread_setting_is_applied_and_restored(toy):
    X, y = toy
    torch.set_num_threads(2)
    try:
        seen = []
        enc = CNNEncoder(seed=0, **{**FAST, "epochs": 1})
        original = enc._train
        enc._train = lambda *a: (seen.append(torch.get_num_threads()), original(*a))
        enc.fit(X, y)
        assert seen == [1] and torch.get_num_threads() == 2
        a = enc.transform(X)
        enc.num_threads = None  # leave torch's setting: same model, same features up to float rounding
        np.testing.assert_allclose(enc.transform(X), a, rtol=1e-5, atol=1e-6)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(1)


def test_same_seed_same_features_and_global_rng_untouched(toy):
    X, y = toy
    torch.manual_seed(123)
    before = torch.get_rng_state()
    a = CNNEncoder(seed=7, **FAST).fit(X, y)
    assert torch.equal(before, torch.get_rng_state()), "fit must not consume the caller's torch RNG"
    b = CNNEncoder(seed=7, **FAST).fit(X, y)
    c = CNNEncoder(seed=8, **FAST).fit(X, y)
    np.testing.assert_array_equal(a.transform(X), b.transform(X))
    assert a.loss_history_ == b.loss_history_
    assert not np.array_equal(a.transform(X), c.transform(X))


_TOY_CNN_CHILD = """
import hashlib, sys
sys.path.insert(0, {tests!r})
import torch
torch.set_num_threads(1)
from test_encoders import FAST, make_images
from zsl_tutorial.encoders import CNNEncoder
X, y = make_images()
enc = CNNEncoder(seed=7, **FAST).fit(X, y)
print(hashlib.sha256(enc.transform(X).tobytes()).hexdigest())
"""


def _toy_cnn_hash(**env: str) -> str:
    import os
    from pathlib import Path

    code = _TOY_CNN_CHILD.format(tests=str(Path(__file__).parent))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.strip().splitlines()[-1]


def test_same_seed_same_cnn_on_another_instruction_set():
    """oneDNN picks convolution kernels by the CPU's instruction set; limiting it to SSE4.1 stands in for
    an older CPU. The CNN must not notice (it trains with PyTorch's own kernels on the CPU); with oneDNN's,
    an AVX-512 machine gave other features here."""
    import hashlib

    X, y = make_images()
    here = hashlib.sha256(CNNEncoder(seed=7, **FAST).fit(X, y).transform(X).tobytes()).hexdigest()
    assert _toy_cnn_hash(ONEDNN_MAX_CPU_ISA="SSE41") == here


@pytest.mark.parametrize("images,match,exc", [
    (np.zeros((5, 28), np.uint8), r"\(n, height, width\)", ValueError),
    (np.zeros((0, 28, 28), np.uint8), "empty", ValueError),
    (np.zeros((5, 4, 4), np.uint8), "at least 8x8", ValueError),
    (np.full((5, 28, 28), 3.0), r"must lie in \[0, 1\]", ValueError),
    (np.full((5, 28, 28), np.nan), "NaN", ValueError),
    (np.zeros((5, 28, 28), np.int32), "uint8", ValueError),
    (np.array([["a"] * 28] * 28 * 5).reshape(5, 28, 28), "numeric", TypeError),
])
def test_bad_images_are_refused(images, match, exc):
    with pytest.raises(exc, match=match):
        CNNEncoder(**FAST).fit(images, np.arange(len(images)) % 2)


def test_bad_labels_and_params(toy):
    X, y = toy
    with pytest.raises(ValueError, match="one label per image"):
        CNNEncoder(**FAST).fit(X, y[:-1])
    with pytest.raises(TypeError, match="integer"):
        CNNEncoder(**FAST).fit(X, y.astype(float))
    with pytest.raises(ValueError, match="at least two"):
        CNNEncoder(**FAST).fit(X, np.zeros(len(X), int))
    for bad in (dict(epochs=0), dict(lr=-1.0), dict(feature_dim=0), dict(seed=-1), dict(num_threads=0)):
        with pytest.raises(ValueError, match=next(iter(bad))):
            CNNEncoder(**{**FAST, **bad}).fit(X, y)
    # A wrong type is a TypeError (zsl_tutorial._validation.check_int), as everywhere in the package.
    with pytest.raises(TypeError, match="batch_size must be an integer, got float"):
        CNNEncoder(**{**FAST, "batch_size": 1.5}).fit(X, y)


def test_use_before_fit_and_wrong_size(fitted, toy):
    X, y = toy
    with pytest.raises(NotFittedError, match="fit"):
        CNNEncoder().transform(X)
    with pytest.raises(ValueError, match="trained on 28x28"):
        fitted.transform(np.zeros((2, 32, 32), np.uint8))
    with pytest.raises(ValueError, match="not trained on"):
        fitted.score(X[:4], np.array([3, 5, 7, 11]))


# ----------------------------------------------------- Animal-MNIST, real data
@pytest.fixture(scope="module")
def small_animals():
    from zsl_tutorial.data.animals import load_animals

    try:
        return load_animals(n_per_class=60, verbose=False)
    except OSError as exc:  # pragma: no cover - offline without the cached images
        pytest.skip(f"Animal-MNIST is not available offline here: {exc}")


def test_follows_the_sklearn_estimator_contract(fitted, toy):
    from sklearn.base import clone

    X, y = toy
    params = dict(epochs=3, batch_size=32, lr=2e-3, feature_dim=64, seed=0, device="cpu", progress=False,
                  num_threads=1)
    assert fitted.get_params() == params
    assert [k for k in vars(fitted) if k.endswith("_")], "fitted state lives in trailing-underscore attributes"
    copy = clone(fitted)
    assert type(copy) is CNNEncoder and copy.get_params() == params
    assert not [k for k in vars(copy) if k.endswith("_")], "a clone must be unfitted"
    with pytest.raises(NotFittedError, match="fit"):
        copy.transform(X)
    assert copy.set_params(epochs=1, feature_dim=8) is copy
    assert (copy.epochs, copy.feature_dim, fitted.epochs) == (1, 8, 3)
    with pytest.raises(ValueError, match="no parameter 'epoch'"):
        copy.set_params(epoch=2)
    assert copy.fit(X, y).transform(X[:5]).shape == (5, 8)  # a tiny fit after clone
    # The seed is a parameter, so a clone refitted on the same data gives the same features.
    np.testing.assert_array_equal(clone(fitted).fit(X, y).transform(X), fitted.transform(X))


def test_encoder_rebuilt_from_the_feature_cache_is_an_estimator_too(fitted, toy):
    from sklearn.base import clone

    X, _ = toy
    rebuilt = CNNEncoder._from_state_arrays(fitted._state_arrays(), **fitted.get_params())
    np.testing.assert_array_equal(rebuilt.transform(X), fitted.transform(X))
    assert rebuilt.loss_history_ == fitted.loss_history_
    assert rebuilt.get_params() == fitted.get_params()
    assert not hasattr(clone(rebuilt), "model_")


def test_cnn_on_seen_animals_beats_chance_on_test_seen(small_animals):
    ds = small_animals
    tv, ts = ds.splits["trainval"], ds.splits["test_seen"]
    assert not np.isin(ds.y[tv], ds.unseen_classes).any()
    enc = CNNEncoder(epochs=8, batch_size=32, progress=False, device="cpu").fit(ds.X[tv], ds.y[tv])
    np.testing.assert_array_equal(enc.classes_, ds.seen_classes)  # 7 seen classes, no unseen one
    acc = enc.score(ds.X[ts], ds.y[ts])
    chance = 1 / len(ds.seen_classes)
    assert acc > 3 * chance, f"test_seen accuracy {acc:.2f} vs chance {chance:.2f}"


# --------------------------------------------------------- animal_features cache
def test_animal_features_caches_and_rebuilds(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("ZSL_DATA_DIR", str(tmp_path))
    ds = make_image_dataset()
    feats, enc = animal_features(ds, epochs=2, return_encoder=True)
    out = capsys.readouterr().out
    assert "trained on" in out and "cached at" in out
    files = list((tmp_path / "features").glob("animal_cnn_*.npz"))
    assert len(files) == 1 and not list((tmp_path / "features").glob("*.part"))
    assert feats.shape == (len(ds.X), 64) and feats.dtype == np.float32 and (feats >= 0).all()
    assert enc.from_cache_ is False and 0.0 <= enc.test_seen_accuracy_ <= 1.0
    np.testing.assert_array_equal(enc.classes_, ds.seen_classes)  # trained on trainval classes only

    # Second call: a cache hit, no training at all.
    def no_training(*a, **k):
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(CNNEncoder, "fit", no_training)
    again, enc2 = animal_features(ds, epochs=2, return_encoder=True)
    assert "loaded from cache" in capsys.readouterr().out
    np.testing.assert_array_equal(again, feats)
    assert enc2.from_cache_ is True and enc2.test_seen_accuracy_ == enc.test_seen_accuracy_
    np.testing.assert_allclose(enc2.transform(ds.X[:10]), feats[:10], rtol=1e-5, atol=1e-6)  # the weights too
    np.testing.assert_array_equal(enc2.transform(ds.X), feats)
    assert enc2.loss_history_ == enc.loss_history_
    np.testing.assert_array_equal(animal_features(ds, epochs=2, verbose=False), feats)
    monkeypatch.undo()
    monkeypatch.setenv("ZSL_DATA_DIR", str(tmp_path))

    # A corrupt cache file is rebuilt (and the result is the same, by determinism).
    files[0].write_bytes(b"PK\x03\x04 this is not an npz")
    rebuilt = animal_features(ds, epochs=2)
    assert "damaged" in capsys.readouterr().out
    np.testing.assert_array_equal(rebuilt, feats)
    with np.load(files[0]) as f:
        np.testing.assert_array_equal(f["features"], feats)

    # Another key (epochs) is another file; cache=False writes nothing.
    animal_features(ds, epochs=1, verbose=False)
    assert len(list((tmp_path / "features").glob("animal_cnn_*.npz"))) == 2
    animal_features(ds, epochs=1, seed=5, cache=False, verbose=False)
    assert len(list((tmp_path / "features").glob("animal_cnn_*.npz"))) == 2


def test_cache_with_unusable_weights_is_retrained_when_the_encoder_is_asked_for(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("ZSL_DATA_DIR", str(tmp_path))
    ds = make_image_dataset()
    feats = animal_features(ds, epochs=1, verbose=False)
    (path,) = (tmp_path / "features").glob("animal_cnn_*.npz")
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files if not k.endswith("head.weight")}  # weights incomplete
    np.savez(path, **arrays)  # well formed, but not what was recorded: its content hash tells
    with pytest.warns(RuntimeWarning, match=r"damaged \(it holds .*expected the arrays"):
        np.testing.assert_array_equal(animal_features(ds, epochs=1, verbose=False), feats)  # retrained: same
    again, enc = animal_features(ds, epochs=1, return_encoder=True)
    assert "loaded from cache" in capsys.readouterr().out and enc.from_cache_ is True  # the rebuilt file
    np.testing.assert_array_equal(again, feats)


@pytest.mark.parametrize("damage", ["zeroed features", "not in the manifest", "manifest unreadable"])
def test_a_well_formed_but_altered_feature_cache_is_caught_by_its_recorded_hash(monkeypatch, tmp_path, damage):
    monkeypatch.setenv("ZSL_DATA_DIR", str(tmp_path))
    ds = make_image_dataset()
    feats = animal_features(ds, epochs=1, verbose=False)
    (path,) = (tmp_path / "features").glob("animal_cnn_*.npz")
    manifest = tmp_path / "features" / "manifest.json"
    if damage == "zeroed features":
        with np.load(path) as f:
            arrays = {k: f[k] for k in f.files}
        arrays["features"] = np.zeros_like(arrays["features"])
        np.savez_compressed(path, **arrays)
        expected = r"content has sha256 .* \(altered or damaged\)"
    elif damage == "not in the manifest":
        manifest.write_text("{}")
        expected = "has no record of it"
    else:
        manifest.write_text("{ not json")
        expected = "has no record of it"
    with pytest.warns(RuntimeWarning, match=expected):
        rebuilt = animal_features(ds, epochs=1, verbose=False)
    np.testing.assert_array_equal(rebuilt, feats)  # retrained: the same features, by determinism
    import json

    assert json.loads(manifest.read_text())[path.name]["names"]  # recorded again
    np.testing.assert_array_equal(animal_features(ds, epochs=1, verbose=False), feats)  # and now a clean hit


def test_cache_key_depends_on_the_images_and_the_split():
    ds = make_image_dataset(seed=0)
    other = make_image_dataset(seed=1)
    tv = ds.splits["trainval"]
    key = encoders._cache_key(ds.X, tv, ds.y[tv], 2, 0, 64)
    assert key == encoders._cache_key(ds.X.copy(), tv.copy(), ds.y[tv], 2, 0, 64)
    assert key != encoders._cache_key(other.X, tv, ds.y[tv], 2, 0, 64)
    assert key != encoders._cache_key(ds.X, tv[1:], ds.y[tv][1:], 2, 0, 64)
    assert key != encoders._cache_key(ds.X, tv, ds.y[tv], 3, 0, 64)
    assert key != encoders._cache_key(ds.X, tv, ds.y[tv], 2, 1, 64)
    assert key != encoders._cache_key(ds.X, tv, ds.y[tv], 2, 0, 32)


def test_animal_features_refuses_non_image_datasets():
    with pytest.raises(TypeError, match="ZSLDataset of images"):
        animal_features(np.zeros((5, 28, 28)))
    ds = make_image_dataset()
    flat = feature_dataset(ds, ds.X.reshape(len(ds.X), -1).astype(float))
    with pytest.raises(TypeError, match="images"):
        animal_features(flat)
    with pytest.raises(ValueError, match="epochs"):
        animal_features(ds, epochs=0, cache=False)


def test_feature_dataset_keeps_labels_and_splits():
    ds = make_image_dataset()
    F = np.random.default_rng(0).random((len(ds.X), 5))
    fd = feature_dataset(ds, F)
    assert fd.X.shape == (len(ds.X), 5)
    np.testing.assert_array_equal(fd.y, ds.y)
    np.testing.assert_array_equal(fd.splits["test_unseen"], ds.splits["test_unseen"])
    with pytest.raises(ValueError, match="n_samples"):
        feature_dataset(ds, F[:-1])


# ------------------------------------------------------ resnet_features, offline
def test_resnet_refuses_when_offline_flag_is_set(monkeypatch):
    monkeypatch.setenv("ZSL_OFFLINE", "1")
    t0 = time.perf_counter()
    with pytest.raises(OSError, match=r"ZSL_OFFLINE=1[\s\S]*checkpoints[\s\S]*animal_features"):
        resnet_features(np.zeros((2, 32, 32), np.uint8))
    assert time.perf_counter() - t0 < 5


def test_resnet_download_failure_becomes_a_clear_oserror(monkeypatch):
    import urllib.error

    import torchvision

    monkeypatch.delenv("ZSL_OFFLINE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # it counts as offline too (scripts/test.sh sets it)

    def unreachable(*a, **k):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(torchvision.models, "resnet18", unreachable)
    with pytest.raises(OSError, match=r"Could not load the pretrained resnet18 weights \(URLError"):
        resnet_features([np.zeros((32, 32), np.uint8)])


def test_resnet_path_with_local_random_weights(monkeypatch):
    """The preprocessing and pooling path, with an untrained ResNet standing in for the download."""
    import torchvision
    from PIL import Image

    real = torchvision.models.resnet18
    monkeypatch.delenv("ZSL_OFFLINE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # it counts as offline too (scripts/test.sh sets it)
    monkeypatch.setattr(torchvision.models, "resnet18", lambda weights=None: real(weights=None))
    images = [Image.new("RGB", (40, 30), (200, 10, 10)), np.zeros((28, 28), np.uint8),
              np.ones((50, 50, 3), np.float32) * 0.5]
    F = resnet_features(images, batch_size=2, device="cpu")
    assert F.shape == (3, 512) and F.dtype == np.float32 and np.isfinite(F).all()


def test_resnet_input_checks(monkeypatch):
    monkeypatch.setenv("ZSL_OFFLINE", "1")  # the checks come first; nothing is downloaded
    with pytest.raises(ValueError, match="arch"):
        resnet_features([np.zeros((8, 8))], arch="vgg")
    with pytest.raises(ValueError, match="empty"):
        resnet_features([])
    with pytest.raises(ValueError, match="image 0"):
        resnet_features([np.zeros((2, 3, 4, 5))])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        resnet_features([np.full((8, 8), 2.0)])
    with pytest.raises(ValueError, match="randomly initialised"):
        resnet_features([np.zeros((8, 8), np.uint8)], weights=None)
