#!/usr/bin/env python
"""Derive the student notebooks: every solution cell is removed, its stub stays.

    python scripts/make_student_version.py            # writes student/NN_*.ipynb
    python scripts/make_student_version.py --check    # only verify stubs match solutions

An exercise is a *stub* cell (a function whose body raises NotImplementedError,
followed by its ``check_...`` call) and the next cell, tagged ``solution`` and
collapsed, which defines the same function for real and checks it again. The
student copy keeps the stub, so its check prints "not yet" instead of failing.
Each stub must define the same functions with the same parameters as its
solution, or the learner would be asked to write something else than the checks
test; ``--check`` enforces that.
"""
from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def _signatures(source: str) -> dict[str, list[str]]:
    # IPython magics (!pip, %time) are not Python; blank them before parsing.
    lines = ["" if l.lstrip().startswith(("!", "%")) else l for l in source.splitlines()]
    tree = ast.parse("\n".join(lines))
    return {n.name: [a.arg for a in n.args.posonlyargs + n.args.args + n.args.kwonlyargs]
            for n in tree.body if isinstance(n, ast.FunctionDef)}


def solution_pairs(nb) -> list[tuple[int, int]]:
    """(stub index, solution index) for every solution cell."""
    pairs = []
    for i, cell in enumerate(nb.cells):
        if "solution" in cell.metadata.get("tags", []):
            j = i - 1
            while j >= 0 and nb.cells[j].cell_type != "code":
                j -= 1
            if j < 0:
                raise ValueError(f"solution cell {i} has no stub cell before it")
            pairs.append((j, i))
    return pairs


def check_notebook(nb, name: str) -> list[str]:
    problems = []
    for stub_i, sol_i in solution_pairs(nb):
        stub, sol = nb.cells[stub_i].source, nb.cells[sol_i].source
        s_stub, s_sol = _signatures(stub), _signatures(sol)
        if not s_sol:
            continue  # a value exercise: nothing to compare
        if s_stub != s_sol:
            problems.append(f"{name}: cell {stub_i} stub {s_stub} does not match solution cell {sol_i} {s_sol}")
        if "NotImplementedError" not in stub and "..." not in stub:
            problems.append(f"{name}: cell {stub_i} is not a stub (no NotImplementedError)")
        if not nb.cells[sol_i].metadata.get("jupyter", {}).get("source_hidden"):
            problems.append(f"{name}: solution cell {sol_i} is not collapsed (jupyter.source_hidden)")
    return problems


def student_copy(nb):
    drop = {i for _, i in solution_pairs(nb)}
    out = nbformat.from_dict(nb)
    # Outputs stay: the stub cells already show "not yet", and nbval still checks the marked cells.
    out.cells = [c for i, c in enumerate(nb.cells) if i not in drop]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only check stubs against solutions")
    ap.add_argument("--out", type=Path, default=ROOT / "student", help="where to write the student notebooks")
    args = ap.parse_args(argv)
    problems, written = [], 0
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        problems += check_notebook(nb, path.name)
        if not args.check:
            args.out.mkdir(parents=True, exist_ok=True)
            nbformat.write(student_copy(nb), args.out / path.name)
            written += 1
    for p in problems:
        print("problem:", p)
    if not args.check:
        print(f"wrote {written} student notebooks to {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
