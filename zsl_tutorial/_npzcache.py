"""Cache files of numpy arrays (``.npz``) whose content is hashed on write and checked on read.

The threat is a damaged or tampered cache on the learner's own disk: bit rot, an interrupted write, a
mistaken edit, a file dropped into a shared cache. So :func:`read_npz` trusts nothing in the file:

- it never unpickles (object arrays are refused) and never lets a header make it allocate more than
  the caller's ``max_bytes`` (no ``MemoryError`` from a forged shape);
- every way a damaged file can fail (not a zip, bad CRC, broken deflate stream, bad ``.npy`` header,
  short data, wrong names) becomes one :class:`CacheDamaged` whose message says what is wrong;
- the arrays' :func:`content_sha256` is compared with the hash the caller pinned, so a file that is
  well formed but altered (zeroed images, shuffled labels) is caught too.

The hash covers names, dtypes, shapes and bytes of the arrays, not the zip file, so it does not depend
on the numpy version or the compression that wrote the file.

Where no hash can be pinned in the code (the CNN features depend on the learner's torch and data),
:func:`write_recorded` records it on first write in the folder's own ``manifest.json``, and
:func:`read_recorded` checks the file against that record: a file the manifest does not know (an older
version's, or one dropped in) is treated as damaged too.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from ._io import atomic_write

__all__ = ["CacheDamaged", "content_sha256", "read_npz", "write_npz", "read_recorded", "write_recorded"]

#: The file, beside the cache files, that records each one's content hash and array names.
MANIFEST = "manifest.json"

# Every way parsing untrusted bytes can fail here; each one means "this file is damaged".
_PARSE_ERRORS = (OSError, EOFError, ValueError, KeyError, TypeError, OverflowError, struct.error,
                 zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, UnicodeError)


class CacheDamaged(Exception):
    """A cache file is unreadable, holds the wrong arrays, or does not match its recorded hash."""


def content_sha256(arrays: Mapping[str, np.ndarray]) -> str:
    """The sha256 of the arrays' names, dtypes, shapes and bytes (C order), in sorted name order."""
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.asarray(arrays[name])
        h.update(f"{name}|{a.dtype.str}|{a.shape}|".encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def _read_member(zf: zipfile.ZipFile, name: str, budget: int) -> np.ndarray:
    """One ``.npy`` member, read only after its header was checked against its size and ``budget``."""
    info = zf.getinfo(f"{name}.npy")
    with zf.open(info) as fh:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise CacheDamaged(f"array {name!r} has .npy version {version}, which this cache never writes")
        if any(d < 0 for d in shape):
            raise CacheDamaged(f"array {name!r} has an impossible shape {shape}")
        if dtype.hasobject:  # an object array is a pickle: never loaded
            raise CacheDamaged(f"array {name!r} holds Python objects (a pickle); refused")
        nbytes = math.prod(shape) * dtype.itemsize
        if nbytes > budget:
            raise CacheDamaged(f"array {name!r} claims shape {shape} of {dtype} ({nbytes:,} bytes), more than "
                               f"this cache can hold ({budget:,} bytes)")
        data = fh.read(nbytes + 1)  # one byte more than needed shows trailing garbage
    if len(data) != nbytes:
        raise CacheDamaged(f"array {name!r} has {len(data):,} bytes of data, its header says {nbytes:,}")
    return np.frombuffer(bytearray(data), dtype).reshape(shape, order="F" if fortran else "C")


def read_npz(path: str | os.PathLike, names: Sequence[str], *, max_bytes: int,
             sha256: str | None) -> dict[str, np.ndarray]:
    """The arrays ``names`` of the cache file ``path``, checked; raise :class:`CacheDamaged` otherwise.

    ``max_bytes`` bounds what the file may make us allocate; ``sha256`` is the expected
    :func:`content_sha256` (``None`` skips that check, for callers that compare it themselves).
    ``FileNotFoundError`` when there is no file at all.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist")
    try:
        with zipfile.ZipFile(path) as zf:
            found = sorted(n[:-4] for n in zf.namelist() if n.endswith(".npy"))
            if found != sorted(names) or len(zf.namelist()) != len(names):
                raise CacheDamaged(f"it holds {sorted(zf.namelist())[:6]}, expected the arrays {sorted(names)}")
            arrays, budget = {}, int(max_bytes)
            for name in names:
                arrays[name] = _read_member(zf, name, budget)
                budget -= arrays[name].nbytes
    except CacheDamaged:
        raise
    except _PARSE_ERRORS as exc:
        raise CacheDamaged(f"it is unreadable ({type(exc).__name__}: {exc})") from exc
    if sha256 is not None and (actual := content_sha256(arrays)) != sha256:
        raise CacheDamaged(f"its content has sha256 {actual[:16]}..., expected {sha256[:16]}... (altered or damaged)")
    return arrays


def write_npz(path: str | os.PathLike, arrays: Mapping[str, np.ndarray]) -> str:
    """Write ``arrays`` to ``path`` atomically (compressed); return their :func:`content_sha256`.

    Hold the cache's lock (:func:`zsl_tutorial._locks.cache_lock`) around the call when other
    processes may write the same file.
    """
    with atomic_write(path) as fh:  # a crash mid-write must not leave a cache that looks valid
        np.savez_compressed(fh, **arrays)
    return content_sha256(arrays)


def _manifest(folder: Path) -> dict:
    """The folder's manifest (file name -> record), or {} when it is missing or unreadable."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def recorded(path: str | os.PathLike) -> dict | None:
    """The manifest's record of the cache file ``path`` (``{"sha256": ..., "names": [...]}``), or None."""
    path = Path(path)
    entry = _manifest(path.parent).get(path.name)
    if (isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and isinstance(entry.get("names"), list)
            and all(isinstance(n, str) for n in entry["names"])):
        return entry
    return None


def write_recorded(path: str | os.PathLike, arrays: Mapping[str, np.ndarray]) -> str:
    """:func:`write_npz`, then record the file's content hash and array names in the folder's manifest.

    Hold the file's own lock around the call; the manifest, shared by the folder's files, takes its own.
    """
    from ._locks import cache_lock

    path = Path(path)
    sha = write_npz(path, arrays)
    with cache_lock(path.parent / MANIFEST, what="the cache manifest"):
        data = _manifest(path.parent)
        data[path.name] = {"sha256": sha, "names": sorted(arrays)}
        with atomic_write(path.parent / MANIFEST, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
    return sha


def read_recorded(path: str | os.PathLike, *, max_bytes: int) -> dict[str, np.ndarray]:
    """The arrays of ``path``, checked against the manifest's record (:func:`read_npz`);
    :class:`CacheDamaged` when the file is damaged, altered, or unknown to the manifest.

    Takes the file's lock, the one its writer holds around :func:`write_recorded`: the writer puts the
    file in place before its manifest record, and a read between the two would call a sound file damaged.
    Never call it while holding that lock.
    """
    from ._locks import cache_lock

    with cache_lock(path, what="a cache file that another process is writing"):
        entry = recorded(path)
        if entry is None and Path(path).is_file():
            raise CacheDamaged(f"the cache's {MANIFEST} has no record of it (written by an older version of the "
                               "course, or put there by hand), so its content cannot be checked")
        if entry is None:
            raise FileNotFoundError(f"{path} does not exist")
        return read_npz(path, entry["names"], max_bytes=max_bytes, sha256=entry["sha256"])
