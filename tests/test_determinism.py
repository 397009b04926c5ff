"""Running a notebook twice with the same seed prints the same numbers (on the CPU)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
# Wall-clock times and memory addresses legitimately differ between runs.
VOLATILE = [(re.compile(r"\d+(\.\d+)?\s*s\b"), "<T> s"), (re.compile(r"0x[0-9a-fA-F]+"), "<ADDR>"),
            (re.compile(r"\d+(\.\d+)?it/s"), "<RATE>")]


def _printed(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            text = o.get("text") or o.get("data", {}).get("text/plain", "")
            if text and "Figure size" not in text:
                for rx, repl in VOLATILE:
                    text = rx.sub(repl, text)
                out.append(text)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", ["01_seen_unseen_auxiliary"])
def test_notebook_prints_the_same_numbers_twice(name, monkeypatch):
    monkeypatch.setenv("ZSL_FAST", "1")
    path = ROOT / "notebooks" / f"{name}.ipynb"
    first, second = _printed(path), _printed(path)
    assert len(first) > 5
    assert first == second
