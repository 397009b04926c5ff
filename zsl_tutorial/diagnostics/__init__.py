"""The numbers behind the lessons' explorers, computed without drawing anything.

- :mod:`~zsl_tutorial.diagnostics.confusion`: the GZSL confusion matrix, and predictions and scores at one γ;
- :mod:`~zsl_tutorial.diagnostics.hubness`: k-occurrence of points among themselves, and hubness by dimension;
- :mod:`~zsl_tutorial.diagnostics.invention`: what an image generator makes of an attribute vector;
- :mod:`~zsl_tutorial.diagnostics.coverage`: auxiliary values of unseen classes that no seen class shows.

:mod:`zsl_tutorial.widgets` displays them; :mod:`zsl_tutorial.plots` draws their static figures.
"""
from __future__ import annotations

from .coverage import OutOfRange, outside_seen_range
from .confusion import gzsl_confusion, predictions_at
from .hubness import HUBNESS_SOURCES, hubness_by_dimension, k_occurrence_self, sample_points
from .invention import Invention, check_generator_and_dataset, edited_attributes, invent, nearest_classes

__all__ = [
    "OutOfRange",
    "outside_seen_range",
    "gzsl_confusion",
    "predictions_at",
    "HUBNESS_SOURCES",
    "k_occurrence_self",
    "sample_points",
    "hubness_by_dimension",
    "Invention",
    "nearest_classes",
    "invent",
    "check_generator_and_dataset",
    "edited_attributes",
]
