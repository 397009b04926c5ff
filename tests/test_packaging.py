"""The course's promises about installing and importing: light import, consistent requirements, true README."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pyproject_requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return [Requirement(r) for r in reqs]


def test_import_is_light():
    code = ("import sys, zsl_tutorial, zsl_tutorial.data, zsl_tutorial.metrics, zsl_tutorial.methods; "
            "print([m for m in ('torch', 'transformers', 'sentence_transformers', 'sklearn', 'matplotlib') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"import zsl_tutorial pulled in heavy modules: {out}"


def test_binder_has_one_environment_and_installs_the_tested_versions():
    """repo2docker reads binder/ only: one environment file there, the interpreter alone, and a postBuild
    that installs every package with constraints.txt (torch from the CPU index), as setup.sh does."""
    assert not (ROOT / "environment.yml").exists(), "a root environment.yml would be a second, ignored copy"
    env = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text())
    assert env["dependencies"] == ["python=3.11", "pip"]
    assert "Python 3.11" in (ROOT / "constraints.txt").read_text().splitlines()[0]  # the same interpreter
    post = (ROOT / "binder" / "postBuild").read_text()
    installs = [line for line in post.replace("\\\n", " ").splitlines() if line.startswith("pip install")]
    assert len(installs) == 2 and all("-c constraints.txt" in line for line in installs)
    assert "--index-url https://download.pytorch.org/whl/cpu" in installs[0] and installs[0].endswith("torch torchvision")
    assert '-e ".[course,test]"' in installs[1]
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)


def test_constraints_pin_every_requirement_within_its_range():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"constraints.txt must pin exactly: {line}"
            pins[canonicalize_name(req.name)] = spec.version
    for req in _pyproject_requirements():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} has no pin in constraints.txt"
        assert req.specifier.contains(pins[name]), f"pin {req.name}=={pins[name]} is outside {req.specifier}"


def test_min_versions_match_pyproject_lower_bounds():
    from zsl_tutorial.env import MIN_VERSIONS

    lower = {}
    for req in _pyproject_requirements():
        for spec in req.specifier:
            if spec.operator == ">=":
                lower[canonicalize_name(req.name)] = spec.version
    for name, version in MIN_VERSIONS.items():
        assert lower.get(canonicalize_name(name)) == version, f"{name}: env says {version}, pyproject {lower.get(name)}"


def test_check_requirements_names_the_fix(monkeypatch):
    from zsl_tutorial import env

    monkeypatch.setitem(env.MIN_VERSIONS, "numpy", "999.0")
    with pytest.raises(ImportError, match=r"numpy .* is too old \(need >= 999.0\)[\s\S]*pip install -U numpy"):
        env.check_requirements(["numpy"])
    assert env.check_requirements(["numpy"], raise_error=False)
    monkeypatch.setitem(env.MIN_VERSIONS, "surely-not-installed-pkg", "1.0")
    assert "not installed" in env.check_requirements(["surely-not-installed-pkg"], raise_error=False)[0]


def _readme_commands() -> list[str]:
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    return [line.strip() for b in blocks for line in b.splitlines() if line.strip()]


def test_readme_opens_with_course_and_test_commands_and_ci_runs_the_test_one():
    cmds = _readme_commands()
    assert cmds[:2] == ["bash scripts/course.sh", "bash scripts/test.sh"]
    ci = [l.strip() for l in (ROOT / ".ci/run").read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert cmds[1] in ci
    for script in ("scripts/course.sh", "scripts/test.sh", "scripts/setup.sh"):
        assert (ROOT / script).exists()


LINK = re.compile(r"\]\(\s*<?((?!https?://|mailto:|#)[^)#>\s]+)")
BADGE = re.compile(r"blob/main/(notebooks/[^)\s]+\.ipynb)")


def broken_links(text: str, base: Path) -> list[str]:
    """Relative links (resolved from ``base``) and Colab badge targets that do not exist in the repo."""
    bad = [t for t in LINK.findall(text) if not (base / t).exists()]
    return bad + [nb for nb in BADGE.findall(text) if not (ROOT / nb).exists()]


def test_broken_links_catches_a_missing_target(tmp_path):
    text = "[ok](README.md) [gone](notebooks/99_nope.ipynb) [web](https://x.org/a.md) " \
           "[badge](https://colab.research.google.com/github/o/r/blob/main/notebooks/98_gone.ipynb)"
    assert broken_links(text, ROOT) == ["notebooks/99_nope.ipynb", "notebooks/98_gone.ipynb"]


def test_readme_relative_links_exist():
    assert broken_links((ROOT / "README.md").read_text(), ROOT) == []


def test_instructor_guide_links_exist():
    guide = ROOT / "notebooks" / "INSTRUCTORS.md"
    assert broken_links(guide.read_text(), guide.parent) == []


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem)
def test_notebook_links_and_badges_exist(path):
    nb = json.loads(path.read_text())
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert broken_links(text, path.parent) == []
    assert f"blob/main/notebooks/{path.name}" in text, "each notebook carries its own Open-in-Colab badge"


NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_front_matter(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3", "keep the kernelspec (JupyterLab asks otherwise)"
    first = "".join(nb["cells"][0]["source"])
    assert first.startswith("# "), "a notebook opens with its title"
    for needle in ("Estimated time", "Learning objectives", "What you will be able to do",
                   f"notebooks/{path.name}"):
        assert needle in first, f"front matter lacks {needle!r}"
    colab = "".join(nb["cells"][1]["source"])
    assert 'if "google.colab" in sys.modules:' in colab, "the install cell must run only in Colab"
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "## Summary" in text and "## Further reading" in text
    assert re.search(r"(19|20)\d\d", text.split("## Further reading")[1]), "further reading lists papers with years"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_import_the_package_rather_than_define_helpers(path):
    nb = json.loads(path.read_text())
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "zsl_tutorial" in code
    assert not re.search(r"^class \w+", code, re.M), "notebooks import classes from zsl_tutorial, not define them"


def test_cli_env_runs():
    out = subprocess.run([sys.executable, "-m", "zsl_tutorial", "env"], capture_output=True, text=True, check=True)
    assert "data cache" in out.stdout and "numpy" in out.stdout
