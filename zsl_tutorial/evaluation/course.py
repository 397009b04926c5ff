"""The course's methods and their settings, in one table: as estimators or as ``MethodSpec`` objects."""
from __future__ import annotations

from typing import Any, Iterable


from ..config import pick
from .spec import EszslGrid, MethodSpec


def _course_table(fast: bool | None) -> list[tuple[str, Any, dict, dict, str]]:
    """The course's methods, in one place: (name, class, fixed settings, grid searched on validation, select)."""
    from ..methods import CLSWGAN, ESZSL, SAE, AttributeRegressor, DeepEncoder, ReverseRidge

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
    return {spec.name: spec.to_estimator() for spec in course_methods(include=include, fast=fast)}


def course_methods(*, include: Iterable[str] | None = None, fast: bool | None = None) -> list[MethodSpec]:
    """Every method of the course as a :class:`MethodSpec`, with CPU-sized defaults and the grids
    searched on validation (the settings of :func:`course_estimators`).

    ``include`` keeps only the named rows (in the given order); ``fast`` (default:
    ``ZSL_FAST``) shrinks the neural methods' epochs so CI stays quick.
    """
    from ..methods import ESZSL

    specs = []
    for name, cls, fixed, grid, select in _pick(_course_table(fast), include):
        if cls is ESZSL:
            specs.append(MethodSpec(name, ESZSL, tune_fn=EszslGrid()))
        else:
            post = tuple(k for k in getattr(cls, "classifier_params", ()) if k in grid)
            specs.append(MethodSpec(name, cls, fixed=fixed, grid=grid, select=select, post_fit=post))
    return specs


