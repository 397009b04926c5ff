"""Method settings per dataset: the paper's GPU preset, the CPU-sized one, or the course's."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence


from ..config import default_device, pick
from .constants import CPU_CLSWGAN, DEFAULT_METHODS, _XLSA17
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
    from ..methods import CLSWGAN

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
    quick = fast if fast is not None else pick(False, True)
    specs = course_methods(include=methods, fast=quick)
    if profile == "course":
        return specs

    out = []
    key = _preset_key(name)
    for spec in specs:
        if spec.name in ("SAE (semantic)", "SAE (visual)"):
            # ResNet features carry more energy per sample than the simulator's: search a wider λ range.
            spec = replace(spec, grid={"lam": [0.001, 0.01, 0.1, 1.0, 10.0, 100.0]})
        elif spec.name == "Deep encoder":
            spec = replace(spec, fixed={"hidden": 1024 if profile == "gpu" else 512,
                                        "epochs": 2 if quick else (50 if profile == "gpu" else 30)})
        elif spec.name == "f-CLSWGAN" and key is not None:
            if profile == "gpu":
                params = CLSWGAN.paper_preset(key).get_params()
                n = params["n_synth"]
                grid = [max(50, n // 3), n, 2 * n]
            else:
                params = dict(CPU_CLSWGAN[key])
                grid = list(params["n_synth"])
            for k in ("seed", "device", "progress", "n_synth"):
                params.pop(k, None)
            if quick:
                params.update(epochs=1, pretrain_epochs=2, clf_epochs=2)
                grid = grid[:1]
            spec = replace(spec, fixed=params, grid={"n_synth": grid})
        out.append(spec)
    return out
