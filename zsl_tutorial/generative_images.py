"""A small attribute-conditioned image GAN for Animal-MNIST (lesson 04).

``ImageGAN`` learns to draw 28×28 images from a class *description* (an
attribute vector) and noise. It is trained on seen classes only; asking it for
an unseen class's attributes is the image-space version of f-CLSWGAN's feature
synthesis, and shows plainly what a generator can and cannot extrapolate
(an attribute that never varies among the seen classes, such as ``stripes``,
has nothing to teach it).

The model is DCGAN-like and tiny, so that it trains in about half a minute on a CPU:

- generator: [a, z] → 2w·7·7 → transposed conv to w×14×14 → transposed conv
  to 1×28×28, tanh; its batch norms are *conditional* (scale and shift are
  linear functions of ``a``), so the description acts on every layer, not
  only on the input;
- discriminator: two stride-2 convolutions and a dense layer φ(x), then a
  linear score plus a *projection* term ⟨embed(a), φ(x)⟩ (Miyato & Koyama,
  2018), which makes the score depend on whether the image matches the
  description (``spectral_norm=True`` adds spectral normalisation, Miyato et al.
  2018; here it made training slower and the samples worse, so it is off by default);
- an auxiliary head on φ(x) regresses the attributes (AC-GAN style, Odena et
  al. 2017): trained on real images, it asks the generator's images to show
  their description (weight ``aux_weight``), the pixel-space cousin of
  f-CLSWGAN's classification loss;
- hinge loss, Adam (lr 5e-4, β1 = 0.5).

torch is imported inside the functions only (through ``_deps.require``, which names the fix when it
is missing or too old).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._deps import require
from ._params import ParamsMixin, not_fitted_error
from ._validation import check_int, check_seed

__all__ = ["ImageGAN", "class_consistency", "class_separation", "to_uint8"]



def _check_float(value: Any, name: str, *, positive: bool) -> float:
    ok = not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating)) \
        and np.isfinite(value) and (value > 0 if positive else value >= 0)
    if not ok:
        kind = "a positive" if positive else "a non-negative"
        raise ValueError(f"{name} must be {kind} finite number, got {value!r}.")
    return float(value)


def _networks(n_aux: int, n_noise: int, width: int, spectral: bool):
    torch = require("torch")
    nn = require("torch.nn")

    sn = nn.utils.parametrizations.spectral_norm if spectral else (lambda m: m)

    class CondBN(nn.Module):
        """Batch norm whose scale and shift are linear in the attributes (starts as plain BN)."""

        def __init__(self, channels: int) -> None:
            super().__init__()
            self.bn = nn.BatchNorm2d(channels, affine=False)
            self.gain = nn.Linear(n_aux, channels)
            self.shift = nn.Linear(n_aux, channels)
            for lin in (self.gain, self.shift):
                nn.init.zeros_(lin.weight)
                nn.init.zeros_(lin.bias)

        def forward(self, h, a):
            return self.bn(h) * (1 + self.gain(a))[:, :, None, None] + self.shift(a)[:, :, None, None]

    class Gen(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(n_aux + n_noise, 2 * width * 49)
            self.bn0 = CondBN(2 * width)
            self.up1 = nn.ConvTranspose2d(2 * width, width, 4, 2, 1)
            self.bn1 = CondBN(width)
            self.up2 = nn.ConvTranspose2d(width, 1, 4, 2, 1)

        def forward(self, a, z):
            h = self.fc(torch.cat([a, z], 1)).view(len(a), 2 * width, 7, 7)
            h = torch.relu(self.bn0(h, a))
            h = torch.relu(self.bn1(self.up1(h), a))
            return torch.tanh(self.up2(h))

    class Disc(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = nn.Sequential(
                sn(nn.Conv2d(1, width, 4, 2, 1)), nn.LeakyReLU(0.2),
                sn(nn.Conv2d(width, 2 * width, 4, 2, 1)), nn.LeakyReLU(0.2), nn.Flatten(),
                sn(nn.Linear(2 * width * 49, 128)), nn.LeakyReLU(0.2),
            )
            self.out = sn(nn.Linear(128, 1))
            self.embed = sn(nn.Linear(n_aux, 128, bias=False))
            self.aux = nn.Linear(128, n_aux)  # attribute regression head

        def forward(self, h, a):
            """The score of features ``h = body(x)`` under description ``a``."""
            return self.out(h).squeeze(1) + (self.embed(a) * h).sum(1)

    return Gen, Disc


class ImageGAN(ParamsMixin):
    """An attribute-conditioned DCGAN-style generator for 28×28 grey images.

    Parameters
    ----------
    epochs, batch_size, lr :
        Training settings (Adam with β1 = 0.5, hinge loss).
    width : int
        Channels of the first convolution (the second has twice as many).
    n_noise : int
        Dimension of the noise z.
    aux_weight : float
        Weight of the attribute-regression loss (0 turns the auxiliary head off).
    spectral_norm : bool
        Spectral normalisation of the discriminator's layers (off by default: on
        Animal-MNIST, 12 epochs, it cost a third more time and lowered the class
        consistency of the samples from 70% to 54%).
    seed : int
        Seeds weights, batches and noise: identical results on one CPU. Its convolutions keep
        oneDNN's kernels, which PyTorch picks by the CPU's instruction set, so an AVX2 and an
        AVX-512 machine give different images from one seed; ``training.portable_convolutions``
        would make them agree, at almost twice the training time (measured in lesson 04's setting).
    device : str or None
        ``None`` picks CUDA when available.
    progress : bool
        Show a tqdm progress bar over epochs.

    ``fit(images, y, S)`` takes uint8 or [0, 1] float images (n, 28, 28) and
    labels indexing the rows of ``S`` (the seen classes' attributes).
    ``generate(S, n_per_class)`` draws float32 images in [0, 1], shape
    (len(S), n_per_class, 28, 28), for any attribute rows, seen or not.
    ``history_`` holds, per epoch, the mean ``discriminator`` and ``generator``
    (adversarial) losses and ``aux``, the attribute-regression error of the
    generated images.

    It follows scikit-learn's estimator contract: the constructor only stores
    its arguments, ``get_params``/``set_params`` read and change them,
    ``sklearn.base.clone`` gives an unfitted copy, fitted state (``generator_``,
    ``history_``, ``n_aux_in_``, ``device_``) lives in attributes ending in
    ``_``, and ``generate`` before ``fit`` raises sklearn's ``NotFittedError``.
    """

    def __init__(self, epochs: int = 12, batch_size: int = 64, lr: float = 5e-4, width: int = 16,
                 n_noise: int = 32, aux_weight: float = 1.0, spectral_norm: bool = False, seed: int = 0,
                 device: str | None = None, progress: bool = True) -> None:
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.width = width
        self.n_noise = n_noise
        self.aux_weight = aux_weight
        self.spectral_norm = spectral_norm
        self.seed = seed
        self.device = device
        self.progress = progress

    def __repr__(self) -> str:
        keys = ("epochs", "batch_size", "lr", "width", "n_noise", "aux_weight", "spectral_norm", "seed", "device")
        return "ImageGAN(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in keys) + ")"

    def _check_params(self) -> None:
        for name, minimum in (("epochs", 1), ("batch_size", 2), ("width", 1), ("n_noise", 1), ("seed", 0)):
            check_int(getattr(self, name), name, minimum)
        _check_float(self.lr, "lr", positive=True)
        _check_float(self.aux_weight, "aux_weight", positive=False)
        if not isinstance(self.spectral_norm, (bool, np.bool_)):
            raise ValueError(f"spectral_norm must be True or False, got {self.spectral_norm!r}.")

    @staticmethod
    def _images(images: Any) -> np.ndarray:
        X = np.asarray(images)
        if X.ndim != 3 or X.shape[1:] != (28, 28):
            raise ValueError(f"images must have shape (n, 28, 28), got {X.shape}.")
        if X.dtype == np.uint8:
            return X.astype(np.float32) / 255.0
        if not np.issubdtype(X.dtype, np.number) or np.issubdtype(X.dtype, np.complexfloating):
            raise ValueError(f"images must be uint8 or real numbers in [0, 1], got dtype {X.dtype}.")
        X = X.astype(np.float32)
        if X.size and (not np.isfinite(X).all() or X.min() < 0 or X.max() > 1):
            raise ValueError("float images must be finite and lie in [0, 1] (or pass uint8 images).")
        return X

    def _aux(self, S: Any) -> np.ndarray:
        try:
            S = np.asarray(S, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError("S must be a 2-D array of numbers (classes × attributes).") from None
        if S.ndim != 2 or S.shape[0] == 0 or S.shape[1] == 0 or not np.isfinite(S).all():
            raise ValueError(f"S must be a finite, non-empty 2-D array (classes × attributes), got shape {S.shape}.")
        if hasattr(self, "n_aux_in_") and S.shape[1] != self.n_aux_in_:
            raise ValueError(f"S has {S.shape[1]} attributes, but the GAN was trained with {self.n_aux_in_}.")
        return S.astype(np.float32)

    def fit(self, images: Any, y: Any, S: Any) -> "ImageGAN":
        """Train on images of seen classes; ``y`` indexes the rows of ``S``."""
        self._check_params()
        X = self._images(images)
        for attr in ("n_aux_in_", "generator_"):  # a refit starts from scratch
            self.__dict__.pop(attr, None)
        if len(X) < 2:
            raise ValueError(f"fit needs at least 2 images, got {len(X)}.")
        S = self._aux(S)
        y = np.asarray(y)
        if y.shape != (len(X),) or not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= len(S):
            raise ValueError(f"y must hold one integer row index of S (0..{len(S) - 1}) per image; "
                             f"got shape {y.shape} for {len(X)} images.")

        torch = require("torch")
        F = require("torch.nn.functional")

        from .training import adam, build_seeded, torch_device, train_epochs

        dev = torch_device(self.device)
        Gen, Disc = _networks(S.shape[1], int(self.n_noise), int(self.width), bool(self.spectral_norm))
        G, D = build_seeded(lambda: (Gen(), Disc()), int(self.seed), device=dev)
        gen = torch.Generator().manual_seed(int(self.seed))  # batches and noise: its own generator
        Xt = torch.as_tensor(X * 2 - 1).unsqueeze(1).to(dev)  # tanh range
        At = torch.as_tensor(S, device=dev)
        yt = torch.as_tensor(y, dtype=torch.long, device=dev)
        opt_g = adam(G.parameters(), lr=float(self.lr), betas=(0.5, 0.999))
        opt_d = adam(D.parameters(), lr=float(self.lr), betas=(0.5, 0.999))
        aux_w = float(self.aux_weight)

        def step(idx):
            xr, ar = Xt[idx], At[yt[idx]]
            z = torch.randn(len(idx), int(self.n_noise), generator=gen).to(dev)
            xf = G(ar, z)
            # discriminator: hinge loss, plus attribute regression on real images
            hr = D.body(xr)
            loss_d = F.relu(1 - D(hr, ar)).mean() + F.relu(1 + D(D.body(xf.detach()), ar)).mean()
            if aux_w > 0:
                loss_d = loss_d + aux_w * F.mse_loss(D.aux(hr), ar)
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            # generator: fool the critic, and show the description to the attribute head
            hf = D.body(xf)
            adv = -D(hf, ar).mean()
            aux = F.mse_loss(D.aux(hf), ar)
            loss_g = adv + aux_w * aux if aux_w > 0 else adv
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            opt_g.step()
            return {"discriminator": float(loss_d.detach()), "generator": float(adv.detach()),
                    "aux": float(aux.detach())}

        # min_batch=2: batch norm cannot normalise a batch of one image, so a last batch of one is skipped.
        history = train_epochs(step, epochs=int(self.epochs), n=len(X), batch_size=min(int(self.batch_size), len(X)),
                               generator=gen, device=dev, min_batch=2, desc="image GAN", progress=self.progress,
                               if_diverged=f"lower lr (now {float(self.lr):g})",
                               postfix=lambda m: {"D": f"{m['discriminator']:.2f}", "G": f"{m['generator']:.2f}"})
        G.eval()
        self.history_ = history
        self.device_ = str(dev)
        self.n_aux_in_ = S.shape[1]
        self.generator_ = G
        return self

    def generate(self, S: Any, n_per_class: int = 8, *, seed: int | None = None) -> np.ndarray:
        """Images (len(S), n_per_class, 28, 28), float32 in [0, 1], one row per attribute vector of ``S``.

        A single vector (1-D) is treated as one row. The same ``seed`` (default:
        the estimator's) reuses the same noise for every row, so rows differ only
        by their description.
        """
        if not hasattr(self, "generator_"):
            raise not_fitted_error(self, "fit(images, y, S) first")
        S = self._aux(np.atleast_2d(S))
        n_per_class = check_int(n_per_class, "n_per_class", 1)
        seed = self.seed if seed is None else check_seed(seed)
        torch = require("torch")
        gen = torch.Generator().manual_seed(int(seed) + 1)
        z = torch.randn(n_per_class, int(self.n_noise), generator=gen)
        out = []
        with torch.no_grad():
            for a in S:
                A = torch.as_tensor(a).expand(n_per_class, -1)
                out.append(self.generator_(A.to(self.device_), z.to(self.device_)).cpu().numpy()[:, 0])
        return np.clip((np.stack(out) + 1) / 2, 0.0, 1.0).astype(np.float32)


def to_uint8(images: Any) -> np.ndarray:
    """[0, 1] images → uint8 (0..255), as the Animal-MNIST CNN expects."""
    return np.clip(np.round(np.asarray(images, dtype=np.float64) * 255), 0, 255).astype(np.uint8)


def class_consistency(classifier, images: Any, intended: Any) -> tuple[float, np.ndarray]:
    """Share of generated images that ``classifier.predict`` assigns to their intended class.

    ``images`` is (n, height, width) in [0, 1] (``ImageGAN.generate`` output,
    reshaped); they are passed to ``classifier.predict`` as uint8. ``intended``
    holds one class label per image, in the classifier's label space. Returns the
    overall share and the per-class shares, in the order of ``np.unique(intended)``.
    """
    images = np.asarray(images)
    intended = np.asarray(intended)
    if not callable(getattr(classifier, "predict", None)):
        raise TypeError(f"classifier must have a predict(images) method, got {type(classifier).__name__}.")
    if images.ndim != 3 or intended.ndim != 1 or len(images) != len(intended) or len(images) == 0:
        raise ValueError(f"images must be (n, height, width) with one intended label per image; "
                         f"got images {images.shape} and intended {intended.shape}.")
    if not np.issubdtype(intended.dtype, np.integer):
        raise ValueError(f"intended must hold integer class labels, got dtype {intended.dtype}.")
    if not np.issubdtype(images.dtype, np.number) or not np.isfinite(images).all() \
            or images.min() < 0 or images.max() > 1:
        raise ValueError("images must be finite numbers in [0, 1] (as ImageGAN.generate returns).")
    pred = np.asarray(classifier.predict(to_uint8(images)))
    if pred.shape != intended.shape:
        raise ValueError(f"classifier.predict returned shape {pred.shape} for {len(images)} images.")
    per = np.array([np.mean(pred[intended == c] == c) for c in np.unique(intended)])
    return float(np.mean(pred == intended)), per


def class_separation(images: Any, *, seed: int = 0) -> tuple[float, float]:
    """How visibly the class conditioning shows: nearest-class-mean accuracy on held-out halves.

    ``images`` is ``ImageGAN.generate``'s output, (n_classes, n_per_class, height, width). Each class's
    samples are split at random in two halves; the first halves' pixel means are the class means, and
    every second-half sample is given the class of the nearest mean. Returns that accuracy and chance,
    1 / n_classes: samples that looked the same for every class would score chance.
    """
    arr = np.asarray(images, dtype=np.float64)
    if arr.ndim != 4 or arr.shape[0] < 2 or arr.shape[1] < 2:
        raise ValueError(f"images must be (n_classes >= 2, n_per_class >= 2, height, width) as ImageGAN.generate "
                         f"returns, got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError("images contain NaN or infinite pixels.")
    rng = np.random.default_rng(check_seed(seed))
    n_classes, n = arr.shape[:2]
    flat = arr.reshape(n_classes, n, -1)
    order = np.stack([rng.permutation(n) for _ in range(n_classes)])
    half = n // 2
    means = np.stack([flat[c, order[c, :half]].mean(axis=0) for c in range(n_classes)])
    held = np.concatenate([flat[c, order[c, half:]] for c in range(n_classes)])
    truth = np.repeat(np.arange(n_classes), n - half)
    dist = ((held[:, None, :] - means[None]) ** 2).sum(axis=-1)
    return float(np.mean(dist.argmin(axis=1) == truth)), 1.0 / n_classes
