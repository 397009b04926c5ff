"""Caches are hashed on write and checked on read: a damaged or tampered cache is rebuilt, never loaded.

``read_npz`` is driven with random damage (hypothesis) and with forged files; the Animal-MNIST cache
with tampered content (zeroed images, shuffled labels, ...), which is rebuilt from the wheel with a
one-line notice, or, offline without the wheel, refused with an error that says what to do.
"""
from __future__ import annotations

import io
import os
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zsl_tutorial._npzcache import CacheDamaged, content_sha256, read_npz, write_npz
from zsl_tutorial.data import animals

from conftest import REAL_WHEEL  # noqa: E402  (tests/, on the path)
SMALL = {"images": (np.arange(4 * 3 * 3) % 251).astype(np.uint8).reshape(4, 3, 3),
         "labels": np.array([3, 1, 2, 0], dtype=np.int64)}
SMALL_SHA = content_sha256(SMALL)


class _Evil:
    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (os.system, (f"echo pwned > {self.target}",))


def _npz_bytes(arrays: dict, compressed: bool = False) -> bytes:
    buf = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buf, **arrays)
    return buf.getvalue()


def _forged_header(shape: tuple, descr: str = "|u1", data: bytes = b"") -> bytes:
    """An .npz whose ``images`` header claims ``shape``: the bait for a MemoryError."""
    member = io.BytesIO()
    np.lib.format.write_array_header_1_0(member, {"descr": descr, "fortran_order": False, "shape": shape})
    member.write(data)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("images.npy", member.getvalue())
        zf.writestr("labels.npy", _npy(SMALL["labels"]))
    return buf.getvalue()


def _npy(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue()


# --------------------------------------------------------------------------- read_npz
def test_write_then_read_round_trips(tmp_path):
    path = tmp_path / "c.npz"
    assert write_npz(path, SMALL) == SMALL_SHA
    out = read_npz(path, ("images", "labels"), max_bytes=1000, sha256=SMALL_SHA)
    for k in SMALL:
        np.testing.assert_array_equal(out[k], SMALL[k])
        assert out[k].dtype == SMALL[k].dtype and out[k].flags.writeable
    with pytest.raises(FileNotFoundError):
        read_npz(tmp_path / "none.npz", ("images",), max_bytes=10, sha256=None)


@pytest.mark.parametrize("case, content, match", [
    ("zeroed", {**SMALL, "images": np.zeros_like(SMALL["images"])}, "expected"),
    ("shuffled", {**SMALL, "labels": SMALL["labels"][::-1].copy()}, "expected"),
    ("retyped", {**SMALL, "labels": SMALL["labels"].astype(np.float64)}, "expected"),
    ("extra", {**SMALL, "more": np.zeros(2)}, "expected the arrays"),
    ("missing", {"images": SMALL["images"]}, "expected the arrays"),
    ("fortran", {**SMALL, "images": np.asfortranarray(SMALL["images"])}, None),  # same content: accepted
])
def test_well_formed_but_altered_content_is_caught(tmp_path, case, content, match):
    path = tmp_path / "c.npz"
    path.write_bytes(_npz_bytes(content))
    if match is None:
        np.testing.assert_array_equal(read_npz(path, ("images", "labels"), max_bytes=1000,
                                               sha256=SMALL_SHA)["images"], SMALL["images"])
        return
    with pytest.raises(CacheDamaged, match=match):
        read_npz(path, ("images", "labels"), max_bytes=1000, sha256=SMALL_SHA)


@pytest.mark.parametrize("shape", [(10**12,), (2**62, 2**62), (10**6, 10**6, 10**6), (-1,), (5,)])
def test_a_forged_header_never_allocates(tmp_path, shape):
    path = tmp_path / "c.npz"
    path.write_bytes(_forged_header(shape, data=b"\x00" * 3))  # (5,) claims 5 bytes, holds 3
    with pytest.raises(CacheDamaged):
        read_npz(path, ("images", "labels"), max_bytes=10**6, sha256=None)


def test_object_arrays_are_never_unpickled(tmp_path):
    target = tmp_path / "pwned"
    path = tmp_path / "c.npz"
    path.write_bytes(_npz_bytes({"images": np.array([_Evil(target)], dtype=object), "labels": SMALL["labels"]}))
    with pytest.raises(CacheDamaged, match="pickle"):
        read_npz(path, ("images", "labels"), max_bytes=10**6, sha256=None)
    assert not target.exists()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(compressed=st.booleans(), flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)),
                                                min_size=1, max_size=6),
       cut=st.one_of(st.none(), st.integers(0, 10**6)))
def test_random_damage_gives_the_right_arrays_or_cache_damaged(tmp_path, compressed, flips, cut):
    raw = bytearray(_npz_bytes(SMALL, compressed))
    for offset, xor in flips:
        raw[offset % len(raw)] ^= xor
    if cut is not None:
        raw = raw[: cut % (len(raw) + 1)]
    path = tmp_path / "c.npz"
    path.write_bytes(bytes(raw))
    try:
        out = read_npz(path, ("images", "labels"), max_bytes=10_000, sha256=SMALL_SHA)
    except CacheDamaged as exc:
        assert str(exc)  # says what is wrong
    else:  # damage that zipfile ignores (e.g. a timestamp): the content is provably the original
        assert content_sha256(out) == SMALL_SHA


# --------------------------------------------------------------------------- the Animal-MNIST cache
@pytest.fixture
def home(wheel_home, monkeypatch):
    """A ZSL_DATA_DIR with the real wheel and a freshly built cache; pip must never run."""
    for var in ("ZSL_OFFLINE", "HF_HUB_OFFLINE"):
        monkeypatch.delenv(var, raising=False)
    animals._load_images(verbose=False)
    return wheel_home


def _rewrite(path: Path, change) -> None:
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    change(arrays)
    path.write_bytes(_npz_bytes(arrays, compressed=True))


def _zero_images(a):
    a["images"] = np.zeros_like(a["images"])


def _shuffle_labels(a):
    a["labels"] = np.random.default_rng(0).permutation(a["labels"])


def _one_pixel(a):
    a["images"] = a["images"].copy()
    a["images"][1234, 5, 6] ^= 1


def _int32_labels(a):
    a["labels"] = a["labels"].astype(np.int32)


TAMPER = {
    "zeroed-images": lambda p: _rewrite(p, _zero_images),
    "shuffled-labels": lambda p: _rewrite(p, _shuffle_labels),
    "one-pixel": lambda p: _rewrite(p, _one_pixel),
    "int32-labels": lambda p: _rewrite(p, _int32_labels),
    "huge-header": lambda p: p.write_bytes(_forged_header((10**12, 28, 28))),
    "pickled-objects": lambda p: p.write_bytes(_npz_bytes({"images": np.array([1, "x"], dtype=object),
                                                           "labels": np.zeros(3)})),
    "empty-zip": lambda p: p.write_bytes(_npz_bytes({})),
    "zeros": lambda p: p.write_bytes(bytes(4096)),
    "directory": lambda p: (p.unlink(), p.mkdir()),
}


@pytest.mark.parametrize("case", TAMPER)
def test_a_tampered_animal_cache_is_rebuilt_with_one_line(home, case):
    cache = home / animals._CACHE_NAME
    TAMPER[case](cache)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if case == "directory":  # not a file we can replace: the error names it
            with pytest.raises(OSError, match=animals._CACHE_NAME):
                animals._load_images(verbose=False)
            return
        images, labels = animals._load_images(verbose=False)
    notices = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert len(notices) == 1 and "\n" not in notices[0], notices
    assert "damaged" in notices[0] and str(cache) in notices[0] and "rebuilding" in notices[0]
    assert content_sha256({"images": images, "labels": labels}) == animals._CACHE_SHA256
    animals._read_cache(cache)  # the rewritten file verifies
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        animals._load_images(verbose=False)  # and loads silently from now on


def test_a_good_cache_loads_without_the_wheel(home):
    (home / "wheels" / REAL_WHEEL.name).unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        images, labels = animals._load_images(verbose=False)
    np.testing.assert_array_equal(np.bincount(labels), np.full(10, 1000))


def test_offline_with_a_damaged_cache_says_what_to_do(home, monkeypatch):
    (home / "wheels" / REAL_WHEEL.name).unlink()
    TAMPER["zeroed-images"](home / animals._CACHE_NAME)
    monkeypatch.setenv("ZSL_OFFLINE", "1")
    with pytest.warns(RuntimeWarning, match="damaged"), pytest.raises(OSError) as err:
        animals._load_images(verbose=False)
    msg = str(err.value)
    assert "was damaged" in msg and "could not be rebuilt" in msg and str(home / animals._CACHE_NAME) in msg
    assert "ZSL_OFFLINE=1 is set, so pip was not run" in msg
    assert "pip download --no-deps animal-mnist==0.4" in msg and str(home / "wheels" / animals._WHEEL) in msg


def test_a_wheel_with_a_broken_deflate_stream_is_deleted(home):
    wheel = home / "wheels" / REAL_WHEEL.name
    raw = bytearray(wheel.read_bytes())
    with zipfile.ZipFile(wheel) as zf:
        info = zf.getinfo(animals._MEMBERS["images"][0])
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start:start + 16] = b"\xff" * 16
    wheel.write_bytes(bytes(raw))
    (home / animals._CACHE_NAME).unlink()
    with pytest.raises(OSError, match="not a valid wheel .*delete it and try again"):
        animals._load_images(verbose=False)
    assert not wheel.exists()
