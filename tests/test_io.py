"""One helper writes files atomically: zsl_tutorial._io.atomic_write."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from zsl_tutorial._io import atomic_write

PACKAGE = Path(__file__).resolve().parents[1] / "zsl_tutorial"


def test_a_whole_file_appears_and_no_temporary_is_left(tmp_path):
    path = tmp_path / "sub" / "arrays.npz"
    with atomic_write(path) as fh:
        np.savez(fh, x=np.arange(3))
    with np.load(path) as f:
        np.testing.assert_array_equal(f["x"], [0, 1, 2])
    with atomic_write(tmp_path / "a.txt", "w", encoding="utf-8") as fh:
        fh.write("hello")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "hello"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.txt", "arrays.npz", "sub"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "cache.npz"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="disk full"):
        with atomic_write(path) as fh:
            fh.write(b"half")
            raise RuntimeError("disk full")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["cache.npz"]
    with pytest.raises(ValueError, match="mode"):
        with atomic_write(path, "a"):
            pass


def test_only_the_helper_and_the_downloader_make_temporary_files():
    # download() streams into its own temp file and renames it only once verified.
    users = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if "mkstemp(" in p.read_text())
    assert users == ["_io.py", "data/download.py"]
