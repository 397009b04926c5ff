"""``ZSLDataset``: samples, labels, classes, auxiliary information and splits in one validated object."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, NamedTuple, Sequence

import numpy as np

from .._validation import check_labels, check_number, check_seed
from .splits import hold_out_per_class, make_split

__all__ = ["ZSLDataset", "View", "SPLIT_NAMES", "make_split", "hold_out_per_class"]

#: The split names of Xian et al.'s proposed splits, which every dataset here uses.
SPLIT_NAMES = ("trainval", "train", "val", "test_seen", "test_unseen")


class View(NamedTuple):
    """A slice of a dataset ready for an estimator.

    ``y`` indexes the rows of ``S`` (0 .. len(classes)-1), which is what
    ``fit(X, y, S)`` and ``predict(X, S)`` expect; ``classes[y]`` gives the
    dataset-wide class ids back.
    """

    X: np.ndarray
    y: np.ndarray
    S: np.ndarray
    classes: np.ndarray
    class_names: list[str]
    seen_mask: np.ndarray  # per candidate class: was it seen in training?

    def to_global(self, y_local) -> np.ndarray:
        """Map predictions (rows of ``S``) back to dataset-wide class ids."""
        return self.classes[np.asarray(y_local)]


@dataclass
class ZSLDataset:
    """A zero-shot learning dataset, validated on construction.

    Parameters
    ----------
    X : array, (n_samples, ...)
        Features (n x d) or images (n x H x W).
    y : array of int, (n_samples,)
        Class index of each sample, in ``[0, n_classes)``.
    class_names : list of str
        One name per class.
    S : array, (n_classes, n_aux)
        Auxiliary information (attributes or text embeddings), one row per class.
    splits : mapping
        Sample indices for ``trainval``, ``train``, ``val``, ``test_seen`` and
        ``test_unseen`` (0-based). ``train`` and ``val`` split the seen classes
        again, with disjoint classes, for hyper-parameter tuning.
    """

    X: np.ndarray
    y: np.ndarray
    class_names: list[str]
    S: np.ndarray
    splits: Mapping[str, np.ndarray]
    aux_names: list[str] | None = None
    name: str = "dataset"
    description: str = ""
    extras: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        where = f"ZSLDataset {self.name!r}"
        self.X = np.asarray(self.X)
        self.y = np.asarray(self.y)
        S = np.asarray(self.S)
        for arr, what in ((self.X, "X"), (S, "S")):
            # Refuse, rather than convert: np.asarray(S, dtype=float) would quietly parse strings
            # like "0.5" and drop imaginary parts.
            if np.iscomplexobj(arr) or arr.dtype == object or not (np.issubdtype(arr.dtype, np.number)
                                                                   or arr.dtype == bool):
                raise TypeError(
                    f"{where}: {what} must hold real numbers, got dtype {arr.dtype}. "
                    "Convert it with np.asarray(..., dtype=float) (or .real for complex values) first."
                )
        self.S = S.astype(np.float64) if S.dtype != np.float32 else S
        if self.class_names is None or isinstance(self.class_names, (str, bytes)):
            raise TypeError(f"{where}: class_names must be a list of names (one per class), got "
                            f"{type(self.class_names).__name__}.")
        self.class_names = [str(c) for c in self.class_names]
        if not isinstance(self.splits, Mapping):
            raise TypeError(f"{where}: splits must be a dict of index arrays keyed by {list(SPLIT_NAMES)}, "
                            f"got {type(self.splits).__name__}.")
        self.splits = {k: np.asarray(v) for k, v in dict(self.splits).items()}
        self._validate()

    # ------------------------------------------------------------------ checks
    def _validate(self) -> None:
        where = f"ZSLDataset {self.name!r}"
        n = len(self.X)
        if self.X.ndim < 2:
            raise ValueError(f"{where}: X must be at least 2-D (samples x features), got shape {self.X.shape}.")
        if n == 0 or self.X[0].size == 0:
            raise ValueError(f"{where}: X is empty (shape {self.X.shape}); a dataset needs samples with features.")
        if self.y.ndim != 1 or len(self.y) != n:
            raise ValueError(f"{where}: y has shape {self.y.shape}, but X has {n} samples; give one label per sample.")
        if self.y.dtype.kind not in "iu":
            raise ValueError(f"{where}: y must hold integer class indices, got dtype {self.y.dtype}.")
        n_classes = len(self.class_names)
        if n_classes == 0:
            raise ValueError(f"{where}: class_names is empty; a ZSL dataset needs named classes (at least one seen "
                             "and two unseen), with one row of S each.")
        if len(set(self.class_names)) != n_classes:
            dup = sorted({c for c in self.class_names if self.class_names.count(c) > 1})
            raise ValueError(f"{where}: duplicate class names {dup[:5]}.")
        if self.S.ndim != 2:
            raise ValueError(f"{where}: S must be 2-D (classes x auxiliary dims), got shape {self.S.shape}.")
        if self.S.shape[0] != n_classes:
            raise ValueError(
                f"{where}: S has {self.S.shape[0]} rows but there are {n_classes} class names; "
                "S needs one row of auxiliary information per class."
            )
        if self.aux_names is not None and len(self.aux_names) != self.S.shape[1]:
            raise ValueError(f"{where}: {len(self.aux_names)} aux_names for {self.S.shape[1]} columns of S.")
        if n and (self.y.min() < 0 or self.y.max() >= n_classes):
            raise ValueError(
                f"{where}: labels must lie in [0, {n_classes - 1}], found range "
                f"[{self.y.min()}, {self.y.max()}]."
            )
        if np.issubdtype(self.X.dtype, np.floating):
            bad = ~np.isfinite(self.X.reshape(n, -1)).all(axis=1)
            if bad.any():
                raise ValueError(
                    f"{where}: X has NaN or inf in {int(bad.sum())} sample(s), first at index "
                    f"{np.flatnonzero(bad)[:5].tolist()}. Clean or drop them."
                )
        if not np.isfinite(self.S).all():
            rows = np.unique(np.nonzero(~np.isfinite(self.S))[0])
            raise ValueError(f"{where}: S has NaN or inf for classes {[self.class_names[r] for r in rows[:5]]}.")
        missing = [s for s in SPLIT_NAMES if s not in self.splits]
        if missing:
            raise ValueError(f"{where}: splits is missing {missing}; expected all of {list(SPLIT_NAMES)}.")
        for s, idx in self.splits.items():
            if idx.ndim != 1 or (idx.size and idx.dtype.kind not in "iu"):
                raise ValueError(f"{where}: split {s!r} must be a 1-D array of integer sample indices.")
            if idx.size and (idx.min() < 0 or idx.max() >= n):
                raise ValueError(f"{where}: split {s!r} has indices outside [0, {n - 1}].")
            if idx.size != np.unique(idx).size:
                raise ValueError(f"{where}: split {s!r} lists some samples twice.")
        for s in ("trainval", "test_unseen"):
            if self.splits[s].size == 0:
                raise ValueError(f"{where}: split {s!r} is empty.")

        seen, unseen = self.seen_classes, self.unseen_classes
        leak = np.intersect1d(seen, unseen)
        if leak.size:
            raise ValueError(
                f"{where}: class(es) {[self.class_names[c] for c in leak[:5]]} appear in both trainval (seen) "
                "and test_unseen. Unseen classes must never be trained on; move them out of trainval."
            )
        ts = self.classes_in("test_seen")
        if not np.isin(ts, seen).all():
            stray = np.setdiff1d(ts, seen)
            raise ValueError(
                f"{where}: test_seen contains class(es) {[self.class_names[c] for c in stray[:5]]} "
                "that are not in trainval."
            )
        shared = np.intersect1d(self.splits["trainval"], self.splits["test_seen"])
        if shared.size:
            raise ValueError(
                f"{where}: {shared.size} sample(s) are in both trainval and test_seen (e.g. index "
                f"{shared[:3].tolist()}); a test sample must not be trained on."
            )
        tr, va = self.classes_in("train"), self.classes_in("val")
        if tr.size and va.size:
            both = np.intersect1d(tr, va)
            if both.size:
                raise ValueError(
                    f"{where}: train and val share class(es) {[self.class_names[c] for c in both[:5]]}; "
                    "validation must use classes disjoint from training to mimic unseen classes."
                )
            if not np.isin(np.union1d(tr, va), seen).all():
                raise ValueError(f"{where}: train/val may only use seen (trainval) classes.")
        used = np.union1d(seen, unseen)
        zero = [self.class_names[c] for c in used if not np.any(self.S[c] != 0)]
        if zero:
            raise ValueError(
                f"{where}: class(es) {zero[:5]} have an all-zero auxiliary vector; every class needs "
                "auxiliary information (attributes or an embedding)."
            )

    def leakage_report(self) -> list[tuple[str, bool]]:
        """The split checks, spelled out: (what was checked, passed?) pairs.

        Construction already refuses a dataset that fails any of these; the
        report is for showing *why* a split is safe.
        """
        seen, unseen = self.seen_classes, self.unseen_classes
        tr, va = self.classes_in("train"), self.classes_in("val")
        sp = self.splits
        return [
            ("no unseen class has a training sample", not np.intersect1d(seen, unseen).size),
            ("seen and unseen classes together cover the test data",
             bool(np.isin(self.classes_in("test_seen"), seen).all())),
            ("no test_seen sample is also a training sample", not np.intersect1d(sp["trainval"], sp["test_seen"]).size),
            ("no test_unseen sample is also a training sample",
             not np.intersect1d(sp["trainval"], sp["test_unseen"]).size),
            ("validation classes are disjoint from train classes", not np.intersect1d(tr, va).size),
            ("validation classes are seen classes (unseen ones stay untouched while tuning)",
             bool(np.isin(va, seen).all())),
            ("every class has auxiliary information", bool(np.all(np.any(self.S[np.union1d(seen, unseen)] != 0, axis=1)))),
        ]

    # --------------------------------------------------------------- classes
    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    def classes_in(self, split: str) -> np.ndarray:
        """Sorted class ids that have samples in ``split``."""
        return np.unique(self.y[self._split(split)])

    @property
    def seen_classes(self) -> np.ndarray:
        """Classes with training data (those in ``trainval``)."""
        return self.classes_in("trainval")

    @property
    def unseen_classes(self) -> np.ndarray:
        """Classes only met at test time (those in ``test_unseen``)."""
        return self.classes_in("test_unseen")

    def names(self, classes: Sequence[int]) -> list[str]:
        """Class names for a list of class ids."""
        return [self.class_names[int(c)] for c in classes]

    # ----------------------------------------------------------------- views
    def _split(self, split: str) -> np.ndarray:
        if split not in self.splits:
            raise ValueError(f"unknown split {split!r}; choose one of {sorted(self.splits)}.")
        return self.splits[split]

    def require_validation(self, what: str = "tuning") -> None:
        """Refuse, with the fix, a dataset whose ``train``/``val`` splits cannot serve ``what``.

        Tuning and calibration hold validation classes out of the seen ones; they need samples
        in ``train`` and at least one class in ``val``.
        """
        empty = [s for s in ("train", "val") if self.splits[s].size == 0]
        if empty:
            raise ValueError(
                f"ZSLDataset {self.name!r}: split(s) {empty} are empty, but {what} holds validation classes out of "
                "the seen ones. Give the dataset train/val splits, e.g. splits=make_split(y, unseen, n_val=...) "
                "from zsl_tutorial.data."
            )

    def _view(self, idx: np.ndarray, candidates: np.ndarray, flatten: bool) -> View:
        candidates = np.asarray(candidates, dtype=np.int64)
        if candidates.size == 0 or candidates.min() < 0 or candidates.max() >= self.n_classes:
            raise ValueError(f"candidate classes must be class ids in [0, {self.n_classes - 1}], got {candidates.tolist()[:5]}.")
        lookup = np.full(self.n_classes, -1, dtype=np.int64)
        lookup[candidates] = np.arange(len(candidates))
        y_local = lookup[self.y[idx]]
        if (y_local < 0).any():  # pragma: no cover - guarded by the checks above
            raise ValueError("some samples belong to classes outside the candidate set.")
        X = self.X[idx]
        if flatten and X.ndim > 2:
            X = X.reshape(len(X), -1)
        seen_mask = np.isin(candidates, self.seen_classes)
        return View(X, y_local, self.S[candidates], candidates, self.names(candidates), seen_mask)

    def view(self, split: str, candidates: Sequence[int] | None = None, *, flatten: bool = False) -> View:
        """Samples of ``split`` with labels relative to ``candidates`` (default: the split's classes)."""
        idx = self._split(split)
        if idx.size == 0:
            raise ValueError(f"ZSLDataset {self.name!r}: split {split!r} is empty, so it has no view. Give the "
                             "dataset samples in it, e.g. splits=make_split(y, unseen, n_val=...) from "
                             "zsl_tutorial.data.")
        if candidates is None:
            return self._view(idx, self.classes_in(split), flatten)
        if isinstance(candidates, (str, bytes)):
            raise TypeError(f"candidates must be a list of class ids, got {type(candidates).__name__}.")
        # Order is kept (it is the column order of the scores), so no sorting here.
        cand = check_labels(np.atleast_1d(np.asarray(candidates)), self.n_classes, "candidates")
        if np.unique(cand).size != cand.size:
            raise ValueError(f"candidates lists some class twice: {cand.tolist()[:10]}.")
        outside = np.setdiff1d(self.classes_in(split), cand)
        if outside.size:
            raise ValueError(
                f"split {split!r} has samples of {self.names(outside[:5])}, which are not among the candidates; "
                "every class of the split must be a candidate (the candidates are the label space)."
            )
        return self._view(idx, cand, flatten)

    def train_view(self, split: str = "trainval", *, flatten: bool = False) -> View:
        """Training data: ``trainval`` for the final model, ``train`` while tuning on ``val``."""
        if split not in ("trainval", "train"):
            raise ValueError("train_view takes 'trainval' or 'train'.")
        return self.view(split, flatten=flatten)

    def zsl_view(self, split: str = "test_unseen", *, flatten: bool = False) -> View:
        """Conventional ZSL: samples of ``split``, searched among that split's classes only."""
        if split not in ("test_unseen", "val"):
            raise ValueError("zsl_view takes 'test_unseen' (final test) or 'val' (tuning).")
        return self.view(split, flatten=flatten)

    def gzsl_view(self, *, flatten: bool = False) -> View:
        """Generalized ZSL: seen and unseen test samples, searched among *all* their classes."""
        idx = np.concatenate([self.splits["test_seen"], self.splits["test_unseen"]])
        cand = np.union1d(self.seen_classes, self.unseen_classes)
        return self._view(idx, cand, flatten)

    def gzsl_validation(self, holdout: float = 0.2, seed: int = 0, *, flatten: bool = False) -> tuple[View, View]:
        """A GZSL rehearsal inside the seen classes, for tuning without touching the unseen ones.

        Returns ``(fit, val)``. ``fit`` holds the ``train`` samples minus a
        held-out share ``holdout`` of each train class. ``val`` mixes those
        held-out samples ("seen") with the ``val`` samples ("unseen"), searched
        among train + val classes, with ``seen_mask`` marking train classes.
        Tune anything GZSL-specific (e.g. the calibration gamma) on ``val``,
        then refit on ``trainval``.
        """
        holdout = check_number(holdout, "holdout")
        seed = check_seed(seed)
        if not 0.0 < holdout < 1.0:
            raise ValueError(f"holdout must be in (0, 1), got {holdout}.")
        self.require_validation("the GZSL rehearsal (gzsl_validation)")
        train_idx, val_idx = self._split("train"), self._split("val")
        keep, held = hold_out_per_class(self.y[train_idx], holdout, seed, names=self.class_names)
        fit_idx, held_idx = np.sort(train_idx[keep]), np.sort(train_idx[held])
        train_classes = self.classes_in("train")
        fit = self._view(fit_idx, train_classes, flatten)._replace(seen_mask=np.ones(len(train_classes), bool))
        cand = np.union1d(train_classes, self.classes_in("val"))
        val = self._view(np.concatenate([held_idx, val_idx]), cand, flatten)
        return fit, val._replace(seen_mask=np.isin(cand, train_classes))

    def with_aux(self, S, aux_names: Sequence[str] | None = None, description: str | None = None) -> "ZSLDataset":
        """The same data with other auxiliary information (e.g. text embeddings instead of attributes)."""
        return ZSLDataset(
            self.X, self.y, self.class_names, S, self.splits, list(aux_names) if aux_names is not None else None,
            self.name, description if description is not None else self.description, dict(self.extras),
        )

    def summary(self) -> str:
        """A short human-readable description of sizes and classes."""
        lines = [
            f"{self.name}: {len(self.X)} samples of shape {self.X.shape[1:]}, {self.n_classes} classes, "
            f"auxiliary dim {self.S.shape[1]}",
            f"  seen ({len(self.seen_classes)}): {', '.join(self.names(self.seen_classes)[:12])}"
            + (" ..." if len(self.seen_classes) > 12 else ""),
            f"  unseen ({len(self.unseen_classes)}): {', '.join(self.names(self.unseen_classes)[:12])}"
            + (" ..." if len(self.unseen_classes) > 12 else ""),
        ]
        lines.append("  " + ", ".join(f"{k}={len(v)}" for k, v in self.splits.items()))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<ZSLDataset {self.name!r}: {len(self.X)} samples, {len(self.seen_classes)} seen / {len(self.unseen_classes)} unseen classes>"
