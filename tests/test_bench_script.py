"""Self-test of scripts/run_notebooks.py on tiny notebooks, with tiny budgets passed on the command line.

One notebook is fine; one runs a child process that holds ~250 MB and sleeps 1 s (past a 1 s budget, with its start-up) (so
the peak counts the kernel's children, and both budgets are broken); one raises. The real course
notebooks are not run here (that takes minutes; CI runs them through nbval).
"""
from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "run_notebooks.py"

HEAVY_CHILD = "import time; b = b'x' * (250 * 2**20); time.sleep(1.0)"


def _write(path: Path, *sources: str) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def _load_script():
    spec = importlib.util.spec_from_file_location("run_notebooks", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# In-process rather than as a subprocess: importing nbformat costs seconds (jsonschema's format
# checkers build a grammar at import), and this test process has paid that already.
BENCH = _load_script()


def _run(tmp_path: Path, *args: str) -> tuple[int, dict, str]:
    out_json, out_md = tmp_path / "out" / "bench.json", tmp_path / "out" / "bench.md"
    for stale in (out_json, out_md):
        stale.unlink(missing_ok=True)
    code = BENCH.main(["--notebooks-dir", str(tmp_path / "nbs"), "--out-dir", str(tmp_path / "exec"),
                       "--json", str(out_json), "--markdown", str(out_md), "--timeout", "60",
                       "--interval", "0.05", *args])
    report = json.loads(out_json.read_text()) if out_json.exists() else {}
    return code, report, out_md.read_text() if out_md.exists() else ""


@pytest.fixture
def notebooks(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _write(nbs / "01_fine.ipynb", "import os\nprint('fast =', os.environ.get('ZSL_FAST', 'unset'))")
    _write(nbs / "02_heavy.ipynb",
           f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {HEAVY_CHILD!r}], check=True)\nprint('done')")
    _write(nbs / "03_broken.ipynb", "print('before')", "raise RuntimeError('boom in the lesson')", "print('after')")
    (nbs / "not_a_lesson.ipynb").write_text("{}")  # not NN_*: ignored
    return tmp_path


def test_both_modes_json_markdown_and_budget_marks(notebooks):
    code, report, md = _run(notebooks, "01", "02", "--mode", "both", "--budget-s", "1", "--fast-budget-s", "1",
                            "--budget-mb", "200", "--course-budget-s", "1", "--fast-course-budget-s", "60")
    assert code == 0
    assert list(report["modes"]) == ["full", "fast"]
    for mode, block in report["modes"].items():
        fine, heavy = block["results"]
        assert [fine["notebook"], heavy["notebook"]] == ["01_fine", "02_heavy"]
        assert fine["ok"] and heavy["ok"] and fine["mode"] == heavy["mode"] == mode
        assert not fine["over_budget"], fine
        assert heavy["over_budget"] and heavy["wall_s"] > 1.0
        # The 250 MB live in a child of the kernel: only counting children puts the peak over 200 MB.
        assert heavy["peak_mb"] > 250 and fine["peak_mb"] < 200, (fine, heavy)
        notes = " ".join(heavy["budget_notes"])
        assert "wall" in notes and "> 1 s" in notes and "peak" in notes and "> 200 MB" in notes
        assert block["total_s"] == pytest.approx(fine["wall_s"] + heavy["wall_s"], abs=0.02)
    assert report["modes"]["full"]["over_course_budget"] and not report["modes"]["fast"]["over_course_budget"]
    # Each mode ran in its own kernels with its own ZSL_FAST.
    for mode, shown in (("full", "unset"), ("fast", "1")):
        nb = nbformat.read(notebooks / "exec" / mode / "01_fine.ipynb", as_version=4)
        assert nb.cells[0].outputs[0]["text"].strip() == f"fast = {shown}"
    assert "### full mode" in md and "### fast mode (ZSL_FAST=1)" in md
    assert "| 02_heavy |" in md and "**over budget**" in md and "**over the course budget**" in md
    assert md.count("| 01_fine |") == 2 and "| 01_fine | " in md


def test_strict_exit_code_on_budget_and_failed_notebook(notebooks):
    code, report, md = _run(notebooks, "03", "--mode", "fast", "--strict")
    assert code == 1  # a failure beats a budget
    (r,) = report["modes"]["fast"]["results"]
    assert not r["ok"] and r["failed_cell"] == 1 and "boom in the lesson" in r["error"]
    assert "**FAILED** (cell 1: " in md and "boom in the lesson" in md
    # The executed copy keeps the output up to the failure.
    nb = nbformat.read(notebooks / "exec" / "fast" / "03_broken.ipynb", as_version=4)
    assert nb.cells[0].outputs[0]["text"].strip() == "before" and not nb.cells[2].outputs

    # --inplace never writes a half-run notebook over its source.
    source = (notebooks / "nbs" / "03_broken.ipynb").read_text()
    code, report, _ = _run(notebooks, "03", "--inplace")
    assert code == 1 and (notebooks / "nbs" / "03_broken.ipynb").read_text() == source
    assert report["modes"]["full"]["results"][0]["executed_copy"] == str(notebooks / "exec" / "full" / "03_broken.ipynb")

    code, report, _ = _run(notebooks, "01", "--fast", "--strict", "--budget-mb", "1")
    assert code == 2
    assert report["modes"]["fast"]["results"][0]["over_budget"]


def test_no_matching_notebook_is_an_error(notebooks, capsys):
    code, _, _ = _run(notebooks, "99")
    assert code == 1 and "no notebooks matched" in capsys.readouterr().err


def test_caller_environment_is_restored(notebooks, monkeypatch):
    monkeypatch.setenv("ZSL_FAST", "maybe")
    with BENCH.fast_env(False):
        assert "ZSL_FAST" not in os.environ
    with BENCH.fast_env(True):
        assert os.environ["ZSL_FAST"] == "1"
    assert os.environ["ZSL_FAST"] == "maybe"


def test_zsl_fast_chooses_the_mode_when_no_flag_does_and_the_output_folder_is_named(notebooks, monkeypatch, capsys):
    monkeypatch.setenv("ZSL_FAST", "1")
    code, report, _ = _run(notebooks, "01")
    out = capsys.readouterr().out
    assert code == 0 and list(report["modes"]) == ["fast"] and "mode: fast (from ZSL_FAST)" in out
    assert f"fast mode: the executed notebooks are in {(notebooks / 'exec' / 'fast').resolve()}" in out
    code, report, _ = _run(notebooks, "01", "--mode", "full")  # a flag wins over the variable
    assert list(report["modes"]) == ["full"]
    monkeypatch.setenv("ZSL_FAST", "0")
    assert list(_run(notebooks, "01")[1]["modes"]) == ["full"]
