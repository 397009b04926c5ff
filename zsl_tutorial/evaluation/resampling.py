"""Other draws of a benchmark: long-tailed test sets and seeds that redraw samples."""
from __future__ import annotations

from typing import Any

import numpy as np



# --------------------------------------------------------------------------- imbalanced test sets
def long_tail_subset(y, *, imbalance: float = 50.0, min_per_class: int = 2, seed: int = 0) -> np.ndarray:
    """Indices of a long-tailed subsample of the samples with labels ``y``.

    The classes of ``y`` are put in a random order (seeded); the first keeps
    ``n_max`` samples (the size of the smallest class), and the sizes fall
    geometrically to ``n_max / imbalance`` for the last one, never below
    ``min_per_class``. Within a class the samples kept are a random subset.
    Returns sorted indices into ``y``.
    """
    from .._validation import check_labels

    y = check_labels(y, name="y")
    if not np.isfinite(imbalance) or imbalance < 1:
        raise ValueError(f"imbalance must be a number >= 1 (largest / smallest class size), got {imbalance!r}.")
    if not isinstance(min_per_class, (int, np.integer)) or min_per_class < 1:
        raise ValueError(f"min_per_class must be a positive integer, got {min_per_class!r}.")
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError("long_tail_subset needs at least two classes.")
    n_max = int(counts.min())
    if n_max < min_per_class:
        raise ValueError(f"the smallest class has {n_max} samples, fewer than min_per_class={min_per_class}.")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(classes))
    ranks = np.empty(len(classes))
    ranks[order] = np.arange(len(classes))
    sizes = np.maximum(min_per_class, np.round(n_max * float(imbalance) ** (-ranks / (len(classes) - 1)))).astype(int)
    keep = [rng.permutation(np.flatnonzero(y == c))[:k] for c, k in zip(classes, sizes)]
    return np.sort(np.concatenate(keep))


# --------------------------------------------------------------------------- seeds that redraw samples
def resample(ds: Any, *, n_per_class: int, seed: int = 0, test_seen_fraction: float = 0.2) -> Any:
    """The same benchmark with other samples: what a leaderboard "seed" varies in this course.

    Keeps the classes, the auxiliary matrix ``S``, the unseen classes and the
    validation classes of ``ds``; draws ``n_per_class`` samples of every class
    at random (without replacement) from ``ds`` and a new ``test_seen``
    hold-out. Draw ``ds`` itself with several times more samples per class than
    ``n_per_class`` (e.g. ``make_synthetic(n_per_class=300)``), so that two seeds
    share few samples.
    """
    from ..data.dataset import ZSLDataset, make_split

    if not isinstance(n_per_class, (int, np.integer)) or n_per_class < 2:
        raise ValueError(f"n_per_class must be an integer >= 2, got {n_per_class!r}.")
    counts = np.bincount(ds.y, minlength=ds.n_classes)
    present = np.flatnonzero(counts)
    if counts[present].min() < n_per_class:
        small = present[counts[present] < n_per_class]
        raise ValueError(f"class(es) {ds.names(small[:5])} have fewer than n_per_class={n_per_class} samples.")
    rng = np.random.default_rng(seed)
    idx = np.sort(np.concatenate([rng.choice(np.flatnonzero(ds.y == c), n_per_class, replace=False) for c in present]))
    y = ds.y[idx]
    splits = make_split(y, ds.unseen_classes, val=ds.classes_in("val"), test_seen_fraction=test_seen_fraction,
                        seed=seed)
    return ZSLDataset(ds.X[idx], y, ds.class_names, ds.S, splits, ds.aux_names, ds.name,
                      f"{ds.description} | resample(n_per_class={n_per_class}, seed={seed})",
                      {**ds.extras, "resample_seed": int(seed)})
