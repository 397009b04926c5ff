"""The GZSL protocol lives in the package once; lessons and modules call it instead of copying it.

A static check (the AST of every lesson's code cells, and of every package module) looks for
the protocol's steps written out again:

- ``calibrated-argmax``: ``argmax(scores - gamma * seen)`` (``metrics.calibrated_predict``);
- ``harmonic``: ``2 * u * s / (u + s)`` (``metrics.harmonic_mean``);
- ``gamma-midpoint``: ``(g[i] + g[i + 1]) / 2``, the γ rule (``SeenUnseenCurve.best``);
- ``rehearsal``: ``CalibratedStacking().fit(...)``, choosing γ by hand
  (``evaluation.rehearsal_calibration``, in ``evaluation/protocol.py``, or ``evaluate``).

Exempt: exercise cells (they call a ``check_...`` function), and cells tagged ``solution`` or
``from-scratch``, where a lesson writes an algorithm out once on purpose and compares it with
the package, as d2l does.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PACKAGE = ROOT / "zsl_tutorial"
EXEMPT_TAGS = {"solution", "from-scratch"}
#: Where each step is allowed to be written: its one home in the package.
HOMES = {
    "calibrated-argmax": {"metrics.py"},
    "harmonic": {"metrics.py"},
    "gamma-midpoint": {"metrics.py"},
    "rehearsal": {"protocol.py"},  # zsl_tutorial/evaluation/protocol.py
}


def _names(node: ast.AST) -> set[str]:
    """Every identifier in an expression (variable names and attribute names)."""
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
    return out


def _leaf_key(node: ast.AST) -> str | None:
    return ast.unparse(node) if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)) else None


def _has_calibrated_difference(node: ast.AST) -> bool:
    """``x - gamma * seen``-shaped: a subtraction of a product that names a gamma or a seen mask."""
    for n in ast.walk(node):
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Sub) and isinstance(n.right, ast.BinOp) \
                and isinstance(n.right.op, ast.Mult):
            names = {s.lower() for s in _names(n.right)}
            if any("gamma" in s or "seen" in s or "γ" in s for s in names):
                return True
    return False


def _product_terms(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _product_terms(node.left) + _product_terms(node.right)
    return [node]


def find_protocol_copies(source: str) -> list[str]:
    """The protocol steps that ``source`` writes out itself (see the module docstring)."""
    tree = ast.parse(source)
    found = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Call):
            f = n.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
            if name == "argmax":
                parts = list(n.args) + ([f.value] if isinstance(f, ast.Attribute) else [])
                if any(_has_calibrated_difference(p) for p in parts):
                    found.append("calibrated-argmax")
            if isinstance(f, ast.Attribute) and f.attr == "fit" and isinstance(f.value, ast.Call):
                inner = f.value.func
                if (inner.attr if isinstance(inner, ast.Attribute) else getattr(inner, "id", "")) == "CalibratedStacking":
                    found.append("rehearsal")
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div):
            num, den = n.left, n.right
            if isinstance(den, ast.BinOp) and isinstance(den.op, ast.Add):
                a, b = _leaf_key(den.left), _leaf_key(den.right)
                terms = _product_terms(num)
                keys = {_leaf_key(t) for t in terms}
                has_two = any(isinstance(t, ast.Constant) and t.value == 2 for t in terms)
                if a and b and has_two and {a, b} <= keys:
                    found.append("harmonic")
            if isinstance(den, ast.Constant) and den.value == 2 and isinstance(num, ast.BinOp) \
                    and isinstance(num.op, ast.Add) and isinstance(num.left, ast.Subscript) \
                    and isinstance(num.right, ast.Subscript) \
                    and ast.unparse(num.left.value) == ast.unparse(num.right.value):
                found.append("gamma-midpoint")
    return sorted(set(found))


def _cell_source(cell: dict) -> str:
    src = "".join(cell["source"])
    # IPython magics and shell escapes are not Python.
    return "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("!", "%")) else line
                     for line in src.splitlines())


def _is_exempt(cell: dict, source: str) -> bool:
    if EXEMPT_TAGS & set(cell.get("metadata", {}).get("tags", [])):
        return True
    calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
    return any(getattr(c.func, "id", getattr(c.func, "attr", "")).startswith("check_") for c in calls)


# ------------------------------------------------------------------ the detector itself
@pytest.mark.parametrize("snippet, kind", [
    ("pred = np.argmax(scores - gamma * view.seen_mask, axis=1)", "calibrated-argmax"),
    ("pred = (scores - g * seen).argmax(axis=1)", "calibrated-argmax"),
    ("h = 2 * u * s / (u + s)", "harmonic"),
    ("h = 2 * r.u * r.s / (r.u + r.s)", "harmonic"),
    ("gamma = (g[i] + g[i + 1]) / 2", "gamma-midpoint"),
    ("gamma = CalibratedStacking().fit(val_scores, val.y, val.seen_mask).gamma_", "rehearsal"),
])
def test_detector_finds_each_copy(snippet, kind):
    assert find_protocol_copies(snippet) == [kind]


@pytest.mark.parametrize("snippet", [
    "pred = calibrated_predict(scores, view.seen_mask, gamma)",
    "pred = np.argmax(scores, axis=1)",
    "pred = np.argmax(scores + 0.2 * log_prior, axis=1)",  # a prior, not calibration
    "h = harmonic_mean(u, s)",
    "mean = (u + s) / 2",
    "res = evaluate(ridge, ds)",
    "calib = rehearsal_calibration(model, ds)",
])
def test_detector_leaves_package_calls_alone(snippet):
    assert find_protocol_copies(snippet) == []


# ------------------------------------------------------------------ the lessons
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_lessons_call_the_protocol_instead_of_copying_it(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    copies = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source = _cell_source(cell)
        if _is_exempt(cell, source):
            continue
        for kind in find_protocol_copies(source):
            copies.append(f"cell {i}: {kind}")
    assert not copies, (
        f"{path.name} writes protocol steps out itself ({copies}); call zsl_tutorial.metrics / "
        "zsl_tutorial.evaluation instead, or tag the cell 'from-scratch' if it derives the step on purpose "
        "(and compares it with the package)."
    )


def test_from_scratch_cells_are_compared_with_the_package():
    """A lesson that writes the protocol out once also checks it against the package's evaluate."""
    nb = json.loads((ROOT / "notebooks" / "03_failure_modes.ipynb").read_text(encoding="utf-8"))
    cells = nb["cells"]
    scratch = [i for i, c in enumerate(cells) if "from-scratch" in c.get("metadata", {}).get("tags", [])]
    assert scratch, "lesson 03 writes the protocol out once, in a cell tagged from-scratch"
    later = "".join("".join(c["source"]) for c in cells[scratch[0] + 1:scratch[0] + 3])
    assert "evaluate(" in later and "agree" in later


# ------------------------------------------------------------------ the package
def test_each_protocol_step_has_one_home_in_the_package():
    copies = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "exercises" in path.parts:  # reference answers of the exercises
            continue
        for kind in find_protocol_copies(path.read_text(encoding="utf-8")):
            if path.name not in HOMES[kind]:
                copies.append(f"{path.relative_to(ROOT)}: {kind}")
    assert not copies, f"protocol steps written outside their home module: {copies}"
