"""Interactive explorers for lessons 03, 04 and 05, each with a static matplotlib fallback.

- :func:`calibration_explorer`: a γ slider for calibrated stacking that
  live-updates u, s, H and the GZSL confusion matrix; the static part draws the
  seen–unseen curve with its AUSUC, the points for γ = 0 and for the γ chosen on
  validation, and the confusion matrices at both.
- :func:`gamma_explorer` (lesson 05): H against γ on the rehearsal that chooses γ and on the test set
  that only reports it, with a γ slider over both.
- :func:`hubness_explorer`: dimension / k / data controls showing the
  k-occurrence histogram and its skewness; the static part draws histograms for
  a few dimensions and the skewness against the dimension.
- :func:`invent_an_animal` (lesson 04): a start-class dropdown and attribute
  sliders feeding the conditional image GAN, with the nearest class prototype
  and the seen-class CNN's verdict on the generated images; the static part
  draws rows such as "horse", "horse + stripes", "zebra". :func:`invent` is
  the same computation for one vector, without a display.

ipywidgets is imported only inside these functions, and only the interactive
part needs it: without it (or without a browser, as in CI and on GitHub) the
static figure is all you get, and it tells the same story. The explorers
return an :class:`Explorer` holding the figure, the widget (or ``None``) and
its named controls, so code and tests can drive the sliders.

This package only displays. The numbers come from :mod:`zsl_tutorial.diagnostics`
(:func:`gzsl_confusion`, :func:`k_occurrence_self`, :func:`hubness_by_dimension`,
:func:`invent`, :func:`nearest_classes`) and the static figures from :mod:`zsl_tutorial.plots`
(:func:`plot_confusion`); both are re-exported here, where the lessons import them.
"""
from __future__ import annotations

from ..diagnostics.confusion import gzsl_confusion
from ..diagnostics.hubness import HUBNESS_SOURCES, hubness_by_dimension, k_occurrence_self
from ..diagnostics.hubness import sample_points as _points  # noqa: F401  (tests draw the explorer's points)
from ..diagnostics.invention import Invention, invent, nearest_classes
from ..plots.confusion import plot_confusion
from ._base import Explorer
from .calibration import calibration_explorer
from .gamma import gamma_explorer
from .hubness import hubness_explorer
from .invention import invent_an_animal

__all__ = [
    "Explorer",
    "calibration_explorer",
    "gamma_explorer",
    "hubness_explorer",
    "gzsl_confusion",
    "plot_confusion",
    "k_occurrence_self",
    "hubness_by_dimension",
    "HUBNESS_SOURCES",
    "Invention",
    "invent",
    "invent_an_animal",
    "nearest_classes",
]
