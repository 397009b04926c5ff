"""Launch links (#15): one repository name everywhere, a command that retargets it, and a Colab cell that
checks its own install. Colab cannot be reached from a test: its cell runs here with a simulated
``google.colab`` module and a recording stand-in for IPython's shell escapes."""
from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import types
from pathlib import Path

import pytest

import zsl_tutorial as PACKAGE

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("retarget", ROOT / "scripts" / "retarget.py")
retarget = importlib.util.module_from_spec(spec)
spec.loader.exec_module(retarget)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_every_link_names_the_one_repository():
    from zsl_tutorial.repository import REPOSITORY

    found = retarget.links()
    kinds = {what for _, what, _ in found}
    assert kinds == {what for what, _ in retarget.LINKS}, "every kind of link is found at least once"
    assert {name for _, _, name in found} == {REPOSITORY}
    for nb in NOTEBOOKS:  # each lesson: its badge and its install cell
        rel = str(nb.relative_to(ROOT))
        assert {what for path, what, _ in found if path == rel} >= {"Colab badge", "Colab install"}, rel


def test_readme_marks_the_placeholder_exactly_while_it_is_one():
    from zsl_tutorial.repository import PLACEHOLDER

    assert ("**Placeholder address.**" in (ROOT / "README.md").read_text()) == PLACEHOLDER


def test_retarget_rewrites_every_link_and_drops_the_placeholder_note(tmp_path):
    for rel in ("README.md", "pyproject.toml", "book/_config.yml", "zsl_tutorial/repository.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    (tmp_path / "notebooks").mkdir()
    for nb in NOTEBOOKS:
        shutil.copy(nb, tmp_path / "notebooks" / nb.name)
    before = retarget.links(tmp_path)

    changed = retarget.retarget("my-org/zsl-course", tmp_path)
    after = retarget.links(tmp_path)
    assert changed == len(before) == len(after)
    assert {name for _, _, name in after} == {"my-org/zsl-course"}
    assert "PLACEHOLDER = False" in (tmp_path / "zsl_tutorial" / "repository.py").read_text()
    readme = (tmp_path / "README.md").read_text()
    assert "Placeholder address" not in readme and "mybinder.org/v2/gh/my-org/zsl-course/main" in readme
    for nb in NOTEBOOKS:  # still valid notebooks, with the new name in the install cell
        cell = "".join(json.loads((tmp_path / "notebooks" / nb.name).read_text())["cells"][1]["source"])
        assert 'REPO = "my-org/zsl-course"' in cell
    with pytest.raises(ValueError, match="OWNER/NAME"):
        retarget.retarget("not a name", tmp_path)


def _run_install_cell(monkeypatch, *, in_colab: bool, installs: bool) -> tuple[list[str], str]:
    """Run lesson 00's install cell as IPython would (shell escapes recorded, not run); return the
    commands it ran and what it printed."""
    from IPython.core.inputtransformer2 import TransformerManager

    source = "".join(json.loads(NOTEBOOKS[0].read_text())["cells"][1]["source"])
    code = TransformerManager().transform_cell(source)
    commands: list[str] = []

    class Shell:
        def system(self, cmd):  # IPython expands {names} from the cell's namespace
            commands.append(cmd.format(**namespace))

    namespace = {"get_ipython": lambda: Shell()}
    if in_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    # None makes the import raise ImportError, as after a failed pip
    monkeypatch.setitem(sys.modules, "zsl_tutorial", PACKAGE if installs else None)
    printed: list[str] = []
    namespace["print"] = lambda *a, **k: printed.append(" ".join(map(str, a)))
    exec(compile(code, "install-cell", "exec"), namespace)
    return commands, "\n".join(printed)


def test_colab_cell_installs_from_the_repository_and_says_what_to_do_when_it_fails(monkeypatch):
    from zsl_tutorial.repository import REPOSITORY

    commands, printed = _run_install_cell(monkeypatch, in_colab=True, installs=False)
    assert commands[0] == f'pip install -q --no-deps "zsl-tutorial @ git+https://github.com/{REPOSITORY}"'
    assert "did not install" in printed and f"github.com/{REPOSITORY}" in printed and "run this cell again" in printed

    commands, printed = _run_install_cell(monkeypatch, in_colab=True, installs=True)
    assert len(commands) == 2 and printed == ""  # installed: silent

    commands, printed = _run_install_cell(monkeypatch, in_colab=False, installs=False)
    assert commands == [] and printed == ""  # local and Binder: nothing runs


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.stem)
def test_every_lesson_has_the_same_install_cell(path):
    first = "".join(json.loads(NOTEBOOKS[0].read_text())["cells"][1]["source"])
    assert "".join(json.loads(path.read_text())["cells"][1]["source"]) == first


def _fake_checkout(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the set-up scripts beside a recording ``.venv/bin/python``: every call's arguments go to
    a log instead of running (no pip, no network)."""
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    for name in ("setup.sh", "course.sh"):
        shutil.copy(ROOT / "scripts" / name, repo / "scripts" / name)
    for name in ("pyproject.toml", "constraints.txt"):
        shutil.copy(ROOT / name, repo / name)
    log = tmp_path / "calls.log"
    fake = repo / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n')
    fake.chmod(0o755)
    return repo, log


def _run(script: Path, *args: str, **env: str):
    import os
    import subprocess

    return subprocess.run(["bash", str(script), *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "ZSL_SKIP_CHROMIUM": "1", **env})


def test_setup_takes_torch_from_the_index_that_zsl_torch_index_names(tmp_path):
    repo, log = _fake_checkout(tmp_path)
    index = "https://download.pytorch.org/whl/cpu"
    done = _run(repo / "scripts" / "setup.sh", ZSL_TORCH_INDEX=index)
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    assert f"--index-url {index}" in calls[0] and calls[0].endswith("torch torchvision")
    assert "-c constraints.txt" in calls[0]  # the tested versions, from the other index
    assert "-e .[course,test,site]" in calls[1] and "--index-url" not in calls[1]
    log.unlink()
    assert _run(repo / "scripts" / "setup.sh", ZSL_TORCH_INDEX=index).returncode == 0
    assert "pip install" not in log.read_text()  # installed: a second run installs nothing
    log.unlink()
    assert _run(repo / "scripts" / "setup.sh").returncode == 0
    assert "--index-url" not in log.read_text() and "pip install" in log.read_text()  # the index changed: reinstall


def test_course_passes_arguments_to_jupyterlab_and_allows_root_only_as_root(tmp_path):
    import os

    repo, log = _fake_checkout(tmp_path)
    done = _run(repo / "scripts" / "course.sh", "--port", "8890")
    assert done.returncode == 0, done.stderr
    lab = log.read_text().splitlines()[-1]
    assert lab.startswith("-m jupyter lab notebooks/") and lab.endswith("--port 8890")
    assert ("--allow-root" in lab) == (os.geteuid() == 0)
    if os.geteuid() == 0:
        assert "running as root" in done.stderr


def test_setup_refuses_a_python_older_than_3_11_and_says_how_to_fix_it(tmp_path):
    repo, log = _fake_checkout(tmp_path)
    old = tmp_path / "python3.10"
    # A Python 3.10 stand-in: it answers --version, and the version check (-c ...) as 3.10 would.
    old.write_text('#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Python 3.10.12"; exit 0; fi\nexit 1\n')
    old.chmod(0o755)
    done = _run(repo / "scripts" / "setup.sh", PYTHON=str(old))
    assert done.returncode == 1
    assert "needs Python 3.11 or newer" in done.stderr and "Python 3.10.12" in done.stderr
    assert "PYTHON=python3.11 bash" in done.stderr
    assert not log.exists()  # nothing was installed


def test_importing_the_package_without_numpy_names_the_python_and_the_fix():
    import subprocess
    import sys

    code = "import sys; sys.modules['numpy'] = None\nimport zsl_tutorial"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert "zsl_tutorial needs numpy" in last and sys.executable in last and ".venv/bin/python" in last
