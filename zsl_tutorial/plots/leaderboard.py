"""Figures for lesson 05: the harmonic mean over the (u, s) square, leaderboard bars, and honest-vs-leaky pairs.

matplotlib is imported when a function is called, so importing this module stays light.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from ..metrics import _harmonic
from ._mpl import MAX_WIDTH_IN
from ._mpl import pyplot as _plt

__all__ = ["mean_map", "leaderboard_bars", "paired_dots"]

_MEANS = {
    "harmonic": ("harmonic mean H = 2us / (u + s)", _harmonic),
    "arithmetic": ("arithmetic mean (u + s) / 2", lambda u, s: (u + s) / 2),
}


def _point(value: Any, name: str) -> tuple[float, float]:
    arr = np.asarray(value, dtype=float).ravel()
    if arr.shape != (2,) or not np.all(np.isfinite(arr)) or arr.min() < 0 or arr.max() > 1:
        raise ValueError(f"point {name!r} must be a pair (u, s) of accuracies in [0, 1], got {value!r}.")
    return float(arr[0]), float(arr[1])


def mean_map(kind: str = "harmonic", *, points: Mapping[str, Any] | None = None,
             arrows: Mapping[str, tuple[Any, Any]] | None = None, ax=None, title: str | None = None,
             resolution: int = 201, colorbar: bool = True):
    """Colour the (u, s) square by a mean of u and s, with iso-lines every 10 points.

    ``points`` maps a label to a ``(u, s)`` pair (fractions) drawn as dots;
    ``arrows`` maps a label to ``((u0, s0), (u1, s1))``, drawn as an arrow from
    the first point to the second (e.g. before and after calibration). Returns the axes.
    """
    if kind not in _MEANS:
        raise ValueError(f"kind must be one of {sorted(_MEANS)}, got {kind!r}.")
    if not isinstance(resolution, (int, np.integer)) or resolution < 11:
        raise ValueError(f"resolution must be an integer >= 11, got {resolution!r}.")
    label, fn = _MEANS[kind]
    pts = {str(k): _point(v, str(k)) for k, v in (points or {}).items()}
    arr = {str(k): (_point(a, f"{k} (start)"), _point(b, f"{k} (end)")) for k, (a, b) in (arrows or {}).items()}
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.4))
    grid = np.linspace(0, 1, int(resolution))
    U, S = np.meshgrid(grid, grid)
    Z = fn(U, S)
    im = ax.imshow(100 * Z, origin="lower", extent=(0, 100, 0, 100), cmap="viridis", vmin=0, vmax=100, aspect="equal")
    cs = ax.contour(100 * U, 100 * S, 100 * Z, levels=np.arange(10, 100, 10), colors="white", linewidths=0.7)
    ax.clabel(cs, fmt="%d", fontsize=9)
    ax.plot([0, 100], [0, 100], ls=":", color="white", lw=0.8)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (name, ((u0, s0), (u1, s1))) in enumerate(arr.items()):
        c = colors[i % len(colors)]
        ax.annotate("", xy=(100 * u1, 100 * s1), xytext=(100 * u0, 100 * s0),
                    arrowprops=dict(arrowstyle="->", color=c, lw=1.5))
        ax.plot([100 * u0], [100 * s0], "o", color=c, mec="black", ms=6, label=name)
        ax.plot([100 * u1], [100 * s1], "s", color=c, mec="black", ms=6)
    for i, (name, (u, s)) in enumerate(pts.items()):
        c = colors[(i + len(arr)) % len(colors)]
        ax.plot([100 * u], [100 * s], "o", color=c, mec="black", ms=7, label=name)
    if pts or arr:
        ax.legend(fontsize=9, loc="lower right", framealpha=0.85)
    ax.set_xlabel("u: accuracy on unseen classes (%)")
    ax.set_ylabel("s: accuracy on seen classes (%)")
    ax.set_title(title if title is not None else label, fontsize=10)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="%")
    return ax


def leaderboard_bars(summary: Sequence[Mapping[str, Any]], metrics: Sequence[str] = ("h", "h_cal"), *,
                     labels: Sequence[str] | None = None, ax=None, title: str = ""):
    """Grouped bars of ``summarise`` rows: the mean of each metric (in %) with ± one std as error bars."""
    if not summary:
        raise ValueError("summary is empty: pass the rows of evaluation.summarise(...).")
    metrics = list(metrics)
    for m in metrics:
        if f"{m}_mean" not in summary[0] or f"{m}_std" not in summary[0]:
            raise ValueError(f"metric {m!r} is not in the summary (it has {sorted(summary[0])}).")
    labels = list(labels) if labels is not None else metrics
    if len(labels) != len(metrics):
        raise ValueError(f"labels has {len(labels)} names for {len(metrics)} metrics.")
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(min(MAX_WIDTH_IN, max(6, 1.1 * len(summary) + 2)), 3.8))
    n, k = len(summary), len(metrics)
    width = 0.8 / k
    x = np.arange(n)
    for j, (m, lab) in enumerate(zip(metrics, labels)):
        scale = 1.0 if m.endswith("seconds") else 100.0
        means = np.array([row[f"{m}_mean"] for row in summary]) * scale
        stds = np.array([row[f"{m}_std"] for row in summary]) * scale
        pos = x + (j - (k - 1) / 2) * width
        bars = ax.bar(pos, means, width, yerr=stds, capsize=3, label=lab)
        if scale == 100.0:
            for b, v, e in zip(bars, means, stds):
                ax.text(b.get_x() + b.get_width() / 2, v + e + 1, f"{v:.0f}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, [row["method"] for row in summary], rotation=20, ha="right")
    ax.set_ylabel("%" if not all(m.endswith("seconds") for m in metrics) else "seconds")
    ax.legend(fontsize=9)
    n_runs = sorted({int(row.get("n", 0)) for row in summary})
    ax.set_title(title or f"mean ± std over {', '.join(map(str, n_runs))} seeds", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    return ax


def paired_dots(honest: Sequence[float], leaky: Sequence[float], *, labels: Sequence[str] = ("tuned on validation",
                "tuned on test"), ylabel: str = "accuracy (%)", ax=None, title: str = ""):
    """One line per run from the honest number to the leaky one (both fractions), and the mean gap."""
    a, b = np.asarray(honest, dtype=float), np.asarray(leaky, dtype=float)
    if a.ndim != 1 or a.shape != b.shape or a.size == 0:
        raise ValueError(f"honest and leaky must be 1-D with the same length, got {a.shape} and {b.shape}.")
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(3.6, 3.8))
    for u, v in zip(a, b):
        ax.plot([0, 1], [100 * u, 100 * v], "-", color="gray", alpha=0.6)
    ax.plot(np.zeros_like(a), 100 * a, "o", color="tab:blue")
    ax.plot(np.ones_like(b), 100 * b, "o", color="tab:red")
    ax.plot([0, 1], [100 * a.mean(), 100 * b.mean()], "-", color="black", lw=2.5,
            label=f"mean gap {100 * (b - a).mean():+.1f} points")
    ax.set_xticks([0, 1], list(labels))
    ax.set_xlim(-0.4, 1.4)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=9, loc="lower center")
    if title:
        ax.set_title(title, fontsize=10)
    return ax
