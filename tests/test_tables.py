"""read_tables: your own features and class table as a ZSLDataset, and every way those files go wrong."""
from __future__ import annotations

import numpy as np
import pytest

from zsl_tutorial.data.tables import read_tables, resplit

NAMES = ["cat", "dog", "cow", "owl", "bat", "eel"]


def _attributes(names=NAMES, k=4, seed=0):
    rng = np.random.default_rng(seed)
    return {n: rng.uniform(0.1, 1.0, k) for n in names}


def _write_classes(path, names=NAMES, k=4, descriptions=True, sep=","):
    att = _attributes(names, k)
    head = ["class"] + [f"a{j}" for j in range(k)] + (["description"] if descriptions else [])
    rows = [sep.join(head)]
    for n in names:
        cells = [n] + [f"{v:.4f}" for v in att[n]] + ([f'"a {n}, drawn small"'] if descriptions else [])
        rows.append(sep.join(cells))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, att


def _features(att, n_per=12, d=5, seed=0):
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(len(next(iter(att.values()))), d))
    X, labels = [], []
    for n, a in att.items():
        X.append(a @ W + 0.05 * rng.normal(size=(n_per, d)))
        labels += [n] * n_per
    return np.vstack(X), np.array(labels)


@pytest.fixture
def files(tmp_path):
    cpath, att = _write_classes(tmp_path / "classes.csv")
    X, labels = _features(att)
    fpath = tmp_path / "feats.npz"
    np.savez(fpath, X=X, labels=labels)
    return fpath, cpath, X, labels, att


def test_npz_and_csv_give_the_same_dataset(files, tmp_path):
    fpath, cpath, X, labels, att = files
    ds = read_tables(fpath, cpath, unseen=["owl", "eel"], n_val=1)
    csv_path = tmp_path / "feats.csv"
    lines = ["label," + ",".join(f"f{j}" for j in range(X.shape[1]))]
    lines += [f"{lab}," + ",".join(repr(float(v)) for v in row) for lab, row in zip(labels, X)]
    csv_path.write_text("\n".join(lines) + "\n")
    ds2 = read_tables(csv_path, cpath, unseen=["owl", "eel"], n_val=1)
    assert np.array_equal(ds.X, ds2.X) and np.array_equal(ds.y, ds2.y)
    assert ds.class_names == NAMES and ds.names(ds.unseen_classes) == ["owl", "eel"]
    assert np.allclose(ds.S[NAMES.index("cow")], att["cow"], atol=1e-4)
    assert ds.aux_names == ["a0", "a1", "a2", "a3"]
    assert all(ok for _, ok in ds.leakage_report())
    assert ds.extras["files"]["features"][0] == "feats.npz" and len(ds.extras["files"]["features"][1]) == 64
    assert ds.name == "feats"


def test_semicolons_and_a_byte_order_mark_are_read(tmp_path, files):
    fpath, _, _, _, att = files
    cpath, _ = _write_classes(tmp_path / "semi.csv", sep=";")
    cpath.write_bytes(b"\xef\xbb\xbf" + cpath.read_bytes())  # what a spreadsheet writes
    ds = read_tables(fpath, cpath, unseen=["owl", "eel"])
    assert np.allclose(ds.S[0], att["cat"], atol=1e-4)


def test_integer_labels_match_classes_named_by_numbers(tmp_path):
    names = [str(i) for i in range(5)]
    cpath, att = _write_classes(tmp_path / "c.csv", names=names, descriptions=False)
    X, labels = _features(att)
    np.savez(tmp_path / "f.npz", X=X, labels=labels.astype(int))
    ds = read_tables(tmp_path / "f.npz", cpath, unseen=["3", "4"])
    assert np.array_equal(ds.y, labels.astype(int))


def test_resplit_keeps_the_unseen_classes_and_redraws_the_rest(files):
    fpath, cpath, *_ = files
    ds = read_tables(fpath, cpath, unseen=["owl", "eel"], n_val=1)
    again = [resplit(ds, s) for s in (0, 1, 2, 3)]
    assert np.array_equal(again[0].splits["test_seen"], ds.splits["test_seen"])  # seed 0 is the first draw
    assert all(np.array_equal(d.unseen_classes, ds.unseen_classes) for d in again)
    assert len({tuple(d.splits["test_seen"]) for d in again}) > 1
    fixed = read_tables(fpath, cpath, unseen=["owl", "eel"], val=["dog"])
    assert all(fixed.names(resplit(fixed, s).classes_in("val")) == ["dog"] for s in (1, 2))
    with pytest.raises(ValueError, match="read_tables"):
        from zsl_tutorial.data import make_synthetic
        resplit(make_synthetic(seed=0), 1)


def test_descriptions_are_embedded_by_the_sentence_model(files, monkeypatch):
    fpath, cpath, *_ = files
    seen_texts = []

    def fake_embed(texts, **kwargs):  # the model itself is tested in test_text; here: what reaches it
        seen_texts.extend(texts)
        return np.eye(len(texts), 8) + 0.5

    import zsl_tutorial.text as text
    monkeypatch.setattr(text, "embed_texts", fake_embed)
    ds = read_tables(fpath, cpath, unseen=["owl", "eel"], aux="description")
    assert seen_texts == [f"a {n}, drawn small" for n in NAMES]
    assert ds.S.shape == (6, 8) and ds.aux_names is None and ds.extras["aux"] == "description"


@pytest.mark.parametrize("change, match", [
    (dict(unseen=["owl", "emu"]), r"'emu'"),
    (dict(unseen=["owl", "eal"]), r"did you mean 'eel'"),
    (dict(unseen=["owl"]), "at least two unseen"),
    (dict(unseen="owl"), "not one string"),
    (dict(unseen=["owl", "eel"], val=["owl"]), "unseen"),
    (dict(unseen=["owl", "eel"], aux="words"), "aux must be one of"),
])
def test_bad_choices_are_named(files, change, match):
    fpath, cpath, *_ = files
    with pytest.raises((ValueError, TypeError), match=match):
        read_tables(fpath, cpath, **change)


def test_bad_files_are_named_with_the_fix(tmp_path, files):
    fpath, cpath, X, labels, att = files
    with pytest.raises(FileNotFoundError, match="no file at"):
        read_tables(tmp_path / "missing.npz", cpath, unseen=["owl", "eel"])
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(ValueError, match=r"\.npz or \.csv"):
        read_tables(tmp_path / "f.txt", cpath, unseen=["owl", "eel"])
    np.savez(tmp_path / "nolabels.npz", X=X)
    with pytest.raises(ValueError, match="'labels'"):
        read_tables(tmp_path / "nolabels.npz", cpath, unseen=["owl", "eel"])
    np.savez(tmp_path / "obj.npz", X=X, labels=np.array(list(labels), dtype=object))
    with pytest.raises(ValueError, match="never unpickles"):
        read_tables(tmp_path / "obj.npz", cpath, unseen=["owl", "eel"])
    np.savez(tmp_path / "typo.npz", X=X, labels=np.where(labels == "dog", "dgo", labels))
    with pytest.raises(ValueError, match=r"'dgo' \(did you mean 'dog'\?\)"):
        read_tables(tmp_path / "typo.npz", cpath, unseen=["owl", "eel"])
    np.savez(tmp_path / "nocow.npz", X=X[labels != "cow"], labels=labels[labels != "cow"])
    with pytest.raises(ValueError, match=r"no sample .*\['cow'\]"):
        read_tables(tmp_path / "nocow.npz", cpath, unseen=["owl", "eel"])
    bad = cpath.read_text().replace("0.", "x.", 1)
    (tmp_path / "bad.csv").write_text(bad)
    with pytest.raises(ValueError, match=r"line 2 \(class 'cat'\), column 'a0'.*not a number"):
        read_tables(fpath, tmp_path / "bad.csv", unseen=["owl", "eel"])
    (tmp_path / "short.csv").write_text(cpath.read_text().replace(",drawn", "").replace('"', "") + "emu,1\n")
    with pytest.raises(ValueError, match="cells, but the header has"):
        read_tables(fpath, tmp_path / "short.csv", unseen=["owl", "eel"])
    nodesc, _ = _write_classes(tmp_path / "nodesc.csv", descriptions=False)
    with pytest.raises(ValueError, match="needs a 'description' column"):
        read_tables(fpath, nodesc, unseen=["owl", "eel"], aux="description")
    (tmp_path / "twice.csv").write_text(cpath.read_text() + cpath.read_text().splitlines()[1] + "\n")
    with pytest.raises(ValueError, match=r"more than once"):
        read_tables(fpath, tmp_path / "twice.csv", unseen=["owl", "eel"])


def test_the_files_are_left_as_they_were(files):
    fpath, cpath, *_ = files
    before = (fpath.read_bytes(), cpath.read_bytes())
    read_tables(fpath, cpath, unseen=["owl", "eel"])
    with pytest.raises(ValueError):
        read_tables(fpath, cpath, unseen=["owl"])
    assert (fpath.read_bytes(), cpath.read_bytes()) == before


def test_resplit_can_hold_out_other_classes_without_reading_the_files_again(files):
    fpath, cpath, *_ = files
    ds = read_tables(fpath, cpath, unseen=["owl", "eel"], n_val=1)
    fpath.unlink()  # nothing is read again
    other = resplit(ds, 0, unseen=["cat", "bat"])
    direct_args = dict(unseen=["cat", "bat"], n_val=1)
    assert other.names(other.unseen_classes) == ["cat", "bat"]
    assert other.extras["split_args"]["unseen"].tolist() == [0, 4]
    np.savez(fpath, X=ds.X, labels=np.array(NAMES)[ds.y])
    direct = read_tables(fpath, cpath, **direct_args)
    assert all(np.array_equal(other.splits[k], direct.splits[k]) for k in direct.splits)  # the same draw
    assert resplit(other, 1).names(resplit(other, 1).unseen_classes) == ["cat", "bat"]
    with pytest.raises(ValueError, match="at least two unseen"):
        resplit(ds, 0, unseen=["cat"])
    with pytest.raises(ValueError, match=r"did you mean 'cat'"):
        resplit(ds, 0, unseen=["cta", "bat"])
