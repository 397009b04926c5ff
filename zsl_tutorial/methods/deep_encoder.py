"""DeepEncoder: a small MLP from features to the auxiliary space, trained with a cosine softmax.

The deep counterpart of ESZSL/SAE, in the spirit of DeViSE (Frome et al., 2013)
and of the cosine-softmax embedding models surveyed by Xian et al. (2018):
f(x) is compared with every seen class row s_c by cosine, and the logits
cos(f(x), s_c) / T go through a cross-entropy. At test time the unseen rows of S
simply become the candidates.

torch is imported inside the methods only, so ``import zsl_tutorial.methods``
stays light.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._deps import require
from .._validation import check_int, check_seed
from ._base import ZSLEstimator, check_positive, cosine_similarity

__all__ = ["DeepEncoder"]



class DeepEncoder(ZSLEstimator):
    """MLP encoder x ↦ f(x) in the auxiliary space, trained by a temperature-scaled cosine softmax.

    Parameters
    ----------
    hidden : int or sequence of int
        Width(s) of the hidden ReLU layer(s); ``()`` gives a linear map.
    epochs, lr, batch_size, weight_decay :
        Adam training settings. The defaults train ~5k samples × 64 features in
        a few seconds on a CPU.
    temperature : float > 0
        Logits are cosines divided by this; small values sharpen the softmax
        (cosines alone lie in [-1, 1], too flat to fit the labels).
    seed : int
        Seeds weight initialisation and batch order. On the CPU the same seed
        gives identical scores; CUDA kernels may differ in the last bits.
    device : str or None
        ``None`` picks CUDA when available (``config.default_device``).
    progress : bool
        Show a tqdm progress bar over epochs.

    Features are standardised with the training mean and standard deviation
    (stored as ``mean_`` and ``scale_``), which makes the defaults work both for
    raw ResNet features and for small synthetic ones.

    Attributes
    ----------
    model_ : torch.nn.Module
        The trained encoder (in eval mode, on ``device_``).
    loss_history_ : list of float
        Mean training loss per epoch.
    """

    def __init__(
        self,
        hidden: int | Sequence[int] = 256,
        epochs: int = 20,
        lr: float = 1e-3,
        temperature: float = 0.1,
        batch_size: int = 256,
        weight_decay: float = 1e-4,
        seed: int = 0,
        device: str | None = None,
        progress: bool = True,
    ) -> None:
        self.hidden = hidden
        self.epochs = epochs
        self.lr = lr
        self.temperature = temperature
        self.batch_size = batch_size
        self.weight_decay = weight_decay
        self.seed = seed
        self.device = device
        self.progress = progress

    def _hidden_sizes(self) -> list[int]:
        sizes = [self.hidden] if isinstance(self.hidden, (int, np.integer)) else list(self.hidden)
        return [check_int(h, "every hidden size", 1) for h in sizes]

    def _check_params(self) -> None:
        self._hidden_sizes()
        check_int(self.epochs, "epochs", 1)
        check_int(self.batch_size, "batch_size", 1)
        check_seed(self.seed)
        check_positive(self.lr, "lr")
        check_positive(self.temperature, "temperature")
        check_positive(self.weight_decay, "weight_decay", allow_zero=True)

    def _build(self, d_in: int, d_out: int):
        nn = require("torch.nn")

        layers: list[nn.Module] = []
        for h in self._hidden_sizes():
            layers += [nn.Linear(d_in, h), nn.ReLU()]
            d_in = h
        layers.append(nn.Linear(d_in, d_out))
        return nn.Sequential(*layers)

    def _fit(self, X: np.ndarray, y: np.ndarray, S: np.ndarray) -> None:
        torch = require("torch")
        F = require("torch.nn.functional")

        from ..training import adam, build_seeded, fit_cross_entropy, torch_device

        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        self.scale_ = np.where(std > 0, std, 1.0)  # constant features stay 0, not nan
        dev = torch_device(self.device)

        # Seeded weights without changing the caller's global torch RNG; batch order
        # from its own generator, independent of any other torch RNG use.
        model = build_seeded(lambda: self._build(X.shape[1], S.shape[1]), self.seed, device=dev)
        gen = torch.Generator().manual_seed(self.seed)

        Xt = torch.as_tensor((X - self.mean_) / self.scale_, dtype=torch.float32, device=dev)
        yt = torch.as_tensor(y, dtype=torch.long, device=dev)
        St = F.normalize(torch.as_tensor(S, dtype=torch.float32, device=dev), dim=1)
        opt = adam(model.parameters(), lr=float(self.lr), weight_decay=float(self.weight_decay))

        model.train()
        logits = lambda idx: F.normalize(model(Xt[idx]), dim=1) @ St.T / float(self.temperature)  # noqa: E731
        history = fit_cross_entropy(logits, yt, opt, epochs=int(self.epochs), batch_size=int(self.batch_size),
                                    generator=gen, device=dev, desc="DeepEncoder", progress=self.progress,
                                    if_diverged=f"lower lr (now {float(self.lr):g}) or raise temperature")
        model.eval()
        self.loss_history_: list[float] = history
        self.model_ = model
        self.device_ = str(dev)

    def _embed(self, X: np.ndarray, chunk: int = 4096) -> np.ndarray:
        torch = require("torch")

        from ..training import predict_in_chunks

        def encode(xb: np.ndarray):
            return self.model_(torch.as_tensor((xb - self.mean_) / self.scale_, dtype=torch.float32,
                                               device=self.device_))

        return predict_in_chunks(encode, X, chunk, dtype=np.float64)  # chunks bound the memory on large test sets

    def embed(self, X: Any) -> np.ndarray:
        """f(x) for every sample (n × n_aux), as numpy."""
        return self._embed(self._check_X(X))

    def _decision_function(self, X: np.ndarray, S: np.ndarray) -> np.ndarray:
        # Cosines, not logits: dividing by the temperature would not change any ranking.
        return cosine_similarity(self._embed(X), S)
