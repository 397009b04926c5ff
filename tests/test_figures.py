"""One figure style for the whole course: at most 7.5 in wide at 100 dpi, no text under 9 pt.

Checked three ways: on the stored outputs (every PNG a reader sees), on the code that draws them
(lessons and package), and by drawing the package's figures at the sizes the lessons use.
"""
from __future__ import annotations

import ast
import base64
import json
import re
import struct
from pathlib import Path

import numpy as np
import pytest

from zsl_tutorial.plots._mpl import MAX_WIDTH_IN, MIN_FONT_PT

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# What the site's page shows at 100%: 7.5 in at 100 dpi is 750 px; a tight bounding box may add a little.
PAGE_PX = 784
# Package code that draws (plots, widgets, the benchmark figure).
DRAWING_SOURCES = sorted([*(ROOT / "zsl_tutorial" / "plots").glob("*.py"), *(ROOT / "zsl_tutorial" / "widgets").glob("*.py"),
                          ROOT / "zsl_tutorial" / "benchmarks" / "runner.py"])
_SMALL_NAMES = {"xx-small", "x-small", "small"}  # 5.8, 6.9 and 8.3 pt at matplotlib's 10 pt default


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def _stored_pngs(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                yield i, _png_size(base64.b64decode("".join(png) if isinstance(png, list) else png))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_every_stored_figure_fits_the_page(path):
    wide = [(i, w) for i, (w, _) in _stored_pngs(path) if w > PAGE_PX]
    assert not wide, (f"{path.name}: figures wider than {PAGE_PX} px (cell, px): {wide}. Draw them at most "
                      f"{MAX_WIDTH_IN} in wide (stack the panels), then refresh: python scripts/run_notebooks.py "
                      f"--mode full --inplace {path.name[:2]}")


def test_the_lessons_have_figures_to_check():
    assert sum(1 for p in LESSONS for _ in _stored_pngs(p)) >= 30


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _style_problems(source: str, where: str) -> list[str]:
    """Literal figure widths over MAX_WIDTH_IN and literal font sizes under MIN_FONT_PT in ``source``."""
    problems = []
    for call in _calls(ast.parse(source)):
        for kw in call.keywords:
            value = kw.value
            if kw.arg == "figsize" and isinstance(value, ast.Tuple) and isinstance(value.elts[0], ast.Constant):
                if float(value.elts[0].value) > MAX_WIDTH_IN:
                    problems.append(f"{where}, line {call.lineno}: figsize width {value.elts[0].value} in")
            if kw.arg in ("fontsize", "labelsize", "title_fontsize") and isinstance(value, ast.Constant):
                v = value.value
                if (isinstance(v, (int, float)) and v < MIN_FONT_PT) or v in _SMALL_NAMES:
                    problems.append(f"{where}, line {call.lineno}: {kw.arg}={v!r}")
    return problems


def _lesson_code(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    # IPython magics and shell lines are not Python.
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for cell in cells for line in cell.splitlines())


def test_no_lesson_draws_wider_than_the_page_or_smaller_than_9_pt():
    problems = [p for path in LESSONS for p in _style_problems(_lesson_code(path), path.name)]
    assert not problems, "\n".join(problems)


def test_no_package_figure_is_wider_than_the_page_or_smaller_than_9_pt():
    problems = [p for path in DRAWING_SOURCES for p in _style_problems(path.read_text(encoding="utf-8"), path.name)]
    assert not problems, "\n".join(problems)


def test_the_style_check_finds_what_it_is_for():
    found = _style_problems("plt.subplots(figsize=(12, 3)); ax.legend(fontsize=8); ax.text(0, 0, 's', "
                            "fontsize='small'); plt.subplots(figsize=(7.5, 9)); ax.legend(fontsize=9)", "x")
    assert [re.sub(r".*: ", "", p) for p in found] == ["figsize width 12 in", "fontsize=8", "fontsize='small'"]


# --- the package's figures, drawn at the sizes the lessons use (and larger) ---

class _Images:
    """A stand-in data set: 10 classes of 28 x 28 uint8 images, three of them unseen."""

    def __init__(self, n_classes: int = 10, per_class: int = 25):
        rng = np.random.default_rng(0)
        self.y = np.repeat(np.arange(n_classes), per_class)
        self.X = rng.integers(0, 256, (len(self.y), 28, 28), dtype=np.uint8)
        self.n_classes = n_classes
        self.class_names = [f"class {c}" for c in range(n_classes)]
        self.unseen_classes = np.array([2, 6, 9])


def _width(fig) -> float:
    return float(fig.get_size_inches()[0])


@pytest.fixture()
def plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


@pytest.mark.parametrize("n_per_class", [8, 10, 20])
def test_class_image_grid_fits_and_draws_every_image(plt, n_per_class):
    from zsl_tutorial.plots import class_image_grid

    data = _Images()
    fig = class_image_grid(data, n_per_class=n_per_class, size=0.9)
    assert _width(fig) <= MAX_WIDTH_IN
    assert len(fig.axes) == data.n_classes  # one strip per class, not one axes per image
    strip = fig.axes[0].images[0].get_array()
    assert strip.shape == (28, n_per_class * 28 + (n_per_class - 1) * 2)  # every image, with a 2-px gap
    assert 0.0 <= float(strip.min()) and float(strip.max()) <= 1.0
    assert [ax.get_ylabel().endswith("(unseen)") for ax in fig.axes] == [c in (2, 6, 9) for c in range(10)]


def test_class_image_grid_scales_float_images_by_their_range(plt):
    """Floats in [0, 1] are drawn as they are; floats beyond 1 (say 0-16 pixel counts) by their maximum, not clipped."""
    from zsl_tutorial.plots import class_image_grid

    for top in (1.0, 16.0):
        data = _Images()
        data.X = data.X.astype(float) / 255.0 * top
        strip = class_image_grid(data, n_per_class=4).axes[0].images[0].get_array()
        assert 0.0 <= float(strip.min()) and float(strip.max()) <= 1.0
        assert float(strip.max()) > 0.9, "the brightest pixel stays bright"
        assert float((strip >= 1.0).mean()) < 0.05, "nothing is clipped: clipping would turn most pixels white"
        plt.close("all")


def test_heatmap_with_many_columns_fits(plt):
    from zsl_tutorial.plots import heatmap

    ax = heatmap(np.zeros((50, 85)), [f"c{i}" for i in range(50)], [f"a{j}" for j in range(85)])
    assert _width(ax.figure) <= MAX_WIDTH_IN


def test_image_grid_and_strips_fit(plt):
    from zsl_tutorial.plots import image_grid, image_strip_rows

    images = np.zeros((16, 28, 28))
    assert _width(image_grid(images, ncols=8, size=1.35)) <= MAX_WIDTH_IN
    fig = image_strip_rows([("horse + stripes=1", images[:12], "generated")] * 3)
    assert _width(fig) <= MAX_WIDTH_IN


def test_leaderboard_bars_fit_with_many_methods(plt):
    from zsl_tutorial.plots import leaderboard_bars

    rows = [{"method": f"method {i}", "h_mean": 0.5, "h_std": 0.01, "n": 3} for i in range(12)]
    assert _width(leaderboard_bars(rows, ("h",)).figure) <= MAX_WIDTH_IN
