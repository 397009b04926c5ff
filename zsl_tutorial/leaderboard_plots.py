"""Deprecated: lesson 05's figures now live in :mod:`zsl_tutorial.plots` (:mod:`zsl_tutorial.plots.leaderboard`).

``from zsl_tutorial.leaderboard_plots import mean_map`` still works, with a ``DeprecationWarning``;
write ``from zsl_tutorial.plots import mean_map`` instead.
"""
from __future__ import annotations

import warnings

from .plots.leaderboard import __all__, leaderboard_bars, mean_map, paired_dots  # noqa: F401

warnings.warn("zsl_tutorial.leaderboard_plots is deprecated; import mean_map, leaderboard_bars and paired_dots "
              "from zsl_tutorial.plots (they live in zsl_tutorial.plots.leaderboard).",
              DeprecationWarning, stacklevel=2)
