"""Features of a torchvision ResNet pretrained on ImageNet, for a learner's own images.

Caution: ImageNet contains many classes that ZSL benchmarks call "unseen", so these features
leak knowledge about them; the course's own encoder (:mod:`~zsl_tutorial.encoders.cnn`) does not.
"""
from __future__ import annotations

import socket
from typing import Any, Sequence

import numpy as np

from .. import switches
from .._deps import require
from .._validation import check_int

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

    from ..config import default_device

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
