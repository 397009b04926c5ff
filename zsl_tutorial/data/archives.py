"""Safe extraction of downloaded archives: every member must land inside the target folder (no zip-slip,
no links out), and a partial extraction never replaces a good one."""
from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath
from typing import Iterable

__all__ = ["safe_extract", "UnsafeArchiveError"]

logger = logging.getLogger("zsl_tutorial.data.download")

#: Temporary files and folders of ours older than this are from a crashed run, and are removed.
STALE_AFTER_S = 6 * 3600
_CHUNK = 1 << 20


def remove_stale(folder: Path, pattern: str) -> None:
    """Delete our abandoned temporary files/folders matching ``pattern`` in ``folder``."""
    now = time.time()
    for p in folder.glob(pattern):
        try:
            if now - p.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        except OSError:  # another process may be removing it at the same moment
            pass


class UnsafeArchiveError(ValueError):
    """An archive member would land outside the target folder (zip-slip)."""


def _check_member(name: str, target: Path) -> None:
    """Raise :class:`UnsafeArchiveError` if member ``name`` would escape ``target``."""
    parts = name.replace("\\", "/").split("/")
    if (
        name.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", name)  # a Windows drive, "C:..."
        or ".." in parts
        or "\x00" in name
    ):
        raise UnsafeArchiveError(f"unsafe member name {name!r}")
    resolved = (target / name).resolve()
    if resolved != target and target not in resolved.parents:
        raise UnsafeArchiveError(f"member {name!r} would be written to {resolved}, outside {target}")


def _merge_into(src: Path, dst: Path) -> None:
    """Move the tree ``src`` into ``dst`` by renames, replacing files of the same name."""
    if src.is_dir() and dst.is_dir():
        for child in src.iterdir():
            _merge_into(child, dst / child.name)
        return
    if dst.is_dir() and not dst.is_symlink():
        shutil.rmtree(dst)
    elif dst.exists() or dst.is_symlink():
        dst.unlink()
    os.replace(src, dst)  # atomic: a whole file (or a whole new folder) appears at once


def safe_extract(
    zip_path: str | os.PathLike,
    target_dir: str | os.PathLike,
    members: Iterable[str] | None = None,
    *,
    strip_prefix: str = "",
) -> list[Path]:
    """Extract a zip archive into ``target_dir`` safely; return the extracted file paths.

    - Every member name is checked *before* anything is written: absolute
      paths, drive letters, ``..`` components or a resolved path outside
      ``target_dir`` (zip-slip) refuse the whole archive with
      :class:`UnsafeArchiveError`.
    - Members are extracted into a temporary folder next to ``target_dir``
      and only moved into place (by renames) once all of them were written and
      their CRCs checked, so a failure part-way (corrupt member, full disk)
      leaves nothing behind in ``target_dir``.
    - Files that already exist in ``target_dir`` are replaced; others are kept.

    Parameters
    ----------
    members : iterable of str, optional
        Names inside the archive to extract (default: all of them).
    strip_prefix : str
        A leading folder to drop from every member name, e.g. ``"xlsa17/"``
        to unpack ``xlsa17/data/...`` as ``target_dir/data/...``. Members
        outside it are skipped.
    """
    zip_path, target = Path(zip_path), Path(target_dir).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    target_resolved = target.resolve()
    prefix = strip_prefix.replace("\\", "/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    try:
        zf = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile as exc:
        raise zipfile.BadZipFile(
            f"{zip_path} is not a valid zip archive ({exc}); delete it and download it again."
        ) from exc
    with zf:
        infos = zf.infolist()
        if members is not None:
            wanted = set(members)
            missing = wanted - {i.filename for i in infos}
            if missing:
                raise KeyError(f"{zip_path.name} has no member(s) {sorted(missing)[:5]}.")
            infos = [i for i in infos if i.filename in wanted]
        # Check every name first: one bad member refuses the whole archive, so
        # nothing from a malicious or broken archive is ever written.
        plan: list[tuple[zipfile.ZipInfo, str]] = []
        for info in infos:
            _check_member(info.filename, target_resolved)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise UnsafeArchiveError(f"{zip_path.name}: member {info.filename!r} is a symbolic link; refused.")
            if prefix and not info.filename.startswith(prefix):
                continue
            rel = info.filename[len(prefix):]
            if not rel or rel.endswith("/"):
                continue  # folders are created on demand
            _check_member(rel, target_resolved)
            plan.append((info, rel))
        if not plan:
            raise ValueError(f"{zip_path.name}: nothing to extract (prefix {strip_prefix!r}, members {members!r}).")

        remove_stale(target.parent, f".{target.name}.extract-*")
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.extract-"))
        try:
            for info, rel in plan:
                out = staging.joinpath(*PurePosixPath(rel).parts)
                out.parent.mkdir(parents=True, exist_ok=True)
                # zipfile checks each member's CRC as it reads, so corruption raises here.
                with zf.open(info) as src, open(out, "wb") as dst:
                    shutil.copyfileobj(src, dst, _CHUNK)
            target.mkdir(parents=True, exist_ok=True)
            for child in list(staging.iterdir()):
                _merge_into(child, target / child.name)
        except zipfile.BadZipFile as exc:
            raise zipfile.BadZipFile(
                f"{zip_path} is corrupt ({exc}); nothing was extracted. Delete it and download it again."
            ) from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return [target.joinpath(*PurePosixPath(rel).parts) for _, rel in plan]
