"""Image encoders: a small CNN trained on seen classes only, and an optional pretrained ResNet.

Why train our own encoder? Xian et al. (TPAMI 2018) warn that an ImageNet-
pretrained network has already seen many of the "unseen" classes of the ZSL
benchmarks (zebra, giraffe and cat are all ImageNet classes). Features from such
a network leak knowledge about the test classes into training, and the zero-shot
accuracy it yields is flattering. The course therefore trains :class:`CNNEncoder`
on the *seen* Animal-MNIST classes only and uses its penultimate layer as the
feature extractor (:func:`animal_features`). :func:`resnet_features` is there
for a learner's own photos, with that caveat.

torch and torchvision are imported inside the functions, so
``import zsl_tutorial.encoders`` stays light.
"""
from __future__ import annotations

import hashlib
import os
import socket
import tempfile
import time
import zipfile
import zlib
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from . import switches
from ._deps import require
from ._params import ParamsMixin, not_fitted_error
from ._validation import check_int

__all__ = ["CNNEncoder", "animal_features", "feature_dataset", "resnet_features", "feature_cache_dir"]

#: Bump when the architecture or the training recipe changes: old cache files are then ignored.
_CNN_VERSION = 3



def _check_images(images: Any, name: str = "images") -> np.ndarray:
    """A stack of grey-scale images (n, H, W): uint8 in 0..255, or floats in [0, 1]. Returns float32 in [0, 1]."""
    if isinstance(images, (list, tuple)):
        images = np.stack([np.asarray(im) for im in images]) if len(images) else np.empty((0,))
    arr = np.asarray(images)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be a numeric array of images, got dtype {arr.dtype}.")
    if arr.ndim == 4 and arr.shape[1] == 1:  # (n, 1, H, W) is fine too
        arr = arr[:, 0]
    if arr.ndim != 3:
        raise ValueError(
            f"{name} must be a stack of grey-scale images with shape (n, height, width), got shape {arr.shape}. "
            "A single image needs a leading axis: images[None]."
        )
    if len(arr) == 0:
        raise ValueError(f"{name} is empty; pass at least one image.")
    if min(arr.shape[1:]) < 8:
        raise ValueError(f"{name} are {arr.shape[1]}x{arr.shape[2]} pixels; the CNN needs at least 8x8.")
    if arr.dtype == np.uint8:
        return arr.astype(np.float32) / 255.0
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} contains NaN or infinite pixels.")
        if arr.min() < 0.0 or arr.max() > 1.0:
            raise ValueError(
                f"float {name} must lie in [0, 1], got values in [{arr.min():.3g}, {arr.max():.3g}]. "
                "Pass uint8 images (0..255) as they are, or divide by 255."
            )
        return arr.astype(np.float32)
    raise ValueError(
        f"{name} must be uint8 (0..255) or float in [0, 1], got dtype {arr.dtype}. "
        "Convert with images.astype(np.uint8) if they hold 0..255 integers."
    )


def _check_y(y: Any, n: int) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"y must be 1-D with one label per image ({n}), got shape {arr.shape}.")
    if arr.dtype.kind not in "iu":
        raise TypeError(f"y must hold integer class labels, got dtype {arr.dtype}.")
    return arr.astype(np.int64)


@contextmanager
def _torch_threads(n: int | None):
    """Run a block with torch limited to ``n`` CPU threads (None: unchanged), then restore the setting."""
    torch = require("torch")

    before = torch.get_num_threads()
    if n is not None and n != before:
        torch.set_num_threads(int(n))
    try:
        yield
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)


def _build_cnn(n_classes: int, feature_dim: int, image_shape: tuple[int, int]):
    """Three conv blocks (3x3 conv with 8, 16, 32 channels, batch norm, ReLU, 2x2 max-pool),
    a ReLU feature layer and a linear head."""
    nn = require("torch.nn")

    def block(c_in: int, c_out: int) -> list:
        return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(), nn.MaxPool2d(2)]

    h, w = image_shape
    for _ in range(3):
        h, w = h // 2, w // 2
    body = nn.Sequential(*block(1, 8), *block(8, 16), *block(16, 32), nn.Flatten(),
                         nn.Linear(32 * h * w, feature_dim), nn.ReLU())
    return nn.ModuleDict({"body": body, "head": nn.Linear(feature_dim, n_classes)})


class CNNEncoder(ParamsMixin):
    """A small CNN for 28x28 grey-scale images, trained as a softmax classifier; its penultimate layer is the encoder.

    Train it on **seen classes only**: the features of the unseen classes must
    come from a network that never saw one of their images.

    Parameters
    ----------
    epochs, batch_size, lr :
        Adam training settings. The defaults reach about 95% on the 7 seen
        Animal-MNIST classes (``test_seen``) in 10-20 s on one CPU core.
    feature_dim : int
        Width of the penultimate (ReLU) layer, i.e. of the features.
    seed : int
        Seeds the weights and the batch order. On the CPU the same seed gives
        identical features; CUDA kernels may differ in the last bits.
    device : str or None
        ``None`` picks CUDA when available (``config.default_device``).
    progress : bool
        Show a tqdm progress bar over epochs, with the loss.
    num_threads : int or None
        CPU threads torch uses inside ``fit`` and ``transform`` (restored
        afterwards). The default 1 makes the result independent of the
        machine's core count (float sums depend on how work is split across
        threads) and is about as fast for so small a network, and much steadier
        on shared CPUs. ``None`` keeps torch's own setting.

    Attributes
    ----------
    classes_ : array
        The labels seen in ``fit``; ``predict`` returns values from it.
    loss_history_ : list of float
        Mean training loss per epoch.
    model_ : torch.nn.ModuleDict
        ``body`` (images to features) and ``head`` (features to class logits), in eval mode.

    It follows scikit-learn's estimator contract: the constructor only stores
    its arguments, ``get_params``/``set_params`` read and change them,
    ``sklearn.base.clone`` gives an unfitted copy, fitted state lives in
    attributes ending in ``_``, and using it before ``fit`` raises sklearn's
    ``NotFittedError``.
    """

    def __init__(self, epochs: int = 8, batch_size: int = 128, lr: float = 2e-3, feature_dim: int = 64,
                 seed: int = 0, device: str | None = None, progress: bool = True,
                 num_threads: int | None = 1) -> None:
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.feature_dim = feature_dim
        self.seed = seed
        self.device = device
        self.progress = progress
        self.num_threads = num_threads

    def __repr__(self) -> str:
        return (f"CNNEncoder(epochs={self.epochs!r}, batch_size={self.batch_size!r}, lr={self.lr!r}, "
                f"feature_dim={self.feature_dim!r}, seed={self.seed!r}, device={self.device!r}, "
                f"num_threads={self.num_threads!r})")

    def _check_params(self) -> None:
        check_int(self.epochs, "epochs", 1)
        check_int(self.batch_size, "batch_size", 1)
        check_int(self.feature_dim, "feature_dim", 1)
        check_int(self.seed, "seed", 0)
        if self.num_threads is not None:
            check_int(self.num_threads, "num_threads", 1)
        if isinstance(self.lr, bool) or not isinstance(self.lr, (int, float)) or not np.isfinite(self.lr) \
                or self.lr <= 0:
            raise ValueError(f"lr must be a finite number > 0, got {self.lr!r}.")

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise not_fitted_error(self, "fit(images, y) on seen-class images first")

    # ---------------------------------------------------------------- training
    def fit(self, images: Any, y: Any) -> "CNNEncoder":
        """Train the CNN as a classifier over the classes present in ``y`` (pass seen classes only)."""
        self._check_params()
        X = _check_images(images)
        y = _check_y(y, len(X))
        classes, y_idx = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(f"y contains only {len(classes)} class; a classifier needs at least two.")

        with _torch_threads(self.num_threads):
            self._train(X, classes, y_idx)
        return self

    def _train(self, X: np.ndarray, classes: np.ndarray, y_idx: np.ndarray) -> None:
        torch = require("torch")
        F = require("torch.nn.functional")

        from .training import build_seeded, torch_device, train_epochs

        dev = torch_device(self.device)
        seed = int(self.seed)
        model = build_seeded(lambda: _build_cnn(len(classes), int(self.feature_dim), X.shape[1:]), seed, device=dev)
        gen = torch.Generator().manual_seed(seed)  # batch order: its own generator

        Xt = torch.as_tensor(X[:, None], device=dev)
        yt = torch.as_tensor(y_idx, dtype=torch.long, device=dev)
        opt = torch.optim.Adam(model.parameters(), lr=float(self.lr))

        def step(idx):
            loss = F.cross_entropy(model["head"](model["body"](Xt[idx])), yt[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            return {"loss": float(loss.detach())}

        model.train()
        history = train_epochs(step, epochs=int(self.epochs), n=len(Xt), batch_size=int(self.batch_size),
                               generator=gen, device=dev, weight="samples", desc="CNN (seen classes)",
                               progress=self.progress, postfix=lambda m: {"loss": f"{m['loss']:.3f}"})
        model.eval()
        self.loss_history_: list[float] = history["loss"]
        self._set_model(model, classes, X.shape[1:], str(dev))

    def _set_model(self, model, classes: np.ndarray, image_shape: tuple[int, ...], device: str) -> None:
        self.model_ = model
        self.classes_ = np.asarray(classes)
        self.image_shape_ = tuple(int(s) for s in image_shape)
        self.device_ = device

    # --------------------------------------------------------------- inference
    def _forward(self, images: Any, part: str) -> np.ndarray:
        self._check_fitted()
        X = _check_images(images)
        if X.shape[1:] != self.image_shape_:
            raise ValueError(f"images are {X.shape[1]}x{X.shape[2]}, but this CNNEncoder was trained on "
                             f"{self.image_shape_[0]}x{self.image_shape_[1]} images.")
        torch = require("torch")

        from .training import predict_in_chunks

        def forward(xb: np.ndarray):
            z = self.model_["body"](torch.as_tensor(xb[:, None], device=self.device_))
            return z if part == "features" else self.model_["head"](z)

        with _torch_threads(self.num_threads):
            return predict_in_chunks(forward, X, 1024, dtype=np.float32)  # chunks bound the memory

    def transform(self, images: Any) -> np.ndarray:
        """Penultimate-layer features (n, feature_dim), float32 and non-negative (after a ReLU)."""
        return self._forward(images, "features")

    def decision_function(self, images: Any) -> np.ndarray:
        """Class logits (n, len(classes_)), columns in the order of ``classes_``."""
        return self._forward(images, "logits")

    def predict(self, images: Any) -> np.ndarray:
        """The most likely training class of each image (values from ``classes_``)."""
        return self.classes_[np.argmax(self.decision_function(images), axis=1)]

    def score(self, images: Any, y: Any) -> float:
        """Per-class top-1 accuracy on images of the training classes (e.g. ``test_seen``)."""
        from .metrics import per_class_accuracy

        pred = self.predict(images)
        y = _check_y(y, len(pred))
        stray = np.setdiff1d(y, self.classes_)
        if stray.size:
            raise ValueError(f"y has classes {stray[:5].tolist()} that the encoder was not trained on; "
                             "score it on seen-class images (test_seen) only.")
        lookup = {c: i for i, c in enumerate(self.classes_.tolist())}
        to_idx = np.vectorize(lookup.__getitem__, otypes=[np.int64])
        return per_class_accuracy(to_idx(y), to_idx(pred))

    # ------------------------------------------------------------ (de)serialise
    def _state_arrays(self) -> dict[str, np.ndarray]:
        self._check_fitted()
        state = {f"state/{k}": v.detach().cpu().numpy() for k, v in self.model_.state_dict().items()}
        state["classes"] = self.classes_
        state["image_shape"] = np.asarray(self.image_shape_)
        state["loss_history"] = np.asarray(self.loss_history_, dtype=np.float64)
        return state

    @classmethod
    def _from_state_arrays(cls, arrays: dict[str, np.ndarray], **params: Any) -> "CNNEncoder":
        torch = require("torch")

        from .config import default_device
        from .training import build_seeded

        enc = cls(**params)
        classes = np.asarray(arrays["classes"])
        shape = tuple(int(s) for s in arrays["image_shape"])
        # Unseeded: load_state_dict overwrites the weights; build_seeded still spares the global RNG.
        model = build_seeded(lambda: _build_cnn(len(classes), int(enc.feature_dim), shape), None)
        state = {k[len("state/"):]: torch.as_tensor(v) for k, v in arrays.items() if k.startswith("state/")}
        model.load_state_dict(state)  # raises on any missing or misshapen tensor
        dev = default_device(enc.device)
        model = model.to(dev).eval()
        enc.loss_history_ = [float(v) for v in arrays["loss_history"]]
        enc._set_model(model, classes, shape, dev)
        return enc


# ---------------------------------------------------------------------- caching
def feature_cache_dir() -> Path:
    """Where :func:`animal_features` keeps its ``.npz`` files: ``config.data_dir() / "features"``."""
    from .config import data_dir

    path = data_dir() / "features"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _torch_version() -> str:
    try:
        return metadata.version("torch")
    except metadata.PackageNotFoundError:  # pragma: no cover - torch is a dependency
        return "none"


def _cache_key(X: np.ndarray, trainval: np.ndarray, labels: np.ndarray, epochs: int, seed: int,
               feature_dim: int) -> str:
    h = hashlib.sha256()
    h.update(f"cnn-v{_CNN_VERSION}|epochs={epochs}|seed={seed}|dim={feature_dim}|torch={_torch_version()}|".encode())
    # The images themselves: two subsamples can share index arrays but not pixels.
    h.update(f"{X.shape}|{X.dtype}|".encode())
    h.update(np.ascontiguousarray(X).tobytes())
    h.update(np.ascontiguousarray(trainval, dtype=np.int64).tobytes())
    h.update(np.ascontiguousarray(labels, dtype=np.int64).tobytes())
    return h.hexdigest()[:20]


def _write_npz_atomic(path: Path, arrays: dict[str, np.ndarray]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.part")
    os.close(fd)
    try:
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _read_cache(path: Path, n: int, feature_dim: int) -> dict[str, np.ndarray] | None:
    """The cached arrays, or None if the file is missing, damaged or does not fit."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
        feats = arrays["features"]
        if feats.shape == (n, feature_dim) and feats.dtype == np.float32 and np.isfinite(feats).all() \
                and "classes" in arrays and "loss_history" in arrays:
            return arrays
    # A damaged file fails in many ways: not a zip, truncated, bad CRC, missing keys, pickled content.
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error):
        pass
    return None


def animal_features(dataset, *, epochs: int | None = None, seed: int = 0, feature_dim: int = 64,
                    device: str | None = None, cache: bool = True, verbose: bool = True,
                    return_encoder: bool = False):
    """CNN features for every image of an Animal-MNIST ``ZSLDataset``, from a CNN trained on ``trainval`` only.

    The CNN (:class:`CNNEncoder`) is trained as a classifier over the seen
    classes, on ``dataset.splits["trainval"]`` and nothing else: no unseen
    image and no ``test_seen`` image is ever used for training. Its
    penultimate layer then encodes *all* samples, unseen ones included, so the
    result is aligned with ``dataset.X``; :func:`feature_dataset` swaps it in.

    Parameters
    ----------
    epochs : int, optional
        Training epochs; default ``pick(8, 2)`` (fewer in fast mode).
    cache : bool
        Keep the features (and the trained weights) in
        ``feature_cache_dir()/animal_cnn_<key>.npz``, keyed by a hash of the
        images, the ``trainval`` indices and labels, ``epochs``, ``seed``,
        ``feature_dim`` and the torch version (not the device: features trained
        on a GPU are reused on the CPU). A later call with the same key
        loads the file instead of retraining; a damaged file is rebuilt. The
        file is written atomically, so an interrupted run never leaves a
        half-written cache behind.
    verbose : bool
        Print one line: trained or loaded from the cache, where, and the
        seen-class accuracy on ``test_seen``.
    return_encoder : bool
        Also return the trained :class:`CNNEncoder`. On a cache hit it is
        rebuilt from the cached weights (no retraining), so it works the same
        way; its ``loss_history_`` is the one recorded when it was trained.

    Returns
    -------
    features : ndarray (len(dataset.X), feature_dim), float32, non-negative
    encoder : CNNEncoder, only if ``return_encoder``
        ``encoder.test_seen_accuracy_`` holds the per-class top-1 on ``test_seen``
        (nan if that split is empty) and ``encoder.from_cache_`` says where it came from.
    """
    from .config import pick

    X = np.asarray(getattr(dataset, "X", None))
    splits = getattr(dataset, "splits", None)
    if splits is None or X.ndim != 3:
        raise TypeError("animal_features needs a ZSLDataset of images (n, height, width), "
                        f"e.g. load_animals(); got {type(dataset).__name__} with X of shape {X.shape}.")
    _check_images(X[:1], "dataset.X")  # dtype and range of the images, cheaply
    epochs = pick(8, 2) if epochs is None else check_int(epochs, "epochs", 1)
    seed = check_int(seed, "seed", 0)
    feature_dim = check_int(feature_dim, "feature_dim", 1)

    trainval = np.asarray(splits["trainval"])
    labels = dataset.y[trainval]
    test_seen = np.asarray(splits["test_seen"])
    params = dict(epochs=epochs, feature_dim=feature_dim, seed=seed, device=device)

    key = _cache_key(X, trainval, labels, epochs, seed, feature_dim)
    path = feature_cache_dir() / f"animal_cnn_{key}.npz" if cache else None
    arrays = _read_cache(path, len(X), feature_dim) if path is not None else None
    damaged = path is not None and arrays is None and path.exists()

    encoder = None
    if arrays is not None and return_encoder:
        try:
            encoder = CNNEncoder._from_state_arrays(arrays, progress=False, **params)
        except (KeyError, ValueError, RuntimeError):  # weights missing or misshapen: treat the file as damaged
            arrays, damaged = None, True
    if arrays is not None:
        feats = arrays["features"]
        acc = float(arrays["test_seen_accuracy"]) if "test_seen_accuracy" in arrays else float("nan")
        if verbose:
            print(f"CNN features loaded from cache {path} (CNN trained on {len(trainval):,} seen-class images, "
                  f"{epochs} epochs; test_seen accuracy {acc:.1%}).")
    else:
        if damaged and verbose:
            print(f"Cached features at {path} are damaged; retraining.")
        t0 = time.perf_counter()
        encoder = CNNEncoder(progress=verbose, **params).fit(X[trainval], labels)
        feats = encoder.transform(X)
        acc = encoder.score(X[test_seen], dataset.y[test_seen]) if len(test_seen) else float("nan")
        took = time.perf_counter() - t0
        if path is not None:
            _write_npz_atomic(path, {"features": feats, "test_seen_accuracy": np.float64(acc),
                                     **encoder._state_arrays()})
        if verbose:
            where = f"; cached at {path}" if path is not None else " (not cached)"
            print(f"CNN trained on {len(trainval):,} seen-class images ({len(encoder.classes_)} classes, "
                  f"{epochs} epochs) in {took:.0f} s; test_seen accuracy {acc:.1%}{where}.")
    if not return_encoder:
        return feats
    encoder.test_seen_accuracy_ = acc
    encoder.from_cache_ = arrays is not None
    return feats, encoder


def feature_dataset(dataset, features: Any, *, name: str | None = None):
    """The same ``ZSLDataset`` (labels, classes, S, splits) with ``features`` (n, d) in place of the images."""
    from .data import ZSLDataset

    F = np.asarray(features)
    if F.ndim != 2 or len(F) != len(dataset.X):
        raise ValueError(f"features must be (n_samples, d) with n_samples = {len(dataset.X)}, got shape {F.shape}.")
    return ZSLDataset(F, dataset.y, dataset.class_names, dataset.S, dataset.splits, dataset.aux_names,
                      name=name or f"{dataset.name} (CNN features)", description=dataset.description,
                      extras=dict(dataset.extras))


# ---------------------------------------------------------------- pretrained
_RESNETS = {"resnet18": ("ResNet18_Weights", 512), "resnet50": ("ResNet50_Weights", 2048)}


def _offline() -> bool:
    return switches.offline()


def _to_rgb_tensor(img: Any, i: int):
    """One image (PIL, or array H x W / H x W x 1|3|4, uint8 or float in [0, 1]) as a float tensor 3 x H x W."""
    torch = require("torch")

    if hasattr(img, "convert") and hasattr(img, "size"):  # a PIL image
        img = np.asarray(img.convert("RGB"))
    arr = np.asarray(img)
    if arr.ndim == 3 and arr.shape[-1] in (1, 3, 4):
        arr = arr[..., :3]
    elif arr.ndim == 2:
        arr = np.repeat(arr[..., None], 3, axis=-1)
    else:
        raise ValueError(f"image {i} has shape {arr.shape}; expected (H, W) or (H, W, 3) or a PIL image.")
    if arr.shape[-1] == 1:
        arr = np.repeat(arr, 3, axis=-1)
    if arr.dtype == np.uint8:
        arr = arr.astype(np.float32) / 255.0
    elif arr.dtype.kind == "f":
        if not np.isfinite(arr).all() or arr.min() < 0 or arr.max() > 1:
            raise ValueError(f"image {i}: float pixels must lie in [0, 1].")
        arr = arr.astype(np.float32)
    else:
        raise ValueError(f"image {i} has dtype {arr.dtype}; use uint8 (0..255) or float in [0, 1].")
    return torch.from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1)))


def resnet_features(images: Sequence[Any] | np.ndarray, weights: str = "DEFAULT", device: str | None = None,
                    batch_size: int = 64, arch: str = "resnet18", timeout: float = 20.0) -> np.ndarray:
    """Pooled features of a torchvision ResNet pretrained on ImageNet, for your own images.

    ``images`` is a list of PIL images or arrays (grey or RGB, any size), or an
    array (n, H, W) / (n, H, W, 3). Each is resized and normalised by the
    weights' own preprocessing. Returns float32 (n, 512) for ``resnet18`` and
    (n, 2048) for ``resnet50``: the global-average-pooled last block, as in
    Xian et al.'s ResNet-101 features.

    Caution for zero-shot experiments: ImageNet contains many classes that ZSL
    benchmarks call "unseen" (zebra, giraffe, ...), so these features leak
    knowledge about them. The course's own encoder (:func:`animal_features`) is
    trained on seen classes only for that reason.

    Offline (``ZSL_OFFLINE=1`` or ``HF_HUB_OFFLINE=1``, no network, or a download that fails) this
    raises ``OSError`` at once, saying how to put the weights in place. It
    never waits longer than ``timeout`` seconds on a silent network.
    """
    if arch not in _RESNETS:
        raise ValueError(f"arch must be one of {sorted(_RESNETS)}, got {arch!r}.")
    batch_size = check_int(batch_size, "batch_size", 1)
    if isinstance(images, np.ndarray):
        if images.ndim not in (3, 4):
            raise ValueError(f"an image array must be (n, H, W) or (n, H, W, 3), got shape {images.shape}.")
        items = list(images)
    else:
        items = list(images)
    if not items:
        raise ValueError("images is empty; pass at least one image.")
    tensors = [_to_rgb_tensor(im, i) for i, im in enumerate(items)]  # validate before any download

    if weights is None:
        raise ValueError("weights=None would give a randomly initialised ResNet, whose features mean nothing; "
                         "use 'DEFAULT' (or train CNNEncoder on your seen classes).")
    weight_enum_name, dim = _RESNETS[arch]
    hint = (f"To use {arch} features offline, download the weights on a machine with internet "
            f"(python -c \"import torchvision; torchvision.models.{arch}(weights='{weights}')\") and copy "
            "the .pth file into <torch hub dir>/checkpoints/ here (torch.hub.get_dir() prints that dir). "
            "Or use zsl_tutorial.encoders.animal_features / CNNEncoder, which need no download.")
    if _offline():
        raise OSError(f"{switches.offline_reason()} is set, so the pretrained {arch} weights are not downloaded. {hint}")

    torch = require("torch")
    torchvision = require("torchvision")

    from .config import default_device

    try:
        enum = getattr(torchvision.models, weight_enum_name)
        w = enum.DEFAULT if weights == "DEFAULT" else enum[weights] if isinstance(weights, str) else weights
    except KeyError:
        raise ValueError(f"unknown weights {weights!r} for {arch}; use 'DEFAULT' or one of "
                         f"{[m.name for m in getattr(torchvision.models, weight_enum_name)]}.") from None
    old_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(float(timeout))  # a silent network must not hang the notebook
    try:
        model = getattr(torchvision.models, arch)(weights=w)
    except Exception as exc:  # URLError, HTTPError, socket.timeout, a corrupt .pth (RuntimeError), ...
        raise OSError(f"Could not load the pretrained {arch} weights ({type(exc).__name__}: {exc}). {hint}") from exc
    finally:
        socket.setdefaulttimeout(old_timeout)
    model.fc = torch.nn.Identity()
    dev = default_device(device)
    model = model.to(dev).eval()
    preprocess = w.transforms()
    out = []
    with torch.no_grad():
        for start in range(0, len(tensors), batch_size):
            batch = torch.stack([preprocess(t) for t in tensors[start:start + batch_size]]).to(dev)
            out.append(model(batch).cpu().numpy())
    feats = np.concatenate(out).astype(np.float32)
    assert feats.shape == (len(tensors), dim)
    return feats
