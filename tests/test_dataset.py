"""Tests of zsl_tutorial.data.dataset: ZSLDataset validation, views, and make_split."""
from __future__ import annotations

import numpy as np
import pytest

from zsl_tutorial.data import SPLIT_NAMES, View, ZSLDataset, make_split

N_CLASSES, PER_CLASS, DIM = 6, 5, 4
UNSEEN = [4, 5]
VAL = [2]


def _parts():
    """The pieces of a small valid dataset: 6 classes x 5 samples, classes 4 and 5 unseen, 2 for val."""
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(N_CLASSES), PER_CLASS)
    X = rng.normal(size=(len(y), DIM))
    S = rng.uniform(0.1, 1.0, size=(N_CLASSES, 3))
    names = [f"c{i}" for i in range(N_CLASSES)]
    # Hand-made split: of each seen class (0-3) the first sample is test_seen, the rest trainval.
    trainval = np.array([i for i in range(len(y)) if y[i] < 4 and i % PER_CLASS != 0])
    splits = {
        "trainval": trainval,
        "train": trainval[y[trainval] != 2],
        "val": trainval[y[trainval] == 2],
        "test_seen": np.array([i for i in range(len(y)) if y[i] < 4 and i % PER_CLASS == 0]),
        "test_unseen": np.flatnonzero(y >= 4),
    }
    return dict(X=X, y=y, class_names=names, S=S, splits=splits)


def _make(**changes):
    parts = _parts()
    parts.update(changes)
    return ZSLDataset(**parts, name="toy")


def _with_split(**split_changes):
    parts = _parts()
    splits = dict(parts["splits"])
    splits.update(split_changes)
    return _make(splits=splits)


@pytest.fixture
def ds():
    return _make()


# --------------------------------------------------------------------------- a valid dataset
def test_valid_dataset_basics(ds):
    assert ds.n_classes == 6
    np.testing.assert_array_equal(ds.seen_classes, [0, 1, 2, 3])
    np.testing.assert_array_equal(ds.unseen_classes, [4, 5])
    np.testing.assert_array_equal(ds.classes_in("val"), [2])
    np.testing.assert_array_equal(ds.classes_in("train"), [0, 1, 3])
    assert ds.names([5, 0]) == ["c5", "c0"]
    assert ds.S.dtype == np.float64
    assert "toy" in repr(ds) and "4 seen / 2 unseen" in repr(ds)
    assert "c4, c5" in ds.summary()


def test_leakage_report_all_true_on_good_split(ds):
    report = ds.leakage_report()
    assert len(report) >= 6
    assert all(isinstance(what, str) and ok is True for what, ok in report)


def test_float32_S_is_kept():
    ds = _make(S=_parts()["S"].astype(np.float32))
    assert ds.S.dtype == np.float32


# --------------------------------------------------------------------------- validation errors
def _expect(match, **changes):
    with pytest.raises(ValueError, match=match):
        _make(**changes)


def test_shape_mismatch_X_vs_y():
    p = _parts()
    _expect(r"y has shape \(29,\), but X has 30 samples", y=p["y"][:-1])
    _expect("y has shape", y=p["y"].reshape(-1, 1))
    _expect("X must be at least 2-D", X=np.arange(30.0))


def test_labels_must_be_integers_in_range():
    p = _parts()
    y = p["y"].copy()
    y[0] = 6
    _expect(r"labels must lie in \[0, 5\]", y=y)
    y[0] = -1
    _expect(r"labels must lie in \[0, 5\]", y=y)
    _expect("integer class indices", y=p["y"].astype(float))


def test_S_rows_must_match_class_names():
    p = _parts()
    _expect("S has 5 rows but there are 6 class names", S=p["S"][:5])
    _expect("S has 6 rows but there are 7 class names", class_names=p["class_names"] + ["extra"])
    _expect("S must be 2-D", S=p["S"][:, 0])
    _expect("aux_names for 3 columns", aux_names=["a", "b"])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nonfinite_X(bad):
    X = _parts()["X"].copy()
    X[7, 1] = bad
    _expect(r"X has NaN or inf in 1 sample\(s\), first at index \[7\]", X=X)


def test_nonfinite_X_in_images():
    X = np.zeros((30, 2, 2))
    X[3, 1, 1] = np.nan
    _expect(r"X has NaN or inf .* index \[3\]", X=X)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nonfinite_S(bad):
    S = _parts()["S"].copy()
    S[3, 2] = bad
    _expect(r"S has NaN or inf for classes \['c3'\]", S=S)


@pytest.mark.parametrize("key", SPLIT_NAMES)
def test_missing_split_key(key):
    splits = dict(_parts()["splits"])
    del splits[key]
    _expect(rf"splits is missing \['{key}'\]", splits=splits)


def test_split_index_out_of_range():
    ts = _parts()["splits"]["test_unseen"]
    with pytest.raises(ValueError, match=r"split 'test_unseen' has indices outside \[0, 29\]"):
        _with_split(test_unseen=np.append(ts, 30))
    with pytest.raises(ValueError, match="split 'test_unseen' has indices outside"):
        _with_split(test_unseen=np.append(ts, -1))


def test_split_duplicate_indices():
    ts = _parts()["splits"]["test_seen"]
    with pytest.raises(ValueError, match="split 'test_seen' lists some samples twice"):
        _with_split(test_seen=np.append(ts, ts[0]))


def test_split_must_be_integer_indices():
    with pytest.raises(ValueError, match="split 'val' must be a 1-D array of integer sample indices"):
        _with_split(val=np.array([10.0, 11.0]))
    with pytest.raises(ValueError, match="split 'val' must be a 1-D array"):
        _with_split(val=np.array([[11, 12]]))


def test_required_splits_not_empty():
    with pytest.raises(ValueError, match="split 'test_unseen' is empty"):
        _with_split(test_unseen=np.array([], dtype=int))
    with pytest.raises(ValueError, match="split 'trainval' is empty"):
        _with_split(trainval=np.array([], dtype=int), train=np.array([], dtype=int), val=np.array([], dtype=int),
                    test_seen=np.array([], dtype=int))


def test_unseen_class_in_trainval_is_a_leak():
    sp = _parts()["splits"]
    # Sample 20 is class 4 (unseen) and is also put into trainval.
    with pytest.raises(ValueError, match=r"class\(es\) \['c4'\] appear in both trainval \(seen\) and test_unseen"):
        _with_split(trainval=np.append(sp["trainval"], 20), test_unseen=sp["test_unseen"][1:])


def test_test_seen_class_not_in_trainval():
    sp = _parts()["splits"]
    # Drop class 3 from trainval (and train), keep its test_seen sample.
    tv = sp["trainval"][_parts()["y"][sp["trainval"]] != 3]
    with pytest.raises(ValueError, match=r"test_seen contains class\(es\) \['c3'\] that are not in trainval"):
        _with_split(trainval=tv, train=tv[_parts()["y"][tv] != 2])


def test_trainval_test_seen_sample_overlap():
    sp = _parts()["splits"]
    with pytest.raises(ValueError, match=r"1 sample\(s\) are in both trainval and test_seen \(e.g. index \[1\]\)"):
        _with_split(test_seen=np.append(sp["test_seen"], 1))


def test_train_val_class_overlap():
    sp = _parts()["splits"]
    y = _parts()["y"]
    # Move one class-0 sample from train to val: class 0 is in both.
    moved = sp["train"][0]
    assert y[moved] == 0
    with pytest.raises(ValueError, match=r"train and val share class\(es\) \['c0'\]"):
        _with_split(train=sp["train"][1:], val=np.append(sp["val"], moved))


def test_train_val_only_seen_classes():
    sp = _parts()["splits"]
    with pytest.raises(ValueError, match=r"train/val may only use seen \(trainval\) classes"):
        _with_split(val=np.append(sp["val"], 21))  # 21 is an unseen (class 4) sample


def test_all_zero_auxiliary_row():
    S = _parts()["S"].copy()
    S[5] = 0.0
    _expect(r"class\(es\) \['c5'\] have an all-zero auxiliary vector", S=S)


def test_all_zero_auxiliary_row_of_unused_class_is_allowed():
    # A class with no samples in any split needs no auxiliary information.
    p = _parts()
    S = np.vstack([p["S"], np.zeros(3)])
    ds = _make(S=S, class_names=p["class_names"] + ["unused"])
    assert ds.n_classes == 7


def test_duplicate_class_names():
    names = _parts()["class_names"]
    names[4] = "c1"
    _expect(r"duplicate class names \['c1'\]", class_names=names)


def test_error_names_the_dataset():
    with pytest.raises(ValueError, match="ZSLDataset 'toy'"):
        _make(S=_parts()["S"][:5])


# --------------------------------------------------------------------------- views
def test_train_view(ds):
    v = ds.train_view()
    assert isinstance(v, View)
    np.testing.assert_array_equal(v.classes, [0, 1, 2, 3])
    np.testing.assert_array_equal(v.to_global(v.y), ds.y[ds.splits["trainval"]])
    np.testing.assert_array_equal(v.classes[v.y], ds.y[ds.splits["trainval"]])
    np.testing.assert_array_equal(v.S, ds.S[[0, 1, 2, 3]])
    np.testing.assert_array_equal(v.X, ds.X[ds.splits["trainval"]])
    assert v.class_names == ["c0", "c1", "c2", "c3"]
    assert v.seen_mask.all()
    assert v.y.min() == 0 and v.y.max() == len(v.classes) - 1

    t = ds.train_view("train")
    np.testing.assert_array_equal(t.classes, [0, 1, 3])
    np.testing.assert_array_equal(t.classes[t.y], ds.y[ds.splits["train"]])
    with pytest.raises(ValueError, match="train_view takes 'trainval' or 'train'"):
        ds.train_view("test_seen")


def test_zsl_view(ds):
    v = ds.zsl_view()
    np.testing.assert_array_equal(v.classes, [4, 5])
    np.testing.assert_array_equal(v.classes[v.y], ds.y[ds.splits["test_unseen"]])
    np.testing.assert_array_equal(v.S, ds.S[[4, 5]])
    assert not v.seen_mask.any()
    assert v.class_names == ["c4", "c5"]
    val = ds.zsl_view("val")
    np.testing.assert_array_equal(val.classes, [2])
    np.testing.assert_array_equal(val.y, np.zeros(len(ds.splits["val"]), dtype=int))
    with pytest.raises(ValueError, match="zsl_view takes 'test_unseen'"):
        ds.zsl_view("trainval")


def test_gzsl_view(ds):
    v = ds.gzsl_view()
    np.testing.assert_array_equal(v.classes, [0, 1, 2, 3, 4, 5])
    np.testing.assert_array_equal(v.seen_mask, [True, True, True, True, False, False])
    idx = np.concatenate([ds.splits["test_seen"], ds.splits["test_unseen"]])
    np.testing.assert_array_equal(v.to_global(v.y), ds.y[idx])
    np.testing.assert_array_equal(v.X, ds.X[idx])
    np.testing.assert_array_equal(v.S, ds.S)
    # The seen mask of each sample's true class says whether the sample is from a seen class.
    np.testing.assert_array_equal(v.seen_mask[v.y], np.isin(ds.y[idx], ds.seen_classes))


def test_view_local_labels_with_non_contiguous_classes():
    # Unseen classes in the middle of the label range: local labels still index rows of S.
    y = np.repeat(np.arange(6), 5)
    sp = make_split(y, [1, 4], val=[3], seed=1)
    S = np.arange(1, 19, dtype=float).reshape(6, 3)
    ds = ZSLDataset(np.zeros((30, 2)), y, list("abcdef"), S, sp)
    for v in (ds.train_view(), ds.zsl_view(), ds.gzsl_view(), ds.zsl_view("val"), ds.train_view("train")):
        np.testing.assert_array_equal(v.S[v.y], S[v.to_global(v.y)])
    np.testing.assert_array_equal(ds.zsl_view().classes, [1, 4])
    np.testing.assert_array_equal(ds.gzsl_view().seen_mask, [True, False, True, True, False, True])


def test_view_flatten_images():
    p = _parts()
    images = np.arange(30 * 2 * 3, dtype=np.uint8).reshape(30, 2, 3)
    ds = _make(X=images)
    v = ds.train_view()
    assert v.X.shape == (len(ds.splits["trainval"]), 2, 3)
    f = ds.train_view(flatten=True)
    assert f.X.shape == (len(ds.splits["trainval"]), 6)
    np.testing.assert_array_equal(f.X, images[ds.splits["trainval"]].reshape(-1, 6))
    assert ds.gzsl_view(flatten=True).X.shape == (len(p["splits"]["test_seen"]) + 10, 6)
    assert ds.zsl_view(flatten=True).X.shape == (10, 6)
    # Already-flat features are left alone.
    assert _make().train_view(flatten=True).X.shape == (len(ds.splits["trainval"]), DIM)


def test_view_unknown_split(ds):
    with pytest.raises(ValueError, match="unknown split 'test'"):
        ds.view("test")


def test_with_aux(ds):
    S2 = np.random.default_rng(1).uniform(0.5, 1.0, size=(6, 8))
    ds2 = ds.with_aux(S2, aux_names=[f"e{i}" for i in range(8)], description="text embeddings")
    assert ds2.S.shape == (6, 8)
    assert ds2.aux_names == [f"e{i}" for i in range(8)]
    assert ds2.description == "text embeddings"
    assert ds2.name == ds.name
    np.testing.assert_array_equal(ds2.X, ds.X)
    np.testing.assert_array_equal(ds2.zsl_view().S, S2[[4, 5]])
    # The original is untouched.
    assert ds.S.shape == (6, 3)
    # The new auxiliary matrix is validated too.
    with pytest.raises(ValueError, match="S has 5 rows"):
        ds.with_aux(S2[:5])
    bad = S2.copy()
    bad[0] = 0
    with pytest.raises(ValueError, match="all-zero auxiliary vector"):
        ds.with_aux(bad)


# --------------------------------------------------------------------------- make_split
def _labels(n_classes=10, per_class=20):
    return np.repeat(np.arange(n_classes), per_class)


def test_make_split_partition_and_disjointness():
    y = _labels()
    sp = make_split(y, [7, 8, 9], n_val=2, seed=3)
    assert set(sp) == set(SPLIT_NAMES)
    allidx = np.concatenate([sp["trainval"], sp["test_seen"], sp["test_unseen"]])
    # Every sample exactly once across trainval / test_seen / test_unseen.
    np.testing.assert_array_equal(np.sort(allidx), np.arange(len(y)))
    # train and val split trainval, by class.
    np.testing.assert_array_equal(np.sort(np.concatenate([sp["train"], sp["val"]])), sp["trainval"])
    assert not set(y[sp["train"]]) & set(y[sp["val"]])
    assert len(set(y[sp["val"]])) == 2
    assert set(y[sp["val"]]) <= set(range(7))
    assert set(y[sp["test_unseen"]]) == {7, 8, 9}
    assert set(y[sp["trainval"]]) == set(range(7)) == set(y[sp["test_seen"]])
    # 20% of each seen class held back.
    assert all(np.sum(y[sp["test_seen"]] == c) == 4 for c in range(7))
    for v in sp.values():
        assert v.dtype.kind in "iu"
    ZSLDataset(np.zeros((len(y), 2)), y, [str(c) for c in range(10)], np.ones((10, 2)), sp)


def test_make_split_deterministic_per_seed():
    y = _labels()
    a = make_split(y, [0, 5], seed=7)
    b = make_split(y, [0, 5], seed=7)
    c = make_split(y, [0, 5], seed=8)
    for k in SPLIT_NAMES:
        np.testing.assert_array_equal(a[k], b[k])
    assert any(not np.array_equal(a[k], c[k]) for k in ("test_seen", "val"))


def test_make_split_explicit_and_default_val():
    y = _labels(n_classes=8)
    sp = make_split(y, [6, 7], val=[1, 2])
    assert set(y[sp["val"]]) == {1, 2}
    # default: a third of the seen classes
    sp = make_split(y, [6, 7], seed=2)
    assert len(set(y[sp["val"]])) == round(6 / 3)
    assert set(y[sp["val"]]) <= set(range(6))


def test_make_split_test_seen_fraction():
    y = _labels(n_classes=4, per_class=10)
    sp = make_split(y, [3], test_seen_fraction=0.5, n_val=1)
    assert len(sp["test_seen"]) == 15 and len(sp["trainval"]) == 15


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((_labels().astype(float), [9]), {}, "integer labels"),
        ((_labels().reshape(20, 10), [9]), {}, "1-D"),
        ((_labels(), []), {}, "at least one unseen class"),
        ((_labels(), [10]), {}, r"unseen classes \[10\] have no samples"),
        ((_labels(), list(range(1, 10))), {}, "at least two seen classes"),
        ((_labels(), [9]), {"test_seen_fraction": 0.0}, r"test_seen_fraction must be in \(0, 1\)"),
        ((_labels(), [9]), {"test_seen_fraction": 1.0}, r"test_seen_fraction must be in \(0, 1\)"),
        ((_labels(), [9]), {"n_val": 0}, "n_val must be between 1 and 8"),
        ((_labels(), [9]), {"n_val": 9}, "n_val must be between 1 and 8"),
        ((_labels(), [9]), {"val": [9]}, "val classes must be seen classes"),
        ((_labels(), [9]), {"val": [12]}, "val classes must be seen classes"),
        ((_labels(), [9]), {"val": list(range(9))}, "leave at least one seen class for train"),
        ((np.array([0, 1, 1, 1, 2, 2]), [2]), {}, r"class 0 has too few samples \(1\)"),
    ],
)
def test_make_split_errors(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_split(*args, **kwargs)
