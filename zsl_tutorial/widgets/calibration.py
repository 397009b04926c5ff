"""Lesson 03's calibration explorer: a γ slider for calibrated stacking with live u, s, H and confusion table."""
from __future__ import annotations

import html
from typing import Sequence

import numpy as np

from .._validation import check_labels, check_mask, check_scores
from ..diagnostics.confusion import gzsl_confusion, predictions_at
from ..metrics import GZSLScore, seen_unseen_curve
from ..plots.calibration import calibration_figure
from ..plots.confusion import order_seen_first
from ..plots.gamma import gamma_range
from ._base import Explorer, _ipywidgets, _show


def _check_calibration_inputs(scores, y, seen_mask, class_names):
    scores = check_scores(scores)
    n_cls = scores.shape[1]
    seen_mask = check_mask(seen_mask, n_cls, "seen_mask")
    y = check_labels(y, n_cls, "y")
    if len(y) != len(scores):
        raise ValueError(f"scores has {len(scores)} rows but y has {len(y)} labels.")
    if isinstance(class_names, str) or len(class_names) != n_cls:
        raise ValueError(f"class_names must name the {n_cls} score columns, got {len(class_names)} names.")
    if seen_mask.all() or not seen_mask.any():
        raise ValueError("seen_mask must mark at least one seen and one unseen class.")
    true_seen = seen_mask[y]
    if true_seen.all() or not true_seen.any():
        raise ValueError("y must contain samples of both seen and unseen classes (a GZSL test set).")
    return scores, y, seen_mask, [str(c) for c in class_names]


def _score_text(gamma: float, res: GZSLScore) -> str:
    return (f"γ = {gamma:.3f}:  u = {100 * res.u:.1f}%,  s = {100 * res.s:.1f}%,  "
            f"<b>H = {100 * res.h:.1f}%</b>")


def _confusion_html(C: np.ndarray, names: Sequence[str], seen_mask: np.ndarray, present: np.ndarray,
                    max_full: int = 15) -> str:
    """A coloured HTML table: the full matrix for few classes, a seen/unseen 2x2 summary for many."""
    def cell(v: float, bold: bool = False) -> str:
        shade = int(255 - 200 * min(max(v, 0.0), 1.0))
        color = "white" if v > 0.55 else "black"
        weight = "font-weight:bold;" if bold else ""
        return (f'<td style="background:rgb({shade},{shade},255);color:{color};{weight}'
                f'text-align:center;padding:2px 5px">{100 * v:.0f}</td>')

    style = 'style="border-collapse:collapse;font-size:11px"'
    if len(names) <= max_full:
        order = [c for c in order_seen_first(seen_mask) if True]
        label = lambda c: html.escape(names[c]) + ("" if seen_mask[c] else " *")  # noqa: E731
        head = "".join(f'<th style="padding:2px 4px;writing-mode:vertical-rl">{label(c)}</th>' for c in order)
        rows = []
        for r in order:
            if not present[r]:
                continue
            cells = "".join(cell(C[r, c], bold=(r == c)) for c in order)
            rows.append(f'<tr><th style="text-align:right;padding:2px 4px">{label(r)}</th>{cells}</tr>')
        return (f"<div><i>rows: true class, columns: predicted, % of the row; * = unseen</i>"
                f"<table {style}><tr><th></th>{head}</tr>{''.join(rows)}</table></div>")
    # Many classes: where do seen and unseen images go, as blocks.
    block = np.zeros((2, 2))
    for i, true_mask in enumerate((seen_mask, ~seen_mask)):
        rows = np.flatnonzero(true_mask & present)
        for j, pred_mask in enumerate((seen_mask, ~seen_mask)):
            block[i, j] = C[np.ix_(rows, np.flatnonzero(pred_mask))].sum(axis=1).mean()
    hdr = "<tr><th></th><th>→ a seen class</th><th>→ an unseen class</th></tr>"
    body = "".join(f"<tr><th>{t} images</th>{cell(block[i, 0])}{cell(block[i, 1])}</tr>"
                   for i, t in enumerate(("seen", "unseen")))
    return (f"<div><i>{len(names)} classes: share of each group's images predicted as a seen or an "
            f"unseen class (%, mean over classes)</i><table {style}>{hdr}{body}</table></div>")


def calibration_explorer(scores, y, seen_mask, class_names: Sequence[str], gamma_val: float | None = None, *,
                         display: bool = True, title: str = "") -> Explorer:
    """Explore calibrated stacking: ŷ = argmax_c score_c − γ·[c is seen].

    Parameters
    ----------
    scores : (n_samples, n_classes) GZSL test scores (``decision_function`` over all classes).
    y : true column index of every sample.
    seen_mask : which columns are seen classes.
    class_names : one name per column.
    gamma_val : the γ chosen on *validation* data (``CalibratedStacking().fit(...).gamma_``);
        marked on the curve and used as the slider's start. Never choose it on this test data.
    display : show the interactive widget (when ipywidgets is importable).

    Returns
    -------
    Explorer
        ``figure`` (always): the seen–unseen curve with its AUSUC and the points
        for γ = 0 and ``gamma_val``, then the row-normalised confusion matrices at
        both. ``widget`` (with ipywidgets): a γ slider with live u, s, H and
        confusion table; ``controls`` = ``{"gamma", "scores", "matrix"}``.
    """
    scores, y, seen_mask, names = _check_calibration_inputs(scores, y, seen_mask, class_names)
    if gamma_val is not None:
        if isinstance(gamma_val, bool) or not isinstance(gamma_val, (int, float, np.integer, np.floating)) \
                or not np.isfinite(gamma_val):
            raise ValueError(f"gamma_val must be a finite number or None, got {gamma_val!r}.")
        gamma_val = float(gamma_val)
    n_cls = scores.shape[1]
    present = np.bincount(y, minlength=n_cls) > 0
    curve = seen_unseen_curve(scores, y, seen_mask)

    # ---- static part
    gammas = [("γ = 0 (plain argmax)", 0.0, "tab:red")]
    if gamma_val is not None:
        gammas.append((f"γ = {gamma_val:.3f} (chosen on validation)", gamma_val, "tab:green"))
    points = []
    for lab, g, col in gammas:
        pred, res = predictions_at(scores, y, seen_mask, g)
        points.append((lab, col, res, gzsl_confusion(y, pred, n_cls)))
    fig = calibration_figure(curve, points, names, seen_mask, present, title=title)

    # ---- interactive part
    widgets = _ipywidgets()
    if widgets is None:
        return Explorer(fig)
    lo, hi = gamma_range(curve, include=() if gamma_val is None else (gamma_val,), pad=0.0)
    start = gamma_val if gamma_val is not None else 0.0
    slider = widgets.FloatSlider(value=start, min=float(lo), max=float(hi), step=float((hi - lo) / 400),
                                 description="γ", readout_format=".3f", continuous_update=True,
                                 layout=widgets.Layout(width="480px"))
    label = widgets.HTML()
    matrix = widgets.HTML()

    def update(change=None):
        g = float(slider.value)
        pred, res = predictions_at(scores, y, seen_mask, g)
        label.value = _score_text(g, res)
        matrix.value = _confusion_html(gzsl_confusion(y, pred, n_cls), names, seen_mask, present)

    slider.observe(update, names="value")
    update()
    buttons = [widgets.Button(description="γ = 0")]
    buttons[0].on_click(lambda _: setattr(slider, "value", 0.0))
    if gamma_val is not None:
        buttons.append(widgets.Button(description="γ from validation"))
        buttons[1].on_click(lambda _: setattr(slider, "value", gamma_val))
    box = widgets.VBox([widgets.HBox([slider, *buttons]), label, matrix])
    if display:
        _show(box)
    return Explorer(fig, box, {"gamma": slider, "scores": label, "matrix": matrix}, update)
