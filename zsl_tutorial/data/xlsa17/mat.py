"""Reading the release's files: ``.mat`` files through ``scipy.io.loadmat`` only (nothing unpickles),
their cell arrays and index vectors, and the class-list text files."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from .release import Xlsa17FormatError


def _loadmat(path: Path, required: Sequence[str]) -> dict:
    from ..._deps import require

    loadmat = require("scipy.io").loadmat  # lazy: scipy.io is only needed here

    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; the xlsa17 folder {path.parent} is incomplete.")
    try:
        mat = loadmat(str(path))
    except NotImplementedError as exc:  # scipy's answer to MATLAB v7.3 (HDF5) files
        raise Xlsa17FormatError(f"{path} is a MATLAB v7.3 file; the xlsa17 release uses v5 .mat files. "
                                "Use the original files from the archive.") from exc
    except Exception as exc:  # truncated or garbage files raise many different errors inside scipy
        raise Xlsa17FormatError(
            f"{path} could not be read as a .mat file ({type(exc).__name__}: {exc}). It is probably "
            f"truncated or corrupt: delete {path.parent} and load again to download a fresh copy."
        ) from exc
    missing = [k for k in required if k not in mat]
    if missing:
        found = sorted(k for k in mat if not k.startswith("__"))
        raise Xlsa17FormatError(
            f"{path} has no variable(s) {missing} (it has {found}). This is not an xlsa17 {path.name}, or an "
            f"incomplete one: replace it with the file from the archive."
        )
    return mat


def _cellstr(value) -> list[str]:
    """Strings from what loadmat returns for a cell array of strings (or a char matrix)."""
    arr = np.asarray(value)
    if arr.dtype.kind in "US":
        # loadmat (chars_as_strings=True) turns a char matrix into one string per row.
        return [str(s).strip() for s in arr.reshape(-1)]
    if arr.dtype != object:
        raise TypeError(f"expected a cell array of strings, got an array of {arr.dtype}")

    def one(x) -> str:
        # loadmat wraps each cell as an array of shape (1,) (or (1, 1) / nested object arrays).
        while isinstance(x, np.ndarray):
            if x.size == 0:
                return ""
            if x.dtype.kind in "US" and x.size > 1:
                return " ".join(str(c).strip() for c in x.ravel()).strip()
            x = x.ravel()[0]
        return str(x).strip()

    return [one(x) for x in arr.ravel()]


def _vector(mat: dict, key: str, path: Path, *, n_max: int, what: str) -> np.ndarray:
    """A 1-based index vector from ``mat[key]`` as 0-based int64, checked."""
    arr = np.asarray(mat[key])
    if arr.size and (arr.ndim > 2 or (arr.ndim == 2 and 1 not in arr.shape)):
        raise Xlsa17FormatError(f"{path}: {key} must be a vector (n x 1), got shape {arr.shape}.")
    arr = arr.reshape(-1)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype.kind not in "iuf" or (arr.dtype.kind == "f" and not np.all(np.isfinite(arr))):
        raise Xlsa17FormatError(f"{path}: {key} must hold numbers, got dtype {arr.dtype}.")
    rounded = np.rint(arr)
    if arr.dtype.kind == "f" and not np.array_equal(rounded, arr):
        raise Xlsa17FormatError(
            f"{path}: {key} must hold whole numbers ({what}), found e.g. {arr[rounded != arr][:3]}."
        )
    idx = rounded.astype(np.int64)
    if idx.min() < 1 or idx.max() > n_max:
        raise Xlsa17FormatError(
            f"{path}: {key} holds values in [{idx.min()}, {idx.max()}] but they are 1-based {what} and must lie "
            f"in [1, {n_max}]. Are the file and its partner from the same dataset?"
        )
    return idx - 1


def _read_class_list(path: Path) -> list[str] | None:
    if not path.is_file():
        return None
    return [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
