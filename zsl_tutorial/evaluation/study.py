"""A whole study of your own data in one call, as ``python -m zsl_tutorial study`` runs it (lesson 08 does
the same steps one by one): read and check the files, a leaderboard over seeds, paired bootstrap
differences against one baseline fixed in advance, and the markdown report."""
from __future__ import annotations

import os
from typing import NamedTuple, Sequence

__all__ = ["Study", "run_study"]


class Study(NamedTuple):
    """What ``run_study`` computed: the dataset, every result, the paired differences and the report."""

    dataset: object
    results: list
    diffs: list
    report: str


def run_study(features: str | os.PathLike, classes: str | os.PathLike, *, unseen: Sequence[str],
              val: Sequence[str] | None = None, n_val: int | None = None, aux: str = "attributes",
              methods: Sequence[str] | None = None, baseline: str = "ESZSL", seeds: Sequence[int] = (0, 1, 2),
              n_boot: int = 2000, fast: bool | None = None, device: str | None = None,
              progress: bool = True) -> Study:
    """Every course method (or ``methods``) on ``features`` + ``classes``: calibrated H of each against
    ``baseline``'s, Holm-corrected. Arguments as in ``data.read_tables`` and ``evaluation.leaderboard``."""
    from ..data.tables import read_tables, resplit
    from .bootstrap import bootstrap_h, compare_h
    from .course import course_estimators
    from .leaderboard import leaderboard
    from .report import study_report

    ds = read_tables(features, classes, unseen=unseen, val=val, n_val=n_val, aux=aux, device=device,
                     verbose=progress)
    estimators = course_estimators(include=methods, fast=fast)
    if baseline not in estimators:
        raise ValueError(f"baseline {baseline!r} is not among the methods run ({', '.join(estimators)}); name one "
                         "of them, or add it to methods.")
    results = leaderboard(estimators, lambda seed: resplit(ds, seed), seeds, device=device, progress=progress,
                          keep_artefacts=True)
    pairs = [((m, "h_cal"), (baseline, "h_cal")) for m in estimators if m != baseline]
    diffs = compare_h(bootstrap_h(results, n_boot=n_boot, seed=0), pairs) if pairs else []
    report = study_report(ds, results, diffs, n_boot=n_boot)
    return Study(ds, [r.without_artefacts() for r in results], diffs, report)
