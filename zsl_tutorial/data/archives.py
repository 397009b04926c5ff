"""Safe extraction of downloaded archives: every member must land inside the target folder (no zip-slip,
no links out), the unpacked size and each member's compression ratio are capped (no zip bombs), a
corrupt stream is a clear error, and a partial extraction never replaces a good one."""
from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Iterable

__all__ = ["safe_extract", "archive_problem", "UnsafeArchiveError", "MAX_RATIO", "RATIO_FLOOR",
           "DEFAULT_SIZE_FACTOR"]

logger = logging.getLogger("zsl_tutorial.data.download")

#: Temporary files and folders of ours older than this are from a crashed run, and are removed.
STALE_AFTER_S = 6 * 3600
_CHUNK = 1 << 20
#: The highest compression ratio (unpacked : packed) a member may have. Real data (features, images,
#: text) packs at well under 10:1; 100:1 leaves a wide margin and still stops a bomb, whose ratios run
#: to 1000:1 and beyond.
MAX_RATIO = 100.0
#: Members that unpack to less than this are exempt from the ratio (a small file of zeros packs at
#: 1000:1 and harms nobody); the total cap bounds how many such members can add up.
RATIO_FLOOR = 1 << 20
#: Without an explicit ``max_size``, the members may unpack to at most this many times the archive's
#: size (and never less than 64 MiB), the same margin as :data:`MAX_RATIO` spread over the archive.
DEFAULT_SIZE_FACTOR = 20
# The ways a damaged member fails while being read: a bad CRC or header (BadZipFile), a broken deflate
# stream (zlib.error), an early end (EOFError), an unknown compression method (NotImplementedError), an
# encrypted member (RuntimeError: a password is needed).
CORRUPT_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


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
    """An archive member would land outside the target folder (zip-slip), is a link, or unpacks too large."""


def archive_problem(path: str | os.PathLike) -> str | None:
    """None if ``path`` is a readable zip whose every member decompresses and passes its CRC, else the problem."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
    except (OSError, *CORRUPT_ERRORS) as exc:
        return f"{path.name} is not a valid zip archive, or a corrupt one ({type(exc).__name__}: {exc})"
    if bad is not None:
        return f"{path.name} is corrupt: member {bad!r} fails its CRC check"
    return None


def _check_paths(plan: list, archive: Path) -> None:
    """Refuse two members with one path, or a file that another member needs as a folder."""
    files = [rel for _, rel in plan]
    folders = {"/".join(rel.split("/")[:i]) for rel in files for i in range(1, rel.count("/") + 1)}
    clash = sorted({r for r in files if files.count(r) > 1} | (set(files) & folders))
    if clash:
        raise UnsafeArchiveError(f"{archive.name}: member path {clash[0]!r} appears twice, or as both a file and a "
                                 "folder; refused as ambiguous.")


def _check_sizes(plan: list, archive: Path, max_size: int | None, max_ratio: float) -> None:
    """Refuse the archive if its members would unpack beyond ``max_size`` or one beyond ``max_ratio``.

    The declared sizes are enough: zipfile never returns more than a member's declared size (it stops
    there and the CRC check fails), so a header that lies cannot make it write more.
    """
    limit = max_size if max_size is not None else max(64 << 20, DEFAULT_SIZE_FACTOR * archive.stat().st_size)
    for info, _ in plan:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > max_ratio:
            raise UnsafeArchiveError(
                f"{archive.name}: member {info.filename!r} would unpack {info.compress_size:,} bytes into "
                f"{info.file_size:,} (ratio {ratio:,.0f}:1, more than max_ratio={max_ratio:g}); refused as a "
                "possible zip bomb. If you trust this archive, unzip it yourself."
            )
    total = sum(info.file_size for info, _ in plan)
    if total > limit:
        raise UnsafeArchiveError(
            f"{archive.name} would unpack to {total:,} bytes, more than the limit of {limit:,} (max_size); "
            "refused as a possible zip bomb. If you trust this archive, unzip it yourself."
        )


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
    max_size: int | None = None,
    max_ratio: float = MAX_RATIO,
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
    - The members to extract may unpack to ``max_size`` bytes in all, and a
      member over 1 MiB to at most ``max_ratio`` times its packed size;
      otherwise :class:`UnsafeArchiveError`, before anything is written.
    - A corrupt member (bad CRC, broken deflate stream) raises
      ``zipfile.BadZipFile`` naming the archive.
    - Files that already exist in ``target_dir`` are replaced; others are kept.

    The archive itself is left where it is: what to do with a refused one is the caller's decision.

    Parameters
    ----------
    members : iterable of str, optional
        Names inside the archive to extract (default: all of them).
    strip_prefix : str
        A leading folder to drop from every member name, e.g. ``"xlsa17/"``
        to unpack ``xlsa17/data/...`` as ``target_dir/data/...``. Members
        outside it are skipped.
    max_size : int, optional
        Bytes the extracted members may add up to; default 20 times the
        archive's size, at least 64 MiB. Pass the expected unpacked size plus
        a margin when it is known.
    max_ratio : float
        The highest unpacked : packed ratio of a member (default 100).
    """
    if isinstance(max_ratio, bool) or not isinstance(max_ratio, (int, float)) or not max_ratio >= 1:
        raise ValueError(f"max_ratio must be a number >= 1 (unpacked : packed), got {max_ratio!r}.")
    if max_size is not None and (isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 0):
        raise ValueError(f"max_size must be a whole number of bytes >= 0, or None for the default; got {max_size!r}.")
    zip_path, target = Path(zip_path), Path(target_dir).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    target_resolved = target.resolve()
    prefix = strip_prefix.replace("\\", "/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise zipfile.BadZipFile(
            f"{zip_path} is not a valid zip archive ({exc}); delete it and download it again."
        ) from exc
    with zf:
        infos = zf.infolist()
        # Check every name first, wanted or not: one bad member refuses the whole archive, so
        # nothing from a malicious or broken archive is ever written.
        for info in infos:
            _check_member(info.filename, target_resolved)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise UnsafeArchiveError(f"{zip_path.name}: member {info.filename!r} is a symbolic link; refused.")
        if members is not None:
            wanted = set(members)
            missing = wanted - {i.filename for i in infos}
            if missing:
                raise KeyError(f"{zip_path.name} has no member(s) {sorted(missing)[:5]}.")
            infos = [i for i in infos if i.filename in wanted]
        plan: list[tuple[zipfile.ZipInfo, str]] = []
        for info in infos:
            if prefix and not info.filename.startswith(prefix):
                continue
            rel = "/".join(p for p in info.filename[len(prefix):].split("/") if p not in ("", "."))
            if not rel or info.filename.endswith("/"):
                continue  # folders are created on demand
            _check_member(rel, target_resolved)
            plan.append((info, rel))
        _check_paths(plan, zip_path)
        if not plan:
            raise ValueError(f"{zip_path.name}: nothing to extract (prefix {strip_prefix!r}, members {members!r}).")
        _check_sizes(plan, zip_path, max_size, max_ratio)

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
        except CORRUPT_ERRORS as exc:
            raise zipfile.BadZipFile(
                f"{zip_path} is corrupt ({type(exc).__name__}: {exc}); nothing was extracted. Delete it and "
                "download it again."
            ) from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return [target.joinpath(*PurePosixPath(rel).parts) for _, rel in plan]
