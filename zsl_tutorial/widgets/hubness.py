"""Lesson 03's hubness explorer: dimension, k and data controls over the k-occurrence histogram."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..diagnostics.hubness import HUBNESS_SOURCES, hubness_by_dimension, k_occurrence_self, sample_points
from ..metrics import hubness_skewness
from ..plots.hubness import hubness_figure
from ._base import Explorer, _ipywidgets, _show


def _histogram_svg(n_k: np.ndarray, k: int, width: int = 420, height: int = 160) -> str:
    """A small inline-SVG histogram of N_k (light enough to live-update and to store in a notebook)."""
    top = int(n_k.max())
    bins = np.arange(0, top + 2) if top < 40 else np.linspace(0, top + 1, 41)
    counts, edges = np.histogram(n_k, bins=bins)
    cmax = max(int(counts.max()), 1)
    pad_l, pad_b = 34, 22
    w, h = width - pad_l - 6, height - pad_b - 6
    bw = w / len(counts)
    bars = []
    for i, c in enumerate(counts):
        bh = h * c / cmax
        bars.append(f'<rect x="{pad_l + i * bw:.1f}" y="{6 + h - bh:.1f}" width="{max(bw - 1, 0.5):.1f}" '
                    f'height="{bh:.1f}" fill="#4c72b0"/>')
    kx = pad_l + w * (k - edges[0]) / (edges[-1] - edges[0])
    texts = [
        f'<line x1="{kx:.1f}" y1="6" x2="{kx:.1f}" y2="{6 + h}" stroke="#c44e52" stroke-dasharray="4,3"/>',
        f'<text x="{kx + 3:.1f}" y="16" font-size="10" fill="#c44e52">mean = k = {k}</text>',
        f'<text x="{pad_l}" y="{height - 6}" font-size="10">0</text>',
        f'<text x="{width - 6}" y="{height - 6}" font-size="10" text-anchor="end">N_k = {int(edges[-1])}</text>',
        f'<text x="{pad_l - 4}" y="14" font-size="10" text-anchor="end">{cmax}</text>',
        f'<text x="{pad_l - 4}" y="{6 + h}" font-size="10" text-anchor="end">0</text>',
        f'<line x1="{pad_l}" y1="{6 + h}" x2="{pad_l + w}" y2="{6 + h}" stroke="black"/>',
    ]
    return (f'<svg width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
            + "".join(bars) + "".join(texts) + "</svg>")


def _hub_text(source: str, dim: int, k: int, n_k: np.ndarray) -> str:
    sk = hubness_skewness(n_k)
    return (f"{source} data, d = {dim}, k = {k}: <b>skewness of N_k = {sk:.2f}</b>; "
            f"largest N_k = {int(n_k.max())} (mean {k}); {100 * np.mean(n_k == 0):.0f}% of points are "
            "nobody's neighbour (anti-hubs)")


def hubness_explorer(source: str = "gaussian", dims: Sequence[int] = (2, 10, 50, 200), k: int = 10,
                     n_points: int = 1000, seed: int = 0, *, curve_dims: Sequence[int] | None = None,
                     display: bool = True) -> Explorer:
    """Explore hubness: the k-occurrence distribution N_k of points among themselves, as the dimension grows.

    Parameters
    ----------
    source : ``"gaussian"``, ``"uniform"`` or ``"synthetic"`` (see :func:`hubness_by_dimension`).
    dims : the dimensions drawn as histograms in the static figure (and offered by the slider).
    k : neighbourhood size.
    n_points : points per data set.
    curve_dims : dimensions for the static skewness-vs-dimension panel (default: a log-spaced range).
    display : show the interactive widget (when ipywidgets is importable).

    Returns
    -------
    Explorer
        ``figure`` (always): one N_k histogram per dimension in ``dims`` and the
        skewness against the dimension for every source. ``widget`` (with
        ipywidgets): dimension and k sliders and a data dropdown, with a live
        histogram and skewness; ``controls`` = ``{"dim", "k", "source", "text", "histogram"}``.
    """
    if source not in HUBNESS_SOURCES:
        raise ValueError(f"source must be one of {HUBNESS_SOURCES}, got {source!r}.")
    dims = [int(d) for d in dims]
    if not dims or min(dims) < 1:
        raise ValueError("dims must be a non-empty list of positive integers.")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k < n_points:
        raise ValueError(f"k must be an integer in [1, {n_points - 1}], got {k!r}.")
    curve_dims = [1, 2, 3, 5, 10, 20, 50, 100, 200] if curve_dims is None else [int(d) for d in curve_dims]

    # ---- static part
    histograms = []
    for d in dims:
        n_k = k_occurrence_self(sample_points(source, d, n_points, seed), k)
        histograms.append((d, n_k, hubness_skewness(n_k)))
    curves = {src: hubness_by_dimension(curve_dims, k, src, n_points, seed) for src in HUBNESS_SOURCES}
    fig = hubness_figure(histograms, curve_dims, curves, k=k, n_points=n_points, source=source)

    # ---- interactive part
    widgets = _ipywidgets()
    if widgets is None:
        return Explorer(fig)
    options = sorted(set(curve_dims) | set(dims))
    dim_w = widgets.SelectionSlider(options=options, value=dims[-1], description="dimension",
                                    continuous_update=False, layout=widgets.Layout(width="420px"))
    k_w = widgets.IntSlider(value=int(k), min=1, max=min(50, n_points - 1), description="k",
                            continuous_update=False)
    src_w = widgets.Dropdown(options=list(HUBNESS_SOURCES), value=source, description="data")
    text = widgets.HTML()
    hist = widgets.HTML()

    def update(change=None):
        d, kk, src = int(dim_w.value), int(k_w.value), str(src_w.value)
        n_k = k_occurrence_self(sample_points(src, d, n_points, seed), kk)
        text.value = _hub_text(src, d, kk, n_k)
        hist.value = _histogram_svg(n_k, kk)

    for w in (dim_w, k_w, src_w):
        w.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([dim_w, k_w, src_w]), text, hist])
    if display:
        _show(box)
    return Explorer(fig, box, {"dim": dim_w, "k": k_w, "source": src_w, "text": text, "histogram": hist}, update)
