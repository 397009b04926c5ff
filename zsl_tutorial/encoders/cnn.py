"""The course's image encoder: a small CNN trained as a softmax classifier on seen classes only.

Its penultimate layer is the feature extractor. torch is imported inside the methods.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import numpy as np

from .._deps import require
from .._params import ParamsMixin, not_fitted_error
from .._validation import check_int, check_seed

#: Bump when the architecture or the training recipe changes: old cache files are then ignored.
_CNN_VERSION = 4  # 4: convolutions that give the same bits on AVX2 and AVX-512 CPUs


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
        check_seed(self.seed)
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

        from ..training import adam, build_seeded, fit_cross_entropy, portable_convolutions, torch_device

        dev = torch_device(self.device)
        seed = int(self.seed)
        model = build_seeded(lambda: _build_cnn(len(classes), int(self.feature_dim), X.shape[1:]), seed, device=dev)
        gen = torch.Generator().manual_seed(seed)  # batch order: its own generator

        Xt = torch.as_tensor(X[:, None], device=dev)
        yt = torch.as_tensor(y_idx, dtype=torch.long, device=dev)
        opt = adam(model.parameters(), lr=float(self.lr))

        model.train()
        with portable_convolutions(dev):
            history = fit_cross_entropy(lambda idx: model["head"](model["body"](Xt[idx])), yt, opt,
                                        epochs=int(self.epochs), batch_size=int(self.batch_size), generator=gen,
                                        device=dev, desc="CNN (seen classes)", progress=self.progress,
                                        if_diverged=f"lower lr (now {float(self.lr):g})")
        model.eval()
        self.loss_history_: list[float] = history
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

        from ..training import portable_convolutions, predict_in_chunks

        def forward(xb: np.ndarray):
            z = self.model_["body"](torch.as_tensor(xb[:, None], device=self.device_))
            return z if part == "features" else self.model_["head"](z)

        with _torch_threads(self.num_threads), portable_convolutions(self.device_):
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
        from ..metrics import per_class_accuracy

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

        from ..config import default_device
        from ..training import build_seeded

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
