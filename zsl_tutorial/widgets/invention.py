"""Lesson 04's "invent an animal" editor: attribute sliders feeding the conditional image GAN."""
from __future__ import annotations

import html
from typing import Sequence

import numpy as np

from ..diagnostics.invention import Invention, check_generator_and_dataset, edited_attributes, invent
from ..plots.images import image_strip, image_strip_rows
from ._base import Explorer, _ipywidgets, _show


def _edit_label(base: str, edits: dict[str, float]) -> str:
    return base + "".join(f" + {k}={v:g}" for k, v in edits.items())


def _png(images: np.ndarray, scale: int = 3) -> bytes:
    import io

    from .._deps import require

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


_SLIDER_COLUMNS = "repeat(auto-fill, minmax(300px, 1fr))"


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
    check_generator_and_dataset(ds, gan)
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
    vectors = [edited_attributes(ds, base, edits) for base, edits in rows]  # validates names and values
    start = rows[0][0] if start is None else str(start)
    edited_attributes(ds, start, {})
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
    # At most the cell's width: a narrower page scales the strip down (keeping its shape) instead of cutting it.
    image = widgets.Image(format="png", layout=widgets.Layout(width=f"min({strip_w}px, 100%)", height="auto"))
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
    # As many 300-px columns of sliders as the page has room for (three at JupyterLab's usual width, one on
    # a phone), so the editor is never cut off on the right.
    grid = widgets.GridBox(list(sliders.values()),
                           layout=widgets.Layout(grid_template_columns=_SLIDER_COLUMNS, grid_gap="0px 6px"))
    box = widgets.VBox([widgets.HBox([start_w, reset, noise]), grid, image, text])
    box.add_class("zsl-invent")
    if display:
        _show(box)
    return Explorer(fig, box, {"start": start_w, "sliders": sliders, "reset": reset, "noise": noise,
                               "image": image, "text": text}, update)
