"""What the xlsa17 release is: its datasets, where it comes from, its files and folders, and its error."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from ... import switches
from ...config import data_dir

logger = logging.getLogger(__package__)  # one logger for the whole loader: zsl_tutorial.data.xlsa17

#: The datasets inside the release, in their folder spelling.
XLSA17_DATASETS = ("AWA1", "AWA2", "CUB", "SUN", "APY")
#: The official archive (all five datasets, about 0.9 GB).
XLSA17_URL = "http://datasets.d2.mpi-inf.mpg.de/xian/xlsa17.zip"
#: Environment variable that overrides the URL (a mirror, or a local test server).
URL_ENV = switches.XLSA17_URL_ENV

# Checksum of the official archive: UNKNOWN. No trustworthy sha256/md5 or exact
# byte count for xlsa17.zip is published by the authors or pinned by the public
# code we searched (loaders just ``wget`` and ``unzip`` it; one README quotes
# "878.98M", which is too rough to pin). Worse, GitHub issues report copies of
# the archive that differ (some att_splits.mat files lack ``train_loc``/``val_loc``),
# so a hash seen once might not match what the server sends today.
# Instead we (1) check the download is a complete, valid zip (Content-Length and
# zipfile.testzip), (2) check the .mat files' structure when loading, and
# (3) record the sha256 of the archive and of every extracted file in
# ``<root>/xlsa17/zsl_manifest.json``, so a later load detects a corrupted cache.
# Once a trusted hash is known, set it here and download() will enforce it.
XLSA17_SHA256: str | None = None
XLSA17_SIZE: int | None = None
#: The most the archive's members may unpack to. Estimated, not measured: the five res101.mat hold
#: 109,264 images x 2048 features as doubles, about 1.8 GB, and the rest is small; 4 GiB is a margin of
#: more than 2x that still stops a zip bomb long before it fills a disk.
XLSA17_MAX_UNPACKED = 4 << 30

_ARCHIVE_NAME = "xlsa17.zip"
_MANIFEST_NAME = "zsl_manifest.json"
_FILES = ("res101.mat", "att_splits.mat")
# Marks files written by write_xlsa17_files, so a fixture is never mistaken for real data.
_FIXTURE_KEY = "zsl_tutorial_fixture"
_LOC_KEYS = ("trainval_loc", "train_loc", "val_loc", "test_seen_loc", "test_unseen_loc")
_REQUIRED = {
    "res101.mat": ("features", "labels"),
    "att_splits.mat": ("att", "allclasses_names", "trainval_loc", "test_seen_loc", "test_unseen_loc"),
}


class Xlsa17FormatError(ValueError):
    """An xlsa17 file is missing a variable, has a wrong shape, or is unreadable."""


def _canonical(name: str) -> str:
    if not isinstance(name, str) or name.strip().upper() not in XLSA17_DATASETS:
        raise ValueError(f"unknown xlsa17 dataset {name!r}; choose one of {', '.join(XLSA17_DATASETS)} "
                         "(case does not matter).")
    return name.strip().upper()


def xlsa17_dir(root: str | os.PathLike | None = None) -> Path:
    """The unpacked release folder, ``<root>/xlsa17`` (``root`` defaults to the data dir)."""
    base = Path(root).expanduser() if root is not None else data_dir()
    return base / "xlsa17"


def _dataset_dir(name: str, root: str | os.PathLike | None) -> Path:
    return xlsa17_dir(root) / "data" / _canonical(name)


def _resolve_url(url: str | None) -> str:
    return url or switches.xlsa17_url() or XLSA17_URL


def _manual_hint(name: str, root: Path) -> str:
    ds = root / "xlsa17" / "data" / name
    return (
        f"or unzip it into {root} so that {ds / 'res101.mat'} and {ds / 'att_splits.mat'} exist "
        f"(or set ZSL_DATA_DIR to a folder that already holds xlsa17/data/{name})"
    )
