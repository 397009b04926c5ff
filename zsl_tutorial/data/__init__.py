"""Datasets for the course: the ``ZSLDataset`` container and its loaders.

The loaders live in their own modules and are imported lazily, so that
``import zsl_tutorial.data`` stays cheap.
"""
from __future__ import annotations

from .dataset import SPLIT_NAMES, View, ZSLDataset, make_split

__all__ = ["ZSLDataset", "View", "SPLIT_NAMES", "make_split", "load_animals", "make_synthetic", "load_xlsa17", "read_xlsa17",
           "read_tables", "resplit", "write_digits_example"]


def load_animals(*args, **kwargs) -> ZSLDataset:
    """Animal-MNIST as a ``ZSLDataset``; see :func:`zsl_tutorial.data.animals.load_animals`."""
    from .animals import load_animals as _load

    return _load(*args, **kwargs)


def make_synthetic(*args, **kwargs) -> ZSLDataset:
    """The AwA2-shaped simulator; see :func:`zsl_tutorial.data.synthetic.make_synthetic`."""
    from .synthetic import make_synthetic as _make

    return _make(*args, **kwargs)


def load_xlsa17(*args, **kwargs) -> ZSLDataset:
    """Xian et al.'s proposed-split features; see :func:`zsl_tutorial.data.xlsa17.load_xlsa17`."""
    from .xlsa17 import load_xlsa17 as _load

    return _load(*args, **kwargs)


def read_xlsa17(*args, **kwargs) -> ZSLDataset:
    """Any folder in the xlsa17 layout (``res101.mat`` + ``att_splits.mat``), read as is: nothing is
    downloaded. See :func:`zsl_tutorial.data.xlsa17.read_xlsa17`."""
    from .xlsa17 import read_xlsa17 as _read

    return _read(*args, **kwargs)


def read_tables(*args, **kwargs) -> ZSLDataset:
    """Your own features file and class table as a ``ZSLDataset``; see
    :func:`zsl_tutorial.data.tables.read_tables`."""
    from .tables import read_tables as _read

    return _read(*args, **kwargs)


def resplit(*args, **kwargs) -> ZSLDataset:
    """A ``read_tables`` dataset with its split drawn again; see :func:`zsl_tutorial.data.tables.resplit`."""
    from .tables import resplit as _resplit

    return _resplit(*args, **kwargs)


def write_digits_example(*args, **kwargs):
    """Lesson 08's worked example as files; see :func:`zsl_tutorial.data.digits.write_digits_example`."""
    from .digits import write_digits_example as _write

    return _write(*args, **kwargs)
