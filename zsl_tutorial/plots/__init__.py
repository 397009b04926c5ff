"""Figures for the notebooks (matplotlib only, imported when a figure is drawn).

- :mod:`~zsl_tutorial.plots.images`: image grids, one row per class, strips of generated images;
- :mod:`~zsl_tutorial.plots.heatmaps`: labelled heatmaps and class-similarity matrices;
- :mod:`~zsl_tutorial.plots.leaderboard`: lesson 05's mean maps, leaderboard bars and paired dots;
- :mod:`~zsl_tutorial.plots.confusion`, :mod:`~zsl_tutorial.plots.calibration`,
  :mod:`~zsl_tutorial.plots.hubness`: the static figures of lesson 03's explorers.

These modules only draw: what they show is computed elsewhere and passed in.
"""
from __future__ import annotations

from .calibration import calibration_figure
from .confusion import draw_confusion, order_seen_first, plot_confusion
from .gamma import gamma_figure, gamma_range
from .heatmaps import cosine_similarity, heatmap, similarity_matrix
from .hubness import hubness_figure
from .images import class_image_grid, image_grid, image_strip, image_strip_rows
from .leaderboard import leaderboard_bars, mean_map, paired_dots

__all__ = [
    "image_grid",
    "class_image_grid",
    "heatmap",
    "similarity_matrix",
    "cosine_similarity",
    "image_strip",
    "image_strip_rows",
    "mean_map",
    "leaderboard_bars",
    "paired_dots",
    "order_seen_first",
    "draw_confusion",
    "plot_confusion",
    "calibration_figure",
    "gamma_figure",
    "gamma_range",
    "hubness_figure",
]
