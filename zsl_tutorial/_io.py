"""Atomic file writes: a file either appears whole, with its new content, or not at all.

The content goes to a temporary file next to the target (hidden: ``.<name>.<random><suffix>``),
which is renamed onto the target with ``os.replace`` once it was written completely. A crash or
an exception part-way leaves the old file (or no file) in place and removes the temporary one.
Standard library only.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

__all__ = ["atomic_write"]


@contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb", *, encoding: str | None = None,
                 suffix: str = ".part") -> Iterator[IO]:
    """Open a temporary file for writing; on a clean exit it replaces ``path`` in one rename.

    ``with atomic_write(path) as fh: np.savez(fh, x=x)`` writes ``path`` atomically; ``mode`` is
    ``"wb"`` or ``"w"`` (then pass ``encoding``). The parent folder is created when missing.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"mode must be 'wb' or 'w', got {mode!r}.")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    try:
        with os.fdopen(fd, mode, encoding=encoding) as fh:
            yield fh
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
