"""Torch seeding state shared by ``config.set_seed`` and ``_deps.require`` (standard library only).

``set_seed`` must not import torch (it is slow), yet torch code run later must be
seeded. So the seed waits here until ``_deps.require`` first imports torch. It
lives in its own module so that ``_deps`` need not import ``config`` (which
imports ``_deps``): the foundation modules stay free of import cycles.
"""
from __future__ import annotations

import sys
from types import ModuleType

__all__ = ["seed_torch", "seed_torch_now_or_later", "apply_pending_torch_seed", "pending_torch_seed"]

#: The seed of the last ``set_seed`` call that came before torch was imported.
_PENDING_TORCH_SEED: int | None = None


def seed_torch(torch: ModuleType, seed: int) -> None:
    """Seed torch and ask for deterministic kernels (on CUDA they may cost speed, which we accept)."""
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def seed_torch_now_or_later(seed: int) -> None:
    """Seed torch at once when it is imported, else remember ``seed`` for its first import."""
    global _PENDING_TORCH_SEED
    torch = sys.modules.get("torch")
    if torch is not None:
        seed_torch(torch, seed)
        _PENDING_TORCH_SEED = None
    else:
        _PENDING_TORCH_SEED = seed


def apply_pending_torch_seed(torch: ModuleType) -> None:
    """Called once torch is imported: apply a ``set_seed`` that came before the import."""
    global _PENDING_TORCH_SEED
    if _PENDING_TORCH_SEED is not None:
        seed_torch(torch, _PENDING_TORCH_SEED)
        _PENDING_TORCH_SEED = None


def pending_torch_seed() -> int | None:
    """The seed still waiting for torch, or None (for tests and the curious)."""
    return _PENDING_TORCH_SEED
