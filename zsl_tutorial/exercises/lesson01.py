"""Checks for the exercises of lesson 01 (seen classes, unseen classes, auxiliary information).

- ``check_most_similar_class(fn)``: ``fn(S, c)`` returns the index of the class
  (row of S) other than ``c`` whose auxiliary vector has the highest cosine
  similarity with row ``c``: "a zebra is most like a horse".
- ``check_is_leak_free(fn)``: ``fn(y, splits)`` returns True when a split obeys
  the three rules of the lesson (no unseen class in training, no image both in
  training and in a test split, train and val classes disjoint), else False.
- ``check_zsl_gzsl_predict(fn)``: ``fn(scores, seen_mask)`` returns the pair
  (ZSL predictions, GZSL predictions) from one score matrix over all classes:
  the arg-max over the unseen columns only, and over every column.
"""
from __future__ import annotations

import numpy as np

from ._runner import Case, run_checks

__all__ = ["check_most_similar_class", "check_is_leak_free", "check_zsl_gzsl_predict"]


def _as_int(result) -> int | None:
    """The learner's class index as an int, or None if it is not one integer."""
    if isinstance(result, (bool, np.bool_)):
        return None
    arr = np.asarray(result)
    if arr.size != 1 or arr.dtype.kind not in "iuf":
        return None
    v = float(arr.ravel()[0])
    return int(v) if v == int(v) else None


def _as_labels(result, n: int) -> np.ndarray | None:
    try:
        arr = np.asarray(result)
    except Exception:
        return None
    if arr.shape != (n,) or arr.dtype.kind not in "iuf" or not np.all(arr == np.round(arr)):
        return None
    return arr.astype(np.int64)


# ------------------------------------------------------------ most similar class
def _most_similar_reference(S: np.ndarray, c: int) -> int:
    Sn = S / np.linalg.norm(S, axis=1, keepdims=True)
    sim = Sn @ Sn[c]
    sim[c] = -np.inf
    return int(np.argmax(sim))


def _most_similar_cases() -> list[Case]:
    rng = np.random.default_rng(1)
    cases = []

    def case(S, c, hint):
        expected = _most_similar_reference(S, c)
        cases.append(Case((S.copy(), c), lambda r, e=expected: _as_int(r) == e, hint))

    # 1. A random table: the most similar row to S[c] is S[c] itself, which must not count.
    S = rng.random((6, 8))
    S[1] = S[4] * 1.2 + 0.05 * rng.random(8)  # the answer (1) comes before c (4)
    case(S, 4,
         "return one integer, the index of another class. The row most similar to S[c] is S[c] itself "
         "(cosine 1): set its similarity to -np.inf before np.argmax.")
    # 2. c = 0 and the answer lies further down: deleting row c shifts every later index by one.
    S = rng.random((7, 5))
    S[5] = S[0] * 1.3 + 0.02
    case(S, 0, "if you removed row c (np.delete) before np.argmax, every index after c shifted by one. "
               "Keep all rows and set the similarity of c to -np.inf instead.")
    # 3. A long, well-aligned vector against a short, less aligned one: Euclidean distance picks the short one.
    S = np.array([[1.0, 0.0, 0.0], [3.0, 0.3, 0.0], [0.6, 0.6, 0.0], [0.0, 0.2, 1.0]])
    case(S, 0, "similarity here is *cosine* similarity: the dot product of the rows after dividing each by its "
               "length. A distance (np.linalg.norm of the difference) prefers short vectors instead.")
    # 4. The dot product picks the longest vector rather than the best aligned.
    S = np.array([[1.0, 0.0, 0.0], [4.0, 4.0, 0.0], [0.5, 0.1, 0.0], [0.1, 0.1, 2.0]])
    case(S, 0, "a plain dot product favours long rows: divide every row of S by its norm "
               "(np.linalg.norm(S, axis=1, keepdims=True)) before comparing.")
    # 5. The last class.
    case(rng.random((9, 4)) ** 2, 8, "the class c can be any row, including the last one.")
    return cases


def check_most_similar_class(fn) -> bool:
    """Check ``fn(S, c) -> int``: the other class whose row of S has the highest cosine similarity to row c."""
    return run_checks("most_similar_class", fn, _most_similar_cases(),
                      success="Read off the table, an unseen class is a seen one with a few attributes changed.")


# ------------------------------------------------------------ leak-free split
def _clean_split(y: np.ndarray, unseen, val, rng) -> dict[str, np.ndarray]:
    """A correct split: unseen classes only in test_unseen, 2 images of every seen class in test_seen."""
    test_unseen, test_seen, train, val_idx = [], [], [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        if c in unseen:
            test_unseen.append(idx)
            continue
        test_seen.append(idx[:2])
        (val_idx if c in val else train).append(idx[2:])
    parts = {k: np.concatenate(v) for k, v in
             (("train", train), ("val", val_idx), ("test_seen", test_seen), ("test_unseen", test_unseen))}
    parts["trainval"] = rng.permutation(np.concatenate([parts["train"], parts["val"]]))
    return parts


def _leak_cases() -> list[Case]:
    rng = np.random.default_rng(4)

    def ok(expected: bool):
        return lambda r: isinstance(r, (bool, np.bool_)) and bool(r) is expected

    cases = []
    y = np.repeat(np.arange(6), 10)
    base = _clean_split(y, unseen={4, 5}, val={3}, rng=rng)
    rules = ("A split is leak-free when (1) no image in trainval is of a class that has images in test_unseen, "
             "(2) no image index is both in trainval and in test_seen or test_unseen, and (3) the classes of "
             "train and of val are disjoint. Return True or False.")
    # 1. A clean split.
    cases.append(Case((y, base), ok(True), "this split is clean, and your function said it is not. " + rules))
    # 2. Three *other* images of unseen class 4 sneak into training: sample-disjoint, but a class leak.
    leak = {k: v.copy() for k, v in base.items()}
    extra = np.arange(60, 63)
    y2 = np.concatenate([y, np.full(3, 4)])
    leak["trainval"] = np.concatenate([leak["trainval"], extra])
    leak["train"] = np.concatenate([leak["train"], extra])
    cases.append(Case((y2, leak), ok(False),
                      "here three zebra-like images of an unseen class are in trainval, though none of them is a "
                      "test image. Rule (1) compares *classes*: the labels y[trainval] against y[test_unseen] "
                      "(np.intersect1d)."))
    # 3. One test_seen image is also a training image.
    leak = {k: v.copy() for k, v in base.items()}
    leak["test_seen"] = np.concatenate([leak["test_seen"], leak["train"][:1]])
    cases.append(Case((y, leak), ok(False),
                      "here one test_seen image is also in trainval: rule (2) compares image *indices*, "
                      "splits['trainval'] against splits['test_seen'] and splits['test_unseen']."))
    # 4. Train and val share a class.
    leak = {k: v.copy() for k, v in base.items()}
    moved = leak["train"][y[leak["train"]] == 2][:3]
    leak["train"] = np.setdiff1d(leak["train"], moved)
    leak["val"] = np.concatenate([leak["val"], moved])
    cases.append(Case((y, leak), ok(False),
                      "here class 2 has images in both train and val, so validation no longer imitates unseen "
                      "classes. Rule (3) compares the classes np.unique(y[splits['train']]) and "
                      "np.unique(y[splits['val']]), not the image indices (which are always disjoint)."))
    # 5. A clean split with other unseen classes, shuffled labels and unsorted indices.
    y5 = rng.permutation(np.repeat(np.arange(7), 8))
    cases.append(Case((y5, _clean_split(y5, unseen={0, 3}, val={1, 6}, rng=rng)), ok(True),
                      "this split is clean (unseen classes 0 and 3, val classes 1 and 6). Compare classes through "
                      "the labels y[idx], not the index arrays themselves, and do not assume the unseen classes "
                      "have the largest ids. " + rules))
    # 6. A test_unseen image is used for training (both a class and a sample leak).
    leak = {k: v.copy() for k, v in base.items()}
    leak["trainval"] = np.concatenate([leak["trainval"], leak["test_unseen"][:1]])
    cases.append(Case((y, leak), ok(False), "here a test_unseen image is in trainval. " + rules))
    return cases


def check_is_leak_free(fn) -> bool:
    """Check ``fn(y, splits) -> bool``: True exactly when the split obeys the lesson's three rules."""
    return run_checks("is_leak_free", fn, _leak_cases(),
                      success="These are the checks ZSLDataset runs every time a split is built.")


# ------------------------------------------------------------ ZSL versus GZSL
def _zsl_gzsl_reference(scores: np.ndarray, seen_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    unseen_cols = np.flatnonzero(~seen_mask)
    return unseen_cols[np.argmax(scores[:, unseen_cols], axis=1)], np.argmax(scores, axis=1)


def _zsl_gzsl_cases() -> list[Case]:
    rng = np.random.default_rng(7)

    def ok(scores, seen_mask):
        e_zsl, e_gzsl = _zsl_gzsl_reference(scores, seen_mask)
        n = len(scores)

        def judge(result) -> bool:
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                return False
            zsl, gzsl = _as_labels(result[0], n), _as_labels(result[1], n)
            return zsl is not None and gzsl is not None and np.array_equal(zsl, e_zsl) and np.array_equal(gzsl, e_gzsl)
        return judge

    hint = ("return a pair (zsl_pred, gzsl_pred), each one class index (a column of scores) per row. ZSL: "
            "np.argmax over the unseen columns only, scores[:, ~seen_mask], then map those positions back to "
            "column indices with np.flatnonzero(~seen_mask). GZSL: np.argmax over all columns.")
    cases = []
    # 1. Small and readable: the best column of most rows is a seen class.
    scores = np.array([[0.9, 0.5, 0.1, 0.3, 0.2],
                       [0.2, 0.8, 0.1, 0.7, 0.0],
                       [0.1, 0.2, 0.3, 0.1, 0.9],
                       [0.6, 0.7, 0.5, 0.4, 0.1]])
    seen = np.array([True, True, False, False, False])  # seen classes 0, 1; unseen 2, 3, 4
    cases.append(Case((scores, seen), ok(scores, seen), hint))
    # 2. Unseen columns first: positions among the unseen columns are not class indices.
    scores = rng.random((12, 6))
    seen = np.array([False, False, True, True, True, True])
    scores[:, seen] += 0.3
    cases.append(Case((scores, seen), ok(scores, seen),
                      "do not assume where the unseen columns are: use the mask, np.flatnonzero(~seen_mask), "
                      "to turn a position among the unseen columns into a column index. " + hint))
    # 3. A GZSL-shaped problem: seen classes score higher, as a model trained on them does.
    scores = rng.normal(size=(40, 10))
    seen = np.zeros(10, dtype=bool)
    seen[rng.permutation(10)[:7]] = True
    scores[:, seen] += 1.0
    cases.append(Case((scores, seen), ok(scores, seen), hint))
    return cases


def check_zsl_gzsl_predict(fn) -> bool:
    """Check ``fn(scores, seen_mask) -> (zsl_pred, gzsl_pred)``: one model, two sets of candidate classes."""
    return run_checks("zsl_gzsl_predict", fn, _zsl_gzsl_cases(),
                      success="Same scores, different candidates: that is the whole difference between ZSL and GZSL.")
