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

Modules: ``protocol`` (the steps and ``evaluate``), ``result`` (``Result``), ``spec``
(``MethodSpec`` and its tuning loop), ``course`` (the course's methods), ``leaderboard``
(seeds, ``summarise``, ``format_table``), ``bootstrap`` (paired intervals for differences in H, with
Holm's correction), ``report`` (a study's markdown report), ``study`` (all of it on your own files, in one call), ``leaky`` (tuning on test, measured) and ``resampling`` (long-tailed and redrawn test sets).
"""
from __future__ import annotations

from ..methods.search import fit_for
from .bootstrap import BootstrapH, PairedDifference, bootstrap_h, compare_h, holm
from .course import course_estimators, course_methods
from .leaderboard import format_table, leaderboard, summarise
from .leaky import Peek, peek_at_test, tune_on_test
from .protocol import evaluate, gzsl_at, rehearsal_calibration
from .report import difference_label, format_differences, study_report
from .study import Study, run_study
from .resampling import long_tail_subset, resample
from .result import METRICS, Result
from .spec import EszslGrid, MethodSpec, tune

__all__ = [
    "difference_label",
    "format_differences",
    "study_report",
    "Study",
    "run_study",
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
    "BootstrapH",
    "PairedDifference",
    "bootstrap_h",
    "compare_h",
    "holm",
    "tune_on_test",
    "Peek",
    "peek_at_test",
    "long_tail_subset",
    "resample",
]
