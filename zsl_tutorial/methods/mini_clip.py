"""MiniCLIP: CLIP in miniature. An image tower trained contrastively against frozen sentence embeddings.

CLIP (Radford et al. 2021) trains an image encoder and a text encoder so that an image and its caption
land close together, with a symmetric contrastive loss at a learned temperature; at test time any list of
class descriptions becomes a classifier. Here, small enough to train on a CPU in seconds:

- the **image tower** is the course's small CNN (``encoders.cnn``) from raw pixels, plus a linear map;
- the **text tower** is frozen: the rows of ``S`` are sentence embeddings of each class's description
  (MiniLM, lesson 01), followed by one learnt linear map;
- the **loss** (:func:`clip_loss`) is CLIP's, for class descriptions: image→text, each image picks its
  class's description among the seen classes'; text→image, each description picks its class's images
  among the batch (all of them are right, so the target is spread over them).

Trained on seen classes only, it classifies unseen ones by their descriptions, as a ZSL estimator:
``fit(X, y, S)`` with ``X`` the images flattened to rows, values in [0, 1]. It is Approach 1 with both sides
learnt into a shared space: DeViSE's cosine softmax (``DeepEncoder``) with a CNN on pixels, a text
projection and a learnt temperature.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._deps import require
from .._validation import check_int, check_seed
from ._base import ZSLEstimator, check_positive

__all__ = ["MiniCLIP", "clip_loss"]


def clip_loss(logits: Any, y: Any) -> Any:
    """CLIP's symmetric contrastive loss for one batch, with class descriptions as the captions.

    ``logits`` (batch, n_classes): scaled cosines between each image and each class's text; ``y`` the
    batch's classes. Image→text: cross-entropy of each row against its class. Text→image: for every
    class in the batch, cross-entropy of its column over the batch's images, the target spread evenly
    over that class's images. The mean of the two.
    """
    F = require("torch.nn.functional")

    image_to_text = F.cross_entropy(logits, y)
    present = y.unique()
    target = (y[None, :] == present[:, None]).float()
    target = target / target.sum(dim=1, keepdim=True)
    text_to_image = -(target * F.log_softmax(logits[:, present].T, dim=1)).sum(dim=1).mean()
    return (image_to_text + text_to_image) / 2


class MiniCLIP(ZSLEstimator):
    """A CNN image tower and a linear text tower, trained with CLIP's contrastive loss on seen classes.

    Parameters
    ----------
    image_shape : (height, width)
        The images' shape; ``X`` holds them flattened, one per row, values in [0, 1].
    embed_dim : int
        Size of the shared space both towers map into.
    epochs, lr, batch_size :
        Adam training settings (the defaults: about half a minute on 5,600 Animal-MNIST images on a CPU).
    temperature : float > 0
        The starting temperature (CLIP: 0.07); logits are cosines divided by it.
    learn_temperature : bool
        Learn it too, as CLIP does (its inverse is capped at 100, CLIP's limit).
    seed, device, progress :
        As for the other torch estimators.

    Attributes
    ----------
    temperature_ : float
        The temperature at the end of training.
    loss_history_ : list of float
        Mean training loss per epoch.
    """

    def __init__(self, image_shape: Sequence[int] = (28, 28), embed_dim: int = 64, epochs: int = 6,
                 lr: float = 2e-3, batch_size: int = 128, temperature: float = 0.07, learn_temperature: bool = True,
                 seed: int = 0, device: str | None = None, progress: bool = True) -> None:
        self.image_shape = image_shape
        self.embed_dim = embed_dim
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.temperature = temperature
        self.learn_temperature = learn_temperature
        self.seed = seed
        self.device = device
        self.progress = progress

    def _shape(self) -> tuple[int, int]:
        shape = tuple(self.image_shape)
        if len(shape) != 2:
            raise ValueError(f"image_shape must be (height, width), got {self.image_shape!r}.")
        h, w = (check_int(v, "image_shape", 8) for v in shape)
        return h, w

    def _check_params(self) -> None:
        self._shape()
        check_int(self.embed_dim, "embed_dim", 1)
        check_int(self.epochs, "epochs", 1)
        check_int(self.batch_size, "batch_size", 2)
        check_seed(self.seed)
        check_positive(self.lr, "lr")
        check_positive(self.temperature, "temperature")

    def _images(self, X: np.ndarray) -> np.ndarray:
        h, w = self._shape()
        if X.shape[1] != h * w:
            raise ValueError(f"X has {X.shape[1]} columns, but image_shape {self.image_shape!r} needs {h * w}: "
                             "pass the images flattened, e.g. images.reshape(len(images), -1).")
        if X.size and (X.min() < 0 or X.max() > 1):
            raise ValueError(f"X must hold pixels in [0, 1], got values in [{X.min():.3g}, {X.max():.3g}]; "
                             "divide uint8 images by 255.")
        return X.reshape(len(X), 1, h, w).astype(np.float32)

    def _fit(self, X: np.ndarray, y: np.ndarray, S: np.ndarray) -> None:
        torch = require("torch")
        nn = require("torch.nn")
        F = require("torch.nn.functional")

        from ..encoders.cnn import _build_cnn
        from ..training import adam, build_seeded, portable_convolutions, torch_device, train_epochs

        images = self._images(X)
        dev = torch_device(self.device)
        dim = int(self.embed_dim)

        def build():
            cnn = _build_cnn(2, 64, self._shape())  # its head is not used: the body's 64 features feed the projection
            return nn.ModuleDict({"image": nn.Sequential(cnn["body"], nn.Linear(64, dim)),
                                  "text": nn.Linear(S.shape[1], dim, bias=False)})

        towers = build_seeded(build, self.seed, device=dev)
        # CLIP learns log(1 / temperature); a fixed temperature is the same number, not trained.
        log_scale = torch.tensor(float(np.log(1.0 / float(self.temperature))), device=dev,
                                 requires_grad=bool(self.learn_temperature))
        params = list(towers.parameters()) + ([log_scale] if self.learn_temperature else [])
        opt = adam(params, lr=float(self.lr))
        gen = torch.Generator().manual_seed(int(self.seed))
        Xt = torch.as_tensor(images, device=dev)
        yt = torch.as_tensor(y, dtype=torch.long, device=dev)
        St = torch.as_tensor(S, dtype=torch.float32, device=dev)
        cap = float(np.log(100.0))

        def step(idx):
            img = F.normalize(towers["image"](Xt[idx]), dim=1)
            txt = F.normalize(towers["text"](St), dim=1)
            loss = clip_loss(log_scale.clamp(max=cap).exp() * img @ txt.T, yt[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            return {"loss": float(loss.detach())}

        towers.train()
        with portable_convolutions(dev):
            history = train_epochs(step, epochs=int(self.epochs), n=len(yt), batch_size=int(self.batch_size),
                                   generator=gen, device=dev, min_batch=2, weight="samples", desc="MiniCLIP",
                                   progress=self.progress, postfix=lambda m: {"loss": f"{m['loss']:.3f}"},
                                   if_diverged=f"lower lr (now {float(self.lr):g})")
        towers.eval()
        self.towers_ = towers
        self.temperature_ = float(1.0 / np.exp(min(float(log_scale.detach()), cap)))
        self.loss_history_: list[float] = history["loss"]
        self.device_ = str(dev)

    def embed_images(self, X: Any) -> np.ndarray:
        """Each image's point in the shared space (n, embed_dim), unit length."""
        torch = require("torch")
        F = require("torch.nn.functional")

        from ..training import portable_convolutions, predict_in_chunks

        images = self._images(self._check_X(X))
        with portable_convolutions(self.device_):
            return predict_in_chunks(lambda xb: F.normalize(self.towers_["image"](torch.as_tensor(xb, device=self.device_)),
                                                            dim=1), images, 2048, dtype=np.float64)

    def embed_texts(self, S: Any) -> np.ndarray:
        """Each class description's point in the shared space (len(S), embed_dim), unit length."""
        torch = require("torch")
        F = require("torch.nn.functional")

        S = self._check_S(S)
        with torch.no_grad():
            out = F.normalize(self.towers_["text"](torch.as_tensor(np.ascontiguousarray(S), dtype=torch.float32,
                                                                   device=self.device_)),
                              dim=1)
        return out.cpu().numpy().astype(np.float64)

    def _decision_function(self, X: np.ndarray, S: np.ndarray) -> np.ndarray:
        # Logits, as CLIP's: cosines divided by the learnt temperature, so a softmax of a row is a probability.
        return self.embed_images(X) @ self.embed_texts(S).T / self.temperature_
