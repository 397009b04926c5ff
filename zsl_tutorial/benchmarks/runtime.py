"""Run times: measured on stand-ins of the real sizes, and estimated for f-CLSWGAN on a GPU from its FLOPs."""
from __future__ import annotations

import csv
import os
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from .._deps import require
from ..config import default_device
from .constants import DEFAULT_METHODS, SPLIT_SIZES
from .settings import benchmark_specs
from .constants import _RUNTIME_CSV


# =========================================================================== run time
def real_size_stand_in(name: str, *, scale: float = 1.0, n_features: int = 2048, seed: int = 0) -> Any:
    """A synthetic dataset with ``name``'s numbers of classes, attributes and validation classes, ``n_features``
    dimensions and ``scale`` times its number of images: for timing, not for accuracy."""
    from ..data import make_synthetic

    name = str(name).upper()
    if name not in SPLIT_SIZES:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(SPLIT_SIZES)}.")
    if not (isinstance(scale, (int, float)) and 0 < scale <= 1):
        raise ValueError(f"scale must be in (0, 1], got {scale!r}.")
    size = SPLIT_SIZES[name]
    per_class = max(10, int(round(scale * size.n_images / size.n_classes)))
    ds = make_synthetic(size.n_seen, size.n_unseen, size.n_attributes, n_features, n_per_class=per_class,
                        n_val=size.n_val, seed=seed)
    ds.name = f"{name}-sized stand-in"
    ds.extras["stands_in_for"] = name
    return ds


def measure_runtime(name: str, methods: Sequence[str] = DEFAULT_METHODS, *, scale: float = 1.0,
                    n_features: int = 2048, seed: int = 0, device: str | None = "cpu",
                    profile: str | None = None, fast: bool | None = None, progress: bool = True) -> list[dict]:
    """Time the real-data pipeline on a synthetic dataset of ``name``'s shape (see :func:`real_size_stand_in`).

    Uses the settings a real run would use (``benchmark_specs(name, ...)``, profile ``"cpu"`` unless CUDA
    is chosen). Returns one dict per method: ``dataset, method, device, n_samples, scale, seconds`` (the
    whole evaluate: tuning, refit, scoring), ``fit_seconds`` (the final refit alone) and
    ``seconds_full_size`` = ``seconds / scale``, a linear extrapolation to the real number of images:
    about right for the neural methods, whose epochs scale with the samples, and pessimistic for ESZSL
    and SAE, part of whose cost (d × d matrices) does not grow with the samples.
    """
    from ..evaluation import evaluate

    dev = default_device(device)
    ds = real_size_stand_in(name, scale=scale, n_features=n_features, seed=seed)
    specs = benchmark_specs(name.upper(), methods, device=dev, fast=fast, profile=profile)
    rows = []
    jobs = specs
    if progress:
        tqdm = require("tqdm.auto").tqdm
        jobs = tqdm(specs, desc=f"timing {name} (x{scale:g})")
    for spec in jobs:
        res = evaluate(spec, ds, seed=seed, device=dev)
        rows.append({"dataset": name.upper(), "method": spec.name, "device": dev, "n_samples": len(ds.X),
                     "scale": float(scale), "seconds": res.total_seconds, "fit_seconds": res.fit_seconds,
                     "seconds_full_size": res.total_seconds / scale})
    return rows


def runtime_table(path: str | os.PathLike | None = None) -> list[dict]:
    """The run times measured once at full size (``resources/runtime_measured.csv``; see its ``.md`` note)."""
    path = Path(path) if path is not None else _RUNTIME_CSV
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for k in ("seconds", "fit_seconds", "peak_mb", "n_samples", "threads"):
            if k in r and r[k] not in ("", None):
                r[k] = float(r[k])
    return rows


def format_runtime(rows: Sequence[Mapping], *, value: str = "seconds") -> str:
    """Minutes per dataset (columns) and method (rows) as markdown."""
    datasets = list(dict.fromkeys(r["dataset"] for r in rows))
    methods = list(dict.fromkeys(r["method"] for r in rows))
    lines = ["| method | " + " | ".join(datasets) + " |", "|---|" + "---:|" * len(datasets)]
    for m in methods:
        cells = []
        for d in datasets:
            hit = [r for r in rows if r["method"] == m and r["dataset"] == d]
            cells.append(f"{float(hit[0][value]) / 60:.1f} min" if hit else "—")
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: Assumed *effective* fp32 throughput of a GPU on f-CLSWGAN's small (batch 64) matrix products:
#: about half of the card's peak. An assumption for estimates, not a measurement.
GPU_THROUGHPUT = {"T4 (Colab free tier)": 4e12, "V100": 7e12, "A100": 15e12}


def clswgan_flops(n_samples: int, n_features: int = 2048, n_attributes: int = 85, *, hidden: int = 4096,
                  epochs: int = 30, batch_size: int = 64, n_critic: int = 5) -> float:
    """Floating-point operations of f-CLSWGAN's adversarial training (the dominant cost), by counting.

    One generator step = ``n_critic`` critic iterations + one generator update; there are
    ``n_samples // batch_size`` steps per epoch (as in :class:`~zsl_tutorial.methods.CLSWGAN`). With
    ``g`` and ``c`` the multiply-adds of one forward pass of G and D on a batch (2 flops each):

    - critic iteration: G forward (no grad), D forward on real and fake, their backward (≈ 2 × forward),
      and the gradient penalty (forward, input gradient and its backward ≈ 4 × forward): g + 10 c;
    - generator update: G and D forward and backward: 3 g + 3 c.

    The small softmax classifiers are left out. A model, good to a factor of about 2, for estimates.
    """
    a, d, h, b = n_attributes, n_features, hidden, batch_size
    g = 2.0 * b * (2 * a * h + h * d)
    c = 2.0 * b * ((d + a) * h + h)
    per_step = n_critic * (g + 10 * c) + 3 * g + 3 * c
    return float(epochs * max(1, n_samples // b) * per_step)


def clswgan_throughput(*, hidden: int = 512, n_features: int = 2048, n_attributes: int = 85, n_classes: int = 40,
                       steps: int = 10, epochs: int = 1, batch_size: int = 64, device: str | None = "cpu",
                       seed: int = 0) -> dict:
    """Measure how fast f-CLSWGAN's adversarial training runs *here*, in flops per second.

    Fits :class:`~zsl_tutorial.methods.CLSWGAN` on random data of the given shape: once for one step to
    warm up (first-call costs of torch), then for ``epochs`` epochs of ``steps`` generator steps, timed.
    The timed fit includes one tiny pre-training epoch, one epoch of the final softmax and the set-up,
    so the rate is slightly pessimistic. Returns ``{"seconds_per_step", "flops_per_second", "device",
    "hidden", "n_features", "threads"}``; flops are those :func:`clswgan_flops` counts.
    """
    torch = require("torch")

    from ..methods import CLSWGAN

    for name, v in (("hidden", hidden), ("n_features", n_features), ("n_attributes", n_attributes),
                    ("n_classes", n_classes), ("steps", steps), ("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}.")
    dev = default_device(device)
    rng = np.random.default_rng(seed)
    n = steps * batch_size
    X = rng.random((n, n_features), dtype=np.float32)
    y = np.arange(n) % n_classes
    S = rng.random((n_classes, n_attributes))

    def fit(m: int, e: int) -> float:
        model = CLSWGAN(hidden=hidden, epochs=e, batch_size=batch_size, pretrain_epochs=1, clf_epochs=1,
                        seed=seed, device=dev, progress=False)
        if dev.startswith("cuda"):
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        model.fit(X[:m], y[:m], S)
        if dev.startswith("cuda"):
            torch.cuda.synchronize()
        return time.perf_counter() - t0

    fit(batch_size, 1)  # warm-up
    seconds = fit(n, epochs)
    flops = clswgan_flops(n, n_features, n_attributes, hidden=hidden, epochs=epochs, batch_size=batch_size)
    return {"seconds_per_step": seconds / (epochs * steps), "flops_per_second": flops / seconds, "device": dev,
            "hidden": hidden, "n_features": n_features, "threads": torch.get_num_threads()}


def clswgan_seconds(name: str, flops_per_second: float, *, hidden: int, epochs: int | Sequence[int],
                    batch_size: int = 64, n_critic: int = 5, n_features: int = 2048, holdout: float = 0.2) -> float:
    """Seconds of adversarial training in one ``evaluate`` of f-CLSWGAN on dataset ``name`` at a given speed.

    ``evaluate`` trains the GAN twice: on the GZSL rehearsal (the ``train`` classes minus a ``holdout``
    share, about ``(1 − holdout) · n_train`` samples) and on ``trainval``. The final softmax classifiers
    are not counted (minutes on a CPU for SUN's 717 classes, seconds on a GPU). ``epochs`` may be a
    grid: the rehearsal trains the most epochs once, and the count is an upper bound (the refit
    trains the chosen number, which may be fewer).
    """
    if isinstance(epochs, (list, tuple)):
        epochs = max(int(e) for e in epochs)
    name = str(name).upper()
    if name not in SPLIT_SIZES:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(SPLIT_SIZES)}.")
    if not flops_per_second > 0:
        raise ValueError(f"flops_per_second must be > 0, got {flops_per_second!r}.")
    size = SPLIT_SIZES[name]
    n_train = size.n_trainval * (size.n_seen - size.n_val) / size.n_seen
    total = 0.0
    for n in (int((1 - holdout) * n_train), size.n_trainval):
        total += clswgan_flops(n, n_features, size.n_attributes, hidden=hidden, epochs=epochs,
                               batch_size=batch_size, n_critic=n_critic)
    return total / flops_per_second
