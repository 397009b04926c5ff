"""Hyper-parameter search on class-disjoint validation, as estimators (as ``RidgeCV`` and ``GridSearchCV`` are).

In zero-shot learning a hyper-parameter must be judged on classes the model was not trained on,
so the validation split is by *class*: some seen classes play "unseen". Both estimators here
take that split in ``fit``:

- ``val_classes``: rows of ``S`` to hold out as pseudo-unseen (``zsl_tutorial.evaluation``
  passes the dataset's ``val`` classes); by default a seeded ``val_fraction`` of them;
- then they search, refit the winner on all of ``(X, y, S)``, and predict with it.

:class:`ESZSLCV` keeps ESZSL's eigendecomposition inside, so its whole grid costs about one fit.
:class:`ClassDisjointSearch` wraps any estimator: ``select="zsl"`` judges a cell by per-class
top-1 on the held-out classes, ``select="gzsl"`` by H on a GZSL rehearsal (held-out samples of
the training classes as "seen", the held-out classes as "unseen"), for settings that only
move the seen/unseen balance. Settings listed in an estimator's ``classifier_params``
(f-CLSWGAN's ``n_synth``) are tried with ``refit_classifier`` on one expensive fit.
"""
from __future__ import annotations

import itertools
import time
from typing import Any, Callable, Mapping, NamedTuple, Sequence

import numpy as np

from .._deps import require
from .._params import Renamed, take_renamed
from .._validation import check_number, check_seed
from ..metrics import gzsl_at
from ._base import ZSLEstimator
from .eszsl import DEFAULT_GRID, ESZSL, TARGET_CODINGS, check_codings
from .sae import SAE

_GRID = tuple(DEFAULT_GRID)

__all__ = ["ESZSLCV", "SAECV", "ClassDisjointSearch", "Split", "class_disjoint_split", "search_grid", "fit_for"]


class Split(NamedTuple):
    """A training part and a scoring part, each ``(X, y, S)`` with ``y`` indexing that part's ``S``;
    ``seen_mask`` marks the scoring part's seen rows (GZSL) and ``classes`` its rows in the original S."""

    X: np.ndarray
    y: np.ndarray
    S: np.ndarray
    classes: np.ndarray
    seen_mask: np.ndarray


def _part(X: np.ndarray, y: np.ndarray, S: np.ndarray, rows: np.ndarray, take: np.ndarray,
          seen: np.ndarray | None = None) -> Split:
    local = np.full(len(S), -1)
    local[rows] = np.arange(len(rows))
    mask = np.ones(len(rows), bool) if seen is None else np.isin(rows, seen)
    return Split(X[take], local[y[take]], S[rows], rows, mask)


def class_disjoint_split(X: np.ndarray, y: np.ndarray, S: np.ndarray, val_classes: np.ndarray, *,
                         select: str = "zsl", holdout: float = 0.2, seed: int = 0) -> tuple[Split, Split]:
    """``(train, val)`` for one search: train on the other classes, score on ``val_classes``.

    ``select="zsl"``: ``val`` holds the val classes' samples among the val classes only.
    ``select="gzsl"``: the rehearsal of ``ZSLDataset.gzsl_validation``: a share ``holdout``
    of each training class is held out too, and ``val`` searches among all classes.
    """
    from ..data.splits import hold_out_per_class

    train_rows = np.setdiff1d(np.unique(y), val_classes)
    in_val = np.isin(y, val_classes)
    if select == "zsl":
        return _part(X, y, S, train_rows, np.flatnonzero(~in_val)), _part(X, y, S, val_classes, np.flatnonzero(in_val))
    train_pos = np.flatnonzero(~in_val)
    keep, held = hold_out_per_class(y[train_pos], holdout, seed)
    rows = np.union1d(train_rows, val_classes)
    scored = np.concatenate([train_pos[held], np.flatnonzero(in_val)])
    return _part(X, y, S, train_rows, train_pos[keep]), _part(X, y, S, rows, scored, seen=train_rows)


def _choose_val_classes(y: np.ndarray, n_rows: int, val_classes: Any, val_fraction: float, seed: int,
                        min_val: int) -> np.ndarray:
    """The held-out rows of S: the given ones (checked), or a seeded ``val_fraction`` of the classes.

    ``min_val`` is 2 when cells are judged by ZSL top-1 (among one class it is always 100%), else 1.
    """
    present = np.unique(y)
    if val_classes is None:
        k = max(min_val, int(round(val_fraction * len(present))))
        if k > len(present) - 2:
            raise ValueError(f"{len(present)} training classes are too few to hold {k} out for validation; "
                             f"a class-disjoint search needs at least 2 to train on and {min_val} to validate on.")
        return np.sort(np.random.default_rng(seed).choice(present, size=k, replace=False))
    vc = np.unique(np.asarray(val_classes))
    if vc.dtype.kind not in "iu" or vc.size == 0 or vc.min() < 0 or vc.max() >= n_rows:
        raise ValueError(f"val_classes must be row indices of S in [0, {n_rows - 1}], got {val_classes!r}.")
    if len(np.setdiff1d(present, vc)) < 2:
        raise ValueError("val_classes leaves fewer than 2 classes to train on; hold out fewer classes.")
    if not np.isin(vc, present).all():
        raise ValueError(f"val_classes {np.setdiff1d(vc, present).tolist()} have no samples in y to validate on.")
    if vc.size < min_val:
        raise ValueError(f"val_classes holds {vc.size} class; judging by ZSL top-1 needs at least {min_val} "
                         "(among one class every prediction is right). Hold out more validation classes, or "
                         "judge by the GZSL rehearsal (select='gzsl').")
    return vc


def fit_for(model: Any, train: Any, *scored: Any, val_classes: Any = None) -> Any:
    """Fit ``model`` on ``train`` (a dataset ``View`` or a :class:`Split`) for scoring on ``scored``; return it.

    Estimators tagged ``candidates_at_fit`` (f-CLSWGAN trains its final classifier in fit)
    also get every class of ``train`` and ``scored`` as ``candidates``, so they never train
    at prediction time. Searches (tag ``takes_val_classes``) get ``val_classes``, given as
    class ids of ``train.classes`` (e.g. the dataset's ``val`` classes), as rows of ``train.S``.
    """
    kwargs: dict[str, Any] = {}
    if getattr(model, "candidates_at_fit", False):
        rows: dict[int, np.ndarray] = {}
        for part in (train, *scored):
            rows.update(zip(np.asarray(part.classes).tolist(), np.asarray(part.S)))
        kwargs["candidates"] = np.stack([rows[c] for c in sorted(rows)])
    if getattr(model, "takes_val_classes", False) and val_classes is not None:
        kwargs["val_classes"] = np.flatnonzero(np.isin(np.asarray(train.classes), val_classes))
    return model.fit(train.X, train.y, train.S, **kwargs)


def search_grid(build: Callable[[dict], Any], cells: Sequence[dict], train: Any, val: Any, *, select: str,
                post_fit: Sequence[str] = ()) -> tuple[dict, float, Any, tuple]:
    """The course's one grid-search loop: fit on ``train``, score on ``val``, for every cell.

    ``select="zsl"``: per-class top-1 on ``val``; ``"gzsl"``: H. Cells that differ only in
    ``post_fit`` parameters share one fit, and get their own model from its
    ``refit_classifier``. Returns the first best cell, its score, its model and the table
    of every (cell, score). ``train``/``val`` are anything with ``X, y, S`` (and ``seen_mask``).
    """
    best, best_score, best_model, table = cells[0], -np.inf, None, []
    fitted: dict[tuple, Any] = {}

    def key_of(params: dict) -> tuple:
        return tuple(sorted((k, repr(v)) for k, v in params.items() if k not in post_fit))

    for params in cells:
        key = key_of(params)
        if key not in fitted:
            est = build(params)
            if post_fit and hasattr(est, "plan_grid_fit"):  # e.g. train the most epochs once, keep snapshots
                est = est.plan_grid_fit([c for c in cells if key_of(c) == key])
            fitted = {key: fit_for(est, train, val)}  # one expensive model in memory at a time
        # The fitted model serves the cells whose post-fit values it has; the others get a cheap refit.
        change = {k: params[k] for k in post_fit if k in params and getattr(fitted[key], k, None) != params[k]}
        model = fitted[key].refit_classifier(**change) if change else fitted[key]
        if select == "zsl":
            score = float(model.score(val.X, val.y, val.S))
        else:
            score = gzsl_at(model.decision_function(val.X, val.S), val.y, val.seen_mask).h
        table.append((dict(params), float(score)))
        if score > best_score:  # ties keep the first cell, in grid order
            best, best_score, best_model = params, score, model
    return dict(best), float(best_score), best_model, tuple(table)


def _check_select(select: Any) -> None:
    if select not in ("zsl", "gzsl"):
        raise ValueError(f"select must be 'zsl' (top-1 on the held-out classes) or 'gzsl' (H on the rehearsal), "
                         f"got {select!r}.")


class ClassDisjointSearch(ZSLEstimator):
    """Grid search over any estimator, judged on classes it was not trained on.

    Parameters
    ----------
    estimator : an unfitted estimator (cloned for every cell).
    param_grid : mapping ``{"alpha": [0.1, 1, 10]}``; the full product is tried.
    select : ``"zsl"`` (per-class top-1 on the held-out classes) or ``"gzsl"`` (H on a rehearsal).
    holdout : share of each training class held out as rehearsal "seen" samples (``"gzsl"`` only).
    val_fraction : share of the classes held out when ``fit`` is given no ``val_classes``.
    seed : seeds the choice of classes and the rehearsal split.

    Attributes
    ----------
    best_params_, best_score_, cv_results_ (every (cell, score)), best_estimator_ (refit on all
    of ``fit``'s data), rehearsal_estimator_ (``"gzsl"``: the winner as fitted on the rehearsal,
    which ``zsl_tutorial.evaluation`` reuses to choose the calibration γ), refit_seconds_.
    """

    #: Tag read by ``fit_for``: ``fit`` takes ``val_classes``.
    takes_val_classes = True

    def __init__(self, estimator: Any, param_grid: Mapping[str, Sequence[Any]], *, select: str = "zsl",
                 holdout: float = 0.2, val_fraction: float = 0.2, seed: int = 0) -> None:
        self.estimator = estimator
        self.param_grid = param_grid
        self.select = select
        self.holdout = holdout
        self.val_fraction = val_fraction
        self.seed = seed

    @property
    def candidates_at_fit(self) -> bool:  # the tag of the wrapped estimator
        return bool(getattr(self.estimator, "candidates_at_fit", False))

    def _check_params(self) -> None:
        _check_select(self.select)
        if not hasattr(self.estimator, "get_params") or isinstance(self.estimator, type):
            raise TypeError(f"estimator must be an unfitted estimator instance, got {self.estimator!r}.")
        if not isinstance(self.param_grid, Mapping) or not self.param_grid:
            raise ValueError(f"param_grid must be a non-empty mapping of parameter -> list of values, "
                             f"got {self.param_grid!r}.")
        valid = set(self.estimator.get_params())
        for k, v in self.param_grid.items():
            if k not in valid:
                raise ValueError(f"param_grid names {k!r}, which is not a parameter of "
                                 f"{type(self.estimator).__name__}; valid: {sorted(valid)}.")
            if isinstance(v, (str, bytes)) or not isinstance(v, Sequence) or len(v) == 0:
                raise ValueError(f"param_grid[{k!r}] must be a non-empty list of values, got {v!r}.")
        check_number(self.holdout, "holdout", low=0.0, high=1.0)
        check_number(self.val_fraction, "val_fraction", low=0.0, high=1.0)
        check_seed(self.seed)

    def fit(self, X: Any, y: Any, S: Any, *, val_classes: Any = None, candidates: Any = None) -> "ClassDisjointSearch":
        """Search on a class-disjoint split of ``(X, y, S)``, then refit the winner on all of it.

        ``val_classes``: rows of ``S`` held out as pseudo-unseen (default: a seeded
        ``val_fraction`` of them). ``candidates``: passed on to estimators that take their
        candidate classes at fit (f-CLSWGAN) for the final refit.
        """
        self._check_params()
        X, y, S = self._validate_fit(X, y, S)
        vc = _choose_val_classes(y, len(S), val_classes, float(self.val_fraction), int(self.seed),
                                 2 if self.select == "zsl" else 1)
        train, val = class_disjoint_split(X, y, S, vc, select=self.select, holdout=float(self.holdout),
                                          seed=int(self.seed))
        clone = require("sklearn.base").clone
        keys = list(self.param_grid)
        cells = [dict(zip(keys, values)) for values in itertools.product(*(self.param_grid[k] for k in keys))]
        post = tuple(k for k in getattr(self.estimator, "classifier_params", ()) if k in self.param_grid)
        self.best_params_, self.best_score_, rehearsal, self.cv_results_ = search_grid(
            lambda params: clone(self.estimator).set_params(**params), cells, train, val,
            select=self.select, post_fit=post)
        self.val_classes_ = vc
        self.rehearsal_estimator_ = rehearsal if self.select == "gzsl" else None
        t0 = time.perf_counter()
        final = clone(self.estimator).set_params(**self.best_params_)
        if self.candidates_at_fit:
            final.fit(X, y, S, candidates=candidates)
        else:
            final.fit(X, y, S)
        self.refit_seconds_ = time.perf_counter() - t0
        self.best_estimator_ = final
        return self

    def _decision_function(self, X: np.ndarray, S: np.ndarray) -> np.ndarray:
        return self.best_estimator_.decision_function(X, S)


class ESZSLCV(ESZSL):
    """ESZSL with its two ridges and the coding of Y chosen on held-out classes, the whole grid from
    one eigendecomposition (as ``RidgeCV`` does for ridge regression).

    Parameters
    ----------
    feature_ridges, attribute_ridges : the grid of the two ridges, the paper's γ and λ (default: the
        paper's 10^-3 ... 10^3). Formerly ``gammas`` and ``lams``.
    targets : the codings of Y to try, "signed" ({−1, 1}, the paper), "binary" ({0, 1}) or both
        (the default): which fits better depends on the data, so the validation classes choose.
    val_fraction, seed : which classes are held out when ``fit`` gets no ``val_classes``.

    Attributes
    ----------
    feature_ridge_, attribute_ridge_, targets_, best_score_, cv_results_ (an ``ESZSLGridResult``), best_estimator_ (the ``ESZSL``
    refit on all of ``fit``'s data) and its V_.
    """

    takes_val_classes = True
    # The names before the rename (one version, with a warning).
    gammas = Renamed("feature_ridges")
    lams = Renamed("attribute_ridges")
    gamma_ = Renamed("feature_ridge_")
    lam_ = Renamed("attribute_ridge_")

    def __init__(self, feature_ridges: Sequence[float] = _GRID, attribute_ridges: Sequence[float] = _GRID, *,
                 targets: str | Sequence[str] = TARGET_CODINGS, val_fraction: float = 0.2, seed: int = 0,
                 **old_names: Sequence[float]) -> None:
        self.feature_ridges = feature_ridges
        self.attribute_ridges = attribute_ridges
        self.targets = targets
        self.val_fraction = val_fraction
        self.seed = seed
        take_renamed(self, old_names, {"feature_ridges": _GRID, "attribute_ridges": _GRID})

    def _check_params(self) -> None:
        check_number(self.val_fraction, "val_fraction", low=0.0, high=1.0)
        check_seed(self.seed)
        check_codings(self.targets)

    @property
    def best_params_(self) -> dict[str, Any]:
        """The chosen ``{"feature_ridge", "attribute_ridge"}`` (and ``targets`` when not the default),
        as ``ClassDisjointSearch`` names its choice."""
        return self.cv_results_.params

    def fit(self, X: Any, y: Any, S: Any, *, val_classes: Any = None) -> "ESZSLCV":
        """Choose the two ridges and the coding by ZSL top-1 on ``val_classes`` (rows of S), then refit on everything."""
        self._check_params()
        X, y, S = self._validate_fit(X, y, S)
        vc = _choose_val_classes(y, len(S), val_classes, float(self.val_fraction), int(self.seed), 2)
        train, val = class_disjoint_split(X, y, S, vc, select="zsl")
        res = ESZSL.grid_search(train[:3], val[:3], feature_ridges=self.feature_ridges,
                                attribute_ridges=self.attribute_ridges, targets=self.targets)
        self.cv_results_, self.best_score_, self.val_classes_ = res, res.score, vc
        self.feature_ridge_, self.attribute_ridge_, self.targets_ = res.feature_ridge, res.attribute_ridge, res.targets
        t0 = time.perf_counter()
        self.best_estimator_ = ESZSL(**res.params).fit(X, y, S)
        self.refit_seconds_ = time.perf_counter() - t0
        self.V_ = self.best_estimator_.V_
        self.rehearsal_estimator_ = None
        return self


class SAECV(SAE):
    """SAE with λ chosen on held-out classes; the whole λ grid, in both directions, from one
    eigendecomposition (:meth:`SAE.grid_search`), instead of one Sylvester solve per λ.

    Parameters
    ----------
    lams : the λ grid. direction : where test samples meet the prototypes (see :class:`SAE`).
    val_fraction, seed : which classes are held out when ``fit`` gets no ``val_classes``.

    Attributes
    ----------
    lam_, best_score_, cv_results_ (an ``SAEGridResult``: both directions' scores),
    best_estimator_ (the ``SAE`` refit on all of ``fit``'s data) and its W_.
    """

    takes_val_classes = True

    def __init__(self, lams: Sequence[float] = (0.05, 0.2, 1.0, 5.0), direction: str = "semantic", *,
                 val_fraction: float = 0.2, seed: int = 0) -> None:
        self.lams = lams
        self.direction = direction
        self.val_fraction = val_fraction
        self.seed = seed

    def _check_params(self) -> None:
        if self.direction not in ("semantic", "visual"):
            raise ValueError(f"direction must be 'semantic' or 'visual', got {self.direction!r}.")
        check_number(self.val_fraction, "val_fraction", low=0.0, high=1.0)
        check_seed(self.seed)

    @property
    def best_params_(self) -> dict[str, float]:
        return {"lam": self.lam_}

    def fit(self, X: Any, y: Any, S: Any, *, val_classes: Any = None) -> "SAECV":
        """Choose λ by ZSL top-1 on ``val_classes`` (rows of S), then refit on everything."""
        self._check_params()
        X, y, S = self._validate_fit(X, y, S)
        vc = _choose_val_classes(y, len(S), val_classes, float(self.val_fraction), int(self.seed), 2)
        train, val = class_disjoint_split(X, y, S, vc, select="zsl")
        res = SAE.grid_search(train[:3], val[:3], lams=self.lams)
        self.cv_results_, self.val_classes_ = res, vc
        self.lam_, self.best_score_ = res.best(self.direction)
        t0 = time.perf_counter()
        self.best_estimator_ = SAE(lam=self.lam_, direction=self.direction).fit(X, y, S)
        self.refit_seconds_ = time.perf_counter() - t0
        self.W_, self.direction_ = self.best_estimator_.W_, self.direction
        self.rehearsal_estimator_ = None
        return self
