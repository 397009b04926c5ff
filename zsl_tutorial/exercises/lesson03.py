"""Checks for the exercises of lesson 03."""
from __future__ import annotations

import numpy as np

from ._runner import Case, run_checks

__all__: list[str] = []
