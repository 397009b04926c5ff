"""Environment checks for the first cell of every notebook: versions, hardware, data cache."""
from __future__ import annotations

import os
import platform
import sys

from . import _deps, switches
from ._deps import MIN_VERSIONS, too_old
from .config import data_dir, fast_mode

__all__ = ["MIN_VERSIONS", "check_requirements", "report", "in_colab"]

# MIN_VERSIONS lives in _deps (the version gate) and is re-exported here: the same dict, so
# ``env.MIN_VERSIONS[...] = ...`` still changes what the gate checks.


def in_colab() -> bool:
    """True inside Google Colab."""
    return "google.colab" in sys.modules


def _installed(name: str) -> str | None:
    return _deps._installed_version(name)  # looked up at call time, so a test can fake it there


def check_requirements(names=None, *, raise_error: bool = True) -> list[str]:
    """Check that the named dependencies are installed and recent enough.

    Returns the list of problems; with ``raise_error`` (the default) a
    non-empty list becomes one ``ImportError`` that says how to fix all of
    them, instead of a deep traceback later in the notebook.
    """
    if isinstance(names, str):  # one name, not its letters
        names = [names]
    problems = []
    for name in names or MIN_VERSIONS:
        need = MIN_VERSIONS.get(name)
        have = _installed(name)
        if have is None:
            problems.append(f"{name} is not installed (need >= {need})")
        elif need and too_old(have, need):
            problems.append(f"{name} {have} is too old (need >= {need})")
    if problems and raise_error:
        raise ImportError(
            "This notebook needs newer packages:\n  - " + "\n  - ".join(problems)
            + "\nFix: run `bash scripts/course.sh` from the course folder, or "
            "`pip install -U " + " ".join(p.split()[0] for p in problems) + "`, then restart the kernel."
        )
    return problems


def _offline_line() -> str:
    """``"on (ZSL_OFFLINE=1)"`` or ``"off"``, by the one rule of :mod:`zsl_tutorial.switches`."""
    reason = switches.offline_reason()
    return f"on ({reason})" if reason else "off"


def report(heavy: bool = True) -> dict[str, str]:
    """Print and return a short environment report (versions, CPU/GPU, data cache, modes)."""
    info: dict[str, str] = {
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}",
        "cpu cores": str(os.cpu_count()),
        "running in": "Colab" if in_colab() else ("Binder" if os.environ.get("BINDER_SERVICE_HOST") else "local"),
        "data cache": str(data_dir()),
        "fast mode (ZSL_FAST)": "on" if fast_mode() else "off",
        "offline mode": _offline_line(),
    }
    for name in ("zsl-tutorial", "numpy", "scipy", "scikit-learn", "matplotlib", "torch", "torchvision",
                 "transformers", "sentence-transformers", "ipywidgets"):
        info[name] = _installed(name) or "not installed"
    if heavy and _installed("torch"):
        torch = _deps.require("torch")

        if torch.cuda.is_available():
            info["accelerator"] = f"CUDA: {torch.cuda.get_device_name(0)}"
        elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            info["accelerator"] = "Apple MPS"
        else:
            info["accelerator"] = "none (CPU only; every notebook is sized for this)"
    width = max(map(len, info))
    for k, v in info.items():
        print(f"{k:<{width}}  {v}")
    return info
