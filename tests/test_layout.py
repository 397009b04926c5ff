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
