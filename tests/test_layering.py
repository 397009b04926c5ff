"""The package's import structure: light foundation modules without cycles, and one gate for heavy imports.

Layering: ``switches`` and ``_seeding`` (standard library) <- ``_deps`` (minimum versions, the only
version comparison, ``require``) <- ``config`` <- ``env``; ``_validation`` needs numpy only.
Every import of a heavy library goes through ``_deps.require``, which checks its version first.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "zsl_tutorial"
FOUNDATION = {f"zsl_tutorial.{m}" for m in ("switches", "_seeding", "_deps", "config", "env", "_validation")}
STDLIB_ONLY = {"zsl_tutorial.switches", "zsl_tutorial._seeding"}
HEAVY = {"torch", "torchvision", "sklearn", "scipy", "matplotlib", "ipywidgets", "transformers",
         "sentence_transformers", "tqdm"}
GATE = "zsl_tutorial._deps"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _trees() -> dict[str, ast.Module]:
    return {name: ast.parse(path.read_text(), str(path)) for name, path in MODULES.items()}


def _absolute(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` reads from (``from ..config import x`` in data.xlsa17 -> config)."""
    if not node.level:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports, at module level *and* inside functions."""
    graph: dict[str, set[str]] = {}
    for name, tree in _trees().items():
        deps: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                target = _absolute(name, node)
                for alias in node.names:  # "from . import switches" imports a module, not a name
                    sub = f"{target}.{alias.name}"
                    deps.add(sub if sub in MODULES else target)
        graph[name] = {d for d in deps if d in MODULES and d != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), i.e. the import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


# ----------------------------------------------------------------------------- (a) no cycle in the foundation
def test_the_graph_sees_function_level_imports():
    graph = import_graph()
    assert "zsl_tutorial._deps" in graph["zsl_tutorial.config"]
    assert "zsl_tutorial.config" in graph["zsl_tutorial.text.hub"]  # imported inside resolve_device
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_foundation_modules_form_no_import_cycle():
    graph = import_graph()
    assert FOUNDATION <= set(graph)
    bad = [c for c in cycles(graph) if set(c) & FOUNDATION]
    assert not bad, f"import cycles through the foundation modules: {bad}"


def test_foundation_modules_import_only_lower_foundation_modules():
    graph = import_graph()
    for name in FOUNDATION:
        assert graph[name] <= FOUNDATION, f"{name} imports {sorted(graph[name] - FOUNDATION)}"
    assert graph[GATE] == {"zsl_tutorial._seeding"}, "the gate must not import config or env"
    assert "zsl_tutorial.env" not in graph["zsl_tutorial.config"]


def test_switches_and_seeding_use_the_standard_library_only():
    for name in STDLIB_ONLY:
        tree = ast.parse(MODULES[name].read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                tops = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                tops = {"<relative>"} if node.level else {(node.module or "").split(".")[0]}
            else:
                continue
            assert tops <= set(sys.stdlib_module_names) | {"__future__"}, f"{name} imports {tops}"


# ----------------------------------------------------------------------------- (b) one gate
def _in_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If):
            test = node.test
            if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
                    (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"):
                return True
    return False


def heavy_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) of every direct import of a heavy library, ``if TYPE_CHECKING:`` blocks excepted."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (isinstance(node.func, ast.Name) and node.func.id in ("import_module", "__import__"))):
            names = [str(node.args[0].value)]  # importlib.import_module("torch") is a bypass too
        else:
            continue
        for name in names:
            if name.split(".")[0] in HEAVY and not _in_type_checking(node, parents):
                found.append((node.lineno, name))
    return sorted(found)


def test_the_scanner_finds_every_spelling():
    src = ("import torch\nfrom sklearn.linear_model import Ridge\nimport numpy\n"
           "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import matplotlib.pyplot as plt\n"
           "def f():\n    from tqdm.auto import tqdm\n    import importlib\n"
           "    return importlib.import_module('scipy.linalg')\n")
    assert heavy_imports(ast.parse(src)) == [(1, "torch"), (2, "sklearn.linear_model"), (8, "tqdm.auto"),
                                             (10, "scipy.linalg")]


def test_every_heavy_import_goes_through_the_gate():
    offenders = [f"{MODULES[name].relative_to(PACKAGE.parent)}:{line} imports {mod}"
                 for name, tree in _trees().items() if name != GATE
                 for line, mod in heavy_imports(tree)]
    assert not offenders, "use zsl_tutorial._deps.require(...) instead:\n" + "\n".join(offenders)


def test_the_gate_knows_every_heavy_library_and_its_minimum():
    from zsl_tutorial import _deps, env

    assert HEAVY <= set(_deps.DISTRIBUTIONS)
    assert all(_deps.DISTRIBUTIONS[m] in _deps.MIN_VERSIONS for m in HEAVY)
    assert env.MIN_VERSIONS is _deps.MIN_VERSIONS  # re-exported, not copied


def test_one_version_comparison():
    from zsl_tutorial import _deps

    assert _deps.too_old("2.0.1", "2.1") and not _deps.too_old("2.3.0+cpu", "2.1")
    assert not _deps.too_old("not-a-version", "2.1")  # a dev build is never blocked
    env_src = MODULES["zsl_tutorial.env"].read_text()
    assert "Version(" not in env_src and "too_old(" in env_src


# ----------------------------------------------------------------------------- the pending seed, without config
def test_pending_seed_lives_below_the_gate():
    script = ("import sys\nfrom zsl_tutorial import _seeding, config\nconfig.set_seed(5)\n"
              "assert 'torch' not in sys.modules and _seeding.pending_torch_seed() == 5\n"
              "from zsl_tutorial._deps import require\ntorch = require('torch')\n"
              "assert _seeding.pending_torch_seed() is None\n"
              "a = torch.rand(2).tolist(); torch.manual_seed(5); assert a == torch.rand(2).tolist()\n"
              "assert config.seed_torch is _seeding.seed_torch\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
