"""One honest evaluation protocol for every method of the course.

The protocol is made of small public steps, which the lessons call rather than copy:

- ``gzsl_at(scores, y, seen_mask, gamma)``: scores -> u, s, H at one γ
  (``metrics.gzsl_at``; ``metrics.calibrated_predict`` is the one calibrated argmax);
- ``metrics.seen_unseen_curve(...)`` and its ``.best``: the seen-unseen curve and the
  one γ rule;
- ``rehearsal_calibration(model, ds)``: γ from the class-disjoint GZSL rehearsal
  ``ds.gzsl_validation()``;
- ``evaluate(method, ds)``: all of the above, composed.

``evaluate(method, ds)`` does, for one method on one dataset:

1. **tune** its hyper-parameters on class-disjoint validation only: fit on the
   ``train`` classes, score on the ``val`` classes (conventional ZSL), or, for
   settings that only matter in GZSL (``select="gzsl"``), H on the rehearsal
   ``ds.gzsl_validation()``. The test classes are never looked at;
2. **refit** the winner on ``trainval`` (timed);
3. **report** conventional ZSL top-1 on the unseen test classes, GZSL u, s and
   H, the area under the seen–unseen curve (AUSUC), and calibrated stacking with
   the γ chosen on the rehearsal.

It returns a :class:`Result`: the numbers, plus the fitted model, the GZSL test
scores, the test view and the calibration, so a lesson can draw its figures from
the very model that was scored. ``leaderboard`` repeats this over methods and
seeds; ``summarise`` turns the rows into mean ± std. Lessons 03, 04, 05 and 07
all go through here, so their numbers are comparable by construction.
"""
from __future__ import annotations

import dataclasses
import inspect
import itertools
import time
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Sequence

import numpy as np

from ._deps import require
from .config import pick
from .metrics import GZSLScore, ausuc, per_class_accuracy
from .metrics import gzsl_at as _gzsl_at
from .methods.search import fit_for, search_grid

__all__ = [
    "MethodSpec",
    "Result",
    "METRICS",
    "gzsl_at",
    "fit_for",
    "rehearsal_calibration",
    "tune",
    "evaluate",
    "course_methods",
    "course_estimators",
    "leaderboard",
    "summarise",
    "format_table",
    "tune_on_test",
    "Peek",
    "peek_at_test",
    "long_tail_subset",
    "resample",
]

#: The columns of a leaderboard, in display order (all but seconds are fractions in [0, 1]).
METRICS = ("zsl", "u", "s", "h", "h_cal", "ausuc", "fit_seconds")


@dataclass(frozen=True)
class MethodSpec:
    """How to build, tune and run one method.

    Parameters
    ----------
    name : str
        The row label.
    make : callable
        ``make(**params)`` returns an unfitted estimator with ``fit(X, y, S)`` and
        ``decision_function(X, S)`` (any class of ``zsl_tutorial.methods``).
    fixed : mapping
        Constructor arguments that are not tuned.
    grid : mapping
        Constructor arguments to search, ``{"alpha": [0.1, 1, 10]}``; the full
        product is tried, on validation classes only.
    select : {"zsl", "gzsl"}
        What a grid cell is judged by: per-class top-1 on the ``val`` classes, or
        H on the GZSL rehearsal (for settings such as the number of synthetic
        features, which only change the seen/unseen balance).
    tune_fn : callable, optional
        ``tune_fn(train_view, val_view) -> params``: a faster search than the
        plain grid loop (ESZSL's eigendecomposition grid). Used instead of ``grid``.
    post_fit : tuple of str
        Grid parameters that the fitted model's ``refit_classifier`` changes without
        retraining the expensive part (f-CLSWGAN's ``n_synth`` only retrains the final
        softmax), so the grid costs one fit per value of the other parameters.
    """

    name: str
    make: Callable[..., Any]
    fixed: Mapping[str, Any] = field(default_factory=dict)
    grid: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    select: str = "zsl"
    tune_fn: Callable[[Any, Any], dict] | None = None
    post_fit: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.select not in ("zsl", "gzsl"):
            raise ValueError(f"select must be 'zsl' or 'gzsl', got {self.select!r}.")
        if not callable(self.make):
            raise TypeError(f"make must be a class or function that builds an estimator, got {self.make!r}.")
        for k, v in self.grid.items():
            if isinstance(v, (str, bytes)) or not isinstance(v, Sequence) or len(v) == 0:
                raise ValueError(f"grid[{k!r}] must be a non-empty list of values, got {v!r}.")
        unknown = set(self.post_fit) - set(self.grid)
        if unknown:
            raise ValueError(f"post_fit names {sorted(unknown)}, which are not in grid {sorted(self.grid)}.")

    def build(self, params: Mapping[str, Any] | None = None, *, seed: int = 0, device: str | None = None) -> Any:
        """An unfitted estimator with ``fixed`` + ``params``, and the seed and device where it takes them."""
        kwargs = {**self.fixed, **(params or {})}
        accepted = _accepted_args(self.make)
        for name, value in (("seed", seed), ("device", device), ("progress", False)):
            if name in accepted and name not in kwargs and (name != "device" or value is not None):
                kwargs[name] = value
        return self.make(**kwargs)

    @classmethod
    def from_estimator(cls, estimator: Any, *, name: str | None = None,
                       grid: Mapping[str, Sequence[Any]] | None = None, select: str = "zsl") -> "MethodSpec":
        """A spec that builds clones of ``estimator`` (its parameters fixed; ``grid`` searched).

        The protocol's ``seed`` replaces the estimator's own ``seed`` (so a leaderboard
        over seeds varies it), and ``progress`` is switched off.
        """
        if isinstance(estimator, type) or not hasattr(estimator, "get_params") or not hasattr(estimator, "fit"):
            raise TypeError(f"estimator must be an estimator instance with get_params and fit (e.g. ESZSL()), "
                            f"got {estimator!r}.")
        params = estimator.get_params(deep=False)
        fixed = {k: v for k, v in params.items() if k not in ("seed", "progress") and k not in (grid or {})}
        return cls(name or type(estimator).__name__, _CloneOf(estimator), fixed=fixed, grid=dict(grid or {}),
                   select=select)

    def with_fixed(self, **params: Any) -> "MethodSpec":
        """The same method and grid with some constructor arguments changed (e.g. ``epochs=8``)."""
        clash = set(params) & set(self.grid)
        if clash:
            raise ValueError(f"{self.name}: {sorted(clash)} are searched by the grid; change the grid instead.")
        unknown = set(params) - set(self.fixed) - _accepted_args(self.make)
        if unknown and "kwargs" not in _accepted_args(self.make):
            raise ValueError(f"{self.name}: {sorted(unknown)} are not parameters of {getattr(self.make, '__name__', self.make)}.")
        return dataclasses.replace(self, fixed={**self.fixed, **params})

    def with_params(self, params: Mapping[str, Any]) -> "MethodSpec":
        """The same method with ``params`` fixed and nothing left to tune (e.g. to evaluate a given choice)."""
        unknown = set(params) - set(self.grid) - set(self.fixed) - _accepted_args(self.make)
        if unknown and "kwargs" not in _accepted_args(self.make):
            raise ValueError(f"{self.name}: {sorted(unknown)} are not parameters of {getattr(self.make, '__name__', self.make)}.")
        return dataclasses.replace(self, fixed={**self.fixed, **params}, grid={}, tune_fn=None, post_fit=())


class _CloneOf:
    """``make`` for :meth:`MethodSpec.from_estimator`: a fresh clone of a template, with parameters set."""

    def __init__(self, template: Any) -> None:
        self.template = template
        self.__name__ = type(template).__name__
        self.param_names = set(template.get_params(deep=False))

    def __call__(self, **params: Any) -> Any:
        return require("sklearn.base").clone(self.template).set_params(**params)


def _accepted_args(make: Callable[..., Any]) -> set[str]:
    if isinstance(make, _CloneOf):
        return set(make.param_names)
    target = make.__init__ if inspect.isclass(make) else make
    try:
        return set(inspect.signature(target).parameters)
    except (TypeError, ValueError):  # builtins without a signature: pass nothing extra
        return set()


@dataclass(frozen=True)
class Result:
    """One method, one seed, one dataset. Accuracies are fractions; ``gamma`` is the calibration chosen.

    Besides the numbers, ``evaluate`` keeps what they were computed from (not
    compared, not in ``as_dict``; ``leaderboard`` drops them to save memory):
    ``model`` (fitted on trainval), ``scores`` (its GZSL test scores), ``view``
    (``ds.gzsl_view()``), ``calibration`` (the ``CalibratedStacking`` fitted on
    the rehearsal) and ``tuning`` (every grid cell with its validation score).
    """

    method: str
    seed: int
    params: dict
    zsl: float
    u: float
    s: float
    h: float
    u_cal: float
    s_cal: float
    h_cal: float
    gamma: float
    ausuc: float
    fit_seconds: float
    total_seconds: float
    model: Any = field(default=None, repr=False, compare=False)
    scores: Any = field(default=None, repr=False, compare=False)
    view: Any = field(default=None, repr=False, compare=False)
    calibration: Any = field(default=None, repr=False, compare=False)
    tuning: tuple = field(default=(), repr=False, compare=False)

    _ARTEFACTS = ("model", "scores", "view", "calibration", "tuning")

    def as_dict(self) -> dict:
        """The numbers only (what a table or a CSV needs)."""
        return {k: v for k, v in self.__dict__.items() if k not in self._ARTEFACTS}

    @property
    def plain(self) -> GZSLScore:
        """GZSL u, s, H of the plain argmax (γ = 0)."""
        return GZSLScore(self.u, self.s, self.h)

    @property
    def calibrated(self) -> GZSLScore:
        """GZSL u, s, H with the γ chosen on the rehearsal."""
        return GZSLScore(self.u_cal, self.s_cal, self.h_cal)

    def without_artefacts(self) -> "Result":
        """The same numbers without the model and arrays."""
        return dataclasses.replace(self, model=None, scores=None, view=None, calibration=None, tuning=())


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
    from .methods import CalibratedStacking  # lazy: keeps `import zsl_tutorial.evaluation` light

    fit_view, val_view = ds.gzsl_validation(holdout=holdout, seed=seed)
    if not prefit:
        model = fit_for(require("sklearn.base").clone(model), fit_view, val_view)
    return CalibratedStacking().fit(model.decision_function(val_view.X, val_view.S), val_view.y, val_view.seen_mask)


def _grid_cells(grid: Mapping[str, Sequence[Any]]) -> list[dict]:
    keys = list(grid)
    return [dict(zip(keys, values)) for values in itertools.product(*(grid[k] for k in keys))]


def tune(spec: MethodSpec, ds: Any, *, seed: int = 0, device: str | None = None,
         holdout: float = 0.2) -> tuple[dict, float]:
    """Choose ``spec``'s hyper-parameters without the test classes; return (params, best validation score)."""
    params, score, _, _ = _tune(_as_spec(spec), ds, seed=seed, device=device, holdout=holdout)
    return params, score


def _grid_search(spec: MethodSpec, cells: list[dict], train: Any, val: Any, *, seed: int,
                 device: str | None) -> tuple[dict, float, Any, tuple]:
    """``methods.search.search_grid`` (the one grid loop) over ``spec``'s cells."""
    return search_grid(lambda params: spec.build(params, seed=seed, device=device), cells, train, val,
                       select=spec.select, post_fit=spec.post_fit)


def _tune(spec: MethodSpec, ds: Any, *, seed: int, device: str | None,
          holdout: float) -> tuple[dict, float, Any, tuple]:
    """``tune``, plus the winning model when it was fitted on the GZSL rehearsal (so ``evaluate``
    can reuse it for γ) and the table of every grid cell's validation score."""
    if spec.tune_fn is not None:
        train, val = ds.train_view("train"), ds.zsl_view("val")
        params = dict(spec.tune_fn(train, val))
        model = fit_for(spec.build(params, seed=seed, device=device), train, val)
        score = float(model.score(val.X, val.y, val.S))
        return params, score, None, ((dict(params), score),)
    cells = _grid_cells(spec.grid)
    if len(cells) == 1 and not cells[0]:
        return {}, float("nan"), None, ()  # nothing to tune
    if spec.select == "zsl":
        train, val = ds.train_view("train"), ds.zsl_view("val")
    else:
        train, val = ds.gzsl_validation(holdout=holdout, seed=seed)
    best, best_score, best_model, table = _grid_search(spec, cells, train, val, seed=seed, device=device)
    if spec.select == "gzsl" and best_model is not None:
        return dict(best), float(best_score), best_model, table
    return dict(best), float(best_score), None, table


def _as_spec(method: Any) -> MethodSpec:
    if isinstance(method, MethodSpec):
        return method
    if hasattr(method, "get_params") and hasattr(method, "fit") and not isinstance(method, type):
        return MethodSpec.from_estimator(method)
    raise TypeError(f"method must be a MethodSpec (see course_methods()) or an unfitted estimator such as ESZSL(), "
                    f"got {type(method).__name__}.")


def evaluate(method: Any, ds: Any, *, seed: int = 0, device: str | None = None,
             holdout: float = 0.2, name: str | None = None) -> Result:
    """Tune on validation classes, refit on trainval, and score on the test split (see the module doc).

    ``method`` is an unfitted estimator: a plain one (nothing to tune), or a search that
    tunes itself on the dataset's ``val`` classes (``methods.ESZSLCV``,
    ``methods.ClassDisjointSearch``), or a :class:`MethodSpec`. The protocol's ``seed``
    replaces the estimator's own. The :class:`Result` carries the fitted model, its GZSL
    test scores and the calibration along with the numbers; ``name`` labels its row.
    """
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
    return tuple(({"gamma": float(g), "lam": float(l)}, float(res.scores[i, j]))
                 for i, g in enumerate(res.gammas) for j, l in enumerate(res.lams))


def _course_table(fast: bool | None) -> list[tuple[str, Any, dict, dict, str]]:
    """The course's methods, in one place: (name, class, fixed settings, grid searched on validation, select)."""
    from .methods import CLSWGAN, ESZSL, SAE, AttributeRegressor, DeepEncoder, ReverseRidge

    def size(full, quick):
        return (quick if fast else full) if fast is not None else pick(full, quick)

    return [
        ("Ridge → attributes", AttributeRegressor, {}, {"alpha": [0.1, 1.0, 10.0, 100.0]}, "zsl"),
        ("ESZSL", ESZSL, {}, {}, "zsl"),  # (γ, λ) by the eigendecomposition grid: ESZSLCV
        ("SAE (semantic)", SAE, {"direction": "semantic"}, {"lam": [0.05, 0.2, 1.0, 5.0]}, "zsl"),
        ("SAE (visual)", SAE, {"direction": "visual"}, {"lam": [0.05, 0.2, 1.0, 5.0]}, "zsl"),
        ("Reverse ridge", ReverseRidge, {}, {"alpha": [0.1, 1.0, 10.0, 100.0]}, "zsl"),
        ("Deep encoder", DeepEncoder, {"epochs": size(30, 3)}, {}, "zsl"),
        ("f-CLSWGAN", CLSWGAN, {"hidden": 256, "lr": 1e-3, "epochs": size(20, 2)}, {"n_synth": [100, 300, 1000]},
         "gzsl"),
    ]


def _pick(rows: list, include: Iterable[str] | None) -> list:
    if include is None:
        return rows
    by_name = {r[0]: r for r in rows}
    wanted = list(include)
    missing = [n for n in wanted if n not in by_name]
    if missing:
        raise ValueError(f"unknown method(s) {missing}; choose from {list(by_name)}.")
    return [by_name[n] for n in wanted]


def course_estimators(*, include: Iterable[str] | None = None, fast: bool | None = None) -> dict[str, Any]:
    """Every method of the course as an unfitted estimator, by name; searches tune themselves.

    Methods with a grid come wrapped in :class:`~zsl_tutorial.methods.ClassDisjointSearch`
    (ESZSL as :class:`~zsl_tutorial.methods.ESZSLCV`), so ``evaluate`` and ``leaderboard``
    take them as they are: ``leaderboard(course_estimators(), ds)``. ``include`` keeps the
    named rows in the given order; ``fast`` (default ``ZSL_FAST``) shrinks the neural
    methods' epochs. The same settings as :func:`course_methods`.
    """
    from .methods import ESZSLCV, ClassDisjointSearch

    from .methods import ESZSL

    out = {}
    for name, cls, fixed, grid, select in _pick(_course_table(fast), include):
        if cls is ESZSL:
            out[name] = ESZSLCV()
        else:
            out[name] = ClassDisjointSearch(cls(**fixed), grid, select=select) if grid else cls(**fixed)
    return out


def course_methods(*, include: Iterable[str] | None = None, fast: bool | None = None) -> list[MethodSpec]:
    """Every method of the course as a :class:`MethodSpec`, with CPU-sized defaults and the grids
    searched on validation (the settings of :func:`course_estimators`).

    ``include`` keeps only the named rows (in the given order); ``fast`` (default:
    ``ZSL_FAST``) shrinks the neural methods' epochs so CI stays quick.
    """
    from .methods import ESZSL

    specs = []
    for name, cls, fixed, grid, select in _pick(_course_table(fast), include):
        if cls is ESZSL:
            specs.append(MethodSpec(name, ESZSL, tune_fn=_eszsl_grid))
        else:
            post = tuple(k for k in getattr(cls, "classifier_params", ()) if k in grid)
            specs.append(MethodSpec(name, cls, fixed=fixed, grid=grid, select=select, post_fit=post))
    return specs


def _eszsl_grid(train: Any, val: Any) -> dict:
    """ESZSL's (γ, λ) by its eigendecomposition grid (``ESZSL.grid_search``) on class-disjoint views."""
    from .methods import ESZSL

    return ESZSL.grid_search(train, val).params


def _mapping_or_list(methods: Any) -> list:
    if isinstance(methods, Mapping):
        return [(name, est) for name, est in methods.items()]
    return [(None, m) for m in methods]


def leaderboard(specs: Sequence[Any], dataset_for_seed: Callable[[int], Any] | Any,
                seeds: Sequence[int] = (0, 1, 2), *, device: str | None = None,
                progress: bool = True, keep_artefacts: bool = False) -> list[Result]:
    """``evaluate`` every method for every seed; ``dataset_for_seed(seed)`` may redraw the data per seed.

    ``specs`` holds :class:`MethodSpec` objects or unfitted estimators, or maps row names to
    estimators (``course_estimators()``). Pass a dataset
    instead of a function to keep the data fixed and vary only the methods' seeds. The
    results hold numbers only, unless ``keep_artefacts`` keeps every fitted model and
    its test scores too.
    """
    methods = [(name, m if getattr(m, "takes_val_classes", False) and not isinstance(m, MethodSpec) else _as_spec(m))
               for name, m in _mapping_or_list(specs)]
    seeds = [int(s) for s in seeds]
    if not methods or not seeds:
        raise ValueError("leaderboard needs at least one method and one seed.")
    get = dataset_for_seed if callable(dataset_for_seed) else (lambda _seed: dataset_for_seed)
    jobs = [(seed, name, m) for seed in seeds for name, m in methods]
    if progress:
        tqdm = require("tqdm.auto").tqdm
        jobs = tqdm(jobs, desc="leaderboard")
    results, cache = [], {}
    for seed, name, method in jobs:
        if seed not in cache:
            cache = {seed: get(seed)}  # one dataset in memory at a time
        result = evaluate(method, cache[seed], seed=seed, device=device, name=name)
        results.append(result if keep_artefacts else result.without_artefacts())
    return results


def summarise(results: Sequence[Result], metrics: Sequence[str] = METRICS) -> list[dict]:
    """Mean and std over seeds per method, in first-appearance order: ``{"method", "n", "<m>_mean", "<m>_std"}``."""
    if not results:
        raise ValueError("no results to summarise.")
    rows: dict[str, list[Result]] = {}
    for r in results:
        rows.setdefault(r.method, []).append(r)
    out = []
    for name, rs in rows.items():
        row: dict[str, Any] = {"method": name, "n": len(rs)}
        for m in metrics:
            vals = np.array([getattr(r, m) for r in rs], dtype=float)
            row[f"{m}_mean"] = float(vals.mean())
            row[f"{m}_std"] = float(vals.std(ddof=1)) if len(vals) > 1 else 0.0
        out.append(row)
    return out


_LABELS = {"zsl": "ZSL top-1", "u": "u", "s": "s", "h": "H", "h_cal": "H calibrated",
           "ausuc": "AUSUC", "fit_seconds": "fit time (s)",
           "total_seconds": "whole protocol (s)", "u_cal": "u calibrated", "s_cal": "s calibrated"}


def format_table(summary: Sequence[dict], metrics: Sequence[str] = METRICS) -> str:
    """A markdown table of ``summarise`` output: accuracies in %, as mean ± std."""
    head = "| method | " + " | ".join(_LABELS.get(m, m) for m in metrics) + " |"
    lines = [head, "|---|" + "---:|" * len(metrics)]
    for row in summary:
        cells = []
        for m in metrics:
            mean, std = row[f"{m}_mean"], row[f"{m}_std"]
            if m.endswith("seconds"):
                cells.append(f"{mean:.2f} ± {std:.2f}")
            elif m == "ausuc":
                cells.append(f"{mean:.3f} ± {std:.3f}")
            else:
                cells.append(f"{100 * mean:.1f} ± {100 * std:.1f}")
        lines.append(f"| {row['method']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the mistake, measured
def tune_on_test(spec: MethodSpec, ds: Any, *, seed: int = 0, device: str | None = None) -> tuple[dict, float]:
    """What *not* to do, so that notebooks can measure its cost: choose ``spec``'s hyper-parameters on the test set.

    Every grid cell is fitted on ``trainval`` and judged on the test classes
    themselves: ZSL top-1 on ``test_unseen`` (``select="zsl"``) or GZSL H on the
    test set (``select="gzsl"``). Returns the chosen parameters and their test
    score, which is the optimistic number a leaky paper would report. Never use
    this to choose a model.
    """
    spec = _as_spec(spec)
    train, test = ds.train_view("trainval"), ds.zsl_view("test_unseen")
    if spec.tune_fn is not None:
        params = dict(spec.tune_fn(train, test))
        model = fit_for(spec.build(params, seed=seed, device=device), train, test)
        return params, float(model.score(test.X, test.y, test.S))
    val = test if spec.select == "zsl" else ds.gzsl_view()
    best, best_score, _, _ = _grid_search(spec, _grid_cells(spec.grid), train, val, seed=seed, device=device)
    return dict(best), float(best_score)


class Peek(NamedTuple):
    """What tuning on the test set reports (see :func:`peek_at_test`); accuracies are fractions."""

    params: dict  # hyper-parameters chosen on the test classes
    zsl: float  # ZSL top-1 on test_unseen with those parameters
    gamma: float  # the calibration γ with the highest test H (for the validated model)
    h_cal: float  # that H: a ceiling, not a result


def peek_at_test(spec: MethodSpec, ds: Any, *, seed: int = 0, device: str | None = None,
                 holdout: float = 0.2) -> Peek:
    """The leaky counterparts of :func:`evaluate`'s ``zsl`` and ``h_cal``, one leak at a time.

    ``zsl``: the hyper-parameters are chosen on the unseen test classes
    (:func:`tune_on_test`). ``h_cal``: the model is the one ``evaluate`` fits
    (parameters from the validation classes), but the calibration γ is the one
    with the best H on the GZSL test set. For a deterministic method both are
    >= ``evaluate``'s numbers by construction; the difference is the optimism.
    """
    from .metrics import seen_unseen_curve

    params, zsl = tune_on_test(spec, ds, seed=seed, device=device)
    spec = _as_spec(spec)
    honest, _, _, _ = _tune(spec, ds, seed=seed, device=device, holdout=holdout)
    train, gz = ds.train_view("trainval"), ds.gzsl_view()
    model = fit_for(spec.build(honest, seed=seed, device=device), train, gz)
    gamma, best = seen_unseen_curve(model.decision_function(gz.X, gz.S), gz.y, gz.seen_mask).best
    return Peek(params, float(zsl), float(gamma), float(best.h))


# --------------------------------------------------------------------------- imbalanced test sets
def long_tail_subset(y, *, imbalance: float = 50.0, min_per_class: int = 2, seed: int = 0) -> np.ndarray:
    """Indices of a long-tailed subsample of the samples with labels ``y``.

    The classes of ``y`` are put in a random order (seeded); the first keeps
    ``n_max`` samples (the size of the smallest class), and the sizes fall
    geometrically to ``n_max / imbalance`` for the last one, never below
    ``min_per_class``. Within a class the samples kept are a random subset.
    Returns sorted indices into ``y``.
    """
    from ._validation import check_labels

    y = check_labels(y, name="y")
    if not np.isfinite(imbalance) or imbalance < 1:
        raise ValueError(f"imbalance must be a number >= 1 (largest / smallest class size), got {imbalance!r}.")
    if not isinstance(min_per_class, (int, np.integer)) or min_per_class < 1:
        raise ValueError(f"min_per_class must be a positive integer, got {min_per_class!r}.")
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError("long_tail_subset needs at least two classes.")
    n_max = int(counts.min())
    if n_max < min_per_class:
        raise ValueError(f"the smallest class has {n_max} samples, fewer than min_per_class={min_per_class}.")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(classes))
    ranks = np.empty(len(classes))
    ranks[order] = np.arange(len(classes))
    sizes = np.maximum(min_per_class, np.round(n_max * float(imbalance) ** (-ranks / (len(classes) - 1)))).astype(int)
    keep = [rng.permutation(np.flatnonzero(y == c))[:k] for c, k in zip(classes, sizes)]
    return np.sort(np.concatenate(keep))


# --------------------------------------------------------------------------- seeds that redraw samples
def resample(ds: Any, *, n_per_class: int, seed: int = 0, test_seen_fraction: float = 0.2) -> Any:
    """The same benchmark with other samples: what a leaderboard "seed" varies in this course.

    Keeps the classes, the auxiliary matrix ``S``, the unseen classes and the
    validation classes of ``ds``; draws ``n_per_class`` samples of every class
    at random (without replacement) from ``ds`` and a new ``test_seen``
    hold-out. Draw ``ds`` itself with several times more samples per class than
    ``n_per_class`` (e.g. ``make_synthetic(n_per_class=300)``), so that two seeds
    share few samples.
    """
    from .data.dataset import ZSLDataset, make_split

    if not isinstance(n_per_class, (int, np.integer)) or n_per_class < 2:
        raise ValueError(f"n_per_class must be an integer >= 2, got {n_per_class!r}.")
    counts = np.bincount(ds.y, minlength=ds.n_classes)
    present = np.flatnonzero(counts)
    if counts[present].min() < n_per_class:
        small = present[counts[present] < n_per_class]
        raise ValueError(f"class(es) {ds.names(small[:5])} have fewer than n_per_class={n_per_class} samples.")
    rng = np.random.default_rng(seed)
    idx = np.sort(np.concatenate([rng.choice(np.flatnonzero(ds.y == c), n_per_class, replace=False) for c in present]))
    y = ds.y[idx]
    splits = make_split(y, ds.unseen_classes, val=ds.classes_in("val"), test_seen_fraction=test_seen_fraction,
                        seed=seed)
    return ZSLDataset(ds.X[idx], y, ds.class_names, ds.S, splits, ds.aux_names, ds.name,
                      f"{ds.description} | resample(n_per_class={n_per_class}, seed={seed})",
                      {**ds.extras, "resample_seed": int(seed)})
