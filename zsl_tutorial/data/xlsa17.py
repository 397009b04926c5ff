"""xlsa17: the proposed splits of Xian et al. (ResNet-101 features and class attributes).

The release is one archive, ``xlsa17.zip``, that unpacks to
``xlsa17/data/<NAME>/`` for NAME in AWA1, AWA2, CUB, SUN and APY. Each folder holds

- ``res101.mat``: ``features`` (2048 x N, one column per image), ``labels``
  (N x 1, 1-based class ids) and ``image_files``;
- ``att_splits.mat``: ``att`` (A x C, L2-normalised columns), ``original_att``,
  ``allclasses_names`` and the 1-based sample indices ``trainval_loc``,
  ``test_seen_loc``, ``test_unseen_loc`` and (in some copies) ``train_loc`` and
  ``val_loc``;
- class lists such as ``trainclasses1.txt`` / ``valclasses1.txt``.

:func:`load_xlsa17` finds the files under ``<root>/xlsa17/data/<NAME>``
(``root`` defaults to :func:`zsl_tutorial.config.data_dir`), downloads and
unpacks the archive when they are missing, checks the layout, and returns a
:class:`ZSLDataset` with 0-based indices. :func:`write_xlsa17_fixture` writes a
tiny synthetic dataset in exactly the same layout, for tests and for running
the notebooks offline.

Files are read with ``scipy.io.loadmat`` only: nothing here unpickles.
"""
from __future__ import annotations

import logging
import os
import time
import warnings
import zipfile
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from .. import switches
from ..config import data_dir
from .dataset import SPLIT_NAMES, ZSLDataset
from .download import (
    DownloadError,
    download as _download,
    safe_extract,
    sha256sum,
    verify_file,
    write_json_atomic,
)

__all__ = [
    "load_xlsa17",
    "fetch_xlsa17",
    "read_xlsa17",
    "xlsa17_dir",
    "write_xlsa17_files",
    "write_xlsa17_fixture",
    "Xlsa17FormatError",
    "XLSA17_DATASETS",
    "XLSA17_URL",
    "XLSA17_SHA256",
    "XLSA17_SIZE",
    "URL_ENV",
]

logger = logging.getLogger(__name__)

#: The datasets inside the release, in their folder spelling.
XLSA17_DATASETS = ("AWA1", "AWA2", "CUB", "SUN", "APY")
#: The official archive (all five datasets, about 0.9 GB).
XLSA17_URL = "http://datasets.d2.mpi-inf.mpg.de/xian/xlsa17.zip"
#: Environment variable that overrides the URL (a mirror, or a local test server).
URL_ENV = switches.XLSA17_URL_ENV

# Checksum of the official archive: UNKNOWN. No trustworthy sha256/md5 or exact
# byte count for xlsa17.zip is published by the authors or pinned by the public
# code we searched (loaders just ``wget`` and ``unzip`` it; one README quotes
# "878.98M", which is too rough to pin). Worse, GitHub issues report copies of
# the archive that differ (some att_splits.mat files lack ``train_loc``/``val_loc``),
# so a hash seen once might not match what the server sends today.
# Instead we (1) check the download is a complete, valid zip (Content-Length and
# zipfile.testzip), (2) check the .mat files' structure when loading, and
# (3) record the sha256 of the archive and of every extracted file in
# ``<root>/xlsa17/zsl_manifest.json``, so a later load detects a corrupted cache.
# Once a trusted hash is known, set it here and download() will enforce it.
XLSA17_SHA256: str | None = None
XLSA17_SIZE: int | None = None

_ARCHIVE_NAME = "xlsa17.zip"
_MANIFEST_NAME = "zsl_manifest.json"
_FILES = ("res101.mat", "att_splits.mat")
# Marks files written by write_xlsa17_files, so a fixture is never mistaken for real data.
_FIXTURE_KEY = "zsl_tutorial_fixture"
_LOC_KEYS = ("trainval_loc", "train_loc", "val_loc", "test_seen_loc", "test_unseen_loc")
_REQUIRED = {
    "res101.mat": ("features", "labels"),
    "att_splits.mat": ("att", "allclasses_names", "trainval_loc", "test_seen_loc", "test_unseen_loc"),
}


class Xlsa17FormatError(ValueError):
    """An xlsa17 file is missing a variable, has a wrong shape, or is unreadable."""


# --------------------------------------------------------------------------- paths
def _canonical(name: str) -> str:
    if not isinstance(name, str) or name.strip().upper() not in XLSA17_DATASETS:
        raise ValueError(f"unknown xlsa17 dataset {name!r}; choose one of {', '.join(XLSA17_DATASETS)} "
                         "(case does not matter).")
    return name.strip().upper()


def xlsa17_dir(root: str | os.PathLike | None = None) -> Path:
    """The unpacked release folder, ``<root>/xlsa17`` (``root`` defaults to the data dir)."""
    base = Path(root).expanduser() if root is not None else data_dir()
    return base / "xlsa17"


def _dataset_dir(name: str, root: str | os.PathLike | None) -> Path:
    return xlsa17_dir(root) / "data" / _canonical(name)


def _resolve_url(url: str | None) -> str:
    return url or switches.xlsa17_url() or XLSA17_URL


def _manual_hint(name: str, root: Path) -> str:
    ds = root / "xlsa17" / "data" / name
    return (
        f"or unzip it into {root} so that {ds / 'res101.mat'} and {ds / 'att_splits.mat'} exist "
        f"(or set ZSL_DATA_DIR to a folder that already holds xlsa17/data/{name})"
    )


# --------------------------------------------------------------------------- manifest
def _read_manifest(base: Path) -> dict:
    import json

    path = base / _MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("files"), dict):
            return data
        raise ValueError("unexpected structure")
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        logger.warning("Ignoring unreadable xlsa17 manifest %s (%s); it will be rebuilt.", path, exc)
    return {"files": {}}


def _write_manifest(base: Path, manifest: dict) -> None:
    try:
        write_json_atomic(base / _MANIFEST_NAME, manifest)
    except OSError as exc:  # a read-only shared copy still loads; it just is not re-checked later
        logger.info("Could not write the xlsa17 manifest in %s (%s).", base, exc)


def _file_record(path: Path) -> dict:
    return {"size": path.stat().st_size, "sha256": sha256sum(path)}


def _check_cache(name: str, root: Path, verify: bool) -> str | None:
    """Compare the dataset's files with the manifest; return a problem or None.

    Files seen for the first time (e.g. a manual copy) are hashed and recorded,
    so later loads can tell if they change.
    """
    base = root / "xlsa17"
    manifest = _read_manifest(base)
    changed = False
    for fname in _FILES:
        rel = f"data/{name}/{fname}"
        path = base / "data" / name / fname
        entry = manifest["files"].get(rel)
        if entry is None:
            manifest["files"][rel] = {**_file_record(path), "source": "found in place", "recorded": time.time()}
            changed = True
            continue
        actual_size = path.stat().st_size
        if actual_size != entry.get("size"):
            return f"{path} has {actual_size:,} bytes but {entry.get('size'):,} were recorded when it was unpacked"
        if verify:
            actual = sha256sum(path)
            if actual != entry.get("sha256"):
                return f"{path} has sha256 {actual}, but {entry.get('sha256')} was recorded when it was unpacked"
    if changed:
        _write_manifest(base, manifest)
    return None


# --------------------------------------------------------------------------- fetching
def _valid_zip(path: Path) -> str | None:
    """None if ``path`` is a readable zip whose CRCs all check out, else the problem."""
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return f"{path.name} is not a valid zip archive ({exc})"
    if bad is not None:
        return f"{path.name} is corrupt: member {bad!r} fails its CRC check"
    return None


def _member_prefix(zf: zipfile.ZipFile, name: str) -> str:
    """The folder above ``data/<NAME>/res101.mat`` inside the archive (``"xlsa17/"`` in the release)."""
    target = f"data/{name}/res101.mat"
    for member in zf.namelist():
        m = member.replace("\\", "/")
        if m.startswith("__MACOSX/"):
            continue
        if m == target or m.endswith("/" + target):
            return m[: -len(target)]
    sample = ", ".join(zf.namelist()[:5])
    raise Xlsa17FormatError(
        f"{zf.filename} has no {target}, so it is not the xlsa17 release (or not one with {name}); "
        f"its first members are: {sample}."
    )


def _obtain_archive(zip_path: Path, url: str, name: str, root: Path, *, download: bool, progress: bool,
                    timeout: float) -> Path:
    """A verified xlsa17.zip at ``zip_path``: the one already there, or a fresh download."""
    pinned = url == XLSA17_URL  # a mirror or test server may serve another build of the archive
    sha, size = (XLSA17_SHA256, XLSA17_SIZE) if pinned else (None, None)
    if zip_path.exists():
        problem = _valid_zip(zip_path)
        if problem is None and (sha or size):
            problem = verify_file(zip_path, sha256=sha, size=size)
        if problem is None:
            return zip_path
        logger.warning("The cached archive looks corrupt (%s); deleting it.", problem)
        zip_path.unlink()
    if not download:
        raise FileNotFoundError(
            f"xlsa17/data/{name} is not in {root} and download=False. Download {url} on a machine with "
            f"internet access and place it at {zip_path}, {_manual_hint(name, root)}."
        )
    _download(url, zip_path, sha256=sha, size=size, timeout=timeout, progress=progress,
              hint=_manual_hint(name, root))
    problem = _valid_zip(zip_path)
    if problem is not None:
        zip_path.unlink()
        raise DownloadError(
            f"The file downloaded from {url} is not a usable archive: {problem}. It was deleted; try again, "
            f"or download it by hand, check it unzips, and place it at {zip_path}."
        )
    return zip_path


def fetch_xlsa17(
    name: str,
    root: str | os.PathLike | None = None,
    *,
    download: bool = True,
    url: str | None = None,
    verify: bool = True,
    keep_archive: bool = False,
    progress: bool = True,
    timeout: float = 30,
) -> Path:
    """Make sure ``<root>/xlsa17/data/<NAME>`` holds intact files; return that folder.

    Uses the files in place when they match the manifest, else an
    ``xlsa17.zip`` already in ``root``, else downloads it (``url``, or
    ``$ZSL_XLSA17_URL``, or :data:`XLSA17_URL`). The archive is unpacked
    whole (all five datasets), its and every file's sha256 are written to
    ``zsl_manifest.json``, and it is then deleted unless ``keep_archive``.
    """
    name = _canonical(name)
    root = Path(root).expanduser() if root is not None else data_dir()
    url = _resolve_url(url)
    ds_dir = root / "xlsa17" / "data" / name
    if all((ds_dir / f).is_file() for f in _FILES):
        problem = _check_cache(name, root, verify)
        if problem is None:
            return ds_dir
        if not download and not (root / _ARCHIVE_NAME).exists():
            raise Xlsa17FormatError(
                f"The cached xlsa17 {name} looks corrupt ({problem}) and download=False. Delete {ds_dir} and "
                f"load again with download=True, or replace the files from a good copy of {url}. If you "
                f"replaced them on purpose, delete {root / 'xlsa17' / _MANIFEST_NAME} so they are re-recorded."
            )
        logger.warning("The cached xlsa17 %s looks corrupt (%s); replacing it with a fresh copy.", name, problem)

    zip_path = _obtain_archive(root / _ARCHIVE_NAME, url, name, root, download=download,
                               progress=progress, timeout=timeout)
    with zipfile.ZipFile(zip_path) as zf:
        prefix = _member_prefix(zf, name)
        members = [
            m for m in zf.namelist()
            if m.startswith(prefix + "data/") and not m.endswith("/") and "__MACOSX" not in m
        ]
    base = root / "xlsa17"
    extracted = safe_extract(zip_path, base, members, strip_prefix=prefix)

    archive_sha = sha256sum(zip_path)
    manifest = _read_manifest(base)
    manifest["archive"] = {"url": url, "sha256": archive_sha, "size": zip_path.stat().st_size,
                           "unpacked": time.time()}
    for path in extracted:
        rel = path.relative_to(base).as_posix()
        manifest["files"][rel] = {**_file_record(path), "source": _ARCHIVE_NAME}
    _write_manifest(base, manifest)
    logger.info("Unpacked %s (sha256 %s) into %s.", zip_path.name, archive_sha, base)
    if not keep_archive:
        zip_path.unlink()
    missing = [f for f in _FILES if not (ds_dir / f).is_file()]
    if missing:
        raise Xlsa17FormatError(f"{url} unpacked without data/{name}/{missing[0]}; the archive is incomplete.")
    return ds_dir


# --------------------------------------------------------------------------- reading
def _loadmat(path: Path, required: Sequence[str]) -> dict:
    from .._deps import require

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
    val_split: str = "file",
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
    description = (
        f"{name} from xlsa17 (Xian et al.'s proposed split): ResNet-101 features, "
        f"{'L2-normalised ' if attributes == 'att' else 'raw '}class attributes; train/val from {tuning_source}."
    )
    if is_fixture:
        description = (f"SYNTHETIC FIXTURE in the xlsa17 layout, not the real {name} "
                       f"(written by write_xlsa17_fixture). {description}")
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
    download: bool = True,
    normalize: str | None = None,
    *,
    url: str | None = None,
    attributes: str = "att",
    val_split: str = "file",
    val_fold: int = 1,
    verify: bool = True,
    keep_archive: bool = False,
    progress: bool = True,
    timeout: float = 30,
) -> ZSLDataset:
    """Load one dataset of Xian et al.'s proposed splits (xlsa17) as a :class:`ZSLDataset`.

    Parameters
    ----------
    name : {"AWA1", "AWA2", "CUB", "SUN", "APY"}
        Case-insensitive.
    root : path, optional
        Folder holding ``xlsa17/data/<NAME>``; default :func:`zsl_tutorial.config.data_dir`.
    download : bool
        Download and unpack ``xlsa17.zip`` if the files are missing or corrupt.
    normalize : {None, "l2", "minmax"}
        Feature scaling: none (the raw non-negative ResNet features), per-sample
        L2 norm, or min-max per dimension fitted on ``trainval`` only.
    url : str, optional
        Where to get the archive; default ``$ZSL_XLSA17_URL`` or :data:`XLSA17_URL`.
    attributes : {"att", "original_att"}
        The L2-normalised attributes (the standard) or the raw ones.
    val_split : {"file", "trainval"}
        ``train``/``val`` as stored in ``att_splits.mat`` (the published
        protocol), or rebuilt on ``trainval_loc`` samples only with the same
        class partition. Files without ``train_loc``/``val_loc`` always use
        ``trainclasses<val_fold>.txt``/``valclasses<val_fold>.txt``.
    verify : bool
        Re-hash the cached files against the manifest (about a second per GB).

    The result has 0-based labels and indices, ``X`` of shape (n, 2048) in
    float32 and ``S`` of shape (classes, attributes). ``extras`` holds
    ``image_files``, ``original_att`` (classes x attributes) and ``notes``
    about anything unusual in the files.
    """
    folder = fetch_xlsa17(name, root, download=download, url=url, verify=verify, keep_archive=keep_archive,
                          progress=progress, timeout=timeout)
    return read_xlsa17(folder, name, normalize=normalize, attributes=attributes, val_split=val_split,
                       val_fold=val_fold)


# --------------------------------------------------------------------------- fixtures
def _cell(strings: Sequence[str]) -> np.ndarray:
    """A MATLAB cell column of strings, as savemat writes it and loadmat reads it back."""
    out = np.empty((len(strings), 1), dtype=object)
    for i, s in enumerate(strings):
        out[i, 0] = str(s)
    return out


def write_xlsa17_files(
    root: str | os.PathLike,
    name: str,
    *,
    features: np.ndarray,
    labels: np.ndarray,
    att: np.ndarray,
    class_names: Sequence[str],
    locs: Mapping[str, np.ndarray],
    original_att: np.ndarray | None = None,
    image_files: Sequence[str] | None = None,
    class_lists: Mapping[str, Sequence[str]] | None = None,
    drop: Sequence[str] = (),
    fixture: bool = True,
) -> Path:
    """Write ``res101.mat``/``att_splits.mat`` under ``<root>/xlsa17/data/<NAME>`` exactly as given.

    Arrays are in MATLAB layout and 1-based, as in the release: ``features``
    is dims x N, ``labels`` and each of ``locs`` (``trainval_loc``, ...) are
    1-based. ``class_lists`` maps file names such as ``"trainclasses1.txt"``
    to class names; ``drop`` leaves variables out (to test error handling).
    With ``fixture`` (the default) the files carry a marker, so a loaded
    dataset says it is not real data (``extras["fixture"]``), and writing into
    the real data folder is refused. Returns the dataset folder.
    """
    from .._deps import require

    savemat = require("scipy.io").savemat
    root = Path(root).expanduser()
    if fixture and root.resolve() == data_dir(create=False).resolve():
        raise ValueError(
            f"refusing to write a fixture into the data folder {root}: it would shadow the real xlsa17 "
            "files there. Write it into a temporary folder and pass that folder as root to load_xlsa17."
        )
    folder = root / "xlsa17" / "data" / _canonical(name)
    folder.mkdir(parents=True, exist_ok=True)
    labels = np.asarray(labels)
    res = {
        "features": np.asarray(features),
        "labels": labels.reshape(-1, 1) if labels.ndim == 1 else labels,
        "image_files": _cell(image_files if image_files is not None
                             else [f"JPEGImages/img_{i:05d}.jpg" for i in range(labels.size)]),
    }
    att = np.asarray(att)
    split = {
        "att": att,
        "original_att": np.asarray(original_att) if original_att is not None else att,
        "allclasses_names": _cell(class_names),
    }
    for key, value in locs.items():
        value = np.asarray(value)
        split[key] = value.reshape(-1, 1) if value.ndim == 1 else value
    if fixture:
        split[_FIXTURE_KEY] = np.array([[1.0]])
    for key in drop:
        res.pop(key, None)
        split.pop(key, None)
    savemat(folder / "res101.mat", res)
    savemat(folder / "att_splits.mat", split)
    for fname, names in (class_lists or {}).items():
        (folder / fname).write_text("".join(f"{c}\n" for c in names), encoding="utf-8")
    return folder


def write_xlsa17_fixture(
    root: str | os.PathLike,
    name: str = "AWA2",
    *,
    n_classes: int = 10,
    n_unseen: int = 3,
    n_val: int = 2,
    n_attributes: int = 8,
    n_features: int = 32,
    samples_per_class: int = 6,
    n_test_seen: int = 2,
    with_train_val_loc: bool = True,
    seed: int = 0,
) -> Path:
    """Write a tiny, valid, deterministic dataset in the xlsa17 layout; return its folder.

    A simulator, not real data: features are a noisy non-negative linear map of
    the class attributes (so zero-shot transfer works on it), samples are in
    shuffled order and everything is stored 1-based, as in the release. Class
    lists (``trainclasses1.txt``, ...) are written too; ``with_train_val_loc=False``
    leaves ``train_loc``/``val_loc`` out, like some copies of the release.
    """
    name = _canonical(name)
    if not (n_unseen >= 1 and n_val >= 1 and n_classes - n_unseen - n_val >= 2):
        raise ValueError("need at least one unseen class, one val class and two train classes.")
    if not 1 <= n_test_seen < samples_per_class:
        raise ValueError("n_test_seen must be at least 1 and leave samples for trainval.")
    rng = np.random.default_rng(seed)
    class_names = [f"class_{c + 1:02d}" for c in range(n_classes)]
    original_att = rng.uniform(0.0, 100.0, size=(n_attributes, n_classes))
    att = original_att / np.linalg.norm(original_att, axis=0, keepdims=True)

    n = n_classes * samples_per_class
    labels0 = rng.permutation(np.repeat(np.arange(n_classes), samples_per_class))  # shuffled, like a real file
    W = rng.normal(size=(n_features, n_attributes))
    features = np.maximum(W @ att[:, labels0] + 0.05 * rng.normal(size=(n_features, n)), 0.0).astype(np.float32)

    order = rng.permutation(n_classes)
    unseen, val = np.sort(order[:n_unseen]), np.sort(order[n_unseen:n_unseen + n_val])
    train = np.sort(order[n_unseen + n_val:])
    trainval_idx, test_seen_idx = [], []
    for c in np.sort(np.concatenate([train, val])):
        idx = np.flatnonzero(labels0 == c)
        test_seen_idx.extend(idx[:n_test_seen])
        trainval_idx.extend(idx[n_test_seen:])
    trainval_idx = np.sort(np.array(trainval_idx))
    locs = {
        "trainval_loc": trainval_idx + 1,
        "test_seen_loc": np.sort(np.array(test_seen_idx)) + 1,
        "test_unseen_loc": np.flatnonzero(np.isin(labels0, unseen)) + 1,
    }
    if with_train_val_loc:
        locs["train_loc"] = trainval_idx[np.isin(labels0[trainval_idx], train)] + 1
        locs["val_loc"] = trainval_idx[np.isin(labels0[trainval_idx], val)] + 1
    names = np.array(class_names)
    class_lists = {
        "allclasses.txt": class_names,
        "trainvalclasses.txt": list(names[np.sort(np.concatenate([train, val]))]),
        "testclasses.txt": list(names[unseen]),
        "trainclasses1.txt": list(names[train]),
        "valclasses1.txt": list(names[val]),
    }
    image_files = [f"/fixture/{name}/JPEGImages/{class_names[c]}/{class_names[c]}_{i:04d}.jpg"
                   for i, c in enumerate(labels0)]
    return write_xlsa17_files(
        root, name, features=features, labels=(labels0 + 1).astype(np.float64), att=att,
        class_names=class_names, locs={k: v.astype(np.float64) for k, v in locs.items()},
        original_att=original_att, image_files=image_files, class_lists=class_lists,
    )
