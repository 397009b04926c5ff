"""The lesson-03 explorers: headless, with and without ipywidgets, and their sliders really drive the display."""
from __future__ import annotations

import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from zsl_tutorial import widgets as zw  # noqa: E402
from zsl_tutorial.metrics import gzsl_scores, hubness_skewness, k_occurrence, seen_unseen_curve  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def gzsl_problem(n_classes=6, n_seen=4, n_per=30, bias=1.0, seed=0):
    """Scores where the right class wins, but seen classes get a +bias: a biased GZSL model."""
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes), n_per)
    scores = rng.normal(0.0, 0.6, (len(y), n_classes))
    scores[np.arange(len(y)), y] += 1.5
    seen = np.arange(n_classes) < n_seen
    scores[:, seen] += bias
    return scores, y, seen, [f"class_{i}" for i in range(n_classes)]


def test_gzsl_confusion_rows_sum_to_one():
    C = zw.gzsl_confusion([0, 0, 1, 2, 2, 2], [0, 1, 1, 0, 2, 2], 4)
    np.testing.assert_allclose(C.sum(axis=1), [1, 1, 1, 0])
    np.testing.assert_allclose(C[0], [0.5, 0.5, 0, 0])
    np.testing.assert_allclose(C[2], [1 / 3, 0, 2 / 3, 0])
    with pytest.raises(ValueError, match="labels"):
        zw.gzsl_confusion([0, 1], [0], 3)


def test_calibration_explorer_interactive_slider_updates_the_text():
    scores, y, seen, names = gzsl_problem()
    ex = zw.calibration_explorer(scores, y, seen, names, gamma_val=0.9, display=False)
    import ipywidgets

    assert ex.interactive and isinstance(ex.widget, ipywidgets.VBox)
    assert isinstance(ex.controls["gamma"], ipywidgets.FloatSlider)
    assert isinstance(ex.figure, matplotlib.figure.Figure) and len(ex.figure.axes) >= 3
    label = ex.controls["scores"]
    assert ex.controls["gamma"].value == pytest.approx(0.9)
    start = label.value
    # The text is the GZSL score at the slider's gamma, recomputed independently here.
    res = gzsl_scores(y, np.argmax(scores - 0.9 * seen, axis=1), np.flatnonzero(seen), np.flatnonzero(~seen))
    assert f"H = {100 * res.h:.1f}%" in start
    ex.controls["gamma"].value = 0.0  # setting the value fires the observer, as dragging does
    res0 = gzsl_scores(y, np.argmax(scores, axis=1), np.flatnonzero(seen), np.flatnonzero(~seen))
    assert label.value != start and f"H = {100 * res0.h:.1f}%" in label.value
    assert res0.h < res.h  # the bias hurts H; calibration fixes it
    table_at_0 = ex.controls["matrix"].value
    ex.controls["gamma"].value = 0.9
    assert ex.controls["matrix"].value != table_at_0 and "<table" in table_at_0


def test_calibration_explorer_static_figure_marks_both_points():
    scores, y, seen, names = gzsl_problem()
    ex = zw.calibration_explorer(scores, y, seen, names, gamma_val=0.9, display=False)
    curve_ax = ex.figure.axes[0]
    legend = " ".join(t.get_text() for t in curve_ax.get_legend().get_texts())
    auc = seen_unseen_curve(scores, y, seen).auc
    assert f"AUSUC = {auc:.3f}" in legend and "γ = 0" in legend and "validation" in legend
    titles = [a.get_title() for a in ex.figure.axes[1:3]]
    assert "γ = 0" in titles[0] and "0.900" in titles[1]
    # Without a validation gamma: the curve and one confusion matrix.
    ex2 = zw.calibration_explorer(scores, y, seen, names, display=False)
    assert len([a for a in ex2.figure.axes if a.get_title()]) == 2


def test_calibration_explorer_many_classes_uses_a_block_summary():
    scores, y, seen, names = gzsl_problem(n_classes=30, n_seen=24, n_per=5)
    ex = zw.calibration_explorer(scores, y, seen, names, gamma_val=1.0, display=False)
    html = ex.controls["matrix"].value
    assert "seen images" in html and "unseen images" in html and html.count("<tr>") == 3


def test_calibration_explorer_falls_back_without_ipywidgets(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # `import ipywidgets` now raises ImportError
    scores, y, seen, names = gzsl_problem()
    ex = zw.calibration_explorer(scores, y, seen, names, gamma_val=0.9)  # display=True must not fail either
    assert ex.widget is None and not ex.interactive and ex.controls == {}
    assert isinstance(ex.figure, matplotlib.figure.Figure)
    assert "static only" in repr(ex)


def test_calibration_explorer_input_errors():
    scores, y, seen, names = gzsl_problem()
    with pytest.raises(ValueError, match="class_names"):
        zw.calibration_explorer(scores, y, seen, names[:-1], display=False)
    with pytest.raises(ValueError, match="both seen and unseen"):
        zw.calibration_explorer(scores[y < 4], y[y < 4], seen, names, display=False)
    with pytest.raises(ValueError, match="gamma_val"):
        zw.calibration_explorer(scores, y, seen, names, gamma_val=float("nan"), display=False)
    with pytest.raises(ValueError, match="rows"):
        zw.calibration_explorer(scores, y[:-1], seen, names, display=False)


def test_k_occurrence_self_excludes_the_point_itself():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 5))
    n_k = zw.k_occurrence_self(X, k=5)
    assert n_k.sum() == 5 * len(X)
    # Same as metrics.k_occurrence with k+1 neighbours, minus the point itself.
    np.testing.assert_array_equal(n_k, k_occurrence(X, X, k=6, metric="euclidean") - 1)
    X[1] = X[0]  # a duplicate: still k neighbours per point, none of them itself
    assert zw.k_occurrence_self(X, k=5).sum() == 5 * len(X)
    with pytest.raises(ValueError, match="k must be"):
        zw.k_occurrence_self(X, k=len(X))


def test_hubness_grows_with_dimension():
    sk = zw.hubness_by_dimension([2, 50], k=10, source="gaussian", n_points=500, seed=0)
    assert sk[1] > sk[0] + 1.0
    with pytest.raises(ValueError, match="source"):
        zw.hubness_by_dimension([2], source="cauchy")


def test_hubness_explorer_controls_update_the_text():
    ex = zw.hubness_explorer(dims=(2, 50), k=5, n_points=300, curve_dims=[2, 50], display=False)
    import ipywidgets

    assert isinstance(ex.widget, ipywidgets.VBox)
    text = ex.controls["text"]
    assert "d = 50" in text.value and "<svg" in ex.controls["histogram"].value
    n_k = zw.k_occurrence_self(zw._points("gaussian", 2, 300, 0), 5)
    ex.controls["dim"].value = 2
    assert "d = 2" in text.value and f"{hubness_skewness(n_k):.2f}" in text.value
    ex.controls["k"].value = 7
    assert "k = 7" in text.value
    ex.controls["source"].value = "synthetic"
    assert text.value.startswith("synthetic")
    # static part: one histogram per dim, plus the skewness-vs-dimension panel
    assert len(ex.figure.axes) == 3 and "skewness" in ex.figure.axes[-1].get_ylabel()


def test_hubness_explorer_falls_back_without_ipywidgets(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    ex = zw.hubness_explorer(dims=(3,), k=5, n_points=200, curve_dims=[2, 3])
    assert ex.widget is None and isinstance(ex.figure, matplotlib.figure.Figure)
    with pytest.raises(ValueError, match="source"):
        zw.hubness_explorer(source="nope")


def test_importing_widgets_does_not_import_ipywidgets():
    import subprocess

    code = "import sys, zsl_tutorial.widgets; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
