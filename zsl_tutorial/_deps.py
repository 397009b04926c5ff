"""One gate for the heavy, lazily imported dependencies: right version, or one clear error.

Every lazy import of torch, scikit-learn, scipy, matplotlib, ipywidgets,
transformers or sentence-transformers in the package goes through
:func:`require`. It compares the installed version with
``zsl_tutorial.env.MIN_VERSIONS`` *before* importing, so a learner with an
old library (say a years-old torch in a shared environment) reads::

    ImportError: torch 1.13.1 is too old for zsl_tutorial: it needs torch >= 2.1.
    Fix: pip install -U "torch>=2.1"  (or run `bash scripts/setup.sh` in the course
    folder), then restart the kernel.

instead of an ``AttributeError`` deep inside a training loop. Each
(package, minimum) pair is checked once per process, so later calls cost a
dictionary lookup. Importing this module imports nothing heavy.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

__all__ = ["require", "DependencyError", "DISTRIBUTIONS"]

#: Import name -> distribution name on PyPI (the key of ``env.MIN_VERSIONS``).
DISTRIBUTIONS = {
    "torch": "torch",
    "torchvision": "torchvision",
    "sklearn": "scikit-learn",
    "scipy": "scipy",
    "matplotlib": "matplotlib",
    "ipywidgets": "ipywidgets",
    "transformers": "transformers",
    "sentence_transformers": "sentence-transformers",
    "tqdm": "tqdm",
    "threadpoolctl": "threadpoolctl",
    "numpy": "numpy",
}

# (distribution, minimum) pairs already found good in this process.
_CHECKED: set[tuple[str, str]] = set()


class DependencyError(ImportError):
    """A dependency is missing or older than the course supports (an ``ImportError``, so
    code that falls back when a package is absent keeps working)."""


def _installed_version(dist: str) -> str | None:
    """The installed version of a distribution, or None (a separate function so tests can fake it)."""
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _too_old(have: str, need: str) -> bool:
    have = have.split("+")[0]  # local labels like "2.3.0+cpu"
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:  # pragma: no cover - packaging is a declared dependency
        def key(v: str) -> tuple[int, ...]:
            parts = []
            for p in v.split("."):
                digits = "".join(ch for ch in p if ch.isdigit())
                parts.append(int(digits) if digits else 0)
            return tuple(parts)

        return key(have) < key(need)
    try:
        return Version(have) < Version(need)
    except InvalidVersion:  # an unusual dev build: do not block it
        return False


def _fix(dist: str, need: str | None) -> str:
    spec = f"{dist}>={need}" if need else dist
    return (f'Fix: pip install -U "{spec}"  (or run `bash scripts/setup.sh` in the course folder; '
            "on Colab re-run the first cell), then restart the kernel.")


def check_version(module: str) -> None:
    """Raise :class:`DependencyError` if the distribution behind ``module`` is missing or too old."""
    from .env import MIN_VERSIONS  # light: config + stdlib

    top = module.split(".")[0]
    dist = DISTRIBUTIONS.get(top, top)
    need = MIN_VERSIONS.get(dist)
    key = (dist, need or "")
    if key in _CHECKED:
        return
    have = _installed_version(dist)
    if have is None:
        # No metadata: maybe absent, maybe a source checkout. Let the import decide.
        if top not in sys.modules and importlib.util.find_spec(top) is None:
            raise DependencyError(f"{dist} is not installed, and zsl_tutorial needs it here"
                                  f"{f' (version >= {need})' if need else ''}.\n{_fix(dist, need)}")
    elif need and _too_old(have, need):
        raise DependencyError(
            f"{dist} {have} is too old for zsl_tutorial: it needs {dist} >= {need}.\n{_fix(dist, need)}"
        )
    _CHECKED.add(key)


def require(module: str) -> ModuleType:
    """Import ``module`` (e.g. ``"torch"``, ``"torch.nn.functional"``, ``"matplotlib.pyplot"``)
    after checking that its distribution meets ``env.MIN_VERSIONS``; return the module."""
    check_version(module)
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        if isinstance(exc, DependencyError):
            raise
        top = module.split(".")[0]
        dist = DISTRIBUTIONS.get(top, top)
        from .env import MIN_VERSIONS

        raise DependencyError(
            f"importing {module} failed ({type(exc).__name__}: {exc}). The installed {dist} "
            f"{_installed_version(dist) or ''} looks broken or incomplete.\n{_fix(dist, MIN_VERSIONS.get(dist))}"
        ) from exc
    if module.split(".")[0] == "torch":
        from .config import apply_pending_torch_seed

        apply_pending_torch_seed(sys.modules["torch"])
    return mod
