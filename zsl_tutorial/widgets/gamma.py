"""A γ slider over H on the rehearsal and on the test set: why γ is chosen on the one and only read on the other."""
from __future__ import annotations

from typing import Any

from .._validation import check_number
from ..metrics import SeenUnseenCurve
from ..plots.gamma import gamma_figure, gamma_range
from ._base import Explorer, _ipywidgets, _show


def _row(name: str, score: Any) -> str:
    return (f"<tr><td>{name}</td><td>{100 * score.u:.1f}</td><td>{100 * score.s:.1f}</td>"
            f"<td><b>{100 * score.h:.1f}</b></td></tr>")


def _table(gamma: float, rehearsal: SeenUnseenCurve, test: SeenUnseenCurve) -> str:
    return (f"<table><tr><th>γ = {gamma:.3f}</th><th>u</th><th>s</th><th>H</th></tr>"
            + _row("rehearsal", rehearsal.at(gamma)) + _row("test", test.at(gamma)) + "</table>")


def gamma_explorer(rehearsal: SeenUnseenCurve, test: SeenUnseenCurve, chosen: float, *, display: bool = True,
                   title: str = "") -> Explorer:
    """Explore H against the calibration γ on the rehearsal and on the test set.

    ``rehearsal`` and ``test`` are :class:`~zsl_tutorial.metrics.SeenUnseenCurve` objects (e.g.
    ``result.calibration.curve_`` and ``seen_unseen_curve(result.scores, view.y, view.seen_mask)``);
    ``chosen`` is the γ chosen on the rehearsal. The static figure draws both curves, ``chosen`` and the
    test's best γ; the widget (with ipywidgets) adds a γ slider with live u, s, H on both.
    ``controls`` = ``{"gamma", "table"}``.
    """
    for name, curve in (("rehearsal", rehearsal), ("test", test)):
        if not isinstance(curve, SeenUnseenCurve):
            raise TypeError(f"{name} must be a SeenUnseenCurve (metrics.seen_unseen_curve(...)), got "
                            f"{type(curve).__name__}.")
    chosen = check_number(chosen, "chosen")
    fig = gamma_figure(rehearsal, test, chosen, title=title)
    widgets = _ipywidgets()
    if widgets is None:
        return Explorer(fig)
    lo, hi = gamma_range(rehearsal, test, include=(chosen,))  # the same range as the figure's
    slider = widgets.FloatSlider(value=chosen, min=lo, max=hi, step=(hi - lo) / 400, description="γ",
                                 readout_format=".3f", layout=widgets.Layout(width="min(480px, 95%)"))
    table = widgets.HTML()

    def update(change=None) -> None:
        table.value = _table(float(slider.value), rehearsal, test)

    slider.observe(update, names="value")
    update()
    back = widgets.Button(description="γ from the rehearsal")
    back.on_click(lambda _: setattr(slider, "value", chosen))
    box = widgets.VBox([widgets.HBox([slider, back]), table])
    if display:
        _show(box)
    return Explorer(fig, box, {"gamma": slider, "table": table}, update)
