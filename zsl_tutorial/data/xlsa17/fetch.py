"""Getting the release: a verified ``xlsa17.zip`` (in place or downloaded), unpacked and recorded.

One process at a time does this for a given folder (a lock next to ``<root>/xlsa17``); another one waits,
then finds the files in place. An archive that is refused (corrupt, unsafe, too large, not the release)
is deleted, so it can never be reused and the next attempt downloads a fresh one.
"""
from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

from ..._locks import cache_lock
from ...config import data_dir
from ..archives import archive_problem
from ..download import DownloadError, UnsafeArchiveError, safe_extract, sha256sum, verify_file
from ..download import download as _download
from ..pace import MIN_RATE
from .manifest import _check_cache, _file_record, manifest_path, update_manifest
from .release import (
    _ARCHIVE_NAME,
    _FILES,
    XLSA17_MAX_UNPACKED,
    XLSA17_SHA256,
    XLSA17_SIZE,
    XLSA17_URL,
    Xlsa17FormatError,
    _canonical,
    _manual_hint,
    _resolve_url,
    logger,
)


def _member_prefix(zf: zipfile.ZipFile, name: str) -> str:
    """The folder above ``data/<NAME>/res101.mat`` inside the archive (``"xlsa17/"`` in the release)."""
    target = f"data/{name}/res101.mat"
    for member in zf.namelist():
        m = member.replace("\\", "/")
        if m.startswith("__MACOSX/"):
            continue
        if m == target or m.endswith("/" + target):
            return m[: -len(target)]
    sample = ", ".join(zf.namelist()[:5])
    raise Xlsa17FormatError(
        f"{zf.filename} has no {target}, so it is not the xlsa17 release (or not one with {name}); "
        f"its first members are: {sample}."
    )


def _not_downloaded(name: str, root: Path, url: str) -> FileNotFoundError:
    """The error for files that are missing while ``download=False``: the three ways to get them."""
    return FileNotFoundError(
        f"xlsa17/data/{name} is not in {root}, and nothing is downloaded unless you ask (about 0.9 GB): "
        f"run `python -m zsl_tutorial fetch xlsa17 {name}`, or pass download=True, or set "
        f"ZSL_DATASET={name} for lesson 07. Offline: download {url} on a machine with "
        f"internet access and place it at {root / _ARCHIVE_NAME}, {_manual_hint(name, root)}."
    )


def _obtain_archive(zip_path: Path, url: str, name: str, root: Path, *, download: bool, progress: bool,
                    timeout: float, deadline: float | None, min_rate: float) -> Path:
    """A verified xlsa17.zip at ``zip_path``: the one already there, or a fresh download."""
    pinned = url == XLSA17_URL  # a mirror or test server may serve another build of the archive
    sha, size = (XLSA17_SHA256, XLSA17_SIZE) if pinned else (None, None)
    if zip_path.exists():
        problem = archive_problem(zip_path)
        if problem is None and (sha or size):
            problem = verify_file(zip_path, sha256=sha, size=size)
        if problem is None:
            return zip_path
        logger.warning("The cached archive looks corrupt (%s); deleting it.", problem)
        zip_path.unlink()
    if not download:
        raise _not_downloaded(name, root, url)
    _download(url, zip_path, sha256=sha, size=size, timeout=timeout, deadline=deadline, min_rate=min_rate,
              progress=progress, hint=_manual_hint(name, root))
    problem = archive_problem(zip_path)
    if problem is not None:
        zip_path.unlink()
        raise DownloadError(
            f"The file downloaded from {url} is not a usable archive: {problem}. It was deleted; try again, "
            f"or download it by hand, check it unzips, and place it at {zip_path}."
        )
    return zip_path


def _unpack(zip_path: Path, base: Path, name: str, url: str) -> list[Path]:
    """Check the archive's layout, extract its datasets into ``base`` and return the files written.

    Raises :class:`Xlsa17FormatError`, :class:`UnsafeArchiveError` or ``zipfile.BadZipFile`` when the
    archive is refused, before anything is written.
    """
    with zipfile.ZipFile(zip_path) as zf:
        prefix = _member_prefix(zf, name)
        members = [
            m for m in zf.namelist()
            if m.startswith(prefix + "data/") and not m.endswith("/") and "__MACOSX" not in m
        ]
    missing = [f for f in _FILES if f"{prefix}data/{name}/{f}" not in members]
    if missing:  # checked before unpacking: a refused archive leaves nothing behind
        raise Xlsa17FormatError(f"{url} has no data/{name}/{missing[0]}; the archive is incomplete.")
    return safe_extract(zip_path, base, members, strip_prefix=prefix, max_size=XLSA17_MAX_UNPACKED)


def fetch_xlsa17(
    name: str,
    root: str | os.PathLike | None = None,
    *,
    download: bool = True,
    url: str | None = None,
    verify: bool = True,
    keep_archive: bool = False,
    progress: bool = True,
    timeout: float = 30,
    deadline: float | None = None,
    min_rate: float = MIN_RATE,
) -> Path:
    """Make sure ``<root>/xlsa17/data/<NAME>`` holds intact files; return that folder.

    Uses the files in place when they match the manifest, else an
    ``xlsa17.zip`` already in ``root``, else downloads it (``url``, or
    ``$ZSL_XLSA17_URL``, or :data:`XLSA17_URL`; ``timeout``, ``deadline`` and
    ``min_rate`` as in :func:`zsl_tutorial.data.download.download`). The archive is unpacked
    whole (all five datasets, at most :data:`~.release.XLSA17_MAX_UNPACKED` bytes), its and every
    file's sha256 are written to a manifest (``manifest.manifest_path``: in the package's cache
    directory, never in a folder you pointed at), and it is then deleted unless ``keep_archive``.
    An archive that is refused is deleted too, and the error says so.
    """
    name = _canonical(name)
    root = Path(root).expanduser() if root is not None else data_dir()
    url = _resolve_url(url)
    ds_dir = root / "xlsa17" / "data" / name
    base = root / "xlsa17"
    problem = _cache_problem(name, root, verify)
    if problem is None:
        return ds_dir
    if not download and not (root / _ARCHIVE_NAME).exists():
        if problem == "missing":
            raise _not_downloaded(name, root, url)
        raise Xlsa17FormatError(
            f"The cached xlsa17 {name} looks corrupt ({problem}) and download=False. Delete {ds_dir} and "
            f"load again with download=True, or replace the files from a good copy of {url}. If you "
            f"replaced them on purpose, delete {manifest_path(base)} so they are re-recorded."
        )
    with cache_lock(base, what=f"xlsa17 in {root}"):
        # Another process may have fetched it while this one waited for the lock.
        problem = _cache_problem(name, root, verify)
        if problem is None:
            return ds_dir
        if problem != "missing":
            logger.warning("The cached xlsa17 %s looks corrupt (%s); replacing it with a fresh copy.", name, problem)
        zip_path = _obtain_archive(root / _ARCHIVE_NAME, url, name, root, download=download, progress=progress,
                                   timeout=timeout, deadline=deadline, min_rate=min_rate)
        try:
            extracted = _unpack(zip_path, base, name, url)
        except (Xlsa17FormatError, UnsafeArchiveError, zipfile.BadZipFile) as exc:
            zip_path.unlink(missing_ok=True)  # refused: never reuse it
            raise type(exc)(f"{exc} The archive was deleted from {zip_path}; load again to download a fresh copy, "
                            f"or place a good copy of {url} there.") from exc
        archive = {"url": url, "sha256": sha256sum(zip_path), "size": zip_path.stat().st_size,
                   "unpacked": time.time()}
        records = {path.relative_to(base).as_posix(): {**_file_record(path), "source": _ARCHIVE_NAME}
                   for path in extracted}

        def record(manifest: dict) -> None:
            manifest["archive"] = archive
            manifest["files"].update(records)

        update_manifest(base, record)
        logger.info("Unpacked %s (sha256 %s) into %s.", zip_path.name, archive["sha256"], base)
        if not keep_archive:
            zip_path.unlink()
    return ds_dir


def _cache_problem(name: str, root: Path, verify: bool) -> str | None:
    """None when the dataset's files are in place and match the manifest, ``"missing"``, or the problem."""
    ds_dir = root / "xlsa17" / "data" / name
    if not all((ds_dir / f).is_file() for f in _FILES):
        return "missing"
    return _check_cache(name, root, verify)
