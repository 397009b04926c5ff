"""Every method over several seeds, and the mean ± std tables of lesson 05."""
from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .._deps import require
from .protocol import evaluate
from .result import METRICS, Result
from .spec import MethodSpec, _as_spec


def _mapping_or_list(methods: Any) -> list:
    if isinstance(methods, Mapping):
        return [(name, est) for name, est in methods.items()]
    return [(None, m) for m in methods]


def leaderboard(specs: Sequence[Any], dataset_for_seed: Callable[[int], Any] | Any,
                seeds: Sequence[int] = (0, 1, 2), *, device: str | None = None,
                progress: bool = True, keep_artefacts: bool = False) -> list[Result]:
    """``evaluate`` every method for every seed; ``dataset_for_seed(seed)`` may redraw the data per seed.

    ``specs`` holds :class:`MethodSpec` objects or unfitted estimators, or maps row names to
    estimators (``course_estimators()``). Pass a dataset
    instead of a function to keep the data fixed and vary only the methods' seeds. The
    results hold numbers only, unless ``keep_artefacts`` keeps every fitted model and
    its test scores too.
    """
    methods = [(name, m if getattr(m, "takes_val_classes", False) and not isinstance(m, MethodSpec) else _as_spec(m))
               for name, m in _mapping_or_list(specs)]
    seeds = [int(s) for s in seeds]
    if not methods or not seeds:
        raise ValueError("leaderboard needs at least one method and one seed.")
    get = dataset_for_seed if callable(dataset_for_seed) else (lambda _seed: dataset_for_seed)
    jobs = [(seed, name, m) for seed in seeds for name, m in methods]
    if progress:
        tqdm = require("tqdm.auto").tqdm
        jobs = tqdm(jobs, desc="leaderboard")
    results, cache = [], {}
    for seed, name, method in jobs:
        if seed not in cache:
            cache = {seed: get(seed)}  # one dataset in memory at a time
        result = evaluate(method, cache[seed], seed=seed, device=device, name=name)
        results.append(result if keep_artefacts else result.without_artefacts())
    return results


def summarise(results: Sequence[Result], metrics: Sequence[str] = METRICS) -> list[dict]:
    """Mean and std over seeds per method, in first-appearance order: ``{"method", "n", "<m>_mean", "<m>_std"}``."""
    if not results:
        raise ValueError("no results to summarise.")
    rows: dict[str, list[Result]] = {}
    for r in results:
        rows.setdefault(r.method, []).append(r)
    out = []
    for name, rs in rows.items():
        row: dict[str, Any] = {"method": name, "n": len(rs)}
        for m in metrics:
            vals = np.array([getattr(r, m) for r in rs], dtype=float)
            row[f"{m}_mean"] = float(vals.mean())
            row[f"{m}_std"] = float(vals.std(ddof=1)) if len(vals) > 1 else 0.0
        out.append(row)
    return out


_LABELS = {"zsl": "ZSL top-1", "u": "u", "s": "s", "h": "H", "h_cal": "H calibrated",
           "ausuc": "AUSUC", "fit_seconds": "fit time (s)",
           "total_seconds": "whole protocol (s)", "u_cal": "u calibrated", "s_cal": "s calibrated"}


def format_table(summary: Sequence[dict], metrics: Sequence[str] = METRICS) -> str:
    """A markdown table of ``summarise`` output: accuracies in %, as mean ± std."""
    head = "| method | " + " | ".join(_LABELS.get(m, m) for m in metrics) + " |"
    lines = [head, "|---|" + "---:|" * len(metrics)]
    for row in summary:
        cells = []
        for m in metrics:
            mean, std = row[f"{m}_mean"], row[f"{m}_std"]
            if m.endswith("seconds"):
                cells.append(f"{mean:.2f} ± {std:.2f}")
            elif m == "ausuc":
                cells.append(f"{mean:.3f} ± {std:.3f}")
            else:
                cells.append(f"{100 * mean:.1f} ± {100 * std:.1f}")
        lines.append(f"| {row['method']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
