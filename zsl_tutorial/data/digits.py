"""Lesson 08's worked example: scikit-learn's handwritten digits, written out as your own files would be.

``write_digits_example(folder)`` writes ``digits_features.npz`` (``X``: 1,797 × 64 pixel values 0–16,
``labels``: the digit of each image as text) and ``digits_classes.csv`` (the class table of
``resources/digits_classes.csv``: eleven stroke attributes and a description per digit). Both come from
files on disk (scikit-learn bundles the images), so it works offline. The writes are atomic.
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import numpy as np

from .._deps import require
from .._io import atomic_write

__all__ = ["write_digits_example", "DIGITS_FILES"]

#: The two file names ``write_digits_example`` writes.
DIGITS_FILES = ("digits_features.npz", "digits_classes.csv")


def write_digits_example(folder: str | os.PathLike) -> tuple[Path, Path]:
    """Write the worked example's features and class table into ``folder``; return their two paths."""
    load_digits = require("sklearn.datasets").load_digits
    folder = Path(folder).expanduser()
    digits = load_digits()
    features, classes = (folder / name for name in DIGITS_FILES)
    with atomic_write(features) as fh:
        np.savez(fh, X=digits.data.astype(np.float64), labels=digits.target.astype(str))
    table = resources.files("zsl_tutorial.resources").joinpath(DIGITS_FILES[1]).read_text(encoding="utf-8")
    with atomic_write(classes, "w", encoding="utf-8") as fh:
        fh.write(table)
    return features, classes
