"""Method settings per dataset: the paper's GPU preset, the CPU-sized one, or the course's."""
from __future__ import annotations

from typing import Any, Sequence


from ..config import default_device
from .constants import DEFAULT_METHODS, _XLSA17
from .datasets import BenchmarkData


# =========================================================================== settings per dataset
def _preset_key(name: str) -> str | None:
    name = name.upper()
    if name in ("AWA1", "AWA2"):
        return "AWA"
    return name if name in ("CUB", "SUN") else None


def benchmark_specs(target: Any, methods: Sequence[str] = DEFAULT_METHODS, *, device: str | None = None,
                    fast: bool | None = None, profile: str | None = None) -> list:
    """Method specs for one dataset: real-data settings for xlsa17, the course's on simulated data.

    ``target`` is a :class:`BenchmarkData` or a dataset name. ``profile`` is ``"gpu"`` (the paper's
    f-CLSWGAN preset, :meth:`CLSWGAN.paper_preset`), ``"cpu"`` (:data:`CPU_CLSWGAN`), or ``"course"``
    (``evaluation.course_methods`` unchanged). Default: ``"course"`` for the synthetic stand-in and the
    fixture, else ``"gpu"`` when the resolved device is CUDA and ``"cpu"`` otherwise. ``fast`` (default
    ``ZSL_FAST``) shrinks every epoch count, for tests.
    """
    from ..evaluation import course_methods

    if isinstance(target, BenchmarkData):
        name, real = target.paper_dataset if target.real else target.name, target.real
    elif isinstance(target, str):
        name = target.strip()
        real = name.upper() in _XLSA17
        name = name.upper() if real else name.lower()
    else:
        raise TypeError(f"target must be a BenchmarkData or a dataset name, got {type(target).__name__}.")
    if profile is None:
        profile = ("gpu" if default_device(device).startswith("cuda") else "cpu") if real else "course"
    if profile not in ("gpu", "cpu", "course"):
        raise ValueError(f"profile must be 'gpu', 'cpu' or 'course', got {profile!r}.")
    # One settings table for every profile (evaluation.course): nothing is rewritten here by name.
    return course_methods(include=methods, fast=fast, profile=profile,
                          dataset=_preset_key(name) if profile != "course" else None)
