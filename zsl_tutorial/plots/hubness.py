"""The static figure of hubness (lesson 03): k-occurrence histograms and the skewness against the dimension."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ._mpl import pyplot as _plt

__all__ = ["hubness_figure"]


def hubness_figure(histograms: Sequence[tuple[int, np.ndarray, float]], curve_dims: Sequence[int],
                   curves: Mapping[str, np.ndarray], *, k: int, n_points: int, source: str):
    """One N_k histogram per ``(dimension, N_k, skewness)`` in ``histograms``, then the skewness of N_k
    against the dimension (``curves`` maps each data source to its skewness at ``curve_dims``).

    Returns the figure.
    """
    plt = _plt()
    # The course's page width (7.5 in at 100 dpi): the histograms in one row, the skewness curve below them.
    n = max(1, len(histograms))
    fig = plt.figure(figsize=(7.5, 6.4))
    grid = fig.add_gridspec(2, n, height_ratios=[1.0, 1.1])
    hist_axes = [fig.add_subplot(grid[0, i]) for i in range(len(histograms))]
    for ax, (d, n_k, skew) in zip(hist_axes, histograms):
        ax.hist(n_k, bins=np.arange(0, n_k.max() + 2) if n_k.max() < 60 else 40, color="tab:blue")
        ax.axvline(k, color="tab:red", ls="--", lw=1)
        ax.set_title(f"d = {d}\nskewness {skew:.2f}\nlargest N_{k} = {int(n_k.max())}", fontsize=9)
        ax.set_xlabel(f"N_{k}")
    if hist_axes:
        hist_axes[0].set_ylabel("number of points")
    ax = fig.add_subplot(grid[1, :])
    for (src, skews), style in zip(curves.items(), ("o-", "s--", "^:")):
        ax.plot(curve_dims, skews, style, ms=4, label=src)
    ax.set_xscale("log")
    ax.axhline(0, color="gray", lw=0.5)
    ax.set_xlabel("dimension d")
    ax.set_ylabel(f"skewness of N_{k}")
    ax.set_title("hubness grows with dimension", fontsize=10)
    ax.legend(fontsize=9)
    fig.suptitle(f"k-occurrence N_{k} of {n_points} {source} points (red line: the mean, k)", fontsize=10)
    fig.tight_layout()
    return fig
