"""Labelled heatmaps: any class x attribute table, and the cosine similarity between classes."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..methods._base import cosine_similarity
from ._mpl import MAX_WIDTH_IN
from ._mpl import pyplot as _plt

__all__ = ["heatmap", "similarity_matrix", "cosine_similarity"]


def heatmap(matrix, row_labels: Sequence[str], col_labels: Sequence[str], *, title: str = "", cmap: str = "viridis",
            vmin: float | None = None, vmax: float | None = None, annotate: bool = False, ax=None,
            colorbar: bool = True):
    """A labelled heatmap (e.g. the class x attribute table); returns the axes."""
    plt = _plt()
    M = np.asarray(matrix, dtype=float)
    if M.shape != (len(row_labels), len(col_labels)):
        raise ValueError(f"matrix shape {M.shape} does not match {len(row_labels)} rows x {len(col_labels)} columns.")
    if ax is None:
        _, ax = plt.subplots(figsize=(min(MAX_WIDTH_IN, max(4, 0.35 * len(col_labels) + 2)),
                                      max(3, 0.35 * len(row_labels) + 1)))
    im = ax.imshow(M, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    ax.set_xticks(range(len(col_labels)), col_labels, rotation=60, ha="right", fontsize=9)
    ax.set_yticks(range(len(row_labels)), row_labels, fontsize=9)
    if annotate:
        for i in range(M.shape[0]):
            for j in range(M.shape[1]):
                # Pick the text colour from the cell's own colour, so any colormap stays readable.
                r, g, b, _ = im.cmap(im.norm(M[i, j]))
                ax.text(j, i, f"{M[i, j]:.2f}", ha="center", va="center", fontsize=9,
                        color="black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white")
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    return ax


def similarity_matrix(S, names: Sequence[str], *, title: str = "", ax=None, annotate: bool = True):
    """Heatmap of the cosine similarity between classes' auxiliary vectors."""
    return heatmap(cosine_similarity(np.asarray(S, float), np.asarray(S, float)), names, names, title=title, cmap="magma", vmin=0, vmax=1,
                   annotate=annotate, ax=ax)
