"""zsl_tutorial: the helper package of a hands-on course on zero-shot learning.

Importing it is cheap: numpy only. torch, transformers and sentence-transformers
load when a function that needs them is first called.
"""
from __future__ import annotations

__version__ = "0.2.0"

try:  # the one import every module needs: without it, say which Python this is and how to get the course's
    import numpy as _numpy  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by tests/test_launch.py
    import sys as _sys

    raise ImportError(
        f"zsl_tutorial needs numpy, which this Python ({_sys.executable}) does not have: it is probably not the "
        "course's environment. Run the command with .venv/bin/python (or `source .venv/bin/activate` first), "
        "or create the environment with `bash scripts/setup.sh`."
    ) from exc

from . import metrics
from .config import data_dir, fast_mode, limit_threads, pick, set_seed
from .data import View, ZSLDataset, make_split

__all__ = [
    "__version__",
    "ZSLDataset",
    "View",
    "make_split",
    "metrics",
    "data_dir",
    "fast_mode",
    "limit_threads",
    "pick",
    "set_seed",
]
