"""Fixtures shared by more than one test file."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

#: The animal-mnist wheel as setup.sh downloads it (``pip download --no-deps``).
REAL_WHEEL = Path.home() / ".cache" / "zsl-tutorial" / "wheels" / "animal_mnist-0.4-py3-none-any.whl"


@pytest.fixture
def wheel_home(tmp_path, monkeypatch):
    """A fresh ZSL_DATA_DIR holding a copy of the real wheel where fetch_animal_mnist looks for it;
    any attempt to run pip fails the test (the cache must come from the local wheel)."""
    from zsl_tutorial.data import animals

    if not REAL_WHEEL.is_file():
        pytest.skip(f"the real animal-mnist wheel is not cached at {REAL_WHEEL}")
    home = tmp_path / "zsl-data"
    (home / "wheels").mkdir(parents=True)
    shutil.copy(REAL_WHEEL, home / "wheels" / REAL_WHEEL.name)
    monkeypatch.setenv("ZSL_DATA_DIR", str(home))

    def fail(*args, **kwargs):  # pragma: no cover - only runs if the code under test misbehaves
        raise AssertionError(f"unexpected subprocess call {args!r}")

    monkeypatch.setattr(animals.subprocess, "run", fail)
    return home
