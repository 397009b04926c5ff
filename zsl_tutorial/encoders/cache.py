"""Features of Animal-MNIST from a CNN trained on ``trainval`` only, kept in a cache on disk.

The cache key (:func:`_cache_key`) hashes the images, the ``trainval`` indices and labels, the
training settings, the torch version and ``_CNN_VERSION``. The file's content hash is recorded on write
(``_npzcache.write_recorded``) and checked on read; a damaged, altered or misfitting file is rebuilt.
"""
from __future__ import annotations

import hashlib
import time
import warnings
from importlib import metadata
from pathlib import Path

import numpy as np

from .._locks import cache_lock
from .._npzcache import CacheDamaged, read_recorded, write_recorded
from .._validation import check_int, check_seed
from .cnn import _CNN_VERSION, CNNEncoder, _check_images


def feature_cache_dir() -> Path:
    """Where :func:`animal_features` keeps its ``.npz`` files: ``config.data_dir() / "features"``."""
    from ..config import data_dir

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


def _read_cache(path: Path, n: int, feature_dim: int) -> tuple[dict[str, np.ndarray] | None, str | None]:
    """``(arrays, None)`` from a sound cache file; ``(None, why)`` for a damaged, altered or misfitting
    one; ``(None, None)`` when there is none. Its content is checked against the hash recorded when it
    was written (the folder's manifest), and nothing in it is ever unpickled."""
    try:
        # The features plus the weights of a small CNN: nothing honest is larger.
        arrays = read_recorded(path, max_bytes=n * feature_dim * 4 + (256 << 20))
    except FileNotFoundError:
        return None, None
    except CacheDamaged as exc:
        return None, str(exc)
    feats = arrays.get("features")
    if feats is None or feats.shape != (n, feature_dim) or feats.dtype != np.float32 \
            or not np.isfinite(feats).all() or "classes" not in arrays or "loss_history" not in arrays:
        return None, "its arrays do not fit these images"
    return arrays, None


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
    from ..config import pick

    X = np.asarray(getattr(dataset, "X", None))
    splits = getattr(dataset, "splits", None)
    if splits is None or X.ndim != 3:
        raise TypeError("animal_features needs a ZSLDataset of images (n, height, width), "
                        f"e.g. load_animals(); got {type(dataset).__name__} with X of shape {X.shape}.")
    _check_images(X[:1], "dataset.X")  # dtype and range of the images, cheaply
    epochs = pick(8, 2) if epochs is None else check_int(epochs, "epochs", 1)
    seed = check_seed(seed)
    feature_dim = check_int(feature_dim, "feature_dim", 1)

    trainval = np.asarray(splits["trainval"])
    labels = dataset.y[trainval]
    test_seen = np.asarray(splits["test_seen"])
    params = dict(epochs=epochs, feature_dim=feature_dim, seed=seed, device=device)

    key = _cache_key(X, trainval, labels, epochs, seed, feature_dim)
    path = feature_cache_dir() / f"animal_cnn_{key}.npz" if cache else None
    arrays, damaged = _read_cache(path, len(X), feature_dim) if path is not None else (None, None)

    encoder = None
    if arrays is not None and return_encoder:
        try:
            encoder = CNNEncoder._from_state_arrays(arrays, progress=False, **params)
        except (KeyError, ValueError, RuntimeError):  # weights missing or misshapen: treat the file as damaged
            arrays, damaged = None, "its CNN weights do not fit the network"
    if arrays is not None:
        feats = arrays["features"]
        acc = float(arrays["test_seen_accuracy"]) if "test_seen_accuracy" in arrays else float("nan")
        if verbose:
            print(f"CNN features loaded from cache {path} (CNN trained on {len(trainval):,} seen-class images, "
                  f"{epochs} epochs; test_seen accuracy {acc:.1%}).")
    else:
        if damaged:
            message = f"Cached CNN features at {path} are damaged ({damaged}); retraining them."
            if verbose:
                print(message)
            else:
                warnings.warn(message, RuntimeWarning, stacklevel=2)
        t0 = time.perf_counter()
        encoder = CNNEncoder(progress=verbose, **params).fit(X[trainval], labels)
        feats = encoder.transform(X)
        acc = encoder.score(X[test_seen], dataset.y[test_seen]) if len(test_seen) else float("nan")
        took = time.perf_counter() - t0
        if path is not None:
            saved = {"features": feats, "test_seen_accuracy": np.float64(acc), **encoder._state_arrays()}
            # One process at a time writes it; an interrupted run never leaves a half-written cache.
            with cache_lock(path, what="the CNN feature cache"):
                write_recorded(path, saved)
        if verbose:
            where = f"; cached at {path}" if path is not None else " (not cached)"
            print(f"CNN trained on {len(trainval):,} seen-class images ({len(encoder.classes_)} classes, "
                  f"{epochs} epochs) in {took:.0f} s; test_seen accuracy {acc:.1%}{where}.")
    if not return_encoder:
        return feats
    encoder.test_seen_accuracy_ = acc
    encoder.from_cache_ = arrays is not None
    return feats, encoder
