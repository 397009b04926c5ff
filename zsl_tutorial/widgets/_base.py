"""What every explorer shares: the :class:`Explorer` it returns, and ipywidgets when it can be imported."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class Explorer:
    """What an explorer returns.

    ``figure`` is the static matplotlib summary (always drawn). ``widget`` is the
    ipywidgets box, or ``None`` when ipywidgets is not installed. ``controls``
    names its parts (sliders, labels) so they can be driven from code, and
    ``update()`` recomputes the display from the current control values.
    """

    figure: Any
    widget: Any = None
    controls: dict[str, Any] = field(default_factory=dict)
    update: Callable[..., Any] | None = None

    @property
    def interactive(self) -> bool:
        """True when the ipywidgets part exists."""
        return self.widget is not None

    def __repr__(self) -> str:
        kind = "interactive + static" if self.interactive else "static only (ipywidgets not available)"
        return f"<Explorer: {kind}>"


def _ipywidgets():
    """ipywidgets, or None when it cannot be imported (then the static figure is all there is)."""
    from .._deps import DependencyError, require

    try:
        return require("ipywidgets")
    except DependencyError as exc:  # installed but too old: say why the sliders are missing
        print(f"Interactive controls are off: {exc}")
    except ImportError:
        pass
    return None


def _show(widget) -> None:
    from IPython.display import display

    display(widget)
