"""Plotting helpers shared by the notebooks (matplotlib only)."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ._deps import require
from .methods._base import cosine_similarity

__all__ = ["image_grid", "class_image_grid", "heatmap", "similarity_matrix", "cosine_similarity"]


def _plt():
    plt = require("matplotlib.pyplot")

    return plt


def image_grid(images, titles: Sequence[str] | None = None, ncols: int = 8, size: float = 1.2, cmap: str = "gray",
               suptitle: str | None = None):
    """Show a list of 2-D images in a grid; returns the figure."""
    plt = _plt()
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"images must be (n, height, width), got shape {images.shape}.")
    n = len(images)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.1), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for i, img in enumerate(images):
        ax = axes.ravel()[i]
        ax.imshow(img, cmap=cmap)
        if titles is not None:
            ax.set_title(str(titles[i]), fontsize=8)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def class_image_grid(dataset, n_per_class: int = 8, classes: Sequence[int] | None = None, seed: int = 0,
                     mark_unseen: bool = True, size: float = 1.0):
    """One row of sample images per class, labelled (and tagged 'unseen' where it applies)."""
    plt = _plt()
    rng = np.random.default_rng(seed)
    classes = np.arange(dataset.n_classes) if classes is None else np.asarray(classes)
    unseen = set(dataset.unseen_classes.tolist())
    fig, axes = plt.subplots(len(classes), n_per_class, figsize=(size * n_per_class, size * len(classes)),
                             squeeze=False)
    for r, c in enumerate(classes):
        idx = rng.choice(np.flatnonzero(dataset.y == c), n_per_class, replace=False)
        for j, i in enumerate(idx):
            ax = axes[r, j]
            ax.imshow(dataset.X[i], cmap="gray")
            ax.set_xticks([])
            ax.set_yticks([])
        label = dataset.class_names[c] + (" (unseen)" if mark_unseen and c in unseen else "")
        axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9,
                              color="tab:red" if c in unseen else "black")
    fig.tight_layout()
    return fig


def heatmap(matrix, row_labels: Sequence[str], col_labels: Sequence[str], *, title: str = "", cmap: str = "viridis",
            vmin: float | None = None, vmax: float | None = None, annotate: bool = False, ax=None,
            colorbar: bool = True):
    """A labelled heatmap (e.g. the class x attribute table); returns the axes."""
    plt = _plt()
    M = np.asarray(matrix, dtype=float)
    if M.shape != (len(row_labels), len(col_labels)):
        raise ValueError(f"matrix shape {M.shape} does not match {len(row_labels)} rows x {len(col_labels)} columns.")
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4, 0.35 * len(col_labels) + 2), max(3, 0.35 * len(row_labels) + 1)))
    im = ax.imshow(M, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    ax.set_xticks(range(len(col_labels)), col_labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(row_labels)), row_labels, fontsize=8)
    if annotate:
        for i in range(M.shape[0]):
            for j in range(M.shape[1]):
                # Pick the text colour from the cell's own colour, so any colormap stays readable.
                r, g, b, _ = im.cmap(im.norm(M[i, j]))
                ax.text(j, i, f"{M[i, j]:.2f}", ha="center", va="center", fontsize=7,
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
