"""zsl_tutorial: the helper package of a hands-on course on zero-shot learning.

Importing it is cheap: numpy only. torch, transformers and sentence-transformers
load when a function that needs them is first called.
"""
from __future__ import annotations

__version__ = "0.2.0"

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
