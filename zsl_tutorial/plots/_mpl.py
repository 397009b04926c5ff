"""matplotlib, imported through the gate when a figure is drawn, so that importing the plots stays light."""
from __future__ import annotations

from .._deps import require

#: The course's figure style: at most this many inches wide (750 px at 100 dpi, inside a 784 px page and a
#: laptop screen), with no text under :data:`MIN_FONT_PT` points at that size. ``tests/test_figures.py``
#: checks both, on the code and on the stored outputs.
MAX_WIDTH_IN = 7.5
MIN_FONT_PT = 9


def pyplot():
    """``matplotlib.pyplot``."""
    return require("matplotlib.pyplot")
