"""The xlsa17 loader, on tiny .mat files written in the release's exact layout (no real data, no internet)."""
from __future__ import annotations

import functools
import hashlib
import http.server
import json
import logging
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest
from scipy.io import loadmat

from zsl_tutorial.data import ZSLDataset
from zsl_tutorial.data import download as dl
from zsl_tutorial.data.download import DownloadError, OfflineError
from zsl_tutorial.data.xlsa17.manifest import manifest_path
from zsl_tutorial.data.xlsa17 import (
    XLSA17_DATASETS,
    XLSA17_URL,
    Xlsa17FormatError,
    load_xlsa17,
    read_xlsa17,
    write_xlsa17_files,
    write_xlsa17_fixture,
)


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path):
    monkeypatch.setenv("ZSL_DATA_DIR", str(tmp_path / "_package_cache"))  # manifests of other folders go here
    monkeypatch.delenv("ZSL_OFFLINE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # it counts as offline too (scripts/test.sh sets it)
    monkeypatch.delenv("ZSL_XLSA17_URL", raising=False)
    monkeypatch.setattr(dl, "RETRY_BACKOFF_S", 0.0)


# --------------------------------------------------------------------------- a hand-made dataset
# 6 images of 3 classes; every number is chosen so that a wrong 1->0 shift or a
# missing transpose shows. Column j of features is [j+1, 10*(j+1), 100*(j+1)].
FEATURES = np.outer([1.0, 10.0, 100.0], np.arange(1, 7))  # 3 dims x 6 images
LABELS = np.array([2, 1, 3, 1, 2, 3])  # 1-based: dog, cat, zebra, cat, dog, zebra
NAMES = ["cat", "dog", "zebra"]
ATT = np.array([[1.0, 0.0, 0.6], [0.0, 1.0, 0.8]])  # 2 attributes x 3 classes
LOCS = {
    "trainval_loc": np.array([2, 1]),  # cat (image 2), dog (image 1)
    "train_loc": np.array([2]),  # cat
    "val_loc": np.array([1]),  # dog: class-disjoint from train
    "test_seen_loc": np.array([4, 5]),
    "test_unseen_loc": np.array([3, 6]),  # zebra
}


def _write(root, name="AWA2", **changes) -> Path:
    kwargs = dict(features=FEATURES, labels=LABELS.astype(float), att=ATT, class_names=NAMES, locs=dict(LOCS),
                  original_att=ATT * 100)
    kwargs.update(changes)
    return write_xlsa17_files(root, name, **kwargs)


def test_known_values_are_converted_to_zero_based(tmp_path):
    _write(tmp_path)
    ds = load_xlsa17("AWA2", root=tmp_path, download=False)
    assert isinstance(ds, ZSLDataset) and ds.name == "AWA2"
    assert ds.X.shape == (6, 3) and ds.X.dtype == np.float32
    np.testing.assert_array_equal(ds.X[0], [1, 10, 100])  # image 1 is row 0
    np.testing.assert_array_equal(ds.X[5], [6, 60, 600])
    np.testing.assert_array_equal(ds.y, [1, 0, 2, 0, 1, 2])
    assert ds.class_names == NAMES
    np.testing.assert_array_equal(ds.S, ATT.T)  # classes x attributes
    np.testing.assert_array_equal(ds.splits["trainval"], [1, 0])
    np.testing.assert_array_equal(ds.splits["train"], [1])
    np.testing.assert_array_equal(ds.splits["val"], [0])
    np.testing.assert_array_equal(ds.splits["test_seen"], [3, 4])
    np.testing.assert_array_equal(ds.splits["test_unseen"], [2, 5])
    assert ds.names(ds.seen_classes) == ["cat", "dog"] and ds.names(ds.unseen_classes) == ["zebra"]
    np.testing.assert_array_equal(ds.extras["original_att"], ATT.T * 100)
    assert ds.extras["image_files"][0] == "JPEGImages/img_00000.jpg"
    assert list(ds.splits) == ["trainval", "train", "val", "test_seen", "test_unseen"]
    # Files we wrote say so, so a fixture is never presented as the real dataset.
    assert ds.extras["fixture"] and "SYNTHETIC FIXTURE" in ds.description


def test_fixture_marker_and_refusal_to_shadow_the_real_cache(tmp_path, monkeypatch):
    _write(tmp_path / "real", fixture=False)
    ds = load_xlsa17("AWA2", root=tmp_path / "real", download=False)
    assert not ds.extras["fixture"] and "FIXTURE" not in ds.description
    monkeypatch.setenv("ZSL_DATA_DIR", str(tmp_path / "cache"))
    with pytest.raises(ValueError, match="shadow the real xlsa17"):
        write_xlsa17_fixture(tmp_path / "cache")
    assert not (tmp_path / "cache" / "xlsa17").exists()


def test_original_attributes_and_normalisation(tmp_path):
    _write(tmp_path)
    raw = load_xlsa17("awa2", root=tmp_path, download=False, attributes="original_att")
    np.testing.assert_array_equal(raw.S, ATT.T * 100)
    l2 = load_xlsa17("awa2", root=tmp_path, download=False, normalize="l2")
    np.testing.assert_allclose(np.linalg.norm(l2.X, axis=1), 1.0, rtol=1e-6)
    mm = load_xlsa17("awa2", root=tmp_path, download=False, normalize="minmax")
    tv = mm.X[mm.splits["trainval"]]  # fitted on trainval (images 1 and 2) only
    np.testing.assert_allclose(tv.min(axis=0), 0.0)
    np.testing.assert_allclose(tv.max(axis=0), 1.0)
    np.testing.assert_allclose(mm.X[5], [5.0, 5.0, 5.0])  # image 6 = 6 * unit; (6 - 1) / (2 - 1)
    with pytest.raises(ValueError, match="normalize"):
        load_xlsa17("awa2", root=tmp_path, download=False, normalize="zscore")


# --------------------------------------------------------------------------- the fixture writer
def test_fixture_loads_and_matches_the_raw_files(tmp_path):
    folder = write_xlsa17_fixture(tmp_path, "CUB", n_classes=12, n_unseen=4, n_val=3, n_attributes=5,
                                  n_features=7, samples_per_class=5, seed=3)
    assert folder == tmp_path / "xlsa17" / "data" / "CUB"
    ds = load_xlsa17("cub", root=tmp_path, download=False)
    res, att = loadmat(folder / "res101.mat"), loadmat(folder / "att_splits.mat")
    assert res["features"].shape == (7, 60)  # MATLAB layout on disk: dims x images
    assert ds.X.shape == (60, 7) and ds.S.shape == (12, 5) and ds.n_classes == 12
    np.testing.assert_allclose(ds.X, res["features"].T)
    np.testing.assert_array_equal(ds.y, res["labels"].ravel() - 1)
    for split in ("trainval", "train", "val", "test_seen", "test_unseen"):
        np.testing.assert_array_equal(ds.splits[split], att[f"{split}_loc"].ravel() - 1)
    assert ds.class_names == [f"class_{i:02d}" for i in range(1, 13)]
    assert len(ds.unseen_classes) == 4 and len(ds.seen_classes) == 8
    assert np.intersect1d(ds.seen_classes, ds.unseen_classes).size == 0
    assert np.intersect1d(ds.classes_in("train"), ds.classes_in("val")).size == 0
    assert np.intersect1d(ds.splits["trainval"], ds.splits["test_seen"]).size == 0
    np.testing.assert_allclose(np.linalg.norm(ds.S, axis=1), 1.0)  # att columns are L2-normalised
    assert ds.X.min() >= 0  # like post-ReLU ResNet features


def test_fixture_is_deterministic(tmp_path):
    write_xlsa17_fixture(tmp_path / "a")
    write_xlsa17_fixture(tmp_path / "b")
    a = load_xlsa17("AWA2", root=tmp_path / "a", download=False)
    b = load_xlsa17("AWA2", root=tmp_path / "b", download=False)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    for k in a.splits:
        np.testing.assert_array_equal(a.splits[k], b.splits[k])


def test_missing_train_val_loc_is_rebuilt_from_class_lists(tmp_path):
    write_xlsa17_fixture(tmp_path, with_train_val_loc=False)
    ds = load_xlsa17("AWA2", root=tmp_path, download=False)
    assert ds.splits["train"].size and ds.splits["val"].size
    assert np.isin(ds.splits["train"], ds.splits["trainval"]).all()
    assert np.intersect1d(ds.classes_in("train"), ds.classes_in("val")).size == 0
    assert "trainclasses1.txt" in ds.extras["tuning_split_source"]
    # With the same seed, the rebuilt split equals the one stored in the files.
    full = load_xlsa17("AWA2", root=write_xlsa17_fixture(tmp_path / "full").parents[2], download=False)
    np.testing.assert_array_equal(ds.splits["train"], full.splits["train"])
    np.testing.assert_array_equal(ds.splits["val"], full.splits["val"])


def test_no_train_val_information_gives_empty_tuning_split_and_a_warning(tmp_path):
    locs = {k: v for k, v in LOCS.items() if k not in ("train_loc", "val_loc")}
    _write(tmp_path, locs=locs)
    with pytest.warns(UserWarning, match="train and val splits are empty"):
        ds = load_xlsa17("AWA2", root=tmp_path, download=False)
    assert ds.splits["train"].size == 0 and ds.splits["val"].size == 0


def test_train_loc_outside_trainval_is_kept_but_reported(tmp_path):
    # As reported for some copies of the release: train_loc reaches into test_seen_loc.
    _write(tmp_path, locs={**LOCS, "train_loc": np.array([2, 4])})
    with pytest.warns(UserWarning, match="outside trainval_loc"):
        ds = load_xlsa17("AWA2", root=tmp_path, download=False, val_split="file")
    np.testing.assert_array_equal(ds.splits["train"], [1, 3])  # as the file says
    assert ds.extras["notes"]
    strict = load_xlsa17("AWA2", root=tmp_path, download=False)  # the default never tunes on test_seen
    np.testing.assert_array_equal(strict.splits["train"], [1])  # trainval samples of the train classes only
    assert not np.intersect1d(strict.splits["train"], strict.splits["test_seen"]).size


# --------------------------------------------------------------------------- names and errors
def test_names_are_case_insensitive_and_unknown_names_are_listed(tmp_path):
    _write(tmp_path, name="APY")
    assert load_xlsa17(" apy ", root=tmp_path, download=False).name == "APY"
    with pytest.raises(ValueError) as err:
        load_xlsa17("ImageNet", root=tmp_path, download=False)
    for valid in XLSA17_DATASETS:
        assert valid in str(err.value)


@pytest.mark.parametrize("key, fname", [("test_unseen_loc", "att_splits.mat"), ("allclasses_names", "att_splits.mat"),
                                        ("features", "res101.mat"), ("labels", "res101.mat")])
def test_missing_variable_is_named(tmp_path, key, fname):
    _write(tmp_path, drop=[key])
    with pytest.raises(Xlsa17FormatError) as err:
        load_xlsa17("AWA2", root=tmp_path, download=False)
    assert key in str(err.value) and fname in str(err.value)


@pytest.mark.parametrize(
    "changes, match",
    [
        (dict(features=FEATURES.T), "transposed"),
        (dict(att=ATT[:, :2]), "allclasses_names"),
        (dict(att=ATT.T), "transposed"),
        (dict(labels=LABELS - 1.0), r"labels .*1-based"),
        (dict(labels=LABELS + 0.5), "whole numbers"),
        (dict(locs={**LOCS, "test_seen_loc": np.array([4, 7])}), r"test_seen_loc .*\[1, 6\]"),
        (dict(locs={**LOCS, "test_unseen_loc": np.array([3, 3, 6])}), "test_unseen_loc lists some samples"),
        (dict(locs={**LOCS, "trainval_loc": np.array([[1, 2], [4, 5]])}), "trainval_loc must be a vector"),
        (dict(image_files=["a.jpg"]), "image_files has 1 entries"),
        (dict(original_att=ATT[:1]), "original_att has shape"),
        # Unseen samples inside trainval: the dataset checks still run on the files.
        (dict(locs={**LOCS, "trainval_loc": np.array([1, 2, 3])}), "both trainval"),
    ],
)
def test_wrong_shapes_and_values_are_caught(tmp_path, changes, match):
    _write(tmp_path, **changes)
    with pytest.raises(Xlsa17FormatError, match=match):
        load_xlsa17("AWA2", root=tmp_path, download=False)


def test_truncated_mat_file_is_a_clear_error(tmp_path):
    folder = _write(tmp_path)
    data = (folder / "res101.mat").read_bytes()
    (folder / "res101.mat").write_bytes(data[: len(data) // 2])
    with pytest.raises(Xlsa17FormatError, match="could not be read") as err:
        load_xlsa17("AWA2", root=tmp_path, download=False)
    assert "res101.mat" in str(err.value)


def test_changed_cache_is_detected_offline(tmp_path):
    folder = _write(tmp_path)
    load_xlsa17("AWA2", root=tmp_path, download=False)  # records the files' hashes
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "_package_cache" not in p.parts)
    load_xlsa17("AWA2", root=tmp_path, download=False)
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "_package_cache" not in p.parts)
    assert before == after  # nothing is written into the folder the user pointed at
    path = manifest_path(tmp_path / "xlsa17")
    assert path.parent == tmp_path / "_package_cache" / "manifests"
    manifest = json.loads(path.read_text())
    assert set(manifest["files"]) == {"data/AWA2/res101.mat", "data/AWA2/att_splits.mat"}
    assert manifest["folder"] == str((tmp_path / "xlsa17").resolve())
    assert manifest_path(tmp_path / "_package_cache" / "xlsa17") == tmp_path / "_package_cache" / "xlsa17" / "zsl_manifest.json"
    raw = bytearray((folder / "res101.mat").read_bytes())
    raw[-5] ^= 0xFF  # same size, different bytes
    (folder / "res101.mat").write_bytes(bytes(raw))
    with pytest.raises(Xlsa17FormatError, match="looks corrupt"):
        load_xlsa17("AWA2", root=tmp_path, download=False)
    # verify=False skips the hash (only sizes are compared), so the load goes ahead.
    load_xlsa17("AWA2", root=tmp_path, download=False, verify=False)


# --------------------------------------------------------------------------- download path
@pytest.fixture
def served(tmp_path):
    """Serve ``tmp_path / "www"`` on 127.0.0.1; yields (folder, base URL)."""
    www = tmp_path / "www"
    www.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(www)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield www, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _release_zip(dest: Path, src_root: Path, names=("AWA2", "CUB")) -> Path:
    """A zip laid out like the release: xlsa17/data/<NAME>/..., plus macOS junk to ignore."""
    for n in names:
        write_xlsa17_fixture(src_root, n)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted((src_root / "xlsa17").rglob("*")):
            if path.is_file() and path.name != "zsl_manifest.json":
                zf.write(path, path.relative_to(src_root).as_posix())
        zf.writestr("xlsa17/README.txt", "fixture")
        zf.writestr("__MACOSX/xlsa17/._README.txt", "junk")
    return dest


def test_download_extract_and_load_end_to_end(tmp_path, served, monkeypatch, caplog):
    www, base = served
    archive = _release_zip(www / "xlsa17.zip", tmp_path / "src")
    root = tmp_path / "cache"
    with pytest.raises(FileNotFoundError, match="nothing is downloaded unless you ask"):
        load_xlsa17("AWA2", root=root, url=f"{base}/xlsa17.zip", progress=False, timeout=5)
    assert not root.exists() or not any(root.rglob("*.zip"))  # the default never touched the network
    ds = load_xlsa17("AWA2", root=root, url=f"{base}/xlsa17.zip", progress=False, timeout=5, download=True)
    expected = read_xlsa17(tmp_path / "src" / "xlsa17" / "data" / "AWA2")
    np.testing.assert_array_equal(ds.X, expected.X)
    np.testing.assert_array_equal(ds.y, expected.y)
    assert ds.class_names == expected.class_names

    base_dir = root / "xlsa17"
    assert (base_dir / "data" / "CUB" / "res101.mat").is_file()  # the whole release is unpacked once
    assert not (root / "xlsa17.zip").exists()  # and the archive dropped (keep_archive=False)
    assert not (base_dir / "README.txt").exists() and not (root / "__MACOSX").exists()
    manifest = json.loads(manifest_path(base_dir).read_text())
    assert manifest["archive"]["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert "data/CUB/att_splits.mat" in manifest["files"]

    # Cached now: works offline, for both datasets.
    monkeypatch.setenv("ZSL_OFFLINE", "1")
    assert load_xlsa17("AWA2", root=root, url=f"{base}/xlsa17.zip").n_classes == 10
    assert load_xlsa17("cub", root=root, url=f"{base}/xlsa17.zip").name == "CUB"
    monkeypatch.delenv("ZSL_OFFLINE")

    # A corrupted cached file is noticed and replaced by a fresh download.
    mat = base_dir / "data" / "AWA2" / "res101.mat"
    raw = bytearray(mat.read_bytes())
    raw[200] ^= 0xFF
    mat.write_bytes(bytes(raw))
    with caplog.at_level(logging.WARNING, logger="zsl_tutorial.data.xlsa17"):
        again = load_xlsa17("AWA2", root=root, url=f"{base}/xlsa17.zip", progress=False, timeout=5, download=True)
    assert "looks corrupt" in caplog.text
    np.testing.assert_array_equal(again.X, expected.X)
    assert mat.read_bytes() == (tmp_path / "src" / "xlsa17" / "data" / "AWA2" / "res101.mat").read_bytes()


def test_url_from_environment_and_manual_zip(tmp_path, served, monkeypatch):
    www, base = served
    _release_zip(www / "mirror.zip", tmp_path / "src", names=("SUN",))
    monkeypatch.setenv("ZSL_XLSA17_URL", f"{base}/mirror.zip")
    assert load_xlsa17("SUN", root=tmp_path / "c1", progress=False, timeout=5, download=True).name == "SUN"
    # A zip placed by hand in the root is used without any network, even with download=False.
    manual = tmp_path / "c2"
    manual.mkdir()
    (manual / "xlsa17.zip").write_bytes((www / "mirror.zip").read_bytes())
    monkeypatch.setenv("ZSL_OFFLINE", "1")
    assert load_xlsa17("SUN", root=manual, download=False, keep_archive=True).name == "SUN"
    assert (manual / "xlsa17.zip").exists()


def test_offline_message_names_url_and_manual_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("ZSL_OFFLINE", "1")
    with pytest.raises(OfflineError) as err:
        load_xlsa17("AWA2", root=tmp_path, download=True)
    msg = str(err.value)
    assert XLSA17_URL in msg
    assert str(tmp_path / "xlsa17.zip") in msg
    assert str(tmp_path / "xlsa17" / "data" / "AWA2" / "res101.mat") in msg
    assert "ZSL_DATA_DIR" in msg


def test_unreachable_server_is_an_offline_error(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/xlsa17.zip"
    with pytest.raises(OfflineError) as err:
        load_xlsa17("AWA2", root=tmp_path, url=url, timeout=1, progress=False, download=True)
    assert url in str(err.value) and "res101.mat" in str(err.value)
    assert not (tmp_path / "xlsa17.zip").exists()


def test_download_false_without_files_explains_where_to_put_them(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        load_xlsa17("CUB", root=tmp_path, download=False)
    msg = str(err.value)
    assert str(tmp_path / "xlsa17.zip") in msg and str(tmp_path / "xlsa17" / "data" / "CUB" / "res101.mat") in msg


def test_served_file_that_is_not_a_zip_is_rejected(tmp_path, served):
    www, base = served
    (www / "xlsa17.zip").write_bytes(b"<html>maintenance page</html>")
    with pytest.raises(DownloadError, match="not a usable archive"):
        load_xlsa17("AWA2", root=tmp_path / "c", url=f"{base}/xlsa17.zip", progress=False, timeout=5, download=True)
    assert not (tmp_path / "c" / "xlsa17.zip").exists()


def test_archive_without_the_dataset_is_rejected(tmp_path, served):
    www, base = served
    _release_zip(www / "xlsa17.zip", tmp_path / "src", names=("CUB",))
    with pytest.raises(Xlsa17FormatError, match="data/AWA2/res101.mat"):
        load_xlsa17("AWA2", root=tmp_path / "c", url=f"{base}/xlsa17.zip", progress=False, timeout=5, download=True)


def test_import_does_not_pull_torch():
    code = "import sys, zsl_tutorial.data.xlsa17; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_read_xlsa17_is_public_and_reads_any_folder(tmp_path):
    """A practitioner points zsl_tutorial.data.read_xlsa17 at a folder of their own: no download, no name needed."""
    import zsl_tutorial.data as data
    from zsl_tutorial.data import xlsa17

    folder = write_xlsa17_fixture(tmp_path / "my_features", "CUB", n_classes=8, n_unseen=2, n_val=2)
    ds = data.read_xlsa17(folder)
    ref = xlsa17.read_xlsa17(folder)
    np.testing.assert_array_equal(ds.X, ref.X)
    assert ds.n_classes == 8 and "read_xlsa17" in data.__all__
    # It says what the folder is, and claims no official split for a folder of the user's.
    assert f"read from the folder {folder.name!r}" in ds.description and "proposed split" not in ds.description


def test_any_dataset_is_written_in_the_release_layout_with_its_overlapping_train_val(tmp_path):
    """write_xlsa17_dataset: what reference code reads (integer 1-based locs, dims x N features,
    L2-normalised att) and, by default, train_loc/val_loc that overlap test_seen_loc as in the release."""
    from zsl_tutorial.data import make_synthetic
    from zsl_tutorial.data.xlsa17 import write_xlsa17_dataset

    ds = make_synthetic(n_seen=6, n_unseen=3, n_attributes=5, n_features=8, n_per_class=10, n_val=2, seed=3)
    folder = write_xlsa17_dataset(tmp_path / "a", "AWA2", ds)
    split = loadmat(folder / "att_splits.mat")
    assert split["trainval_loc"].dtype.kind == "i" and split["trainval_loc"].min() >= 1
    assert loadmat(folder / "res101.mat")["features"].shape == (8, len(ds.y))
    np.testing.assert_allclose(np.linalg.norm(split["att"], axis=0), 1.0)
    tv_classes = ds.classes_in("trainval")
    overlap = np.intersect1d(np.concatenate([split["train_loc"].ravel(), split["val_loc"].ravel()]),
                             split["test_seen_loc"].ravel())
    assert overlap.size == len(ds.splits["test_seen"])  # every test-seen image is in train_loc or val_loc

    with pytest.warns(UserWarning, match="test_seen_loc"):
        as_file = read_xlsa17(folder, val_split="file")
    back = read_xlsa17(folder)  # the leak-free default: train/val re-drawn from trainval
    for got in (as_file, back):
        np.testing.assert_array_equal(got.X, ds.X)
        np.testing.assert_array_equal(got.y, ds.y)
        for key in ("trainval", "test_seen", "test_unseen"):
            np.testing.assert_array_equal(got.splits[key], np.sort(ds.splits[key]))
    assert np.intersect1d(back.splits["val"], back.splits["test_seen"]).size == 0
    np.testing.assert_allclose(back.extras["original_att"], ds.S)
    assert set(np.unique(ds.y[as_file.splits["val"]])) <= set(tv_classes)

    clean = read_xlsa17(write_xlsa17_dataset(tmp_path / "b", "AWA2", ds, release_overlap=False), val_split="file")
    for key in ("train", "val"):
        np.testing.assert_array_equal(clean.splits[key], np.sort(ds.splits[key]))
    with pytest.raises(TypeError, match="ZSLDataset"):
        write_xlsa17_dataset(tmp_path / "c", "AWA2", ds.X)
