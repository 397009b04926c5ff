"""Course-wide settings: where data lives, fast mode, seeds, and the compute device."""
from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np

__all__ = ["data_dir", "fast_mode", "set_seed", "pick", "default_device"]

_APP_NAME = "zsl-tutorial"


def data_dir(create: bool = True) -> Path:
    """The download and cache folder: ``$ZSL_DATA_DIR``, else a per-user cache dir.

    Never the git tree, so a clone stays small and a fresh clone re-uses the cache.
    """
    env = os.environ.get("ZSL_DATA_DIR")
    if env:
        path = Path(env).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_cache_dir(_APP_NAME))
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def fast_mode() -> bool:
    """True under ``ZSL_FAST=1``: the same code with fewer epochs and samples (used by CI)."""
    return os.environ.get("ZSL_FAST", "").strip().lower() in {"1", "true", "yes", "on"}


def pick(full, fast):
    """Return ``fast`` in fast mode and ``full`` otherwise, e.g. ``epochs = pick(30, 3)``."""
    return fast if fast_mode() else full


def set_seed(seed: int = 0) -> np.random.Generator:
    """Seed Python, NumPy and (if already imported) PyTorch; return a NumPy Generator.

    Torch is only seeded when something else imported it, so calling this never
    pays torch's import cost.
    """
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")
    random.seed(seed)
    np.random.seed(seed)
    import sys

    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)
        # Deterministic kernels on the CPU; on CUDA they may cost speed, which we accept.
        torch.use_deterministic_algorithms(True, warn_only=True)
    return np.random.default_rng(seed)


def default_device(device: str | None = None) -> str:
    """Resolve a device name: an explicit one wins, else CUDA when available, else CPU."""
    if device not in (None, "auto"):
        return str(device)
    import torch

    if torch.cuda.is_available():
        return "cuda"
    return "cpu"
