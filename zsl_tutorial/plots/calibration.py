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
    fig, axes = plt.subplots(1, 1 + len(points), figsize=(4.6 + 4.6 * len(points), 4.3),
                             gridspec_kw={"width_ratios": [1] + [1.15] * len(points)})
    ax = axes[0]
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
    ax.legend(fontsize=7, loc="lower left")
    for axc, (lab, _, res, C) in zip(axes[1:], points):
        draw_confusion(axc, C, class_names, seen_mask, present,
                       f"{lab}\nu = {100 * res.u:.1f}%, s = {100 * res.s:.1f}%, H = {100 * res.h:.1f}%")
    fig.tight_layout()
    return fig
