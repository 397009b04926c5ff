"""How samples are split: the five split index arrays of a benchmark, and the per-class hold-out of
the GZSL rehearsal."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .._validation import check_class_ids, check_int, check_seed, check_number

__all__ = ["make_split", "hold_out_per_class"]


def hold_out_per_class(labels: np.ndarray, holdout: float, seed: int,
                       names: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Positions into ``labels`` to keep and to hold out: a share ``holdout`` of every class, at random.

    The GZSL rehearsal's split (``ZSLDataset.gzsl_validation`` and
    ``methods.ClassDisjointSearch`` both use it). Classes are taken in sorted order, each
    shuffled with one seeded generator; both returned arrays are sorted.
    """
    rng = np.random.default_rng(seed)
    keep, held = [], []
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        n_held = max(1, int(round(holdout * len(idx))))
        if n_held >= len(idx):
            name = names[c] if names is not None else c
            raise ValueError(f"class {name!r} has too few train samples to hold some out.")
        held.append(idx[:n_held])
        keep.append(idx[n_held:])
    return np.sort(np.concatenate(keep)), np.sort(np.concatenate(held))


def make_split(
    y,
    unseen: Sequence[int],
    *,
    val: Sequence[int] | None = None,
    n_val: int | None = None,
    test_seen_fraction: float = 0.2,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Build the five split index arrays from labels and a choice of unseen classes.

    ``val`` names the seen classes held out as pseudo-unseen for tuning (or
    ``n_val`` picks that many at random); the rest of the seen classes form
    ``train``. A fraction of each seen class's samples is kept back as
    ``test_seen`` so that GZSL can be scored on images never trained on.
    """
    y = np.asarray(y)
    if y.ndim != 1 or y.dtype.kind not in "iu":
        raise ValueError(f"y must be a 1-D array of integer labels, got dtype {y.dtype} and shape {y.shape}.")
    if y.size == 0:
        raise ValueError("y is empty: there are no samples to split.")
    if y.min() < 0:
        raise ValueError(f"y has negative labels (min {y.min()}); class labels are indices 0, 1, 2, ...")
    test_seen_fraction = check_number(test_seen_fraction, "test_seen_fraction")
    seed = check_seed(seed)
    if n_val is not None:
        n_val = check_int(n_val, "n_val")
    classes = np.unique(y)
    unseen = check_class_ids(unseen, "unseen", allow_empty=True)
    if unseen.size == 0:
        raise ValueError("choose at least one unseen class.")
    if not np.isin(unseen, classes).all():
        raise ValueError(f"unseen classes {np.setdiff1d(unseen, classes).tolist()} have no samples.")
    seen = np.setdiff1d(classes, unseen)
    if seen.size < 2:
        raise ValueError("at least two seen classes are needed to learn anything.")
    if not 0.0 < test_seen_fraction < 1.0:
        raise ValueError(f"test_seen_fraction must be in (0, 1), got {test_seen_fraction}.")
    rng = np.random.default_rng(seed)
    if val is None:
        k = n_val if n_val is not None else max(1, round(len(seen) / 3))
        if not 1 <= k < len(seen):
            raise ValueError(f"n_val must be between 1 and {len(seen) - 1}.")
        val = rng.choice(seen, size=k, replace=False)
    val = check_class_ids(val, "val")
    if np.isin(val, unseen).any():
        raise ValueError(
            f"val classes must be seen classes, but {np.intersect1d(val, unseen).tolist()} are unseen: validation "
            "classes are seen classes held out for tuning; the unseen ones stay untouched until the final test."
        )
    if not np.isin(val, seen).all():
        raise ValueError(f"val classes must be seen classes, but {np.setdiff1d(val, seen).tolist()} have no samples in y.")
    if val.size >= seen.size:
        raise ValueError("leave at least one seen class for train when choosing val classes.")

    trainval, test_seen = [], []
    for c in seen:
        idx = rng.permutation(np.flatnonzero(y == c))
        n_test = max(1, int(round(test_seen_fraction * len(idx))))
        if n_test >= len(idx):
            raise ValueError(f"class {c} has too few samples ({len(idx)}) to hold some back for test_seen.")
        test_seen.append(idx[:n_test])
        trainval.append(idx[n_test:])
    trainval = np.sort(np.concatenate(trainval))
    in_val = np.isin(y[trainval], val)
    return {
        "trainval": trainval,
        "train": trainval[~in_val],
        "val": trainval[in_val],
        "test_seen": np.sort(np.concatenate(test_seen)),
        "test_unseen": np.flatnonzero(np.isin(y, unseen)),
    }
