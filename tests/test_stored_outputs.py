"""What a reader without a kernel sees: stored outputs without machine paths, frozen progress bars or raw widget reprs."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import clean_outputs  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_stored_outputs_are_clean(path):
    found = clean_outputs.problems(nbformat.read(path, as_version=4))
    assert not found, (f"{path.name}: {found[:5]}. Fix: python scripts/clean_outputs.py (run_notebooks.py "
                       "--inplace does it too).")


def test_clean_drops_bars_rewrites_widget_reprs_and_paths():
    from zsl_tutorial.config import data_dir

    cache = str(data_dir(create=False))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("display_data", data={clean_outputs.WIDGET_MIME: {"model_id": "a"},
                                                     "text/plain": "CNN:   0%|          | 0/8"}),
        nbformat.v4.new_output("display_data", data={clean_outputs.WIDGET_MIME: {"model_id": "b"},
                                                     "text/plain": "VBox(children=(FloatSlider(value=0.1),))"}),
        nbformat.v4.new_output("stream", name="stdout", text=f"cache: {cache}/features/x.npz\nhome: {Path.home()}/y\n"),
        nbformat.v4.new_output("stream", name="stderr", text="epochs:  50%|#####     | 1/2\nreal warning\n"),
    ])])
    assert clean_outputs.problems(nb)  # the checker sees all of it
    assert clean_outputs.clean(nb) >= 4
    outs = nb.cells[0].outputs
    assert len(outs) == 3  # the bar is gone
    assert outs[0].data == {"text/plain": clean_outputs.WIDGET_TEXT}  # the note, and no view of a lost model
    assert "needs a live kernel" in clean_outputs.WIDGET_TEXT and "mybinder.org/v2/gh/" in clean_outputs.WIDGET_TEXT
    assert outs[1].text == "cache: <data cache>/features/x.npz\nhome: ~/y\n"
    assert outs[2].text == "real warning\n"
    assert clean_outputs.problems(nb) == []


import freshness  # noqa: E402  (scripts/, on the path above)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_stored_outputs_come_from_the_current_code(path):
    why = freshness.staleness(nbformat.read(path, as_version=4))
    assert why is None, (f"{path.name}: {why}. Refresh its stored outputs: "
                         f"python scripts/run_notebooks.py {path.name[:2]} --mode full --inplace")


def test_the_freshness_stamp_sees_code_and_package_changes(tmp_path, monkeypatch):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("text"), nbformat.v4.new_code_cell("x = 1")])
    assert "no stamp" in freshness.staleness(nb)
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "sub" / "m.py").write_text("A = 1\n")
    monkeypatch.setattr(freshness, "PACKAGE", pkg)
    freshness.stamp(nb, "full")
    assert freshness.staleness(nb) is None
    nb.cells[0].source = "other text"  # markdown changes no number
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="1\n")]  # nor does output cleaning
    assert freshness.staleness(nb) is None
    nb.cells[1].source = "x = 2"
    assert "code cells changed" in freshness.staleness(nb)
    nb.cells[1].source = "x = 1"
    (pkg / "sub" / "m.py").write_text("A = 2\n")
    assert "package's Python sources changed" in freshness.staleness(nb)
    freshness.stamp(nb, "fast")
    assert "'fast'-mode run" in freshness.staleness(nb)
