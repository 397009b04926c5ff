"""Can the seen classes teach every value the unseen classes need? Auxiliary values outside the seen range.

A model fitted on the seen classes has never seen a value of an attribute that no seen class shows (the
giraffe's ``long_neck`` in lesson 03, a digit with two loops when every seen digit has at most one): it
cannot tell how such a value looks. :func:`outside_seen_range` lists those values before any model is fitted.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["OutOfRange", "outside_pairs", "outside_seen_range"]


class OutOfRange(NamedTuple):
    """One unseen class's value of one auxiliary column, and the seen classes' range of that column."""

    class_name: str
    column: str
    value: float
    seen_min: float
    seen_max: float


def outside_pairs(S, seen, unseen) -> list[tuple[int, int]]:
    """The ``(class, column)`` pairs of the ``unseen`` rows of ``S`` whose value lies below the minimum or
    above the maximum of that column over the ``seen`` rows, in class then column order."""
    S = np.asarray(S, dtype=float)
    lo, hi = S[seen].min(axis=0), S[seen].max(axis=0)
    return [(int(c), int(j)) for c in unseen for j in np.flatnonzero((S[c] < lo) | (S[c] > hi))]


def outside_seen_range(ds) -> list[OutOfRange]:
    """Every (unseen class, column) of ``ds.S`` whose value lies outside the seen classes' range
    (:func:`outside_pairs`), with the names and the range (``aux_names`` name the columns, else ``dim <j>``)."""
    S, seen = np.asarray(ds.S, dtype=float), ds.seen_classes
    lo, hi = S[seen].min(axis=0), S[seen].max(axis=0)
    names = ds.aux_names or [f"dim {j}" for j in range(S.shape[1])]
    return [OutOfRange(ds.class_names[c], names[j], float(S[c, j]), float(lo[j]), float(hi[j]))
            for c, j in outside_pairs(S, seen, ds.unseen_classes)]
