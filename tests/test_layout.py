"""The package layout: old import paths keep working after a module became a package."""
from __future__ import annotations

import subprocess
import sys


def test_leaderboard_plots_is_a_deprecated_alias_of_plots():
    code = ("import warnings\n"
            "with warnings.catch_warnings(record=True) as w:\n"
            "    warnings.simplefilter('always')\n"
            "    import zsl_tutorial.leaderboard_plots as old\n"
            "import zsl_tutorial.plots as new\n"
            "assert [x.category for x in w] == [DeprecationWarning], w\n"
            "assert 'zsl_tutorial.plots' in str(w[0].message), w[0].message\n"
            "assert all(getattr(old, n) is getattr(new, n) for n in ('mean_map', 'leaderboard_bars', 'paired_dots'))\n"
            "assert old.__all__ == ['mean_map', 'leaderboard_bars', 'paired_dots']\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_plots_keeps_its_names():
    from zsl_tutorial import plots

    for name in ("image_grid", "class_image_grid", "heatmap", "similarity_matrix", "cosine_similarity",
                 "mean_map", "leaderboard_bars", "paired_dots"):
        assert callable(getattr(plots, name)) and name in plots.__all__


def test_widgets_only_display_and_keep_their_names():
    from zsl_tutorial import diagnostics, plots, widgets

    for name in ("gzsl_confusion", "k_occurrence_self", "hubness_by_dimension", "HUBNESS_SOURCES", "Invention",
                 "invent", "nearest_classes"):
        assert getattr(widgets, name) is getattr(diagnostics, name), name
    assert widgets.plot_confusion is plots.plot_confusion
    for name in widgets.__all__:
        assert hasattr(widgets, name), name


def test_readme_lesson_module_test_table_names_real_modules_and_tests():
    """README's lesson -> module -> test table must not rot: every module imports, every test file exists."""
    import importlib
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Where each lesson's code and tests live", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if re.match(r"\| (0\d|every)", line)]
    assert len(rows) == 10, "one row per lesson 00-08, and one for every lesson"
    for row in rows:
        _, modules, tests = (cell.strip() for cell in row.strip("|").split("|"))
        for name in re.findall(r"`([a-z_.]+)`", modules):
            if name[0].isupper():
                continue
            importlib.import_module(f"zsl_tutorial.{name}")
        for name in re.findall(r"`(test_[a-z_0-9]+)`", tests):
            assert (root / "tests" / f"{name}.py").exists(), f"README names tests/{name}.py, which does not exist"


def test_no_module_grows_past_the_layout_limit():
    """One job per module keeps modules short (about 400 lines); the largest today is f-CLSWGAN's estimator."""
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "zsl_tutorial"
    long = {str(p.relative_to(package)): n for p in package.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 460}
    assert not long, f"split these modules by job: {long}"
