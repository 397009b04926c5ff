"""What *not* to do, measured: choosing on the test classes, so a lesson can show its optimism."""
from __future__ import annotations

from typing import Any, NamedTuple


from ..methods.search import fit_for
from .spec import MethodSpec, _as_spec, _grid_cells, _grid_search, _tune


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
    from ..metrics import seen_unseen_curve

    params, zsl = tune_on_test(spec, ds, seed=seed, device=device)
    spec = _as_spec(spec)
    honest, _, _, _ = _tune(spec, ds, seed=seed, device=device, holdout=holdout)
    train, gz = ds.train_view("trainval"), ds.gzsl_view()
    model = fit_for(spec.build(honest, seed=seed, device=device), train, gz)
    gamma, best = seen_unseen_curve(model.decision_function(gz.X, gz.S), gz.y, gz.seen_mask).best
    return Peek(params, float(zsl), float(gamma), float(best.h))
