"""``MethodSpec``: how to build, tune and run one method (the older, spec-based way; estimators such as
``methods.ClassDisjointSearch`` are the other), and the tuning loop it runs on class-disjoint validation."""
from __future__ import annotations

import dataclasses
import inspect
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence


from .._deps import require
from ..methods.search import fit_for, search_grid


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

    def to_estimator(self) -> Any:
        """The same method as one unfitted estimator that tunes itself in ``fit``: the built
        estimator when there is nothing to tune, else a ``ClassDisjointSearch`` over ``grid``
        (``ESZSLCV`` for ESZSL's eigendecomposition grid). ``evaluate`` gives both the same numbers."""
        from ..methods import ESZSLCV, SAECV, ClassDisjointSearch

        if self.tune_fn is not None:
            if isinstance(self.tune_fn, EszslGrid):
                return ESZSLCV(feature_ridges=self.tune_fn.feature_ridges,
                               attribute_ridges=self.tune_fn.attribute_ridges, targets=self.tune_fn.targets)
            if isinstance(self.tune_fn, SaeGrid):
                return SAECV(lams=self.tune_fn.lams, direction=self.tune_fn.direction)
            raise ValueError(f"{self.name}: a custom tune_fn has no estimator form; use a grid instead.")
        model = self.make(**self.fixed)
        return ClassDisjointSearch(model, dict(self.grid), select=self.select) if self.grid else model

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


class EszslGrid:
    """``tune_fn`` of ESZSL's spec: its eigendecomposition grid (``ESZSL.grid_search``) on class-disjoint views."""

    def __init__(self, feature_ridges: Sequence[float] | None = None, attribute_ridges: Sequence[float] | None = None,
                 targets: str | Sequence[str] | None = None, **old_names: Sequence[float]) -> None:
        from .._params import renamed_keywords
        from ..methods.eszsl import _OLD_GRID_NAMES, DEFAULT_GRID, TARGET_CODINGS, check_codings

        grids = renamed_keywords("EszslGrid", old_names, _OLD_GRID_NAMES,
                                 {"feature_ridges": feature_ridges, "attribute_ridges": attribute_ridges},
                                 {"feature_ridges": None, "attribute_ridges": None})
        self.feature_ridges, self.attribute_ridges = (tuple(DEFAULT_GRID) if grids[k] is None else tuple(grids[k])
                                                      for k in ("feature_ridges", "attribute_ridges"))
        self.targets = TARGET_CODINGS if targets is None else check_codings(targets)

    def __call__(self, train: Any, val: Any) -> dict:
        from ..methods import ESZSL

        return ESZSL.grid_search(train, val, feature_ridges=self.feature_ridges, attribute_ridges=self.attribute_ridges,
                                 targets=self.targets).params


class SaeGrid:
    """``tune_fn`` of SAE's spec: the λ grid from one eigendecomposition (``SAE.grid_search``)."""

    def __init__(self, lams: Sequence[float], direction: str) -> None:
        self.lams, self.direction = tuple(lams), direction

    def __call__(self, train: Any, val: Any) -> dict:
        from ..methods import SAE

        return {"lam": SAE.grid_search(train, val, lams=self.lams).best(self.direction)[0]}


def _as_spec(method: Any) -> MethodSpec:
    """A MethodSpec for ``method``: itself, the spec of a search estimator, or a clone-builder of an estimator."""
    from ..methods import ESZSL, ESZSLCV, SAE, SAECV, ClassDisjointSearch

    if isinstance(method, MethodSpec):
        return method
    if isinstance(method, ESZSLCV):
        return MethodSpec("ESZSL", ESZSL, tune_fn=EszslGrid(method.feature_ridges, method.attribute_ridges,
                                                                  method.targets))
    if isinstance(method, SAECV):
        return MethodSpec("SAE", SAE, fixed={"direction": method.direction},
                          tune_fn=SaeGrid(method.lams, method.direction))
    if isinstance(method, ClassDisjointSearch):
        inner = method.estimator
        post = tuple(k for k in getattr(inner, "classifier_params", ()) if k in method.param_grid)
        spec = MethodSpec.from_estimator(inner, grid=method.param_grid, select=method.select)
        return dataclasses.replace(spec, post_fit=post)
    if hasattr(method, "get_params") and hasattr(method, "fit") and not isinstance(method, type):
        return MethodSpec.from_estimator(method)
    raise TypeError(f"method must be a MethodSpec (see course_methods()) or an unfitted estimator such as ESZSL(), "
                    f"got {type(method).__name__}.")
