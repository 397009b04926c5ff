"""Tests of zsl_tutorial.data.animals: the restricted unpickler, wheel reading, the cache and the loader.

Nothing here touches the network: pip is stubbed out, and the cache tests copy
the wheel that setup already downloaded into a temporary ``ZSL_DATA_DIR``.
"""
from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import os
import pickle
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from zsl_tutorial.data import ZSLDataset
from zsl_tutorial.data import animals
from zsl_tutorial.data.animals import (
    ANIMAL_CLASSES,
    DEFAULT_UNSEEN,
    UnsafePickleError,
    animal_attributes,
    animal_descriptions,
    fetch_animal_mnist,
    load_animals,
    restricted_loads,
)

from conftest import REAL_WHEEL  # noqa: E402  (tests/, on the path)
needs_wheel = pytest.mark.skipif(
    not REAL_WHEEL.is_file(),
    reason=f"the real animal-mnist wheel is not cached at {REAL_WHEEL} (setup fetches it; tests never download)",
)
IMAGES_MEMBER, IMAGES_SHA = animals._MEMBERS["images"]
LABELS_MEMBER, LABELS_SHA = animals._MEMBERS["labels"]


# --------------------------------------------------------------------------- restricted unpickler
class _Evil:
    """Unpickling this runs a shell command with the default unpickler."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (os.system, (f"echo pwned > {self.target}",))


class _EvilCodec:
    """Abuses the one non-numpy global we admit (protocol 2's _codecs.encode) with another codec."""

    def __reduce__(self):
        return (codecs.encode, (b"x" * 10, "zlib"))


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_malicious_pickle_is_refused_and_not_run(tmp_path, protocol):
    target = tmp_path / "somefile"
    data = pickle.dumps(_Evil(target), protocol=protocol)
    assert b"system" in data  # it really does ask for os.system / posix.system
    with pytest.raises(UnsafePickleError, match="refusing to load .*system"):
        restricted_loads(data)
    assert not target.exists(), "the malicious pickle's command ran"


@pytest.mark.parametrize(
    "callable_, args",
    [(eval, ("1 + 1",)), (subprocess.Popen, (["true"],)), (np.load, ("x.npy",)), (shutil.rmtree, ("/nonexistent",))],
)
def test_other_callables_are_refused(callable_, args):
    class Payload:
        def __reduce__(self):
            return (callable_, args)

    with pytest.raises(UnsafePickleError):
        restricted_loads(pickle.dumps(Payload(), protocol=4))


def test_codecs_encode_only_for_latin1():
    with pytest.raises(UnsafePickleError):
        restricted_loads(pickle.dumps(_EvilCodec(), protocol=2))


@pytest.mark.parametrize("obj", [{"a": 1}, [1, 2, 3], (np.uint8(3),), "text", 42, None, np.float64(1.5)],
                         ids=["dict", "list", "tuple", "str", "int", "None", "numpy-scalar"])
def test_non_array_pickles_are_refused(obj):
    with pytest.raises(UnsafePickleError):
        restricted_loads(pickle.dumps(obj, protocol=4))


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("dtype", [np.uint8, np.int64, np.float32, bool])
def test_numpy_arrays_are_accepted(protocol, dtype):
    a = (np.arange(2 * 28 * 28) % 251).astype(dtype).reshape(2, 28, 28)
    data = pickle.dumps(a, protocol=protocol)
    out = restricted_loads(data)
    reference = pickle.loads(data)  # what numpy itself rebuilds from our own trusted pickle
    assert isinstance(out, np.ndarray)
    assert out.dtype == reference.dtype and out.shape == a.shape
    np.testing.assert_array_equal(out, a)


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_fortran_and_noncontiguous_arrays_are_accepted(protocol):
    a = np.asfortranarray(np.arange(12, dtype=np.int32).reshape(3, 4))
    np.testing.assert_array_equal(restricted_loads(pickle.dumps(a, protocol=protocol)), a)
    b = np.arange(20.0)[::3]
    np.testing.assert_array_equal(restricted_loads(pickle.dumps(b, protocol=protocol)), b)


def test_old_numpy_module_path_is_accepted():
    # The real data was pickled by numpy 1.x, which names numpy.core.multiarray._reconstruct.
    # Protocol 3 spells globals as newline-terminated text (no length prefixes), so the
    # module path can be swapped in place.
    data = pickle.dumps(np.arange(5, dtype=np.uint8), protocol=3)
    old = data.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    if old == data:  # pickled by a numpy < 2 here: its path is already the old one
        assert b"numpy.core.multiarray" in data
    np.testing.assert_array_equal(restricted_loads(old), np.arange(5))


# --------------------------------------------------------------------------- _read_wheel
def _gz_pickle(a) -> bytes:
    return gzip.compress(pickle.dumps(a, protocol=4), mtime=0)


def _fake_wheel(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_read_wheel_wrong_inner_hash(tmp_path):
    wheel = _fake_wheel(tmp_path / "w.whl", {
        IMAGES_MEMBER: _gz_pickle(np.zeros((10000, 28, 28), np.uint8)),
        LABELS_MEMBER: _gz_pickle(np.zeros(10000, np.int64)),
    })
    with pytest.raises(OSError, match="corrupt"):
        animals._read_wheel(wheel)


def test_read_wheel_missing_member(tmp_path):
    wheel = _fake_wheel(tmp_path / "w.whl", {"animal_mnist/__init__.py": b""})
    with pytest.raises(OSError, match="does not contain .*animal_data_version_3.gz"):
        animals._read_wheel(wheel)


@pytest.mark.parametrize("content", [b"", b"this is not a zip file" * 100, b"PK\x03\x04" + b"\x00" * 50])
def test_read_wheel_not_a_zip(tmp_path, content):
    wheel = tmp_path / "w.whl"
    wheel.write_bytes(content)
    with pytest.raises(OSError, match="not a valid wheel"):
        animals._read_wheel(wheel)


def test_read_wheel_unexpected_arrays(tmp_path, monkeypatch):
    # With the pins pointed at our fake members, the shape check is what catches them.
    imgs, labs = _gz_pickle(np.zeros((5, 28, 28), np.uint8)), _gz_pickle(np.zeros(5, np.int64))
    monkeypatch.setitem(animals._MEMBERS, "images", (IMAGES_MEMBER, hashlib.sha256(imgs).hexdigest()))
    monkeypatch.setitem(animals._MEMBERS, "labels", (LABELS_MEMBER, hashlib.sha256(labs).hexdigest()))
    wheel = _fake_wheel(tmp_path / "w.whl", {IMAGES_MEMBER: imgs, LABELS_MEMBER: labs})
    with pytest.raises(OSError, match="unexpected Animal-MNIST arrays"):
        animals._read_wheel(wheel)


def test_read_wheel_refuses_malicious_member_even_with_matching_hash(tmp_path, monkeypatch):
    target = tmp_path / "somefile"
    evil = gzip.compress(pickle.dumps(_Evil(target)), mtime=0)
    monkeypatch.setitem(animals._MEMBERS, "images", (IMAGES_MEMBER, hashlib.sha256(evil).hexdigest()))
    wheel = _fake_wheel(tmp_path / "w.whl", {IMAGES_MEMBER: evil, LABELS_MEMBER: b""})
    with pytest.raises(UnsafePickleError):
        animals._read_wheel(wheel)
    assert not target.exists()


@needs_wheel
def test_read_real_wheel():
    images, labels = animals._read_wheel(REAL_WHEEL)
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and labels.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(labels), np.full(10, 1000))


# --------------------------------------------------------------------------- cache
def _no_pip(monkeypatch):
    """Any attempt to run pip fails the test: the cache tests must work from the local wheel."""

    def fail(*args, **kwargs):  # pragma: no cover - only runs if the code under test misbehaves
        raise AssertionError(f"unexpected subprocess call {args!r}")

    monkeypatch.setattr(animals.subprocess, "run", fail)


@pytest.fixture
def data_home(wheel_home):
    """A fresh ZSL_DATA_DIR holding a copy of the real wheel where fetch_animal_mnist looks for it."""
    return wheel_home


def _check_cache(home: Path):
    cache = home / animals._CACHE_NAME
    with np.load(cache, allow_pickle=False) as f:
        assert f["images"].shape == (10000, 28, 28) and f["images"].dtype == np.uint8
        assert f["labels"].shape == (10000,)
    assert not list(home.glob("*.part")), "a temporary file was left behind"


def test_cache_is_built_from_the_wheel(data_home, capsys):
    images, labels = animals._load_images(verbose=True)
    assert "Fetching Animal-MNIST" in capsys.readouterr().out
    _check_cache(data_home)
    # The second call reads the cache and never needs the wheel.
    (data_home / "wheels" / REAL_WHEEL.name).unlink()
    images2, labels2 = animals._load_images(verbose=True)
    assert capsys.readouterr().out == ""
    np.testing.assert_array_equal(images, images2)
    np.testing.assert_array_equal(labels, labels2)


def _flip_middle(path: Path):
    raw = bytearray(path.read_bytes())
    for i in range(2000, 2100):
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))


def _wrong_shapes(path: Path):
    with open(path, "wb") as fh:
        np.savez(fh, images=np.zeros((3, 28, 28), np.uint8), labels=np.zeros(3, np.int64))


def _wrong_keys(path: Path):
    with open(path, "wb") as fh:
        np.savez(fh, foo=np.zeros(3))


DAMAGE = {
    "garbage": lambda p: p.write_bytes(b"definitely not an npz" * 50),
    "empty": lambda p: p.write_bytes(b""),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "flipped-bytes": _flip_middle,
    "wrong-shapes": _wrong_shapes,
    "wrong-keys": _wrong_keys,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_cache_is_detected_and_rebuilt(data_home, damage, capsys):
    reference_images, reference_labels = animals._load_images(verbose=False)  # builds the cache
    cache = data_home / animals._CACHE_NAME
    DAMAGE[damage](cache)
    images, labels = animals._load_images(verbose=True)
    assert "damaged" in capsys.readouterr().out
    np.testing.assert_array_equal(images, reference_images)
    np.testing.assert_array_equal(labels, reference_labels)
    _check_cache(data_home)


def test_damaged_cache_rebuilt_via_fetch(tmp_path, monkeypatch):
    """The same through load_animals, with fetch_animal_mnist replaced by a function returning a wheel."""
    if not REAL_WHEEL.is_file():
        pytest.skip(f"the real animal-mnist wheel is not cached at {REAL_WHEEL}")
    wheel = tmp_path / "elsewhere" / REAL_WHEEL.name
    wheel.parent.mkdir()
    shutil.copy(REAL_WHEEL, wheel)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("ZSL_DATA_DIR", str(home))
    calls = []
    monkeypatch.setattr(animals, "fetch_animal_mnist", lambda dest=None, **kw: calls.append(dest) or wheel)
    (home / animals._CACHE_NAME).write_bytes(b"\x00" * 1000)
    ds = load_animals(verbose=False, n_per_class=10)
    assert len(calls) == 1 and Path(calls[0]) == home / "wheels"
    assert ds.X.shape == (100, 28, 28)
    _check_cache(home)


def test_corrupt_wheel_is_deleted_and_reported(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "wheels").mkdir(parents=True)
    bad = home / "wheels" / animals._WHEEL
    bad.write_bytes(b"not a zip")
    monkeypatch.setenv("ZSL_DATA_DIR", str(home))
    _no_pip(monkeypatch)
    with pytest.raises(OSError, match="not a valid wheel"):
        animals._load_images(verbose=False)
    assert not bad.exists(), "a corrupt wheel must be removed so the next call downloads it again"
    assert not (home / animals._CACHE_NAME).exists()


# --------------------------------------------------------------------------- fetch_animal_mnist
@pytest.fixture(autouse=True)
def _online(monkeypatch):
    """(For the whole module.) The fetch tests fake pip, which offline mode (scripts/test.sh turns it on) skips."""
    monkeypatch.delenv("ZSL_OFFLINE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)


def test_offline_mode_does_not_run_pip(tmp_path, monkeypatch):
    _no_pip(monkeypatch)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(OSError) as info:
        fetch_animal_mnist(tmp_path)
    _assert_offline_message(info.value, tmp_path)
    assert "HF_HUB_OFFLINE=1 is set, so pip was not run" in str(info.value)


def test_fetch_returns_existing_wheel_without_pip(tmp_path, monkeypatch):
    _no_pip(monkeypatch)
    (tmp_path / animals._WHEEL).write_bytes(b"x")
    assert fetch_animal_mnist(tmp_path) == tmp_path / animals._WHEEL


def _assert_offline_message(exc: OSError, dest: Path):
    msg = str(exc)
    assert "Offline?" in msg
    assert "pip download --no-deps animal-mnist==0.4" in msg
    assert str(dest / animals._WHEEL) in msg  # where to put a manual copy
    assert "tensorflow" in msg


def test_fetch_when_pip_fails(tmp_path, monkeypatch):
    seen = {}

    def fake_run(cmd, **kwargs):
        seen["cmd"] = cmd
        return subprocess.CompletedProcess(cmd, 1, stdout="", stderr="WARNING: retrying\nERROR: network is unreachable")

    monkeypatch.setattr(animals.subprocess, "run", fake_run)
    with pytest.raises(OSError) as info:
        fetch_animal_mnist(tmp_path)
    _assert_offline_message(info.value, tmp_path)
    assert "ERROR: network is unreachable" in str(info.value)
    cmd = seen["cmd"]
    assert cmd[0] == sys.executable and cmd[1:4] == ["-m", "pip", "download"]
    assert "--no-deps" in cmd and "animal-mnist==0.4" in cmd
    assert cmd[cmd.index("-d") + 1] == str(tmp_path)


@pytest.mark.parametrize("exc", [OSError("pip not found"), subprocess.TimeoutExpired(["pip"], 300)])
def test_fetch_when_pip_cannot_run(tmp_path, monkeypatch, exc):
    def fake_run(cmd, **kwargs):
        raise exc

    monkeypatch.setattr(animals.subprocess, "run", fake_run)
    with pytest.raises(OSError) as info:
        fetch_animal_mnist(tmp_path)
    _assert_offline_message(info.value, tmp_path)


def test_fetch_when_pip_succeeds_without_the_wheel(tmp_path, monkeypatch):
    monkeypatch.setattr(animals.subprocess, "run",
                        lambda cmd, **kw: subprocess.CompletedProcess(cmd, 0, stdout="", stderr=""))
    with pytest.raises(OSError, match="Offline"):
        fetch_animal_mnist(tmp_path)


@pytest.mark.skipif(os.name != "posix", reason="uses a shell-script stub for the Python interpreter")
def test_fetch_with_failing_interpreter_stub(tmp_path, monkeypatch):
    stub = tmp_path / "fake-python"
    stub.write_text("#!/bin/sh\necho 'ERROR: No matching distribution found (offline)' >&2\nexit 1\n")
    stub.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(stub))
    dest = tmp_path / "wheels"
    with pytest.raises(OSError) as info:
        fetch_animal_mnist(dest)
    _assert_offline_message(info.value, dest)
    assert "No matching distribution found" in str(info.value)
    assert dest.is_dir() and not any(dest.iterdir())


# --------------------------------------------------------------------------- attributes and descriptions
def test_animal_attributes():
    A, classes, attrs = animal_attributes()
    assert tuple(classes) == ANIMAL_CLASSES
    assert A.shape == (10, len(attrs))
    assert 15 <= len(attrs) <= 25
    assert len(set(attrs)) == len(attrs)
    assert np.all((A >= 0) & (A <= 1))
    assert np.all(A.any(axis=1)), "every class needs at least one non-zero attribute"
    assert len({tuple(r) for r in A}) == 10, "two classes have identical attribute rows"
    # The running example: stripes are what sets the zebra apart.
    stripes = attrs.index("stripes")
    assert A[ANIMAL_CLASSES.index("zebra"), stripes] == pytest.approx(1.0)


def test_animal_descriptions():
    desc = animal_descriptions()
    assert tuple(desc) == ANIMAL_CLASSES
    for name, sentences in desc.items():
        assert 2 <= len(sentences) <= 3, f"{name} has {len(sentences)} sentences"
        for s in sentences:
            assert isinstance(s, str) and len(s.split()) >= 4 and s.strip().endswith(".")


# --------------------------------------------------------------------------- load_animals (real data)
@pytest.fixture(scope="module")
def animals_ds():
    try:
        return load_animals(verbose=False)
    except OSError as exc:  # pragma: no cover - only without the data fetched at setup
        pytest.skip(f"Animal-MNIST is not available offline here: {exc}")


def test_load_animals_shapes(animals_ds):
    ds = animals_ds
    assert isinstance(ds, ZSLDataset)
    assert ds.X.shape == (10000, 28, 28) and ds.X.dtype == np.uint8
    np.testing.assert_array_equal(np.bincount(ds.y), np.full(10, 1000))
    assert tuple(ds.class_names) == ANIMAL_CLASSES
    A, _, attrs = animal_attributes()
    np.testing.assert_array_equal(ds.S, A)
    assert ds.aux_names == attrs
    assert ds.X.max() > 0


def test_load_animals_default_split(animals_ds):
    ds = animals_ds
    assert DEFAULT_UNSEEN == ("cat", "giraffe", "zebra")
    assert ds.names(ds.unseen_classes) == ["cat", "giraffe", "zebra"]
    assert ds.names(ds.classes_in("val")) == ["dog", "sheep"]
    assert len(ds.seen_classes) == 7
    assert len(ds.splits["test_unseen"]) == 3000
    assert len(ds.splits["test_seen"]) == 7 * 200
    assert all(ok for _, ok in ds.leakage_report())


def test_stripes_constant_among_seen_classes(animals_ds):
    ds = animals_ds
    stripes = ds.aux_names.index("stripes")
    seen_values = ds.S[ds.seen_classes, stripes]
    assert np.ptp(seen_values) == 0, "stripes should be uninformative (constant) over the seen classes"
    assert np.ptp(ds.S[ds.unseen_classes, stripes]) > 0


def test_n_per_class_subsampling_is_deterministic():
    a = load_animals(n_per_class=20, seed=3, verbose=False)
    b = load_animals(n_per_class=20, seed=3, verbose=False)
    c = load_animals(n_per_class=20, seed=4, verbose=False)
    assert a.X.shape == (200, 28, 28)
    np.testing.assert_array_equal(np.bincount(a.y), np.full(10, 20))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    for k in a.splits:
        np.testing.assert_array_equal(a.splits[k], b.splits[k])
    assert not np.array_equal(a.X, c.X)


def test_load_animals_custom_split():
    ds = load_animals(unseen=["horse", "bird"], val=["cow"], n_per_class=10, verbose=False)
    assert ds.names(ds.unseen_classes) == ["bird", "horse"]
    assert ds.names(ds.classes_in("val")) == ["cow"]
    ds = load_animals(val=None, n_per_class=10, verbose=False)
    assert len(ds.classes_in("val")) == round(7 / 3)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"unseen": ["zebra", "unicorn"]}, r"unknown class name\(s\) \['unicorn'\]"),
        ({"val": ["griffin"]}, r"unknown class name\(s\) \['griffin'\]"),
        ({"val": ["zebra"]}, "val classes must be seen classes"),
        ({"n_per_class": 4}, "n_per_class must be between 5 and 1000"),
        ({"n_per_class": 1001}, "n_per_class must be between 5 and 1000"),
    ],
)
def test_load_animals_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        load_animals(verbose=False, **kwargs)
