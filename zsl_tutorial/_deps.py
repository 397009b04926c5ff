"""One gate for the heavy, lazily imported dependencies: right version, or one clear error.

Every import of torch, torchvision, scikit-learn, scipy, matplotlib, ipywidgets,
transformers, sentence-transformers or tqdm in the package goes through
:func:`require` (a test checks that). It compares the installed version with
:data:`MIN_VERSIONS` *before* importing, so a learner with an
old library (say a years-old torch in a shared environment) reads::

    ImportError: torch 1.13.1 is too old for zsl_tutorial: it needs torch >= 2.1.
    Fix: pip install -U "torch>=2.1"  (or run `bash scripts/setup.sh` in the course
    folder), then restart the kernel.

instead of an ``AttributeError`` deep inside a training loop. Each
(package, minimum) pair is checked once per process, so later calls cost a
dictionary lookup. Importing this module imports nothing heavy.

Layering (no import cycles): ``switches`` and ``_seeding`` (standard library) <-
``_deps`` (this module: the minimum versions and the only version comparison) <-
``config`` <- ``env``. This module imports no other module of the package but
``_seeding``.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

from ._seeding import apply_pending_torch_seed

__all__ = ["require", "check_version", "too_old", "DependencyError", "DISTRIBUTIONS",
           "MIN_VERSIONS"]

#: The oldest version of each dependency the course is tested against. Keep in
#: step with the lower bounds in pyproject.toml (a test checks that). ``env``
#: re-exports this very dict, so changing one changes the other.
MIN_VERSIONS = {
    "numpy": "1.24",
    "scipy": "1.10",
    "scikit-learn": "1.3",
    "matplotlib": "3.7",
    "tqdm": "4.64",
    "ipywidgets": "7.6",
    "platformdirs": "3.0",
    "filelock": "3.12",
    "threadpoolctl": "3.1",
    "torch": "2.1",
    "torchvision": "0.16",
    "transformers": "4.40",
    "sentence-transformers": "2.7",
}

#: Import name -> distribution name on PyPI (the key of :data:`MIN_VERSIONS`).
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
    "filelock": "filelock",
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


def too_old(have: str, need: str) -> bool:
    """True when version ``have`` is older than ``need``: the package's only version comparison.

    Local labels (``2.3.0+cpu``) are ignored, and an unparsable dev build is never called too old.
    """
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
    elif need and too_old(have, need):
        raise DependencyError(
            f"{dist} {have} is too old for zsl_tutorial: it needs {dist} >= {need}.\n{_fix(dist, need)}"
        )
    _CHECKED.add(key)


def require(module: str) -> ModuleType:
    """Import ``module`` (e.g. ``"torch"``, ``"torch.nn.functional"``, ``"matplotlib.pyplot"``)
    after checking that its distribution meets :data:`MIN_VERSIONS`; return the module.

    The first import of torch also applies a seed that ``config.set_seed`` left pending.
    """
    check_version(module)
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        if isinstance(exc, DependencyError):
            raise
        top = module.split(".")[0]
        dist = DISTRIBUTIONS.get(top, top)
        raise DependencyError(
            f"importing {module} failed ({type(exc).__name__}: {exc}). The installed {dist} "
            f"{_installed_version(dist) or ''} looks broken or incomplete.\n{_fix(dist, MIN_VERSIONS.get(dist))}"
        ) from exc
    if module.split(".")[0] == "torch":
        apply_pending_torch_seed(sys.modules["torch"])
    return mod
