"""The static figure of calibrated stacking (lesson 03): the seen-unseen curve and confusion matrices."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._mpl import pyplot as _plt
from .confusion import draw_confusion

__all__ = ["calibration_figure"]


def calibration_figure(curve, points: Sequence[tuple[str, str, Any, np.ndarray]], class_names: Sequence[str],
                       seen_mask: np.ndarray, present: np.ndarray, *, title: str = ""):
    """The seen-unseen curve with its AUSUC and one dot per operating point, then a confusion matrix per point.

    ``curve`` is a :class:`~zsl_tutorial.metrics.SeenUnseenCurve`; each point is ``(label, colour, score,
    confusion)`` with ``score`` a :class:`~zsl_tutorial.metrics.GZSLScore` (u, s, h) and ``confusion``
    the row-normalised matrix at that point. Returns the figure.
    """
    plt = _plt()
    # The course's page width (7.5 in at 100 dpi): the curve on top, the confusion matrices side by side below.
    n = max(1, len(points))
    fig = plt.figure(figsize=(7.5, 3.6 + (3.9 if points else 0.0)))
    grid = fig.add_gridspec(2 if points else 1, n, height_ratios=[1.0, 1.15] if points else [1.0])
    ax = fig.add_subplot(grid[0, 0])
    ax.plot(curve.unseen, curve.seen, color="tab:blue", lw=1.5, drawstyle="steps-post",
            label=f"seen–unseen curve (AUSUC = {curve.auc:.3f})")
    ax.fill_between(curve.unseen, curve.seen, step="post", alpha=0.12, color="tab:blue")
    for lab, col, res, _ in points:
        ax.plot(res.u, res.s, "o", color=col, ms=8, label=f"{lab}: H = {100 * res.h:.1f}%")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("u: accuracy on unseen classes")
    ax.set_ylabel("s: accuracy on seen classes")
    ax.set_title(title or "Calibrated stacking: sweeping γ", fontsize=10)
    if n > 1:  # the legend in the room beside the curve, where it covers nothing
        key = fig.add_subplot(grid[0, 1:])
        key.axis("off")
        key.legend(*ax.get_legend_handles_labels(), fontsize=9, loc="center left", frameon=False)
    else:
        ax.legend(fontsize=9, loc="lower left")
    for i, (lab, _, res, C) in enumerate(points):
        draw_confusion(fig.add_subplot(grid[1, i]), C, class_names, seen_mask, present,
                       f"{lab}\nu = {100 * res.u:.1f}%, s = {100 * res.s:.1f}%, H = {100 * res.h:.1f}%")
    fig.tight_layout()
    return fig
