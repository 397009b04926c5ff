"""matplotlib, imported through the gate when a figure is drawn, so that importing the plots stays light."""
from __future__ import annotations

from .._deps import require


def pyplot():
    """``matplotlib.pyplot``."""
    return require("matplotlib.pyplot")
