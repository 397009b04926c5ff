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
    legends = [a.get_legend() for a in ex.figure.axes if a.get_legend() is not None]
    legend = " ".join(t.get_text() for lg in legends for t in lg.get_texts())
    auc = seen_unseen_curve(scores, y, seen).auc
    assert f"AUSUC = {auc:.3f}" in legend and "γ = 0" in legend and "validation" in legend
    titles = [a.get_title() for a in ex.figure.axes if a.get_title()][1:]
    assert "γ = 0" in titles[0] and "0.900" in titles[1]
    # Readable on a page: the course's 7.5-inch width, and no text under 9 pt (few classes: every label shown).
    assert ex.figure.get_size_inches()[0] <= 7.5
    sizes = [t.get_fontsize() for a in ex.figure.axes for t in a.texts + a.get_xticklabels() + a.get_yticklabels()]
    sizes += [t.get_fontsize() for lg in legends for t in lg.get_texts()]
    assert min(sizes) >= 9, min(sizes)
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


def test_hubness_figure_fits_the_page():
    ex = zw.hubness_explorer(dims=(2, 10, 50, 200), display=False)
    assert ex.figure.get_size_inches()[0] <= 7.5
    sizes = [t.get_fontsize() for a in ex.figure.axes for t in [a.title] + a.get_xticklabels()]
    assert min(sizes) >= 9, min(sizes)


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


# ------------------------------------------------------------ invent an animal (lesson 04)
ANIMALS = ["horse", "zebra", "elephant", "bird"]
ATTRS = ["four_legs", "stripes", "trunk", "wings"]


def animal_ds():
    """A stand-in for load_animals(): four classes, four attributes; zebra is unseen and the only striped one."""
    from types import SimpleNamespace

    S = np.array([[1.0, 0.0, 0.0, 0.0],   # horse
                  [1.0, 1.0, 0.0, 0.0],   # zebra = horse + stripes
                  [1.0, 0.0, 1.0, 0.0],   # elephant
                  [0.0, 0.0, 0.0, 1.0]])  # bird
    return SimpleNamespace(S=S, class_names=list(ANIMALS), aux_names=list(ATTRS), seen_classes=np.array([0, 2, 3]))


class FakeGAN:
    """generate(): images that are bright when `trunk` is high, plus seeded noise; records its calls."""

    n_aux_in_ = 4

    def __init__(self):
        self.calls = []

    def generate(self, S, n_per_class=8, *, seed=None):
        S = np.atleast_2d(S)
        self.calls.append((S.copy(), n_per_class, seed))
        noise = np.random.default_rng(seed).random((n_per_class, 28, 28)) * 0.2
        level = 0.1 + 0.6 * S[:, 2] + 0.1 * S.mean(axis=1)
        return np.clip(level[:, None, None, None] + noise[None], 0, 1).astype(np.float32)


class BrightnessCNN:
    """A 'seen-class CNN': bright images are elephants (class 2), dim ones horses (class 0)."""

    def predict(self, images):
        assert images.dtype == np.uint8
        return np.where(images.reshape(len(images), -1).mean(axis=1) > 128, 2, 0)


def test_nearest_classes_by_hand():
    S = animal_ds().S
    idx, dist = zw.nearest_classes([1.0, 0.9, 0.0, 0.0], S, k=2)
    np.testing.assert_array_equal(idx, [1, 0])  # horse + (almost) stripes is nearest the zebra
    np.testing.assert_allclose(dist, [0.1, 0.9])
    with pytest.raises(ValueError, match="4 attributes"):
        zw.nearest_classes([1.0, 0.0], S)
    with pytest.raises(ValueError, match="k must be"):
        zw.nearest_classes([1.0, 0.0, 0.0, 0.0], S, k=5)


def test_invent_reports_nearest_prototype_and_the_cnn_verdict():
    ds, gan = animal_ds(), FakeGAN()
    inv = zw.invent(gan, ds, [1.0, 1.0, 0.0, 0.0], BrightnessCNN(), n_images=6, seed=3)
    assert inv.images.shape == (6, 28, 28)
    assert inv.nearest[0] == ("zebra", 0.0, False) and inv.nearest[1][:1] == ("horse",) and inv.nearest[1][2]
    assert inv.predictions == {"horse": 6}  # no trunk → dim images → "horse"
    assert "zebra (unseen)" in inv.summary() and "horse 6/6" in inv.summary()
    np.testing.assert_array_equal(gan.calls[-1][0], [[1.0, 1.0, 0.0, 0.0]])
    assert gan.calls[-1][1:] == (6, 3)
    assert zw.invent(gan, ds, ds.S[0]).predictions is None  # no classifier, no verdict

    class Wrong:
        def predict(self, images):
            return np.full(len(images), 9)

    with pytest.raises(ValueError, match="class id"):
        zw.invent(gan, ds, ds.S[0], Wrong())
    with pytest.raises(TypeError, match="predict"):
        zw.invent(gan, ds, ds.S[0], object())


def test_invent_an_animal_static_figure_rows():
    ex = zw.invent_an_animal(FakeGAN(), BrightnessCNN(), animal_ds(), n_images=4, display=False)
    assert isinstance(ex.figure, matplotlib.figure.Figure)
    axes = ex.figure.axes
    assert len(axes) == 3  # default rows: horse, horse + stripes, zebra
    labels = [a.get_ylabel().replace("\n", " ") for a in axes]
    assert labels == ["horse", "horse + stripes=1", "zebra"]
    titles = [a.get_title(loc="left") for a in axes]
    assert titles[0].startswith("nearest prototype: horse")
    assert titles[1].startswith("nearest prototype: zebra (unseen)")
    assert all("seen-class CNN" in t for t in titles)
    ex2 = zw.invent_an_animal(FakeGAN(), None, animal_ds(), rows=[("elephant", {"wings": 0.5})], display=False)
    assert len(ex2.figure.axes) == 1 and "CNN" not in ex2.figure.axes[0].get_title(loc="left")


def test_invent_an_animal_controls_drive_the_generator():
    import ipywidgets

    ds, gan = animal_ds(), FakeGAN()
    ex = zw.invent_an_animal(gan, BrightnessCNN(), ds, start="horse", n_images=5, display=False)
    c = ex.controls
    assert isinstance(ex.widget, ipywidgets.VBox) and isinstance(c["start"], ipywidgets.Dropdown)
    assert set(c["sliders"]) == set(ATTRS) and c["sliders"]["four_legs"].value == 1.0
    assert c["image"].value[:8] == b"\x89PNG\r\n\x1a\n"
    text = c["text"].value
    assert "<b>horse (0.00)</b>" in text and "no attribute changed" in text
    n_calls = len(gan.calls)
    c["sliders"]["stripes"].value = 1.0  # "a zebra is a horse with stripes"
    assert len(gan.calls) == n_calls + 1  # one slider move, one generation
    np.testing.assert_array_equal(gan.calls[-1][0], [[1.0, 1.0, 0.0, 0.0]])
    assert "stripes 0.00→1.00" in c["text"].value and "<b>zebra * (0.00)</b>" in c["text"].value
    image_before = c["image"].value
    c["noise"].click()
    assert gan.calls[-1][2] == 1 and c["image"].value != image_before  # new noise seed
    c["start"].value = "elephant"  # loading a class sets every slider, and generates once
    assert c["sliders"]["trunk"].value == 1.0 and c["sliders"]["stripes"].value == 0.0
    np.testing.assert_array_equal(gan.calls[-1][0], [ds.S[2]])
    assert "elephant 5/5" in c["text"].value
    c["sliders"]["wings"].value = 0.5
    c["reset"].click()
    assert c["sliders"]["wings"].value == 0.0 and "no attribute changed" in c["text"].value
    only = zw.invent_an_animal(gan, None, ds, attributes=["stripes"], display=False)
    assert list(only.controls["sliders"]) == ["stripes"]


def test_invent_an_animal_falls_back_without_ipywidgets(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    ex = zw.invent_an_animal(FakeGAN(), BrightnessCNN(), animal_ds())  # display=True must not fail either
    assert ex.widget is None and isinstance(ex.figure, matplotlib.figure.Figure) and len(ex.figure.axes) == 3


def test_invent_an_animal_input_errors():
    from sklearn.exceptions import NotFittedError

    ds, gan = animal_ds(), FakeGAN()
    with pytest.raises(ValueError, match="unknown class"):
        zw.invent_an_animal(gan, None, ds, rows=[("unicorn", {})], display=False)
    with pytest.raises(ValueError, match="unknown attribute"):
        zw.invent_an_animal(gan, None, ds, rows=[("horse", {"horn": 1.0})], display=False)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        zw.invent_an_animal(gan, None, ds, rows=[("horse", {"stripes": 2.0})], display=False)
    with pytest.raises(ValueError, match="unknown class"):
        zw.invent_an_animal(gan, None, ds, start="unicorn", display=False)
    with pytest.raises(ValueError, match="attributes"):
        zw.invent_an_animal(gan, None, ds, attributes=["horn"], display=False)
    with pytest.raises(ValueError, match="n_images"):
        zw.invent_an_animal(gan, None, ds, n_images=0, display=False)
    ds_no_names = animal_ds()
    ds_no_names.aux_names = None
    with pytest.raises(ValueError, match="aux_names"):
        zw.invent_an_animal(gan, None, ds_no_names, display=False)
    gan3 = FakeGAN()
    gan3.n_aux_in_ = 3
    with pytest.raises(ValueError, match="trained with 3"):
        zw.invent_an_animal(gan3, None, ds, display=False)
    with pytest.raises(TypeError, match="ZSLDataset"):
        zw.invent_an_animal(gan, None, object(), display=False)
    torch = pytest.importorskip("torch")  # noqa: F841
    from zsl_tutorial.generative_images import ImageGAN

    with pytest.raises(NotFittedError):
        zw.invent_an_animal(ImageGAN(), None, ds, display=False)


def test_invent_an_animal_with_a_real_image_gan():
    pytest.importorskip("torch")
    from zsl_tutorial.generative_images import ImageGAN

    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny network: one thread is fastest on a busy CPU
    ds = animal_ds()
    rng = np.random.default_rng(0)
    images = (rng.random((32, 28, 28)) * 255).astype(np.uint8)
    y = np.repeat([0, 2, 3, 0], 8)  # seen classes only, labels indexing rows of ds.S
    try:
        gan = ImageGAN(epochs=1, width=2, n_noise=2, batch_size=16, progress=False, device="cpu").fit(images, y, ds.S)
    finally:
        torch.set_num_threads(threads)
    ex = zw.invent_an_animal(gan, None, ds, n_images=3, display=False)
    assert len(ex.figure.axes) == 3 and ex.controls["image"].value[:4] == b"\x89PNG"


def _two_curves():
    """A rehearsal and a 'test' problem drawn alike, as the GZSL rehearsal mimics the test."""
    rehearsal = seen_unseen_curve(*gzsl_problem(seed=1)[:3])
    test = seen_unseen_curve(*gzsl_problem(seed=2)[:3])
    return rehearsal, test


def test_gamma_explorer_slider_reads_both_curves_and_the_figure_marks_the_choice():
    rehearsal, test = _two_curves()
    chosen, _ = rehearsal.best
    ex = zw.gamma_explorer(rehearsal, test, chosen, display=False)
    assert ex.interactive and set(ex.controls) == {"gamma", "table"}
    assert ex.controls["gamma"].value == pytest.approx(chosen)
    for gamma in (0.0, chosen, ex.controls["gamma"].max):
        ex.controls["gamma"].value = gamma
        html = ex.controls["table"].value
        for curve in (rehearsal, test):
            assert f"<b>{100 * curve.at(ex.controls['gamma'].value).h:.1f}</b>" in html
    ax = ex.figure.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(f"test H {100 * test.at(chosen).h:.1f}" in t for t in labels)
    assert any(f"a ceiling, not a result): {100 * test.best[1].h:.1f}" in t for t in labels)
    assert ex.figure.get_size_inches()[0] <= 7.5  # the course's figure width


def test_gamma_explorer_falls_back_without_ipywidgets_and_refuses_bad_input(monkeypatch):
    rehearsal, test = _two_curves()
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    ex = zw.gamma_explorer(rehearsal, test, 0.5)
    assert ex.widget is None and isinstance(ex.figure, matplotlib.figure.Figure)
    with pytest.raises(TypeError, match="rehearsal must be a SeenUnseenCurve"):
        zw.gamma_explorer(np.zeros(3), test, 0.5)
    with pytest.raises(ValueError, match="chosen must be a finite number"):
        zw.gamma_explorer(rehearsal, test, float("nan"))


def test_gamma_explorer_slider_holds_a_chosen_gamma_far_outside_the_curves():
    """The slider's range comes from the same gamma_range as the figure's, widened to the chosen γ, so the slider
    starts where the figure's green line is (ipywidgets would clamp a value outside its range)."""
    rehearsal, test = _two_curves()
    far = float(test.gammas[-1]) + 50.0
    ex = zw.gamma_explorer(rehearsal, test, far, display=False)
    assert ex.controls["gamma"].value == pytest.approx(far)
    assert ex.controls["gamma"].min < 0.0 < far < ex.controls["gamma"].max
    assert ex.figure.axes[0].get_xlim()[1] > far
