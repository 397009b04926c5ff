"""Your own data as a ``ZSLDataset``: a features file, a class table and a choice of unseen classes.

The capstone lesson (08) and practitioners use it the same way:

- **features**: ``.npz`` with arrays ``X`` (samples x features) and ``labels`` (one class name per
  sample), or ``.csv`` with a header row, a ``label`` column and one numeric column per feature;
- **classes**: ``.csv`` with a header row and a ``class`` column; every other column but
  ``description`` is a numeric attribute, and ``description`` (optional) is a sentence about the class;
- **unseen**: the names of the classes that must never be trained on.

``aux="attributes"`` uses the numeric columns as the auxiliary information; ``aux="description"``
embeds the descriptions with the course's sentence model (MiniLM, offline). Labels are matched to the
``class`` column by their text, so integer labels work when the classes are named ``0``, ``1``, ...
Nothing is unpickled: ``.npz`` files are read with ``allow_pickle=False``.
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import io
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from .dataset import ZSLDataset
from .splits import make_split

__all__ = ["read_tables", "resplit", "AUX_KINDS"]

#: What ``aux`` may name: the numeric columns of the class table, or its description column embedded.
AUX_KINDS = ("attributes", "description")


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:  # streamed: a features file can be gigabytes
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _existing(path: str | os.PathLike, what: str, suffixes: Sequence[str]) -> Path:
    if isinstance(path, (bytes, bytearray)) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{what} must be a path to a file ({' or '.join(suffixes)}), got {type(path).__name__}.")
    p = Path(path).expanduser()
    if not p.is_file():
        raise FileNotFoundError(f"{what}: no file at {p}. Check the path (relative paths start from "
                                f"{Path.cwd()}).")
    if p.suffix.lower() not in suffixes:
        raise ValueError(f"{what}: {p.name} is a {p.suffix or 'suffix-less'} file; give a "
                         f"{' or '.join(suffixes)} file.")
    return p


def _read_csv(path: Path, what: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file (comma, semicolon or tab; a spreadsheet's byte-order mark is skipped)."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column, or nothing to go by: plain commas
    rows = [r for r in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in r)]
    if len(rows) < 2:
        raise ValueError(f"{what}: {path.name} needs a header row and at least one data row; it has {len(rows)} "
                         "non-empty row(s).")
    header = [h.strip() for h in rows[0]]
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise ValueError(f"{what}: {path.name} has duplicate column names {dup}; give every column its own name.")
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            raise ValueError(f"{what}: {path.name} line {i} has {len(r)} cells, but the header has {len(header)}. "
                             "Every row needs one cell per column (quote text that contains the delimiter).")
    return header, [[c.strip() for c in r] for r in rows[1:]]


def _numbers(rows: list[list[str]], cols: list[int], header: list[str], path: Path, what: str,
             row_name) -> np.ndarray:
    """The cells of ``cols`` as floats; the first cell that is not a number is named in the error."""
    try:
        return np.array([[float(r[j]) for j in cols] for r in rows], dtype=np.float64)
    except ValueError:
        for i, r in enumerate(rows):
            for j in cols:
                try:
                    float(r[j])
                except ValueError:
                    raise ValueError(
                        f"{what}: {path.name}, {row_name(i, r)}, column {header[j]!r}: {r[j]!r} is not a number. "
                        "Every column except the name column (and a description column) must hold numbers."
                    ) from None
        raise


def _read_features(path: Path, label_column: str) -> tuple[np.ndarray, list[str]]:
    what = "features"
    if path.suffix.lower() == ".npz":
        try:
            with np.load(path, allow_pickle=False) as z:
                keys = set(z.files)
                if not {"X", "labels"} <= keys:
                    raise ValueError(f"{what}: {path.name} holds arrays {sorted(keys)}; it needs 'X' (samples x "
                                     "features) and 'labels' (one class name per sample): "
                                     "np.savez(path, X=X, labels=np.asarray(names, dtype=str)).")
                X, labels = z["X"], z["labels"]
        except ValueError as exc:
            if "pickle" in str(exc).lower():
                raise ValueError(f"{what}: {path.name} stores an object array, which only unpickling could read, "
                                 "and this package never unpickles files. Save the labels as text: "
                                 "labels=np.asarray(names, dtype=str).") from None
            raise
        if labels.ndim != 1 or labels.dtype.kind not in "UiuS":
            raise ValueError(f"{what}: 'labels' in {path.name} must be a 1-D array of class names (or integer class "
                             f"ids), got dtype {labels.dtype} and shape {labels.shape}.")
        names = [v.decode() if isinstance(v, bytes) else str(v) for v in labels.tolist()]
        if X.ndim != 2 or X.dtype.kind not in "fiub":
            raise ValueError(f"{what}: 'X' in {path.name} must be a 2-D array of numbers (samples x features), got "
                             f"dtype {X.dtype} and shape {X.shape}.")
        if len(names) != len(X):
            raise ValueError(f"{what}: {path.name} has {len(X)} rows in 'X' but {len(names)} labels; give one label "
                             "per sample.")
        return np.asarray(X, dtype=np.float64), [n.strip() for n in names]
    header, rows = _read_csv(path, what)
    if label_column not in header:
        raise ValueError(f"{what}: {path.name} has no {label_column!r} column (its columns start "
                         f"{header[:5]}); name the column of class names {label_column!r}, or pass "
                         "label_column=.")
    j = header.index(label_column)
    cols = [k for k in range(len(header)) if k != j]
    if not cols:
        raise ValueError(f"{what}: {path.name} has only the {label_column!r} column; add one column per feature.")
    X = _numbers(rows, cols, header, path, what, lambda i, r: f"line {i + 2}")
    return X, [r[j] for r in rows]


def _read_classes(path: Path, class_column: str, description_column: str
                  ) -> tuple[list[str], np.ndarray, list[str], list[str] | None]:
    what = "classes"
    header, rows = _read_csv(path, what)
    if class_column not in header:
        raise ValueError(f"{what}: {path.name} has no {class_column!r} column (its columns are {header[:8]}); name "
                         f"the column of class names {class_column!r}, or pass class_column=.")
    j = header.index(class_column)
    names = [r[j] for r in rows]
    if any(not n for n in names):
        raise ValueError(f"{what}: {path.name} line {names.index('') + 2} has an empty class name.")
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"{what}: {path.name} lists class(es) {dup[:5]} more than once; one row per class.")
    d = header.index(description_column) if description_column in header else None
    cols = [k for k in range(len(header)) if k not in (j, d)]
    S = (_numbers(rows, cols, header, path, what, lambda i, r: f"line {i + 2} (class {r[j]!r})")
         if cols else np.zeros((len(rows), 0)))
    descriptions = None if d is None else [r[d] for r in rows]
    return names, S, [header[k] for k in cols], descriptions


def _unknown(names: Sequence[str], known: Sequence[str], what: str, where: str, fix: str) -> ValueError:
    hints = []
    for n in list(names)[:5]:
        close = difflib.get_close_matches(n, known, n=1)
        hints.append(f"{n!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return ValueError(f"{what}: {len(names)} name(s) not in {where}: {', '.join(hints)}. {fix}")


def _class_ids(names: Sequence[str] | None, known: list[str], what: str) -> np.ndarray | None:
    if names is None:
        return None
    if isinstance(names, (str, bytes)):
        raise TypeError(f"{what} must be a list of class names, e.g. [{names!r}], not one string.")
    names = [str(n).strip() for n in names]
    missing = [n for n in names if n not in known]
    if missing:
        raise _unknown(missing, known, what, "the class table", "Use the names of the class table's 'class' column.")
    if len(set(names)) != len(names):
        raise ValueError(f"{what} names a class twice: {sorted({n for n in names if names.count(n) > 1})}.")
    return np.array([known.index(n) for n in names], dtype=np.int64)


def _unseen_ids(unseen: Sequence[str] | None, class_names: list[str], y: np.ndarray) -> np.ndarray:
    """The ids of the ``unseen`` names, once the split they make is possible: two unseen classes at least,
    and two samples at least in every seen class."""
    ids = _class_ids(unseen, class_names, "unseen")
    if ids is None or len(ids) < 2:
        raise ValueError("unseen: name at least two unseen classes (conventional ZSL chooses among them).")
    few = [c for i, c in enumerate(class_names) if i not in ids and np.sum(y == i) < 2]
    if few:
        raise ValueError(f"features: seen class(es) {few[:5]} have a single sample; a seen class needs at least two "
                         "(one to train on, one held back for the GZSL test). Add samples, or make them unseen.")
    return ids


def read_tables(features: str | os.PathLike, classes: str | os.PathLike, *, unseen: Sequence[str],
                val: Sequence[str] | None = None, n_val: int | None = None, aux: str = "attributes",
                test_seen_fraction: float = 0.2, seed: int = 0, name: str | None = None,
                label_column: str = "label", class_column: str = "class",
                description_column: str = "description", device: str | None = None,
                verbose: bool = True) -> ZSLDataset:
    """Read a features file and a class table into a validated ``ZSLDataset`` (see the module's doc).

    ``unseen`` names the test classes; ``val`` names seen classes held out for tuning (or ``n_val``
    draws that many with ``seed``; default a third of the seen classes). ``test_seen_fraction`` of each
    seen class is kept back for the GZSL test, drawn with ``seed``. ``resplit(ds, seed)`` draws again.
    """
    if aux not in AUX_KINDS:
        raise ValueError(f"aux must be one of {AUX_KINDS}, got {aux!r}.")
    fpath = _existing(features, "features", (".npz", ".csv"))
    cpath = _existing(classes, "classes", (".csv",))
    X, labels = _read_features(fpath, label_column)
    class_names, attributes, attribute_names, descriptions = _read_classes(cpath, class_column, description_column)
    stray = sorted(set(labels) - set(class_names))
    if stray:
        raise _unknown(stray, class_names, "features", f"{cpath.name}'s {class_column!r} column",
                       "Every label needs a row in the class table (names must match exactly).")
    y = np.array([class_names.index(n) for n in labels], dtype=np.int64) if labels else np.zeros(0, np.int64)
    empty = [c for i, c in enumerate(class_names) if not np.any(y == i)]
    if empty:
        raise ValueError(f"classes: {len(empty)} class(es) of {cpath.name} have no sample in {fpath.name}: "
                         f"{empty[:5]}. Remove their rows, or add their samples (a class without samples can be "
                         "neither trained on nor tested).")
    unseen_ids = _unseen_ids(unseen, class_names, y)
    val_ids = _class_ids(val, class_names, "val")
    if aux == "attributes":
        if attributes.shape[1] == 0:
            raise ValueError(f"classes: {cpath.name} has no numeric attribute columns; add some, or pass "
                             f"aux='description' to embed its {description_column!r} column.")
        S = attributes
    else:
        if descriptions is None:
            raise ValueError(f"classes: aux='description' needs a {description_column!r} column in {cpath.name} "
                             "(one sentence per class), or pass description_column=.")
        blank = [c for c, t in zip(class_names, descriptions) if not t]
        if blank:
            raise ValueError(f"classes: class(es) {blank[:5]} have an empty description; write one for each.")
        from ..text import embed_texts

        S = embed_texts(descriptions, device=device, verbose=verbose)
    split_args = {"unseen": unseen_ids, "val": val_ids, "n_val": n_val, "test_seen_fraction": test_seen_fraction}
    splits = make_split(y, unseen_ids, val=val_ids, n_val=n_val, test_seen_fraction=test_seen_fraction, seed=seed)
    return ZSLDataset(
        X=X, y=y, class_names=class_names, S=S, splits=splits,
        aux_names=attribute_names if aux == "attributes" else None,
        name=name or fpath.stem,
        description=f"{fpath.name} + {cpath.name} ({aux})",
        extras={"split_args": split_args, "seed": seed, "aux": aux, "descriptions": descriptions,
                "attributes": attributes, "attribute_names": attribute_names,
                "files": {"features": (fpath.name, _sha256(fpath)), "classes": (cpath.name, _sha256(cpath))}},
    )


def resplit(ds: ZSLDataset, seed: int, *, unseen: Sequence[str] | None = None) -> ZSLDataset:
    """``ds`` with its split drawn again from ``seed``: new test_seen samples and (unless ``val`` named
    them) new validation classes, for a leaderboard over seeds. The unseen classes stay, or become the
    classes named by ``unseen`` (then a named ``val`` must avoid them); no file is read again."""
    args = ds.extras.get("split_args") if isinstance(ds, ZSLDataset) else None
    if args is None:
        raise ValueError("resplit needs a dataset made by read_tables (its extras hold how it was split).")
    if unseen is not None:
        args = {**args, "unseen": _unseen_ids(unseen, ds.class_names, ds.y)}
    splits = make_split(ds.y, args["unseen"], val=args["val"], n_val=args["n_val"],
                        test_seen_fraction=args["test_seen_fraction"], seed=seed)
    return ZSLDataset(X=ds.X, y=ds.y, class_names=ds.class_names, S=ds.S, splits=splits, aux_names=ds.aux_names,
                      name=ds.name, description=ds.description,
                      extras={**ds.extras, "seed": seed, "split_args": args})
