"""Datasets for the course: the ``ZSLDataset`` container and its loaders."""
from .dataset import SPLIT_NAMES, View, ZSLDataset, make_split

__all__ = ["ZSLDataset", "View", "SPLIT_NAMES", "make_split"]
