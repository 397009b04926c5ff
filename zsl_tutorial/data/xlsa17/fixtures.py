"""Tiny synthetic datasets in exactly the release's layout, for tests and for running the notebooks offline."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ...config import data_dir
from .release import _FIXTURE_KEY, _canonical


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
    from ..._deps import require

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


def write_xlsa17_dataset(
    root: str | os.PathLike,
    name: str,
    dataset: Any,
    *,
    release_overlap: bool = True,
) -> Path:
    """Write any :class:`ZSLDataset` (e.g. ``make_synthetic(...)``) in the xlsa17 layout; return its folder.

    This is how an AwA2-shaped simulator becomes a folder that the package *and* public reference
    code (which read ``res101.mat``/``att_splits.mat``) can both run on, for back-to-back comparisons.
    ``trainval``/``test_seen``/``test_unseen`` are written as they are. With ``release_overlap``
    (the default) ``train_loc``/``val_loc`` hold *every* image of the train/val classes, so they
    overlap ``test_seen_loc`` as they do in the real release; ``False`` writes the dataset's own
    leak-free train/val. ``att`` is L2-normalised per class, as in the release; ``original_att``
    keeps the dataset's values. The files carry the fixture marker.
    """
    from ..dataset import ZSLDataset

    if not isinstance(dataset, ZSLDataset):
        raise TypeError(f"dataset must be a ZSLDataset (e.g. make_synthetic(...)), got {type(dataset).__name__}.")
    sp = dataset.splits
    y = np.asarray(dataset.y)
    if release_overlap:
        train_classes, val_classes = np.unique(y[sp["train"]]), np.unique(y[sp["val"]])
        train_loc, val_loc = np.flatnonzero(np.isin(y, train_classes)), np.flatnonzero(np.isin(y, val_classes))
    else:
        train_loc, val_loc = np.sort(sp["train"]), np.sort(sp["val"])
    A = np.asarray(dataset.S, dtype=np.float64)  # classes x attributes
    norms = np.linalg.norm(A, axis=1, keepdims=True)
    att = (A / np.where(norms > 0, norms, 1.0)).T
    locs = {"trainval_loc": np.sort(sp["trainval"]), "test_seen_loc": np.sort(sp["test_seen"]),
            "test_unseen_loc": np.sort(sp["test_unseen"]), "train_loc": train_loc, "val_loc": val_loc}
    return write_xlsa17_files(
        root, name, features=np.asarray(dataset.X, dtype=np.float32).T, labels=(y + 1).astype(np.int32),
        att=att, original_att=A.T, class_names=list(dataset.class_names),
        # Integer labels and indices, as in the release (code that indexes with them directly needs that).
        locs={k: (np.asarray(v) + 1).astype(np.int32) for k, v in locs.items()},
    )
