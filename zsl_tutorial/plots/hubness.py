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
    fig, axes = plt.subplots(1, len(histograms) + 1, figsize=(3.0 * len(histograms) + 3.8, 3.0))
    for ax, (d, n_k, skew) in zip(axes[:-1], histograms):
        ax.hist(n_k, bins=np.arange(0, n_k.max() + 2) if n_k.max() < 60 else 40, color="tab:blue")
        ax.axvline(k, color="tab:red", ls="--", lw=1)
        ax.set_title(f"d = {d}: skewness {skew:.2f}\nlargest N_{k} = {int(n_k.max())}", fontsize=9)
        ax.set_xlabel(f"N_{k}")
    axes[0].set_ylabel("number of points")
    ax = axes[-1]
    for (src, skews), style in zip(curves.items(), ("o-", "s--", "^:")):
        ax.plot(curve_dims, skews, style, ms=4, label=src)
    ax.set_xscale("log")
    ax.axhline(0, color="gray", lw=0.5)
    ax.set_xlabel("dimension d")
    ax.set_ylabel(f"skewness of N_{k}")
    ax.set_title("hubness grows with dimension", fontsize=9)
    ax.legend(fontsize=7)
    fig.suptitle(f"k-occurrence N_{k} of {n_points} {source} points (red line: the mean, k)", fontsize=10)
    fig.tight_layout()
    return fig
