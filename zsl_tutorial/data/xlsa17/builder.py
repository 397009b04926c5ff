"""From the files to a :class:`~zsl_tutorial.data.dataset.ZSLDataset`: splits, tuning split and attributes."""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from ..dataset import SPLIT_NAMES, ZSLDataset
from ..pace import MIN_RATE
from .fetch import fetch_xlsa17
from .mat import _cellstr, _loadmat, _read_class_list, _vector
from .release import _FIXTURE_KEY, _LOC_KEYS, _REQUIRED, Xlsa17FormatError, _canonical


def _tuning_split(
    y: np.ndarray,
    splits: dict[str, np.ndarray],
    file_splits: dict[str, np.ndarray | None],
    class_names: list[str],
    ds_dir: Path,
    val_fold: int,
    val_split: str,
    notes: list[str],
) -> tuple[np.ndarray, np.ndarray, str]:
    """Choose ``train``/``val``: the files' indices when sound, else rebuilt from the class partition."""
    trainval = splits["trainval"]
    seen = np.unique(y[trainval])
    tr, va = file_splits.get("train_loc"), file_splits.get("val_loc")

    classes: tuple[np.ndarray, np.ndarray] | None = None
    source = ""
    if tr is not None and va is not None and tr.size and va.size:
        ctr, cva = np.unique(y[tr]), np.unique(y[va])
        problems = []
        if np.intersect1d(ctr, cva).size:
            problems.append("train_loc and val_loc share classes")
        if not np.isin(np.union1d(ctr, cva), seen).all():
            problems.append("train_loc/val_loc use classes that are not in trainval_loc (unseen classes)")
        if problems:
            msg = f"att_splits.mat: {'; '.join(problems)}. Rebuilding train/val from the class lists instead."
            warnings.warn(msg, stacklevel=3)
            notes.append(msg)
        else:
            classes, source = (ctr, cva), "att_splits.mat train_loc/val_loc"
            outside = np.setdiff1d(np.union1d(tr, va), trainval).size
            if val_split == "file":
                if outside:
                    # Known in some copies of the release: these indices were made for
                    # another trainval/test_seen partition. Kept as the files say (the
                    # published protocol), but worth knowing: see val_split="trainval".
                    ts = np.intersect1d(np.union1d(tr, va), splits["test_seen"]).size
                    msg = (f"train_loc/val_loc include {outside} sample(s) outside trainval_loc ({ts} of them in "
                           "test_seen_loc); kept as in the file. Pass val_split='trainval' to tune only on "
                           "trainval samples.")
                    warnings.warn(msg, stacklevel=3)
                    notes.append(msg)
                return tr, va, source
    if classes is None:
        tr_names = _read_class_list(ds_dir / f"trainclasses{val_fold}.txt")
        va_names = _read_class_list(ds_dir / f"valclasses{val_fold}.txt")
        lookup = {n: i for i, n in enumerate(class_names)}
        if tr_names is None or va_names is None:
            msg = (f"att_splits.mat has no usable train_loc/val_loc and {ds_dir} has no trainclasses{val_fold}.txt/"
                   f"valclasses{val_fold}.txt, so the train and val splits are empty (no class-disjoint tuning).")
            warnings.warn(msg, stacklevel=3)
            notes.append(msg)
            return np.zeros(0, np.int64), np.zeros(0, np.int64), "none"
        unknown = [n for n in tr_names + va_names if n not in lookup]
        if unknown:
            msg = (f"trainclasses{val_fold}.txt/valclasses{val_fold}.txt name class(es) {unknown[:5]} that are not in "
                   "allclasses_names; train and val splits left empty.")
            warnings.warn(msg, stacklevel=3)
            notes.append(msg)
            return np.zeros(0, np.int64), np.zeros(0, np.int64), "none"
        classes = (np.array([lookup[n] for n in tr_names]), np.array([lookup[n] for n in va_names]))
        source = f"trainclasses{val_fold}.txt/valclasses{val_fold}.txt"
    # Rebuild from the class partition over trainval samples only, never touching test_seen.
    ctr, cva = classes
    in_tv = y[trainval]
    return trainval[np.isin(in_tv, ctr)], trainval[np.isin(in_tv, cva)], source + " (restricted to trainval_loc)"


def read_xlsa17(
    folder: str | os.PathLike,
    name: str | None = None,
    *,
    normalize: str | None = None,
    attributes: str = "att",
    val_split: str = "trainval",
    val_fold: int = 1,
) -> ZSLDataset:
    """Read ``res101.mat`` and ``att_splits.mat`` from ``folder`` (no download).

    See :func:`load_xlsa17` for the parameters. Every structural problem raises
    :class:`Xlsa17FormatError` naming the file and the variable.
    """
    folder = Path(folder).expanduser()
    name = _canonical(name) if name is not None else folder.name.upper()
    if normalize not in (None, "l2", "minmax"):
        raise ValueError(f"normalize must be None, 'l2' or 'minmax', got {normalize!r}.")
    if attributes not in ("att", "original_att"):
        raise ValueError(f"attributes must be 'att' (L2-normalised) or 'original_att', got {attributes!r}.")
    if val_split not in ("file", "trainval"):
        raise ValueError(f"val_split must be 'file' or 'trainval', got {val_split!r}.")

    res_path, att_path = folder / "res101.mat", folder / "att_splits.mat"
    att_mat = _loadmat(att_path, _REQUIRED["att_splits.mat"] + ((attributes,) if attributes != "att" else ()))
    try:
        class_names = _cellstr(att_mat["allclasses_names"])
    except (TypeError, ValueError) as exc:
        raise Xlsa17FormatError(f"{att_path}: allclasses_names must be a cell array of strings ({exc}).") from exc
    n_classes = len(class_names)
    att = np.asarray(att_mat[attributes])
    if att.ndim != 2 or att.dtype.kind not in "iuf":
        raise Xlsa17FormatError(f"{att_path}: {attributes} must be a numeric matrix (attributes x classes), "
                                f"got shape {att.shape} and dtype {att.dtype}.")
    if att.shape[1] != n_classes:
        hint = " It looks transposed." if att.shape[0] == n_classes else ""
        raise Xlsa17FormatError(
            f"{att_path}: {attributes} has shape {att.shape}, but there are {n_classes} names in allclasses_names; "
            f"it must be attributes x classes (one column per class).{hint}"
        )
    original_att = None
    if "original_att" in att_mat:
        original_att = np.asarray(att_mat["original_att"], dtype=np.float64)
        if original_att.shape != att.shape:
            raise Xlsa17FormatError(f"{att_path}: original_att has shape {original_att.shape}, "
                                    f"but att has {att.shape}.")

    res = _loadmat(res_path, _REQUIRED["res101.mat"])
    features = res.pop("features")
    if features.ndim != 2 or features.dtype.kind not in "iuf":
        raise Xlsa17FormatError(f"{res_path}: features must be a numeric matrix (dims x samples), "
                                f"got shape {features.shape} and dtype {features.dtype}.")
    n = features.shape[1]
    labels_raw = np.asarray(res["labels"])
    if labels_raw.size != n:
        hint = " features looks transposed: it must be dims x samples." if features.shape[0] == labels_raw.size else ""
        raise Xlsa17FormatError(
            f"{res_path}: features has shape {features.shape} (dims x samples) but labels has {labels_raw.size} "
            f"entries; there must be one label per column.{hint}"
        )
    y = _vector(res, "labels", res_path, n_max=n_classes, what="class ids")
    image_files = None
    if "image_files" in res:
        image_files = np.array(_cellstr(res["image_files"]))
        if image_files.size != n:
            raise Xlsa17FormatError(f"{res_path}: image_files has {image_files.size} entries for {n} samples.")

    splits: dict[str, np.ndarray] = {}
    file_splits: dict[str, np.ndarray | None] = {}
    for key in _LOC_KEYS:
        if key not in att_mat:
            file_splits[key] = None
            continue
        idx = _vector(att_mat, key, att_path, n_max=n, what=f"sample indices into the {n} columns of res101.mat")
        if np.unique(idx).size != idx.size:
            raise Xlsa17FormatError(f"{att_path}: {key} lists some samples more than once; the file is corrupt "
                                    "or not from the xlsa17 release.")
        file_splits[key] = idx
    for key in ("trainval_loc", "test_seen_loc", "test_unseen_loc"):
        splits[key[: -len("_loc")]] = file_splits[key]

    notes: list[str] = []
    splits["train"], splits["val"], tuning_source = _tuning_split(
        y, splits, file_splits, class_names, folder, val_fold, val_split, notes)

    # Convert only now that everything checked out: the real features are large.
    X = np.ascontiguousarray(features.T, dtype=np.float32)
    del features
    if normalize == "l2":
        norms = np.linalg.norm(X, axis=1, keepdims=True)
        X /= np.where(norms > 0, norms, 1.0)
    elif normalize == "minmax":
        # Fitted on trainval only (as in f-CLSWGAN), so no test statistics leak in;
        # test features may therefore fall slightly outside [0, 1].
        tv = X[splits["trainval"]]
        lo, hi = tv.min(axis=0), tv.max(axis=0)
        X -= lo
        X /= np.where(hi > lo, hi - lo, 1.0)

    is_fixture = _FIXTURE_KEY in att_mat
    # Say what the folder is: only load_xlsa17, which fetched the release itself, calls it Xian et al.'s split.
    description = (
        f"{name}: features and class attributes in the xlsa17 layout, read from the folder {folder.name!r} "
        f"({'L2-normalised ' if attributes == 'att' else 'raw '}attributes); train/val from {tuning_source}."
    )
    if is_fixture:
        description = (f"SYNTHETIC FIXTURE in the xlsa17 layout, not the real {name} "
                       f"(written by write_xlsa17_fixture or write_xlsa17_dataset). {description}")
    extras = {
        "image_files": image_files,
        "original_att": original_att.T.copy() if original_att is not None else None,
        "source": str(folder),
        "tuning_split_source": tuning_source,
        "normalize": normalize,
        "attributes": attributes,
        "notes": notes,
        "fixture": is_fixture,
    }
    splits = {k: splits[k] for k in SPLIT_NAMES}
    try:
        return ZSLDataset(X, y, class_names, np.asarray(att, dtype=np.float64).T, splits, None, name,
                          description, extras)
    except ValueError as exc:
        raise Xlsa17FormatError(f"{folder}: the files do not form a valid zero-shot dataset: {exc}") from exc


def load_xlsa17(
    name: str,
    root: str | os.PathLike | None = None,
    download: bool = False,
    normalize: str | None = None,
    *,
    url: str | None = None,
    attributes: str = "att",
    val_split: str = "trainval",
    val_fold: int = 1,
    verify: bool = True,
    keep_archive: bool = False,
    progress: bool = True,
    timeout: float = 30,
    deadline: float | None = None,
    min_rate: float = MIN_RATE,
) -> ZSLDataset:
    """Load one dataset of Xian et al.'s proposed splits (xlsa17) as a :class:`ZSLDataset`.

    Parameters
    ----------
    name : {"AWA1", "AWA2", "CUB", "SUN", "APY"}
        Case-insensitive.
    root : path, optional
        Folder holding ``xlsa17/data/<NAME>``; default :func:`zsl_tutorial.config.data_dir`.
    download : bool
        Download and unpack ``xlsa17.zip`` (about 0.9 GB) if the files are missing or corrupt.
        Off by default: nothing is downloaded unless you ask, here, through
        ``python -m zsl_tutorial fetch xlsa17 NAME`` (``fetch_xlsa17``), or with a dataset name
        in ``ZSL_DATASET`` (lesson 07). Missing files then raise an error that says so.
    normalize : {None, "l2", "minmax"}
        Feature scaling: none (the raw non-negative ResNet features), per-sample
        L2 norm, or min-max per dimension fitted on ``trainval`` only.
    url : str, optional
        Where to get the archive; default ``$ZSL_XLSA17_URL`` or :data:`XLSA17_URL`.
    attributes : {"att", "original_att"}
        The L2-normalised attributes (the standard) or the raw ones.
    val_split : {"trainval", "file"}
        ``"trainval"`` (the default): ``train``/``val`` rebuilt on ``trainval_loc``
        samples only, with the file's class partition, so no tuning ever sees a
        ``test_seen`` sample. ``"file"``: as stored in ``att_splits.mat``, whose
        ``train_loc``/``val_loc`` overlap ``test_seen_loc`` in the release (a
        warning says so). Files without ``train_loc``/``val_loc`` always use
        ``trainclasses<val_fold>.txt``/``valclasses<val_fold>.txt``.
    verify : bool
        Re-hash the cached files against the manifest (about a second per GB).
    timeout, deadline, min_rate : float
        Bounds of the download, as in :func:`zsl_tutorial.data.download.download`: seconds per read,
        seconds in all (default from the file's length), and the slowest rate (bytes/s over 30 s).

    The result has 0-based labels and indices, ``X`` of shape (n, 2048) in
    float32 and ``S`` of shape (classes, attributes). ``extras`` holds
    ``image_files``, ``original_att`` (classes x attributes) and ``notes``
    about anything unusual in the files.
    """
    folder = fetch_xlsa17(name, root, download=download, url=url, verify=verify, keep_archive=keep_archive,
                          progress=progress, timeout=timeout, deadline=deadline, min_rate=min_rate)
    ds = read_xlsa17(folder, name, normalize=normalize, attributes=attributes, val_split=val_split,
                       val_fold=val_fold)
    if not ds.extras["fixture"]:
        ds.description = (
            f"{ds.name} from xlsa17 (Xian et al.'s proposed split, the official release): ResNet-101 features, "
            f"{'L2-normalised ' if attributes == 'att' else 'raw '}class attributes; "
            f"train/val from {ds.extras['tuning_split_source']}."
        )
    return ds
