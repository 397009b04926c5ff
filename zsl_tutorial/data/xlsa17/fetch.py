"""Getting the release: a verified ``xlsa17.zip`` (in place or downloaded), unpacked and recorded."""
from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

from ...config import data_dir
from ..download import DownloadError, safe_extract, sha256sum, verify_file
from ..download import download as _download
from .manifest import _check_cache, _file_record, _read_manifest, _write_manifest, manifest_path
from .release import (
    _ARCHIVE_NAME,
    _FILES,
    XLSA17_SHA256,
    XLSA17_SIZE,
    XLSA17_URL,
    Xlsa17FormatError,
    _canonical,
    _manual_hint,
    _resolve_url,
    logger,
)


def _valid_zip(path: Path) -> str | None:
    """None if ``path`` is a readable zip whose CRCs all check out, else the problem."""
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return f"{path.name} is not a valid zip archive ({exc})"
    if bad is not None:
        return f"{path.name} is corrupt: member {bad!r} fails its CRC check"
    return None


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


def _obtain_archive(zip_path: Path, url: str, name: str, root: Path, *, download: bool, progress: bool,
                    timeout: float) -> Path:
    """A verified xlsa17.zip at ``zip_path``: the one already there, or a fresh download."""
    pinned = url == XLSA17_URL  # a mirror or test server may serve another build of the archive
    sha, size = (XLSA17_SHA256, XLSA17_SIZE) if pinned else (None, None)
    if zip_path.exists():
        problem = _valid_zip(zip_path)
        if problem is None and (sha or size):
            problem = verify_file(zip_path, sha256=sha, size=size)
        if problem is None:
            return zip_path
        logger.warning("The cached archive looks corrupt (%s); deleting it.", problem)
        zip_path.unlink()
    if not download:
        raise FileNotFoundError(
            f"xlsa17/data/{name} is not in {root}, and nothing is downloaded unless you ask (about 0.9 GB): "
            f"run `python -m zsl_tutorial fetch xlsa17 {name}`, or pass download=True, or set "
            f"ZSL_DATASET={name} for lesson 07. Offline: download {url} on a machine with "
            f"internet access and place it at {zip_path}, {_manual_hint(name, root)}."
        )
    _download(url, zip_path, sha256=sha, size=size, timeout=timeout, progress=progress,
              hint=_manual_hint(name, root))
    problem = _valid_zip(zip_path)
    if problem is not None:
        zip_path.unlink()
        raise DownloadError(
            f"The file downloaded from {url} is not a usable archive: {problem}. It was deleted; try again, "
            f"or download it by hand, check it unzips, and place it at {zip_path}."
        )
    return zip_path


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
) -> Path:
    """Make sure ``<root>/xlsa17/data/<NAME>`` holds intact files; return that folder.

    Uses the files in place when they match the manifest, else an
    ``xlsa17.zip`` already in ``root``, else downloads it (``url``, or
    ``$ZSL_XLSA17_URL``, or :data:`XLSA17_URL`). The archive is unpacked
    whole (all five datasets), its and every file's sha256 are written to
    a manifest (``manifest.manifest_path``: in the package's cache directory, never in a folder
    you pointed at), and it is then deleted unless ``keep_archive``.
    """
    name = _canonical(name)
    root = Path(root).expanduser() if root is not None else data_dir()
    url = _resolve_url(url)
    ds_dir = root / "xlsa17" / "data" / name
    if all((ds_dir / f).is_file() for f in _FILES):
        problem = _check_cache(name, root, verify)
        if problem is None:
            return ds_dir
        if not download and not (root / _ARCHIVE_NAME).exists():
            raise Xlsa17FormatError(
                f"The cached xlsa17 {name} looks corrupt ({problem}) and download=False. Delete {ds_dir} and "
                f"load again with download=True, or replace the files from a good copy of {url}. If you "
                f"replaced them on purpose, delete {manifest_path(root / 'xlsa17')} so they are re-recorded."
            )
        logger.warning("The cached xlsa17 %s looks corrupt (%s); replacing it with a fresh copy.", name, problem)

    zip_path = _obtain_archive(root / _ARCHIVE_NAME, url, name, root, download=download,
                               progress=progress, timeout=timeout)
    with zipfile.ZipFile(zip_path) as zf:
        prefix = _member_prefix(zf, name)
        members = [
            m for m in zf.namelist()
            if m.startswith(prefix + "data/") and not m.endswith("/") and "__MACOSX" not in m
        ]
    base = root / "xlsa17"
    extracted = safe_extract(zip_path, base, members, strip_prefix=prefix)

    archive_sha = sha256sum(zip_path)
    manifest = _read_manifest(base)
    manifest["archive"] = {"url": url, "sha256": archive_sha, "size": zip_path.stat().st_size,
                           "unpacked": time.time()}
    for path in extracted:
        rel = path.relative_to(base).as_posix()
        manifest["files"][rel] = {**_file_record(path), "source": _ARCHIVE_NAME}
    _write_manifest(base, manifest)
    logger.info("Unpacked %s (sha256 %s) into %s.", zip_path.name, archive_sha, base)
    if not keep_archive:
        zip_path.unlink()
    missing = [f for f in _FILES if not (ds_dir / f).is_file()]
    if missing:
        raise Xlsa17FormatError(f"{url} unpacked without data/{name}/{missing[0]}; the archive is incomplete.")
    return ds_dir
