"""The manifest of an xlsa17 folder: size and sha256 of every unpacked file, so a later load detects a
corrupted cache. It lives in the package's cache directory, never in a folder the user pointed at
(:func:`manifest_path`)."""
from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Callable

from ..._locks import cache_lock
from ..download import sha256sum, write_json_atomic
from .release import _FILES, _MANIFEST_NAME, logger


def manifest_path(base: Path) -> Path:
    """Where the manifest of the xlsa17 folder ``base`` (``<root>/xlsa17``) is kept.

    Inside ``base`` when it is the package's own cache (``config.data_dir()``); for any other
    folder, in the cache directory's ``manifests/``, keyed by the folder's resolved path, so
    that nothing is written into a folder the user pointed at.
    """
    from ...config import data_dir

    cache = data_dir(create=False).expanduser().resolve()
    resolved = Path(base).expanduser().resolve()
    if resolved == cache or cache in resolved.parents:
        return Path(base) / _MANIFEST_NAME
    key = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:16]
    return cache / "manifests" / f"xlsa17-{key}.json"


def _read_manifest(base: Path) -> dict:
    import json

    path = manifest_path(base)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("files"), dict):
            return data
        raise ValueError("unexpected structure")
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        logger.warning("Ignoring unreadable xlsa17 manifest %s (%s); it will be rebuilt.", path, exc)
    return {"files": {}}


def _write_manifest(base: Path, manifest: dict) -> None:
    path = manifest_path(base)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(path, {**manifest, "folder": str(Path(base).expanduser().resolve())})
    except OSError as exc:  # a read-only shared copy still loads; it just is not re-checked later
        logger.info("Could not write the xlsa17 manifest in %s (%s).", base, exc)


def update_manifest(base: Path, change: Callable[[dict], None]) -> None:
    """Apply ``change`` to the manifest of ``base`` and write it, holding the manifest's lock.

    Read, change and write happen under one lock, so two processes recording different files (say,
    AWA2 and CUB found in place at the same time) never drop each other's entries.
    """
    path = manifest_path(base)
    try:
        with cache_lock(path, what="the xlsa17 manifest"):
            manifest = _read_manifest(base)
            change(manifest)
            _write_manifest(base, manifest)
    except OSError as exc:  # no lock where the manifest cannot be written either: a read-only copy
        logger.info("Could not update the xlsa17 manifest %s (%s).", path, exc)


def _file_record(path: Path) -> dict:
    return {"size": path.stat().st_size, "sha256": sha256sum(path)}


def _check_cache(name: str, root: Path, verify: bool) -> str | None:
    """Compare the dataset's files with the manifest; return a problem or None.

    Files seen for the first time (e.g. a manual copy) are hashed and recorded,
    so later loads can tell if they change.
    """
    base = root / "xlsa17"
    manifest = _read_manifest(base)
    new: dict[str, dict] = {}
    for fname in _FILES:
        rel = f"data/{name}/{fname}"
        path = base / "data" / name / fname
        entry = manifest["files"].get(rel)
        if entry is None:
            new[rel] = {**_file_record(path), "source": "found in place", "recorded": time.time()}
            continue
        actual_size = path.stat().st_size
        if actual_size != entry.get("size"):
            return f"{path} has {actual_size:,} bytes but {entry.get('size'):,} were recorded when it was unpacked"
        if verify:
            actual = sha256sum(path)
            if actual != entry.get("sha256"):
                return f"{path} has sha256 {actual}, but {entry.get('sha256')} was recorded when it was unpacked"
    if new:
        update_manifest(base, lambda m: m["files"].update(new))
    return None
