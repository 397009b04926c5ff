"""A practitioner's benchmark: every method of the course on any folder in the xlsa17 layout.

``python -m zsl_tutorial bench <folder>`` reads the folder with ``data.read_xlsa17`` (nothing is
downloaded, nothing is written there), runs ``evaluation.evaluate`` for each method with the
settings for real features (``profile`` "cpu", or "gpu" on CUDA), and prints ZSL top-1, u, s, H,
calibrated H, the wall time of the whole protocol and the process's peak memory. It is a
benchmark, not a test: the numbers depend on the machine.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Any, Sequence

from .._deps import require
from ..config import default_device

__all__ = ["bench_folder", "format_bench"]


def _peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports KiB, macOS bytes)."""
    import resource  # Unix only (the course runs on Linux and macOS)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 ** 2 if sys.platform == "darwin" else peak / 1024


def bench_folder(folder: str | os.PathLike, methods: Sequence[str] | None = None, *, profile: str | None = None,
                 fast: bool | None = None, seed: int = 0, device: str | None = None,
                 progress: bool = True) -> list[dict[str, Any]]:
    """Evaluate the course's methods on the xlsa17-layout ``folder``; one row of numbers per method.

    ``methods``: names from ``evaluation.course_estimators`` (default: all of them). ``profile``:
    ``"cpu"``, ``"gpu"`` or ``"course"`` (default: ``"gpu"`` on CUDA, else ``"cpu"``). Rows hold
    fractions (``zsl``, ``u``, ``s``, ``h``, ``h_cal``), ``seconds`` (the whole protocol) and
    ``peak_mb`` (the process's peak RSS after that method: a high-water mark, so it never falls).
    """
    from ..data import read_xlsa17
    from ..evaluation import course_estimators, evaluate
    from .settings import _preset_key

    dev = default_device(device)
    profile = profile or ("gpu" if dev.startswith("cuda") else "cpu")
    ds = read_xlsa17(folder)
    key = _preset_key(ds.name) if profile != "course" else None
    estimators = course_estimators(include=methods, fast=fast, profile=profile, dataset=key)
    jobs: Any = list(estimators.items())
    if progress:
        jobs = require("tqdm.auto").tqdm(jobs, desc=f"bench {ds.name}")
    rows = []
    for name, est in jobs:
        t0 = time.perf_counter()
        r = evaluate(est, ds, seed=seed, device=dev, name=name)
        rows.append({"method": name, "zsl": r.zsl, "u": r.u, "s": r.s, "h": r.h, "h_cal": r.h_cal,
                     "seconds": time.perf_counter() - t0, "peak_mb": _peak_rss_mb()})
    return rows


def format_bench(rows: Sequence[dict[str, Any]], *, title: str = "") -> str:
    """A markdown table of :func:`bench_folder` rows (accuracies in %)."""
    lines = ([title, ""] if title else []) + [
        "| method | ZSL | u | s | H | H calibrated | wall (s) | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['method']} | {100 * r['zsl']:.1f} | {100 * r['u']:.1f} | {100 * r['s']:.1f} | "
                     f"{100 * r['h']:.1f} | {100 * r['h_cal']:.1f} | {r['seconds']:.1f} | {r['peak_mb']:.0f} |")
    return "\n".join(lines)
