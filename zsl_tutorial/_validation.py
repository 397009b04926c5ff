"""Input checks shared by the whole package.

Every public function funnels its arrays through these helpers so that a
learner who passes the wrong thing gets one clear sentence naming the
problem and the fix, instead of a deep numpy traceback.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "check_number",
    "check_int",
    "check_class_ids",
    "check_matrix",
    "check_labels",
    "check_class_matrix",
    "check_fit_inputs",
    "check_scores",
    "check_mask",
]


def _describe(x: Any) -> str:
    shape = getattr(x, "shape", None)
    return f"{type(x).__name__} with shape {shape}" if shape is not None else type(x).__name__


def check_number(value: Any, name: str, *, low: float | None = None, high: float | None = None) -> float:
    """A finite real scalar (not a bool, string, array or complex), optionally within [low, high]."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {_describe(value)} {value!r:.40}.")
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    if (low is not None and v < low) or (high is not None and v > high):
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must lie in [{lo}, {hi}], got {value!r}.")
    return v


#: The largest absolute feature or attribute value accepted: squares and Gram matrices of values
#: beyond about 1e154 overflow float64, so 1e100 leaves room for sums over millions of samples.
MAX_MAGNITUDE = 1e100
#: Seeds go to numpy and torch; torch takes at most 2**64 - 1, numpy's legacy RandomState 2**32 - 1.
MAX_SEED = 2**32 - 1


def check_seed(value: Any, name: str = "seed") -> int:
    """An integer seed in [0, 2**32 - 1] (what numpy and torch both accept)."""
    return check_int(value, name, 0, MAX_SEED)


def check_int(value: Any, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer scalar (``True`` and ``2.0`` are refused), optionally within [minimum, maximum]."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {_describe(value)} {value!r:.40}.")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        lo = "-inf" if minimum is None else str(minimum)
        hi = "inf" if maximum is None else str(maximum)
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value!r}.")
    return int(value)


def check_class_ids(values: Any, name: str = "classes", *, allow_empty: bool = False) -> np.ndarray:
    """Sorted unique class ids from a list/array (or one id): integers >= 0.

    Integer-valued floats are accepted (``2.0``); ``2.5``, NaN, strings, bools
    and negative ids are errors, where ``np.asarray(..., dtype=int)`` would
    silently truncate 2.5 to class 2.
    """
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a list of integer class ids, got {_describe(values)} {values!r:.40}.")
    arr = np.asarray(values)
    if arr.ndim > 1:
        raise ValueError(f"{name} must be a flat list of class ids, got shape {arr.shape}.")
    arr = arr.ravel()
    if arr.size == 0:
        if allow_empty:
            return np.zeros(0, dtype=np.int64)
        raise ValueError(f"{name} is empty; give at least one class id.")
    return np.unique(check_labels(arr, name=name))


def check_matrix(x: Any, name: str = "X", *, allow_empty: bool = False, allow_bool: bool = True) -> np.ndarray:
    """Return ``x`` as a finite 2-D float array, or raise a clear error.

    Booleans are read as 0/1 (binary attributes are a classic auxiliary
    matrix) unless ``allow_bool`` is False; strings, objects and complex
    numbers are refused rather than converted.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be a 2-D numeric array, got {_describe(x)}.")
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular 2-D array (rows of equal length): {exc}") from None
    if arr.dtype == bool and not allow_bool:
        raise TypeError(f"{name} must hold real numbers, got booleans; convert with {name}.astype(float) if meant.")
    if np.iscomplexobj(arr):
        raise TypeError(
            f"{name} holds complex numbers (dtype {arr.dtype}); zero-shot features and attributes are real. "
            "Take .real (or np.abs) first if that is what you mean."
        )
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(
            f"{name} must hold numbers, got dtype {arr.dtype}. "
            "Convert it with np.asarray(..., dtype=float)."
        )
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (samples x features), got {arr.ndim}-D with shape {arr.shape}. "
            "Flatten images with X.reshape(len(X), -1)."
        )
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); it needs at least one row and column.")
    arr = arr.astype(np.float64, copy=False)
    bad = ~np.isfinite(arr)
    if bad.any():
        rows = np.unique(np.nonzero(bad)[0])
        raise ValueError(
            f"{name} contains {int(bad.sum())} NaN or infinite value(s), first in row(s) "
            f"{rows[:5].tolist()}. Drop or impute those rows before fitting."
        )
    largest = float(np.abs(arr).max()) if arr.size else 0.0
    if largest > MAX_MAGNITUDE:
        raise ValueError(
            f"{name} holds values as large as {largest:.3g}; products of such values (Gram matrices, scores) "
            f"overflow float64. Scale it first (e.g. divide by its largest absolute value, or standardise "
            f"each column) so that values stay below {MAX_MAGNITUDE:.0e}."
        )
    return arr


def check_labels(y: Any, n_classes: int | None = None, name: str = "y") -> np.ndarray:
    """Return ``y`` as a 1-D int array with values in ``[0, n_classes)``."""
    if y is None or isinstance(y, (str, bytes)):
        raise TypeError(f"{name} must be a 1-D array of integer class indices, got {_describe(y)}.")
    try:
        arr = np.asarray(y)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a 1-D array of integer class indices: {exc}") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per sample), got shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty; it needs at least one label.")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise TypeError(f"{name} must hold integer class indices, got non-integer floats.")
        arr = arr.astype(np.int64)
    elif arr.dtype == bool:
        raise TypeError(
            f"{name} must hold integer class indices, got booleans. If it is a mask, use "
            f"np.flatnonzero({name}) for the indices, or {name}.astype(int) for classes 0/1."
        )
    elif arr.dtype.kind == "u" and arr.size and int(arr.max()) > np.iinfo(np.int64).max:
        # An unsigned label this large would wrap to a negative int64 and be reported as "negative".
        raise ValueError(f"{name} has label {int(arr.max())}, beyond any possible number of classes; labels "
                         "index rows of S from 0.")
    elif arr.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must hold integer class indices, got dtype {arr.dtype}. "
            "Map class names to indices first (e.g. with np.unique(..., return_inverse=True))."
        )
    arr = arr.astype(np.int64, copy=False)
    if arr.min() < 0:
        raise ValueError(f"{name} has negative labels (min {arr.min()}); labels index rows of S from 0.")
    if n_classes is not None and arr.max() >= n_classes:
        raise ValueError(
            f"{name} has label {arr.max()} but there are only {n_classes} classes "
            f"(rows of S), so labels must lie in [0, {n_classes - 1}]."
        )
    return arr


def check_class_matrix(S: Any, name: str = "S", *, min_classes: int = 1) -> np.ndarray:
    """Return the class x auxiliary matrix ``S`` as floats, rejecting all-zero rows."""
    arr = check_matrix(S, name)
    if arr.shape[0] < min_classes:
        raise ValueError(
            f"{name} has {arr.shape[0]} class row(s), but at least {min_classes} are needed "
            "(one row of auxiliary information per class)."
        )
    zero = np.flatnonzero(~np.any(arr != 0, axis=1))
    if zero.size:
        raise ValueError(
            f"{name} has all-zero row(s) {zero[:5].tolist()}: those classes carry no auxiliary "
            "information, so no zero-shot method can tell them apart. Fill in their attributes."
        )
    return arr


def check_fit_inputs(X: Any, y: Any, S: Any, *, min_classes: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate the ``fit(X, y, S)`` triple used by every estimator."""
    X = check_matrix(X, "X")
    S = check_class_matrix(S, "S", min_classes=min_classes)
    y = check_labels(y, S.shape[0], "y")
    if len(y) != len(X):
        raise ValueError(
            f"X has {len(X)} rows but y has {len(y)} labels; they must describe the same samples."
        )
    present = np.unique(y)
    if present.size < min_classes:
        raise ValueError(
            f"y contains only {present.size} distinct class(es); training needs at least {min_classes}."
        )
    if present.size < S.shape[0]:
        empty = np.setdiff1d(np.arange(S.shape[0]), present)
        raise ValueError(
            f"S has {S.shape[0]} class rows but class(es) {empty[:5].tolist()} have no training sample in y. "
            "fit treats every row of S as a training (seen) class, so an unseen class's row here would leak "
            "it into training. Pass only the seen classes' rows (S[np.unique(y)], with y relabelled), "
            "as ZSLDataset.train_view() does."
        )
    return X, y, S


def check_scores(scores: Any, name: str = "scores") -> np.ndarray:
    """A (samples x classes) score matrix with finite real values (booleans are refused)."""
    arr = check_matrix(scores, name, allow_bool=False)
    if arr.shape[1] < 2:
        raise ValueError(f"{name} needs at least two candidate classes (columns), got {arr.shape[1]}.")
    return arr


def check_mask(mask: Any, length: int, name: str = "mask") -> np.ndarray:
    """A 1-D boolean mask of a given length."""
    arr = np.asarray(mask)
    if arr.dtype != bool:
        raise TypeError(
            f"{name} must be a boolean array, got dtype {arr.dtype}. For 0/1 values use "
            f"np.asarray({name}, dtype=bool); for a list of column indices build one with np.isin(...)."
        )
    if arr.shape != (length,):
        raise ValueError(f"{name} must have shape ({length},), got {arr.shape}.")
    return arr
