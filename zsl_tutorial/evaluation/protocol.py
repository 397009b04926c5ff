"""The protocol's steps: u, s, H at a γ; γ from the rehearsal; ``evaluate`` composed of them."""
from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np

from .._deps import require
from ..metrics import GZSLScore, ausuc, per_class_accuracy
from ..metrics import gzsl_at as _gzsl_at
from ..methods.search import fit_for
from .result import Result
from .spec import MethodSpec, _as_spec, _tune


def gzsl_at(scores: Any, y_true: Any, seen_mask: Any = None, gamma: float = 0.0) -> GZSLScore:
    """GZSL u, s, H of ``argmax(scores − γ·seen)`` (γ = 0: the plain argmax); see ``metrics.gzsl_at``.

    ``y_true`` and ``seen_mask`` are a view's ``y`` and ``seen_mask``. The older form
    ``gzsl_at(scores, view, gamma)`` still works for one version, with a ``DeprecationWarning``.
    """
    if hasattr(y_true, "seen_mask") and hasattr(y_true, "y"):
        warnings.warn("gzsl_at(scores, view, gamma) is deprecated; call gzsl_at(scores, view.y, view.seen_mask, "
                      "gamma) (the same function as zsl_tutorial.metrics.gzsl_at).", DeprecationWarning, stacklevel=2)
        view = y_true
        if seen_mask is not None:  # the old third positional argument was gamma
            gamma = seen_mask
        scores = np.asarray(scores, dtype=float)
        if scores.shape != (len(view.y), len(view.seen_mask)):
            raise ValueError(
                f"scores have shape {scores.shape}, but the view has {len(view.y)} samples and {len(view.seen_mask)} "
                "candidate classes; compute them with decision_function(view.X, view.S).")
        return _gzsl_at(scores, view.y, view.seen_mask, gamma)
    if seen_mask is None:
        raise TypeError("gzsl_at needs seen_mask: pass gzsl_at(scores, view.y, view.seen_mask, gamma).")
    return _gzsl_at(scores, y_true, seen_mask, gamma)


def rehearsal_calibration(model: Any, ds: Any, *, holdout: float = 0.2, seed: int = 0,
                          prefit: bool = False) -> Any:
    """Calibrated stacking fitted on the GZSL rehearsal ``ds.gzsl_validation(holdout, seed)``.

    The rehearsal plays GZSL inside the seen classes: held-out samples of the
    ``train`` classes are "seen", the ``val`` classes are "unseen". The test
    classes are never looked at. ``model`` is an unfitted estimator, cloned and
    fitted on the rehearsal's training part, or (``prefit=True``) one already
    fitted there. Returns the fitted :class:`~zsl_tutorial.methods.CalibratedStacking`
    (``gamma_``, ``best_``, ``curve_``).
    """
    from ..methods import CalibratedStacking  # lazy: keeps `import zsl_tutorial.evaluation` light

    fit_view, val_view = ds.gzsl_validation(holdout=holdout, seed=seed)
    if not prefit:
        model = fit_for(require("sklearn.base").clone(model), fit_view, val_view)
    return CalibratedStacking().fit(model.decision_function(val_view.X, val_view.S), val_view.y, val_view.seen_mask)


def evaluate(method: Any, ds: Any, *, seed: int = 0, device: str | None = None,
             holdout: float = 0.2, name: str | None = None) -> Result:
    """Tune on validation classes, refit on trainval, and score on the test split (see the module doc).

    ``method`` is an unfitted estimator: a plain one (nothing to tune), or a search that
    tunes itself on the dataset's ``val`` classes (``methods.ESZSLCV``,
    ``methods.ClassDisjointSearch``), or a :class:`MethodSpec`. The protocol's ``seed``
    replaces the estimator's own. The :class:`Result` carries the fitted model, its GZSL
    test scores and the calibration along with the numbers; ``name`` labels its row.
    """
    if not all(hasattr(ds, a) for a in ("train_view", "zsl_view", "gzsl_view", "classes_in")):
        raise TypeError(f"ds must be a ZSLDataset (e.g. make_synthetic(), load_animals(), load_xlsa17(...)), got "
                        f"{type(ds).__name__}; build one from arrays with zsl_tutorial.data.ZSLDataset.")
    ds.require_validation("evaluate (tuning on validation classes and choosing γ on the rehearsal)")
    unseen = ds.unseen_classes
    if unseen.size < 2:
        raise ValueError(f"ds has {unseen.size} unseen class ({ds.names(unseen)}); conventional ZSL chooses among "
                         "the unseen classes, so with one every prediction is right (ZSL top-1 = 1.0), and "
                         "score() refuses it too. Put at least 2 classes in the test_unseen split.")
    start = time.perf_counter()
    train, zsl_view, gz = ds.train_view("trainval"), ds.zsl_view("test_unseen"), ds.gzsl_view()
    if getattr(method, "takes_val_classes", False) and not isinstance(method, MethodSpec):
        label = name or type(method).__name__
        model = fit_for(_reseeded(method, seed=seed, device=device, holdout=holdout), train, gz, zsl_view,
                        val_classes=ds.classes_in("val"))
        params, table, fit_seconds = dict(model.best_params_), _cv_table(model), float(model.refit_seconds_)
        if getattr(model, "rehearsal_estimator_", None) is not None:  # the GZSL search's own rehearsal model
            calibration = rehearsal_calibration(model.rehearsal_estimator_, ds, holdout=holdout, seed=seed,
                                                prefit=True)
        else:
            calibration = rehearsal_calibration(model.best_estimator_, ds, holdout=holdout, seed=seed)
    else:
        spec = _as_spec(method)
        label = name or spec.name
        params, _, rehearsal, table = _tune(spec, ds, seed=seed, device=device, holdout=holdout)
        # Calibration γ from the rehearsal: seen-class held-out samples vs the val classes.
        if rehearsal is None:
            calibration = rehearsal_calibration(spec.build(params, seed=seed, device=device), ds, holdout=holdout,
                                                seed=seed)
        else:  # the tuning already fitted this model on the rehearsal: reuse it
            calibration = rehearsal_calibration(rehearsal, ds, holdout=holdout, seed=seed, prefit=True)
        t0 = time.perf_counter()
        model = fit_for(spec.build(params, seed=seed, device=device), train, gz, zsl_view)
        fit_seconds = time.perf_counter() - t0

    zsl = per_class_accuracy(zsl_view.y, np.argmax(model.decision_function(zsl_view.X, zsl_view.S), axis=1))
    scores = model.decision_function(gz.X, gz.S)
    gamma = calibration.gamma_
    plain, cal = _gzsl_at(scores, gz.y, gz.seen_mask), _gzsl_at(scores, gz.y, gz.seen_mask, gamma)
    return Result(
        method=label, seed=int(seed), params=params, zsl=float(zsl),
        u=plain.u, s=plain.s, h=plain.h, u_cal=cal.u, s_cal=cal.s, h_cal=cal.h, gamma=float(gamma),
        ausuc=float(ausuc(scores, gz.y, gz.seen_mask)),
        fit_seconds=float(fit_seconds), total_seconds=float(time.perf_counter() - start),
        model=model, scores=scores, view=gz, calibration=calibration, tuning=table,
    )


def _reseeded(estimator: Any, *, seed: int, device: str | None, holdout: float) -> Any:
    """An unfitted clone with the protocol's seed (and device, holdout) set where the estimator takes them,
    including inside a search's wrapped ``estimator``."""
    clone = require("sklearn.base").clone
    est = clone(estimator)
    params = est.get_params()
    if "estimator" in params and hasattr(params["estimator"], "get_params"):
        est.set_params(estimator=_reseeded(params["estimator"], seed=seed, device=device, holdout=holdout))
    wanted = {"seed": int(seed), "holdout": float(holdout), "progress": False}
    if device is not None:
        wanted["device"] = device
    return est.set_params(**{k: v for k, v in wanted.items() if k in params})


def _cv_table(search: Any) -> tuple:
    """Every tried cell with its validation score, for either search estimator."""
    res = search.cv_results_
    if isinstance(res, tuple):
        return res
    return res.cells()
