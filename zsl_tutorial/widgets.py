"""Interactive explorers for lessons 03 and 04, each with a static matplotlib fallback.

- :func:`calibration_explorer`: a γ slider for calibrated stacking that
  live-updates u, s, H and the GZSL confusion matrix; the static part draws the
  seen–unseen curve with its AUSUC, the points for γ = 0 and for the γ chosen on
  validation, and the confusion matrices at both.
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
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from ._validation import check_labels, check_mask, check_matrix, check_scores
from .metrics import GZSLScore, calibrated_predict, gzsl_at, hubness_skewness, seen_unseen_curve
from .plots._mpl import pyplot as _plt
from .plots.calibration import calibration_figure
from .plots.confusion import draw_confusion, order_seen_first
from .plots.hubness import hubness_figure
from .plots.images import image_strip, image_strip_rows

__all__ = [
    "Explorer",
    "calibration_explorer",
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

#: Data the hubness explorer can draw points from.
HUBNESS_SOURCES = ("gaussian", "uniform", "synthetic")


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
    from ._deps import DependencyError, require

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




# ---------------------------------------------------------------- calibration
def gzsl_confusion(y_true, y_pred, n_classes: int) -> np.ndarray:
    """Row-normalised confusion matrix (true class x predicted class); rows without samples stay 0."""
    y_true = check_labels(y_true, n_classes, "y_true")
    y_pred = check_labels(y_pred, n_classes, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}.")
    C = np.zeros((n_classes, n_classes))
    np.add.at(C, (y_true, y_pred), 1.0)
    rows = C.sum(axis=1, keepdims=True)
    return np.divide(C, rows, out=np.zeros_like(C), where=rows > 0)


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


def _gzsl_at(scores, y, seen_mask, gamma: float) -> tuple[np.ndarray, GZSLScore]:
    """The calibrated predictions at ``gamma`` (for the confusion table) and their u, s, H."""
    return calibrated_predict(scores, seen_mask, gamma), gzsl_at(scores, y, seen_mask, gamma)


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


def plot_confusion(y_true, y_pred, class_names: Sequence[str], seen_mask, *, ax=None, title: str = ""):
    """Draw the row-normalised GZSL confusion matrix, seen classes first, unseen ones marked with *.

    Red lines separate the seen and unseen blocks; with at most 15 classes every
    cell of 5% or more is annotated. Returns the axes.
    """
    n_cls = len(class_names)
    seen_mask = check_mask(seen_mask, n_cls, "seen_mask")
    C = gzsl_confusion(y_true, y_pred, n_cls)
    present = np.bincount(check_labels(y_true, n_cls, "y_true"), minlength=n_cls) > 0
    if ax is None:
        _, ax = _plt().subplots(figsize=(5.5, 4.8))
    draw_confusion(ax, C, [str(c) for c in class_names], seen_mask, present, title)
    return ax


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
        pred, res = _gzsl_at(scores, y, seen_mask, g)
        points.append((lab, col, res, gzsl_confusion(y, pred, n_cls)))
    fig = calibration_figure(curve, points, names, seen_mask, present, title=title)

    # ---- interactive part
    widgets = _ipywidgets()
    if widgets is None:
        return Explorer(fig)
    inner = curve.gammas[1:-1]
    lo, hi = np.quantile(inner, [0.01, 0.99]) if inner.size else (-1.0, 1.0)
    lo = min(lo, 0.0, gamma_val if gamma_val is not None else 0.0)
    hi = max(hi, 0.0, gamma_val if gamma_val is not None else 0.0)
    if hi <= lo:
        hi = lo + 1.0
    start = gamma_val if gamma_val is not None else 0.0
    slider = widgets.FloatSlider(value=start, min=float(lo), max=float(hi), step=float((hi - lo) / 400),
                                 description="γ", readout_format=".3f", continuous_update=True,
                                 layout=widgets.Layout(width="480px"))
    label = widgets.HTML()
    matrix = widgets.HTML()

    def update(change=None):
        g = float(slider.value)
        pred, res = _gzsl_at(scores, y, seen_mask, g)
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


# -------------------------------------------------------------------- hubness
def k_occurrence_self(X, k: int = 10) -> np.ndarray:
    """N_k of points among themselves: how often each row of X is among the k nearest *other* rows.

    Euclidean distance; a point is never its own neighbour (unlike
    ``metrics.k_occurrence(X, X)``, which counts it). The counts sum to ``k * len(X)``.
    """
    from ._deps import require

    NearestNeighbors = require("sklearn.neighbors").NearestNeighbors
    X = check_matrix(X, "X")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k < len(X):
        raise ValueError(f"k must be an integer in [1, {len(X) - 1}] (fewer than the number of points), got {k!r}.")
    idx = NearestNeighbors(n_neighbors=int(k) + 1).fit(X).kneighbors(X, return_distance=False)
    # Drop each point itself; with duplicate points it may not come first, so remove it by value.
    rows = np.arange(len(X))[:, None]
    keep = idx != rows
    keep[keep.sum(axis=1) > k, -1] = False  # the point was not among its k+1 neighbours: drop the farthest
    return np.bincount(idx[keep].ravel(), minlength=len(X))


def _points(source: str, dim: int, n_points: int, seed: int) -> np.ndarray:
    if source not in HUBNESS_SOURCES:
        raise ValueError(f"source must be one of {HUBNESS_SOURCES}, got {source!r}.")
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise ValueError(f"dimension must be a positive integer, got {dim!r}.")
    rng = np.random.default_rng(seed)
    if source == "gaussian":
        return rng.standard_normal((n_points, int(dim)))
    if source == "uniform":
        return rng.random((n_points, int(dim)))
    from .data.synthetic import make_synthetic

    per = max(5, int(np.ceil(n_points / 50)))
    ds = make_synthetic(n_features=max(2, int(dim)), n_per_class=per, seed=seed)
    X = ds.X[rng.permutation(len(ds.X))[:n_points]].astype(np.float64)
    return X[:, :dim] if dim == 1 else X


def hubness_by_dimension(dims: Sequence[int], k: int = 10, source: str = "gaussian", n_points: int = 1000,
                         seed: int = 0) -> np.ndarray:
    """Skewness of N_k (points among themselves) for each dimension in ``dims``.

    ``source`` is ``"gaussian"`` (i.i.d. standard normal), ``"uniform"`` (unit
    cube) or ``"synthetic"`` (features of ``make_synthetic(n_features=dim)``).
    """
    if isinstance(n_points, bool) or not isinstance(n_points, (int, np.integer)) or n_points < 3:
        raise ValueError(f"n_points must be an integer >= 3, got {n_points!r}.")
    dims = [int(d) for d in dims]
    if not dims:
        raise ValueError("dims is empty; give at least one dimension.")
    return np.array([hubness_skewness(k_occurrence_self(_points(source, d, n_points, seed), k)) for d in dims])


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
        n_k = k_occurrence_self(_points(source, d, n_points, seed), k)
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
        n_k = k_occurrence_self(_points(src, d, n_points, seed), kk)
        text.value = _hub_text(src, d, kk, n_k)
        hist.value = _histogram_svg(n_k, kk)

    for w in (dim_w, k_w, src_w):
        w.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([dim_w, k_w, src_w]), text, hist])
    if display:
        _show(box)
    return Explorer(fig, box, {"dim": dim_w, "k": k_w, "source": src_w, "text": text, "histogram": hist}, update)


# ---------------------------------------------------------- invent an animal
@dataclass
class Invention:
    """What a generator makes of one attribute vector (see :func:`invent`).

    ``attributes`` is the vector, ``images`` the generated pictures (n, 28, 28)
    in [0, 1], ``nearest`` the class prototypes nearest to the vector in
    attribute space as ``(class name, Euclidean distance, seen?)``, nearest
    first, and ``predictions`` how many images the seen-class classifier gave
    to each class (``None`` without a classifier), most frequent first.
    """

    attributes: np.ndarray
    images: np.ndarray
    nearest: list[tuple[str, float, bool]]
    predictions: dict[str, int] | None = None

    def summary(self) -> str:
        """One line: the nearest prototype and the classifier's verdict."""
        name, dist, seen = self.nearest[0]
        text = f"nearest prototype: {name}{'' if seen else ' (unseen)'} (distance {dist:.2f})"
        if self.predictions is not None:
            n = len(self.images)
            text += "; seen-class CNN: " + ", ".join(f"{c} {k}/{n}" for c, k in self.predictions.items())
        return text


def _check_invent_dataset(ds, gan) -> None:
    for attr in ("S", "class_names", "aux_names", "seen_classes"):
        if not hasattr(ds, attr):
            raise TypeError(f"ds must be a ZSLDataset (with S, class_names, aux_names, seen_classes); "
                            f"{type(ds).__name__} has no {attr!r}.")
    if ds.aux_names is None:
        raise ValueError("ds has no aux_names: the attribute editor needs a name for every attribute column.")
    n_aux = getattr(gan, "n_aux_in_", None)
    if n_aux is None:
        from ._deps import require

        raise require("sklearn.exceptions").NotFittedError("The image GAN is not fitted yet. Call fit(images, y, S) first.")
    if ds.S.shape[1] != n_aux:
        raise ValueError(f"ds has {ds.S.shape[1]} attributes, but the GAN was trained with {n_aux}.")


def nearest_classes(a, S, k: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``S`` (class prototypes) nearest to the vector ``a`` by Euclidean distance: (indices, distances)."""
    S = check_matrix(S, "S")
    a = np.asarray(a, dtype=np.float64)
    if a.shape != (S.shape[1],) or not np.isfinite(a).all():
        raise ValueError(f"a must be a finite vector of {S.shape[1]} attributes (one per column of S), "
                         f"got shape {a.shape}.")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= len(S):
        raise ValueError(f"k must be an integer in [1, {len(S)}], got {k!r}.")
    dist = np.linalg.norm(S - a, axis=1)
    order = np.argsort(dist, kind="stable")[: int(k)]
    return order, dist[order]


def invent(gan, ds, attributes, classifier=None, *, n_images: int = 8, seed: int | None = None,
           k: int = 3) -> Invention:
    """Generate images for one attribute vector and say what it is nearest to.

    Parameters
    ----------
    gan : a fitted :class:`~zsl_tutorial.generative_images.ImageGAN`.
    ds : the dataset whose class prototypes (``ds.S``) and names are compared.
    attributes : the attribute vector (one value per ``ds.aux_names``).
    classifier : optional, with ``predict(uint8 images) -> class ids of ds`` (the seen-class
        CNN, ``animal_features(..., return_encoder=True)``); it can only answer with classes it was trained on.
    n_images, seed : how many images, and the noise seed (the same seed draws the same noise).
    k : how many nearest prototypes to report.
    """
    from .generative_images import to_uint8

    _check_invent_dataset(ds, gan)
    a = np.asarray(attributes, dtype=np.float64)
    idx, dist = nearest_classes(a, ds.S, k)
    seen = set(np.asarray(ds.seen_classes).tolist())
    nearest = [(ds.class_names[i], float(d), int(i) in seen) for i, d in zip(idx, dist)]
    images = gan.generate(a[None], n_images, seed=seed)[0]
    predictions = None
    if classifier is not None:
        if not callable(getattr(classifier, "predict", None)):
            raise TypeError(f"classifier must have a predict(images) method, got {type(classifier).__name__}.")
        pred = np.asarray(classifier.predict(to_uint8(images)))
        if pred.shape != (len(images),) or not np.issubdtype(pred.dtype, np.integer) \
                or pred.min() < 0 or pred.max() >= len(ds.class_names):
            raise ValueError("classifier.predict must return one class id of ds (0..n_classes-1) per image.")
        ids, counts = np.unique(pred, return_counts=True)
        order = np.argsort(-counts, kind="stable")
        predictions = {ds.class_names[ids[i]]: int(counts[i]) for i in order}
    return Invention(a, images, nearest, predictions)


def _edit_label(base: str, edits: dict[str, float]) -> str:
    return base + "".join(f" + {k}={v:g}" for k, v in edits.items())


def _edited(ds, base: str, edits: dict[str, float]) -> np.ndarray:
    if base not in ds.class_names:
        raise ValueError(f"unknown class {base!r}; choose one of {ds.class_names}.")
    a = ds.S[ds.class_names.index(base)].astype(np.float64).copy()
    for name, value in edits.items():
        if name not in ds.aux_names:
            raise ValueError(f"unknown attribute {name!r}; the attributes are {ds.aux_names}.")
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not 0 <= value <= 1:
            raise ValueError(f"attribute {name!r} must be a number in [0, 1], got {value!r}.")
        a[ds.aux_names.index(name)] = float(value)
    return a


def _png(images: np.ndarray, scale: int = 3) -> bytes:
    import io

    from ._deps import require

    imsave = require("matplotlib.image").imsave

    strip = np.kron(image_strip(images), np.ones((scale, scale)))
    buf = io.BytesIO()
    imsave(buf, strip, cmap="gray", vmin=0, vmax=1, format="png")
    return buf.getvalue()


def _invention_html(inv: Invention, base: str, changes: list[str]) -> str:
    near = ", ".join(f"{'<b>' if i == 0 else ''}{html.escape(n)}{'' if s else ' *'} ({d:.2f}){'</b>' if i == 0 else ''}"
                     for i, (n, d, s) in enumerate(inv.nearest))
    edit = "; ".join(changes) if changes else "no attribute changed"
    text = (f"<div>start: <b>{html.escape(base)}</b>, {html.escape(edit)}<br>"
            f"nearest class prototypes in attribute space: {near} <i>(* = unseen)</i>")
    if inv.predictions is not None:
        n = len(inv.images)
        pred = ", ".join(f"{html.escape(c)} {k}/{n}" for c, k in inv.predictions.items())
        text += f"<br>seen-class CNN on the generated images: {pred} <i>(it knows only the seen classes)</i>"
    return text + "</div>"


def invent_an_animal(gan, classifier, ds, *, start: str | None = None, rows: Sequence[tuple[str, dict]] | None = None,
                     attributes: Sequence[str] | None = None, n_images: int = 8, seed: int = 0,
                     display: bool = True) -> Explorer:
    """"Invent an animal": edit a class's attribute vector and watch what the image GAN draws.

    Parameters
    ----------
    gan : a fitted :class:`~zsl_tutorial.generative_images.ImageGAN` (trained on seen classes).
    classifier : the seen-class CNN (``predict(uint8 images)`` → class ids of ``ds``), or ``None``.
    ds : the Animal-MNIST dataset (``load_animals()``): prototypes ``ds.S``, ``class_names``, ``aux_names``.
    start : the class the editor starts from (default: the first row's class).
    rows : the static figure's rows, as ``(class name, {attribute: value})``; default: horse,
        horse + stripes = 1, zebra (when those classes exist; else the first class).
    attributes : which attributes get a slider (default: all of them).
    n_images, seed : images per row, and the noise seed (every row uses the same noise).
    display : show the interactive widget (when ipywidgets is importable).

    Returns
    -------
    Explorer
        ``figure`` (always): one row of generated images per entry of ``rows``, titled
        with the nearest prototype and the CNN's verdict. ``widget`` (with ipywidgets):
        a start-class dropdown, one 0–1 slider per attribute, "reset" and "new noise"
        buttons, the generated images and the same text, live; ``controls`` =
        ``{"start", "sliders" (dict by attribute), "reset", "noise", "image", "text"}``.
    """
    _check_invent_dataset(ds, gan)
    if isinstance(n_images, bool) or not isinstance(n_images, (int, np.integer)) or not 1 <= n_images <= 64:
        raise ValueError(f"n_images must be an integer in [1, 64], got {n_images!r}.")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")
    if rows is None:
        if {"horse", "zebra"} <= set(ds.class_names) and "stripes" in ds.aux_names:
            rows = [("horse", {}), ("horse", {"stripes": 1.0}), ("zebra", {})]
        else:
            rows = [(ds.class_names[0], {})]
    rows = [(str(base), dict(edits)) for base, edits in rows]
    if not rows:
        raise ValueError("rows is empty; give at least one (class name, {attribute: value}) pair.")
    vectors = [_edited(ds, base, edits) for base, edits in rows]  # validates names and values
    start = rows[0][0] if start is None else str(start)
    _edited(ds, start, {})
    names = list(ds.aux_names) if attributes is None else [str(a) for a in attributes]
    unknown = [a for a in names if a not in ds.aux_names]
    if unknown or not names:
        raise ValueError(f"attributes must name columns of ds.aux_names; unknown: {unknown or 'none given'}.")

    # ---- static part
    strips = []
    for (base, edits), a in zip(rows, vectors):
        inv = invent(gan, ds, a, classifier, n_images=n_images, seed=seed)
        strips.append((_edit_label(base, edits), inv.images, inv.summary()))
    fig = image_strip_rows(strips, suptitle="invent an animal: images drawn by the image GAN from an attribute "
                                            "vector (same noise in every row)")

    # ---- interactive part
    widgets = _ipywidgets()
    if widgets is None:
        return Explorer(fig)
    seen = set(np.asarray(ds.seen_classes).tolist())
    options = [(n + ("" if i in seen else " (unseen)"), n) for i, n in enumerate(ds.class_names)]
    start_w = widgets.Dropdown(options=options, value=start, description="start from")
    sliders = {a: widgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.05, description=a, readout_format=".2f",
                                      continuous_update=False, style={"description_width": "110px"},
                                      layout=widgets.Layout(width="300px"))
               for a in names}
    reset = widgets.Button(description="reset to the class")
    noise = widgets.Button(description="new noise")
    scale = 3  # the PNG's own pixel size, so the browser does not stretch it to the box width
    strip_w = scale * (28 * n_images + 2 * (n_images - 1))
    image = widgets.Image(format="png", layout=widgets.Layout(width=f"{strip_w}px", height=f"{scale * 28}px"))
    text = widgets.HTML()
    text.add_class("zsl-invent-text")
    state = {"seed": int(seed), "busy": False}

    def vector() -> np.ndarray:
        a = ds.S[ds.class_names.index(start_w.value)].astype(np.float64).copy()
        for name, w in sliders.items():
            a[ds.aux_names.index(name)] = float(w.value)
        return a

    def update(change=None):
        if state["busy"]:
            return
        base = start_w.value
        a0 = ds.S[ds.class_names.index(base)]
        a = vector()
        changes = [f"{n} {a0[j]:.2f}→{a[j]:.2f}" for j, n in enumerate(ds.aux_names) if abs(a[j] - a0[j]) > 1e-9]
        inv = invent(gan, ds, a, classifier, n_images=n_images, seed=state["seed"])
        image.value = _png(inv.images, scale)
        text.value = _invention_html(inv, base, changes)

    def load_class(change=None):
        a0 = ds.S[ds.class_names.index(start_w.value)]
        state["busy"] = True
        try:
            for name, w in sliders.items():
                w.value = float(np.clip(a0[ds.aux_names.index(name)], 0.0, 1.0))
        finally:
            state["busy"] = False
        update()

    def new_noise(_=None):
        state["seed"] += 1
        update()

    start_w.observe(load_class, names="value")
    for w in sliders.values():
        w.observe(update, names="value")
    reset.on_click(load_class)
    noise.on_click(new_noise)
    load_class()
    grid = widgets.GridBox(list(sliders.values()),
                           layout=widgets.Layout(grid_template_columns="repeat(3, 310px)", grid_gap="0px 6px"))
    box = widgets.VBox([widgets.HBox([start_w, reset, noise]), grid, image, text])
    box.add_class("zsl-invent")
    if display:
        _show(box)
    return Explorer(fig, box, {"start": start_w, "sliders": sliders, "reset": reset, "noise": noise,
                               "image": image, "text": text}, update)
