"""The GZSL confusion matrix as a figure: seen classes first, unseen ones marked with *."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .._validation import check_labels, check_mask
from ..diagnostics.confusion import gzsl_confusion
from ._mpl import pyplot as _plt

__all__ = ["order_seen_first", "draw_confusion", "plot_confusion"]


def order_seen_first(seen_mask: np.ndarray) -> np.ndarray:
    """Class indices, the seen classes first, then the unseen ones (each group in index order)."""
    return np.concatenate([np.flatnonzero(seen_mask), np.flatnonzero(~seen_mask)])


def draw_confusion(ax, C: np.ndarray, names: Sequence[str], seen_mask: np.ndarray, present: np.ndarray,
                   title: str = ""):
    """Draw a row-normalised confusion matrix ``C`` (true x predicted class) on ``ax``.

    Rows of classes without samples (``present`` False) are left out. Red lines separate the seen
    and unseen blocks; with at most 15 classes every cell of 5% or more is annotated, with more
    the axes only say which block is seen and which unseen. Returns the axes.
    """
    order = order_seen_first(seen_mask)
    rows = [r for r in order if present[r]]
    M = C[np.ix_(rows, order)]
    ax.imshow(M, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    n_seen_rows = int(seen_mask[rows].sum())
    n_seen_cols = int(seen_mask.sum())
    ax.axhline(n_seen_rows - 0.5, color="tab:red", lw=1)
    ax.axvline(n_seen_cols - 0.5, color="tab:red", lw=1)
    if len(order) <= 15:
        lab = [names[c] + ("" if seen_mask[c] else " *") for c in order]
        ax.set_xticks(range(len(order)), lab, rotation=60, ha="right", fontsize=9)
        ax.set_yticks(range(len(rows)), [lab[list(order).index(r)] for r in rows], fontsize=9)
        for i in range(M.shape[0]):
            for j in range(M.shape[1]):
                if M[i, j] >= 0.05:
                    ax.text(j, i, f"{100 * M[i, j]:.0f}", ha="center", va="center", fontsize=9 if len(order) <= 10 else 7,
                            color="white" if M[i, j] > 0.55 else "black")
    else:
        ax.set_xticks([n_seen_cols / 2 - 0.5, n_seen_cols + (len(order) - n_seen_cols) / 2 - 0.5],
                      ["seen", "unseen"])
        ax.set_yticks([n_seen_rows / 2 - 0.5, n_seen_rows + (len(rows) - n_seen_rows) / 2 - 0.5],
                      ["seen", "unseen"])
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title, fontsize=10)
    return ax


def plot_confusion(y_true, y_pred, class_names: Sequence[str], seen_mask, *, ax=None, title: str = ""):
    """Draw the row-normalised GZSL confusion matrix, seen classes first, unseen ones marked with *.

    Red lines separate the seen and unseen blocks; with at most 15 classes every
    cell of 5% or more is annotated. Returns the axes.
    """
    n_cls = len(class_names)
    seen_mask = check_mask(seen_mask, n_cls, "seen_mask")
    C = gzsl_confusion(y_true, y_pred, n_cls)
    present = np.bincount(check_labels(y_true, n_cls, "y_true"), minlength=n_cls) > 0
    if ax is None:
        _, ax = _plt().subplots(figsize=(5.5, 4.8))
    draw_confusion(ax, C, [str(c) for c in class_names], seen_mask, present, title)
    return ax
