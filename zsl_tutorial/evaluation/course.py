"""The course's methods and their settings, in one table: as estimators or as ``MethodSpec`` objects."""
from __future__ import annotations

from typing import Any, Iterable


from ..config import pick
from .spec import EszslGrid, MethodSpec, SaeGrid


def _course_table(fast: bool | None, profile: str = "course",
                  dataset: str | None = None) -> list[tuple[str, Any, dict, dict, str]]:
    """The course's methods, in one place: (name, class, fixed settings, grid searched on validation, select).

    ``profile="course"``: the settings of the lessons' simulated data. ``"cpu"`` / ``"gpu"``: real
    xlsa17 features of ``dataset`` (``"AWA"``, ``"CUB"``, ``"SUN"``, or None for the course's
    f-CLSWGAN): a wider SAE grid, a wider deep encoder, and f-CLSWGAN's CPU-sized settings
    (``benchmarks.CPU_CLSWGAN``) or the paper's (``CLSWGAN.paper_preset``).
    """
    from ..methods import CLSWGAN, ESZSL, SAE, AttributeRegressor, DeepEncoder, ReverseRidge

    if profile not in ("course", "cpu", "gpu"):
        raise ValueError(f"profile must be 'gpu', 'cpu' or 'course', got {profile!r}.")
    quick = fast if fast is not None else pick(False, True)
    real, gpu = profile != "course", profile == "gpu"
    # ResNet features carry more energy per sample than the simulator's: search a wider λ range.
    sae_grid = [0.001, 0.01, 0.1, 1.0, 10.0, 100.0] if real else [0.05, 0.2, 1.0, 5.0]
    deep = ({"hidden": 1024 if gpu else 512, "epochs": 2 if quick else (50 if gpu else 30)} if real
            else {"epochs": 3 if quick else 30})
    gan, gan_grid = _clswgan_settings(profile, dataset, quick)
    return [
        ("Ridge → attributes", AttributeRegressor, {}, {"alpha": [0.1, 1.0, 10.0, 100.0]}, "zsl"),
        ("ESZSL", ESZSL, {}, {}, "zsl"),  # (γ, λ) by the eigendecomposition grid: ESZSLCV
        ("SAE (semantic)", SAE, {"direction": "semantic"}, {"lam": sae_grid}, "zsl"),
        ("SAE (visual)", SAE, {"direction": "visual"}, {"lam": sae_grid}, "zsl"),
        ("Reverse ridge", ReverseRidge, {}, {"alpha": [0.1, 1.0, 10.0, 100.0]}, "zsl"),
        ("Deep encoder", DeepEncoder, deep, {}, "zsl"),
        ("f-CLSWGAN", CLSWGAN, gan, gan_grid, "gzsl"),
    ]


def _clswgan_settings(profile: str, dataset: str | None, quick: bool) -> tuple[dict, dict]:
    """f-CLSWGAN's fixed settings and its grid, searched by H on the rehearsal, for a profile.

    The grid always holds ``n_synth``; where a profile lists several ``epochs`` they are searched
    too, from generator snapshots of one rehearsal GAN (``CLSWGAN.plan_grid_fit``). The GPU
    profile keeps the paper's epochs.
    """
    from ..methods import CLSWGAN

    if profile == "course" or dataset is None:
        # lr 4e-3 for 8 epochs, chosen by H on the GZSL rehearsal of make_synthetic resamples (seeds 0-2,
        # scripts/bench_clswgan_settings.py): 53.4 on average, against 48.2 for lr 2e-3 and 10 epochs and
        # 36.1 for 1e-3 and 20, at 80% and 40% of their cost.
        params: dict = {"hidden": 256, "lr": 4e-3, "epochs": 2 if quick else 8}
        grid: dict = {"n_synth": [100, 300, 1000]}
    elif profile == "gpu":
        params = CLSWGAN.paper_preset(dataset).get_params()
        n = params["n_synth"]
        grid = {"n_synth": [max(50, n // 3), n, 2 * n]}
    else:
        from ..benchmarks.constants import CPU_CLSWGAN

        params = dict(CPU_CLSWGAN[dataset])
        grid = {"n_synth": list(params["n_synth"])}
        if isinstance(params["epochs"], (list, tuple)):
            grid = {"epochs": list(params.pop("epochs")), **grid}
    for k in ("seed", "device", "progress", "n_synth", "snapshot_epochs"):
        params.pop(k, None)
    if quick:
        params.update(epochs=1, pretrain_epochs=2, clf_epochs=2)
        grid = {"n_synth": grid["n_synth"][:1]}
    return params, grid


def _pick(rows: list, include: Iterable[str] | None) -> list:
    if include is None:
        return rows
    by_name = {r[0]: r for r in rows}
    wanted = list(include)
    missing = [n for n in wanted if n not in by_name]
    if missing:
        raise ValueError(f"unknown method(s) {missing}; choose from {list(by_name)}.")
    return [by_name[n] for n in wanted]


def course_estimators(*, include: Iterable[str] | None = None, fast: bool | None = None, profile: str = "course",
                      dataset: str | None = None) -> dict[str, Any]:
    """Every method of the course as an unfitted estimator, by name; searches tune themselves.

    Methods with a grid come wrapped in :class:`~zsl_tutorial.methods.ClassDisjointSearch`
    (ESZSL as :class:`~zsl_tutorial.methods.ESZSLCV`), so ``evaluate`` and ``leaderboard``
    take them as they are: ``leaderboard(course_estimators(), ds)``. ``include`` keeps the
    named rows in the given order; ``fast`` (default ``ZSL_FAST``) shrinks the neural
    methods' epochs. The same settings as :func:`course_methods`.
    """
    return {spec.name: spec.to_estimator()
            for spec in course_methods(include=include, fast=fast, profile=profile, dataset=dataset)}


def course_methods(*, include: Iterable[str] | None = None, fast: bool | None = None, profile: str = "course",
                   dataset: str | None = None) -> list[MethodSpec]:
    """Every method of the course as a :class:`MethodSpec`, with CPU-sized defaults and the grids
    searched on validation (the settings of :func:`course_estimators`).

    ``include`` keeps only the named rows (in the given order); ``fast`` (default:
    ``ZSL_FAST``) shrinks the neural methods' epochs so CI stays quick.
    """
    from ..methods import ESZSL, SAE

    specs = []
    for name, cls, fixed, grid, select in _pick(_course_table(fast, profile, dataset), include):
        if cls is ESZSL:
            specs.append(MethodSpec(name, ESZSL, tune_fn=EszslGrid()))
        elif cls is SAE:  # the λ grid from one eigendecomposition (SAECV); grid lists what it searches
            specs.append(MethodSpec(name, SAE, fixed=fixed, grid=grid,
                                    tune_fn=SaeGrid(grid["lam"], fixed["direction"])))
        else:
            post = tuple(k for k in getattr(cls, "classifier_params", ()) if k in grid)
            specs.append(MethodSpec(name, cls, fixed=fixed, grid=grid, select=select, post_fit=post))
    return specs


