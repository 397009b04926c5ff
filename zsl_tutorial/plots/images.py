"""Figures of images: grids of samples, one row per class, and strips of generated images."""
from __future__ import annotations

import textwrap
from typing import Sequence

import numpy as np

from ._mpl import MAX_WIDTH_IN
from ._mpl import pyplot as _plt

__all__ = ["image_grid", "class_image_grid", "image_strip", "image_strip_rows"]

_LABEL_IN = 1.2  # room for a row label left of a strip


def image_grid(images, titles: Sequence[str] | None = None, ncols: int = 8, size: float = 1.2, cmap: str = "gray",
               suptitle: str | None = None):
    """Show a list of 2-D images in a grid; returns the figure."""
    plt = _plt()
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"images must be (n, height, width), got shape {images.shape}.")
    n = len(images)
    nrows = int(np.ceil(n / ncols))
    size = min(size, MAX_WIDTH_IN / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.1), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for i, img in enumerate(images):
        ax = axes.ravel()[i]
        ax.imshow(img, cmap=cmap)
        if titles is not None:
            ax.set_title(str(titles[i]), fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def class_image_grid(dataset, n_per_class: int = 8, classes: Sequence[int] | None = None, seed: int = 0,
                     mark_unseen: bool = True, size: float = 1.0):
    """One row of sample images per class, labelled (and tagged 'unseen' where it applies).

    Each row is one strip of images on one axes: drawing a hundred small axes costs seconds, a
    strip costs milliseconds. The figure is at most :data:`MAX_WIDTH_IN` wide (``size`` shrinks).
    """
    plt = _plt()
    rng = np.random.default_rng(seed)
    classes = np.arange(dataset.n_classes) if classes is None else np.asarray(classes)
    unseen = set(dataset.unseen_classes.tolist())
    X = np.asarray(dataset.X)
    # uint8 pixels are 0-255; floats are drawn on [0, 1] unless they go beyond it (then by their maximum)
    scale = 255.0 if np.issubdtype(X.dtype, np.integer) else max(1.0, float(X.max()))
    size = min(size, (MAX_WIDTH_IN - _LABEL_IN) / n_per_class)
    fig, axes = plt.subplots(len(classes), 1, figsize=(size * n_per_class + _LABEL_IN, size * len(classes)),
                             squeeze=False)
    for ax, c in zip(axes[:, 0], classes):
        idx = rng.choice(np.flatnonzero(dataset.y == c), n_per_class, replace=False)
        ax.imshow(image_strip(np.asarray(X[idx], dtype=float) / scale), cmap="gray", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        label = dataset.class_names[c] + ("\n(unseen)" if mark_unseen and c in unseen else "")
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9,
                      color="tab:red" if c in unseen else "black")
    fig.tight_layout(h_pad=0.2)
    return fig


def image_strip(images, gap: int = 2) -> np.ndarray:
    """Images (n, height, width) side by side in one array, with a thin grey gap between them."""
    images = np.asarray(images)
    h = images.shape[1]
    sep = np.full((h, gap), 0.35)
    parts = []
    for i, im in enumerate(images):
        parts.extend([im] if i == 0 else [sep, im])
    return np.hstack(parts)


def image_strip_rows(rows: Sequence[tuple[str, np.ndarray, str]], *, suptitle: str = ""):
    """One strip of images in [0, 1] per row, given as ``(row label, images, title)``; returns the figure.

    A `` + `` in a row label starts a new line (``"horse + stripes=1"``).
    """
    plt = _plt()
    n_images = len(rows[0][1])
    size = min(1.0, (MAX_WIDTH_IN - 1.5) / n_images)  # 1.5 in for the row labels
    lines = max(len(textwrap.wrap(title, 95)) or 1 for _, _, title in rows)
    height = (0.3 + 0.15 * lines + size) * len(rows) + 0.4
    fig, axes = plt.subplots(len(rows), 1, figsize=(size * n_images + 1.5, height),
                             squeeze=False)
    for ax, (label, images, title) in zip(axes[:, 0], rows):
        ax.imshow(image_strip(images), cmap="gray", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_ylabel(label.replace(" + ", "\n+ "), rotation=0, ha="right", va="center", fontsize=9)
        # Wrapped to the strip's width: a long summary would otherwise widen the figure past the page.
        ax.set_title(textwrap.fill(title, 95), fontsize=9, loc="left")
    if suptitle:
        fig.suptitle(suptitle, fontsize=9)
    fig.tight_layout()
    return fig
