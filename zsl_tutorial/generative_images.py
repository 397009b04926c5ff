"""A small attribute-conditioned image GAN for Animal-MNIST (lesson 04).

``ImageGAN`` learns to draw 28×28 images from a class *description* (an
attribute vector) and noise. It is trained on seen classes only; asking it for
an unseen class's attributes is the image-space version of f-CLSWGAN's feature
synthesis, and shows plainly what a generator can and cannot extrapolate
(an attribute that never varies among the seen classes, such as ``stripes``,
has nothing to teach it).

The model is DCGAN-like and tiny, so that it trains in seconds on a CPU:

- generator: [a, z] → 64·7·7 → transposed conv to 32×14×14 → transposed conv
  to 1×28×28, tanh;
- discriminator: two stride-2 convolutions, then a linear score plus a
  *projection* term ⟨embed(a), φ(x)⟩ (Miyato & Koyama, 2018), which makes
  the score depend on whether the image matches the description;
- hinge loss, Adam (2e-4, β1 = 0.5).

torch is imported inside the functions only.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["ImageGAN", "class_consistency"]


def _check_int(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def _networks(n_aux: int, n_noise: int, width: int):
    import torch
    from torch import nn

    class Gen(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Sequential(nn.Linear(n_aux + n_noise, 2 * width * 49), nn.BatchNorm1d(2 * width * 49), nn.ReLU())
            self.up = nn.Sequential(
                nn.ConvTranspose2d(2 * width, width, 4, 2, 1), nn.BatchNorm2d(width), nn.ReLU(),
                nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh(),
            )

        def forward(self, a, z):
            h = self.fc(torch.cat([a, z], 1)).view(len(a), 2 * width, 7, 7)
            return self.up(h)

    class Disc(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = nn.Sequential(
                nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
                nn.Conv2d(width, 2 * width, 4, 2, 1), nn.LeakyReLU(0.2), nn.Flatten(),
                nn.Linear(2 * width * 49, 128), nn.LeakyReLU(0.2),
            )
            self.out = nn.Linear(128, 1)
            self.embed = nn.Linear(n_aux, 128, bias=False)

        def forward(self, x, a):
            h = self.body(x)
            return self.out(h).squeeze(1) + (self.embed(a) * h).sum(1)

    return Gen, Disc


class ImageGAN:
    """An attribute-conditioned DCGAN-style image generator for 28×28 grey images.

    Parameters
    ----------
    epochs, batch_size, lr :
        Training settings (Adam with β1 = 0.5, hinge loss).
    width : int
        Channels of the first convolution (the second has twice as many).
    n_noise : int
        Dimension of the noise z.
    seed : int
        Seeds weights, batches and noise (identical results on the CPU).
    device : str or None
        ``None`` picks CUDA when available.
    progress : bool
        Show a tqdm progress bar over epochs.

    ``fit(images, y, S)`` takes uint8 or [0, 1] images (n, 28, 28), labels
    indexing the rows of ``S`` (the seen classes' attributes); ``generate(S,
    n_per_class)`` draws images in [0, 1] for any attribute rows, seen or not.
    ``history_`` holds the mean discriminator and generator losses per epoch.
    """

    def __init__(self, epochs: int = 10, batch_size: int = 64, lr: float = 2e-4, width: int = 32,
                 n_noise: int = 32, seed: int = 0, device: str | None = None, progress: bool = True) -> None:
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.width = width
        self.n_noise = n_noise
        self.seed = seed
        self.device = device
        self.progress = progress

    def __repr__(self) -> str:
        keys = ("epochs", "batch_size", "lr", "width", "n_noise", "seed", "device")
        return "ImageGAN(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in keys) + ")"

    @staticmethod
    def _images(images: Any) -> np.ndarray:
        X = np.asarray(images)
        if X.ndim != 3 or X.shape[1:] != (28, 28):
            raise ValueError(f"images must have shape (n, 28, 28), got {X.shape}.")
        if X.dtype == np.uint8:
            return X.astype(np.float32) / 255.0
        X = X.astype(np.float32)
        if not np.isfinite(X).all() or X.min() < 0 or X.max() > 1:
            raise ValueError("float images must be finite and lie in [0, 1] (or pass uint8 images).")
        return X

    def _aux(self, S: Any) -> np.ndarray:
        S = np.asarray(S, dtype=np.float64)
        if S.ndim != 2 or not np.isfinite(S).all():
            raise ValueError(f"S must be a finite 2-D array (classes × attributes), got shape {S.shape}.")
        if hasattr(self, "n_aux_in_") and S.shape[1] != self.n_aux_in_:
            raise ValueError(f"S has {S.shape[1]} attributes, but the GAN was trained with {self.n_aux_in_}.")
        return S.astype(np.float32)

    def fit(self, images: Any, y: Any, S: Any) -> "ImageGAN":
        """Train on images of seen classes; ``y`` indexes the rows of ``S``."""
        import torch
        import torch.nn.functional as F
        from tqdm.auto import tqdm

        from .config import default_device

        for name, minimum in (("epochs", 1), ("batch_size", 2), ("width", 1), ("n_noise", 1), ("seed", 0)):
            _check_int(getattr(self, name), name, minimum)
        if not (isinstance(self.lr, (int, float)) and self.lr > 0):
            raise ValueError(f"lr must be a positive number, got {self.lr!r}.")
        X = self._images(images)
        S = self._aux(S)
        y = np.asarray(y)
        if y.shape != (len(X),) or not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= len(S):
            raise ValueError(f"y must hold one integer row index of S (0..{len(S) - 1}) per image.")
        self.n_aux_in_ = S.shape[1]
        dev = torch.device(default_device(self.device))
        self.device_ = str(dev)

        Gen, Disc = _networks(S.shape[1], int(self.n_noise), int(self.width))
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(int(self.seed))
            G, D = Gen().to(dev), Disc().to(dev)
        gen = torch.Generator().manual_seed(int(self.seed))
        Xt = torch.as_tensor(X * 2 - 1).unsqueeze(1).to(dev)  # tanh range
        At = torch.as_tensor(S, device=dev)
        yt = torch.as_tensor(y, dtype=torch.long, device=dev)
        opt_g = torch.optim.Adam(G.parameters(), lr=float(self.lr), betas=(0.5, 0.999))
        opt_d = torch.optim.Adam(D.parameters(), lr=float(self.lr), betas=(0.5, 0.999))
        n, bs = len(X), int(self.batch_size)
        self.history_: dict[str, list[float]] = {"discriminator": [], "generator": []}
        bar = tqdm(range(int(self.epochs)), desc="image GAN", disable=not self.progress, leave=False)
        for _ in bar:
            sd = sg = 0.0
            batches = [b for b in torch.randperm(n, generator=gen).split(bs) if len(b) > 1]
            for idx in batches:
                idx = idx.to(dev)
                xr, ar = Xt[idx], At[yt[idx]]
                z = torch.randn(len(idx), int(self.n_noise), generator=gen).to(dev)
                xf = G(ar, z)
                loss_d = F.relu(1 - D(xr, ar)).mean() + F.relu(1 + D(xf.detach(), ar)).mean()
                opt_d.zero_grad(set_to_none=True)
                loss_d.backward()
                opt_d.step()
                loss_g = -D(xf, ar).mean()
                opt_g.zero_grad(set_to_none=True)
                loss_g.backward()
                opt_g.step()
                sd += float(loss_d.detach())
                sg += float(loss_g.detach())
            self.history_["discriminator"].append(sd / len(batches))
            self.history_["generator"].append(sg / len(batches))
            bar.set_postfix(D=f"{self.history_['discriminator'][-1]:.2f}", G=f"{self.history_['generator'][-1]:.2f}")
        bar.close()
        G.eval()
        self.generator_ = G
        return self

    def generate(self, S: Any, n_per_class: int = 8, *, seed: int | None = None) -> np.ndarray:
        """Images (len(S), n_per_class, 28, 28) in [0, 1], one row per attribute vector of ``S``.

        The same ``seed`` (default: the estimator's) reuses the same noise for
        every row, so rows differ only by their description.
        """
        import torch

        if not hasattr(self, "generator_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("This ImageGAN is not fitted yet. Call fit(images, y, S) first.")
        S = self._aux(np.atleast_2d(S))
        n_per_class = _check_int(n_per_class, "n_per_class", 1)
        seed = self.seed if seed is None else _check_int(seed, "seed", 0)
        gen = torch.Generator().manual_seed(int(seed) + 1)
        z = torch.randn(n_per_class, int(self.n_noise), generator=gen)
        out = []
        with torch.no_grad():
            for a in S:
                A = torch.as_tensor(a).expand(n_per_class, -1)
                out.append(self.generator_(A.to(self.device_), z.to(self.device_)).cpu().numpy()[:, 0])
        return (np.stack(out) + 1) / 2


def class_consistency(classifier, images: np.ndarray, intended: np.ndarray) -> tuple[float, np.ndarray]:
    """Share of generated images that ``classifier.predict`` assigns to their intended class.

    ``images`` is (n, 28, 28) in [0, 1] (as ``ImageGAN.generate`` gives, reshaped), ``intended``
    the class labels in the classifier's label space. Returns the overall share and the per-class shares
    (in the order of ``np.unique(intended)``).
    """
    images = np.asarray(images)
    intended = np.asarray(intended)
    if images.ndim != 3 or len(images) != len(intended):
        raise ValueError("images must be (n, height, width) with one intended label per image.")
    pred = np.asarray(classifier.predict(np.clip(np.round(images * 255), 0, 255).astype(np.uint8)))
    per = np.array([np.mean(pred[intended == c] == c) for c in np.unique(intended)])
    return float(np.mean(pred == intended)), per
