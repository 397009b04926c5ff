"""Whether a notebook's stored outputs come from its current code and the package's current sources.

``run_notebooks.py --inplace`` writes a stamp into the notebook's metadata after a full-mode run:
a hash of the notebook's code cells and a hash of every Python source of ``zsl_tutorial``. A test
recomputes both, so outputs stored by older code (a lesson edited, or the package changed, after
its last run) are caught. Markdown edits and output cleaning do not count: they change no number.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "zsl_tutorial"
KEY = "zsl_tutorial_outputs"


def code_hash(nb: Any) -> str:
    """sha256 of the code cells' sources, in order."""
    h = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            h.update(cell.source.encode() + b"\0")
    return h.hexdigest()


def package_hash(package: Path | None = None) -> str:
    """sha256 of every ``*.py`` under the package (default ``PACKAGE``), by relative path (caches ignored)."""
    package = PACKAGE if package is None else package
    h = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def stamp(nb: Any, mode: str) -> None:
    """Record, in the notebook's metadata, what produced its outputs."""
    nb.metadata[KEY] = {"mode": mode, "code": code_hash(nb), "package": package_hash()}


def staleness(nb: Any) -> str | None:
    """Why the stored outputs are stale, or None when they are fresh."""
    found = nb.metadata.get(KEY)
    if not found:
        return "its outputs carry no stamp of a full-mode run"
    if found.get("mode") != "full":
        return f"its outputs come from a {found.get('mode')!r}-mode run, not a full one"
    if found.get("code") != code_hash(nb):
        return "its code cells changed after its outputs were stored"
    if found.get("package") != package_hash():
        return "the package's Python sources changed after its outputs were stored"
    return None
