"""xlsa17: the proposed splits of Xian et al. (ResNet-101 features and class attributes).

The release is one archive, ``xlsa17.zip``, that unpacks to
``xlsa17/data/<NAME>/`` for NAME in AWA1, AWA2, CUB, SUN and APY. Each folder holds

- ``res101.mat``: ``features`` (2048 x N, one column per image), ``labels``
  (N x 1, 1-based class ids) and ``image_files``;
- ``att_splits.mat``: ``att`` (A x C, L2-normalised columns), ``original_att``,
  ``allclasses_names`` and the 1-based sample indices ``trainval_loc``,
  ``test_seen_loc``, ``test_unseen_loc`` and (in some copies) ``train_loc`` and
  ``val_loc``;
- class lists such as ``trainclasses1.txt`` / ``valclasses1.txt``.

:func:`load_xlsa17` finds the files under ``<root>/xlsa17/data/<NAME>``
(``root`` defaults to :func:`zsl_tutorial.config.data_dir`), downloads and
unpacks the archive when they are missing, checks the layout, and returns a
:class:`ZSLDataset` with 0-based indices. :func:`write_xlsa17_fixture` writes a
tiny synthetic dataset in exactly the same layout, for tests and for running
the notebooks offline.

Files are read with ``scipy.io.loadmat`` only: nothing here unpickles.

The modules: :mod:`~.release` (the datasets, URL, files and folders), :mod:`~.manifest` (the
recorded sizes and hashes), :mod:`~.fetch` (getting and unpacking the archive), :mod:`~.mat`
(reading the ``.mat`` files), :mod:`~.builder` (:func:`read_xlsa17`, :func:`load_xlsa17`) and
:mod:`~.fixtures` (:func:`write_xlsa17_files`, :func:`write_xlsa17_fixture`).
"""
from __future__ import annotations

from .builder import load_xlsa17, read_xlsa17
from .fetch import fetch_xlsa17
from .fixtures import write_xlsa17_dataset, write_xlsa17_files, write_xlsa17_fixture
from .release import (
    _ARCHIVE_NAME,
    _FILES,
    _FIXTURE_KEY,
    _LOC_KEYS,
    _MANIFEST_NAME,
    _REQUIRED,
    URL_ENV,
    XLSA17_DATASETS,
    XLSA17_SHA256,
    XLSA17_SIZE,
    XLSA17_URL,
    Xlsa17FormatError,
    _canonical,
    logger,
    xlsa17_dir,
)

__all__ = [
    "load_xlsa17",
    "fetch_xlsa17",
    "read_xlsa17",
    "xlsa17_dir",
    "write_xlsa17_files",
    "write_xlsa17_fixture",
    "write_xlsa17_dataset",
    "Xlsa17FormatError",
    "XLSA17_DATASETS",
    "XLSA17_URL",
    "XLSA17_SHA256",
    "XLSA17_SIZE",
    "URL_ENV",
]
