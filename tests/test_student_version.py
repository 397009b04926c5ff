"""The student-version script: solutions removed, stubs kept and matched to their solutions."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("make_student_version", ROOT / "scripts" / "make_student_version.py")
msv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(msv)


def _exercise_nb(stub_src: str, sol_src: str, hidden: bool = True):
    nb = new_notebook()
    sol = new_code_cell(sol_src)
    sol.metadata["tags"] = ["solution"]
    if hidden:
        sol.metadata["jupyter"] = {"source_hidden": True}
    nb.cells = [new_markdown_cell("# t"), new_code_cell(stub_src), sol, new_code_cell("print(1)")]
    return nb


STUB = "def harmonic(u, s):\n    raise NotImplementedError\ncheck_h(harmonic)"
SOL = "def harmonic(u, s):\n    return 2 * u * s / (u + s)\ncheck_h(harmonic)"


def test_student_copy_drops_only_solutions():
    nb = _exercise_nb(STUB, SOL)
    out = msv.student_copy(nb)
    assert [c.source for c in out.cells] == ["# t", STUB, "print(1)"]
    assert len(nb.cells) == 4  # the original is untouched


def test_matching_stub_passes_and_mismatch_is_reported():
    assert msv.check_notebook(_exercise_nb(STUB, SOL), "nb") == []
    bad = msv.check_notebook(_exercise_nb(STUB.replace("(u, s)", "(u)"), SOL), "nb")
    assert bad and "does not match" in bad[0]


def test_solution_must_be_collapsed_and_stub_must_be_a_stub():
    assert any("collapsed" in p for p in msv.check_notebook(_exercise_nb(STUB, SOL, hidden=False), "nb"))
    assert any("not a stub" in p for p in msv.check_notebook(_exercise_nb(SOL, SOL), "nb"))


def test_magics_do_not_break_parsing():
    assert msv._signatures("!pip install x\n%time 1\ndef f(a, b=1):\n    pass") == {"f": ["a", "b"]}


def test_course_notebooks_have_consistent_exercises():
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert msv.check_notebook(nbformat.read(path, as_version=4), path.name) == []
