"""Checks for the exercises of lesson 00 (welcome: what a zero-shot task is).

- ``check_unseen_classes(fn)``: ``fn(y, trainval, class_names)`` returns the names
  of the classes that have no image among the training indices ``trainval``:
  the unseen classes, defined by the split rather than by a list.
- ``check_chance_accuracy(fn)``: ``fn(n_seen, n_unseen, generalized=False)``
  returns the per-class top-1 accuracy of uniform random guessing, in
  conventional ZSL (candidates: unseen classes) or in generalized ZSL
  (candidates: all classes).
"""
from __future__ import annotations

import numpy as np

from ._runner import Case, run_checks

__all__ = ["check_unseen_classes", "check_chance_accuracy"]


# ------------------------------------------------------------ unseen classes
def _unseen_reference(y: np.ndarray, trainval: np.ndarray, class_names: list[str]) -> list[str]:
    present = set(np.asarray(y)[np.asarray(trainval)].tolist())
    return [name for c, name in enumerate(class_names) if c not in present]


def _same_names(expected: list[str]):
    def ok(result) -> bool:
        if isinstance(result, (str, bytes)) or not hasattr(result, "__len__"):
            return False
        items = list(result)
        return (all(isinstance(r, str) for r in items) and len(items) == len(expected)
                and sorted(items) == sorted(expected))
    return ok


def _unseen_cases() -> list[Case]:
    rng = np.random.default_rng(0)
    cases = []
    # 1. Small and readable: two images per class, classes 1 and 3 have no training image.
    y = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    trainval = np.array([0, 1, 4, 5])
    names = ["bear", "cat", "cow", "zebra"]
    cases.append(Case((y, trainval, names), _same_names(_unseen_reference(y, trainval, names)),
                      "return a list of class *names*: those whose class id never occurs among the training "
                      "labels y[trainval]. Note that trainval holds image indices, not class ids: look the "
                      "labels up first."))
    # 2. Shuffled images, unsorted indices, a held-out class in the middle of the id range.
    y = rng.permutation(np.repeat(np.arange(6), 5))
    seen = np.array([0, 2, 3, 5])
    trainval = rng.permutation(np.flatnonzero(np.isin(y, seen)))[:14]
    names = ["bear", "bird", "cat", "cow", "dog", "elephant"]
    expected = _unseen_reference(y, trainval, names)
    cases.append(Case((y, trainval, names), _same_names(expected),
                      "list each unseen class once, by name: the classes in range(len(class_names)) that are "
                      "not in np.unique(y[trainval])."))
    # 3. Ten classes, a single unseen one: the Animal-MNIST shape.
    y = np.repeat(np.arange(10), 4)
    trainval = np.flatnonzero(y != 9)[::2]
    names = ["bear", "bird", "cat", "cow", "dog", "elephant", "giraffe", "horse", "sheep", "zebra"]
    cases.append(Case((y, trainval, names), _same_names(["zebra"]),
                      "some seen classes may have only part of their images in trainval (the rest are kept "
                      "for testing); a class is seen as soon as one of its images is there."))
    return cases


def check_unseen_classes(fn) -> bool:
    """Check ``fn(y, trainval, class_names) -> list of names`` of the classes with no training image."""
    return run_checks("unseen_classes", fn, _unseen_cases(),
                      success="A class is unseen because the split keeps every one of its images out of training.")


# ------------------------------------------------------------ chance accuracy
def _near(value: float):
    def ok(result) -> bool:
        if isinstance(result, (bool, np.bool_)):
            return False
        try:
            v = float(result)
        except (TypeError, ValueError):
            return False
        return bool(np.isfinite(v) and abs(v - value) < 1e-9)
    return ok


def _chance_cases() -> list[Case]:
    zsl_hint = ("in conventional ZSL the model chooses among the unseen classes only, so a uniform guess is right "
                "with probability 1 / n_unseen. Return a fraction (0.25), not a percentage (25).")
    gzsl_hint = ("with generalized=True every class is a candidate, seen and unseen, so a guess is right with "
                 "probability 1 / (n_seen + n_unseen), for unseen and seen images alike (u, s and H all equal "
                 "it). It is not the chance of guessing *some* unseen class.")
    return [
        Case((7, 3), _near(1 / 3), zsl_hint),
        Case((40, 10), _near(1 / 10), zsl_hint),
        Case((7, 3), _near(1 / 10), gzsl_hint, kwargs={"generalized": True}),
        Case((40, 10), _near(1 / 50), gzsl_hint, kwargs={"generalized": True}),
        Case((150, 50), _near(1 / 50), zsl_hint + " (generalized=False is the conventional setting.)",
             kwargs={"generalized": False}),
        Case((1, 4), _near(1 / 5), gzsl_hint, kwargs={"generalized": True}),
    ]


def check_chance_accuracy(fn) -> bool:
    """Check ``fn(n_seen, n_unseen, generalized=False) -> float``: per-class accuracy of random guessing."""
    return run_checks("chance_accuracy", fn, _chance_cases(),
                      success="GZSL's chance is lower because there are more candidates: one reason it is harder.")
