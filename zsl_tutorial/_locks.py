"""One inter-process lock per cached file or folder, so that two processes on one machine (two notebooks, or
a class sharing one cache) never fetch, unpack or write the same thing at the same time.

The lock file sits next to what it protects (``.<name>.lock`` in the same folder): every process that can
write the target finds the same lock, whatever its ``ZSL_DATA_DIR``. ``filelock`` uses ``fcntl``/``msvcrt``
locks, which the operating system releases when a process dies, so a crash never leaves a lock held.
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["cache_lock", "lock_path"]

logger = logging.getLogger(__name__)


def lock_path(target: str | os.PathLike) -> Path:
    """The lock file that guards ``target`` (a file or a folder): ``<parent>/.<name>.lock``."""
    target = Path(target).expanduser()
    return target.parent / f".{target.name}.lock"


@contextmanager
def cache_lock(target: str | os.PathLike, *, what: str | None = None,
               timeout: float | None = None) -> Iterator[Path]:
    """Hold the lock of ``target`` for the ``with`` block; yields the lock file's path.

    Waits for another process that holds it (after a one-line message saying so, since a download
    can take minutes). ``timeout`` (seconds, default: wait as long as it takes) bounds the wait; past it,
    a :class:`TimeoutError` names the lock file. Not reentrant across calls: never nest two locks of
    the same target.
    """
    from ._deps import require

    filelock = require("filelock")  # lazy: only fetches and cache writes need it
    FileLock, Timeout = filelock.FileLock, filelock.Timeout
    path = lock_path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        logger.warning("Waiting for another process that is writing %s (lock %s).", what or target, path)
        try:
            lock.acquire(timeout=-1 if timeout is None else timeout)
        except Timeout:
            raise TimeoutError(
                f"Another process has held the lock {path} on {what or target} for more than {timeout:g} s. "
                f"Wait for it to finish, or stop it; if no such process runs, delete {path}."
            ) from None
    try:
        yield path
    finally:
        lock.release()
