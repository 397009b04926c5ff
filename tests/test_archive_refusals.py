"""Refused archives are removed, never reused, and a later good download succeeds.

A local server on 127.0.0.1 serves whatever each test puts in ``_Served.files``: a good xlsa17-layout
archive, or one that is corrupt (a broken deflate stream), unsafe (zip-slip, a link), a zip bomb (by
ratio, or by total size), the wrong layout, or the wrong hash. Every bad case must end in a clear error
of the package's own types, leave no archive behind, and not stop the good archive from loading next.
"""
from __future__ import annotations

import http.server
import io
import stat
import tempfile
import threading
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zsl_tutorial.data import download as dl
from zsl_tutorial.data.archives import MAX_RATIO, archive_problem, safe_extract
from zsl_tutorial.data.download import ChecksumError, DownloadError, UnsafeArchiveError
from zsl_tutorial.data.xlsa17 import Xlsa17FormatError, fetch_xlsa17, write_xlsa17_fixture
from zsl_tutorial.data.xlsa17 import fetch as xfetch

# What fetch_xlsa17 may raise for a bad archive; anything else (zlib.error, KeyError, ...) is a bug.
CLEAR = (DownloadError, zipfile.BadZipFile, UnsafeArchiveError, Xlsa17FormatError)


class _Served(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def base_url():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Served)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path):
    monkeypatch.setenv("ZSL_DATA_DIR", str(tmp_path / "_package_cache"))
    for var in ("ZSL_OFFLINE", "HF_HUB_OFFLINE", "ZSL_XLSA17_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(dl, "RETRY_BACKOFF_S", 0.0)


def _members(src: Path) -> dict[str, bytes]:
    write_xlsa17_fixture(src, "AWA2")
    return {p.relative_to(src).as_posix(): p.read_bytes()
            for p in sorted((src / "xlsa17").rglob("*")) if p.is_file() and p.name != "zsl_manifest.json"}


_GOOD_CACHE: dict[str, bytes] = {}


def _good_members() -> dict[str, bytes]:
    if not _GOOD_CACHE:
        with tempfile.TemporaryDirectory() as d:
            _GOOD_CACHE.update(_members(Path(d)))
    return dict(_GOOD_CACHE)


def _zip(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


def _break_deflate(archive: bytes, member: str) -> bytes:
    """Overwrite the start of ``member``'s deflate stream: zlib fails on it (before any CRC check)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        info = zf.getinfo(member)
    raw = bytearray(archive)
    name_len = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    raw[start:start + 16] = b"\xff" * 16  # an invalid block type / code lengths
    return bytes(raw)


GOOD = _zip(_good_members())
BAD = {
    "corrupt-deflate": _break_deflate(GOOD, "xlsa17/data/AWA2/res101.mat"),
    "zip-slip": _zip({**_good_members(), "xlsa17/data/../../../evil.txt": b"pwned"}),
    "absolute": _zip({**_good_members(), "/tmp/zsl_evil_abs.txt": b"pwned"}),
    "symlink": _zip(_good_members(), links=("xlsa17/data/AWA2/link",)),
    "bomb-by-ratio": _zip({**_good_members(), "xlsa17/data/AWA2/zeros.bin": bytes(8 << 20)}),
    "wrong-layout": _zip({k.replace("AWA2", "CUB"): v for k, v in _good_members().items()}),
    "incomplete": _zip({k: v for k, v in _good_members().items() if not k.endswith("att_splits.mat")}),
    "not-a-zip": b"<html>maintenance page</html>" * 10,
}
EXPECTED = {
    "corrupt-deflate": (DownloadError, "not a valid zip archive, or a corrupt one"),
    "zip-slip": (UnsafeArchiveError, "unsafe member name"),
    "absolute": (UnsafeArchiveError, "unsafe member name"),
    "symlink": (UnsafeArchiveError, "symbolic link"),
    "bomb-by-ratio": (UnsafeArchiveError, "max_ratio=100"),
    "wrong-layout": (Xlsa17FormatError, "has no data/AWA2/res101.mat"),
    "incomplete": (Xlsa17FormatError, "has no data/AWA2/att_splits.mat"),
    "not-a-zip": (DownloadError, "not a usable archive"),
}


def _fetch(root: Path, url: str):
    return fetch_xlsa17("AWA2", root, url=url, progress=False, timeout=5, deadline=30)


def _assert_good(root: Path, url: str) -> None:
    ds_dir = _fetch(root, url)
    assert (ds_dir / "res101.mat").read_bytes() == _good_members()["xlsa17/data/AWA2/res101.mat"]
    assert not (root / "xlsa17.zip").exists()


@pytest.mark.parametrize("case", BAD)
def test_a_refused_archive_is_removed_and_a_good_one_loads_next(tmp_path, base_url, case):
    _Served.files = {"/bad.zip": BAD[case], "/good.zip": GOOD}
    root = tmp_path / "root"
    kind, match = EXPECTED[case]
    with pytest.raises(kind, match=match) as err:
        _fetch(root, f"{base_url}/bad.zip")
    assert "deleted" in str(err.value) and str(root / "xlsa17.zip") in str(err.value)  # says what happened
    assert not (root / "xlsa17.zip").exists(), "a refused archive must not be kept"
    assert not (root / "xlsa17" / "data" / "AWA2" / "res101.mat").exists()  # nothing from it was unpacked
    assert not list(tmp_path.rglob("evil.txt")) and not Path("/tmp/zsl_evil_abs.txt").exists()
    # The same call again refuses again (it is fetched anew, never taken from a kept copy) ...
    with pytest.raises(kind):
        _fetch(root, f"{base_url}/bad.zip")
    # ... and the good archive into the very same root succeeds.
    _assert_good(root, f"{base_url}/good.zip")


def test_an_archive_placed_by_hand_that_is_refused_is_removed_too(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "xlsa17.zip").write_bytes(BAD["zip-slip"])
    with pytest.raises(UnsafeArchiveError, match="deleted"):
        fetch_xlsa17("AWA2", root, download=False)
    assert not (root / "xlsa17.zip").exists()
    (root / "xlsa17.zip").write_bytes(BAD["corrupt-deflate"])
    with pytest.raises(FileNotFoundError, match="nothing is downloaded unless you ask"):
        fetch_xlsa17("AWA2", root, download=False)  # the corrupt copy is found, deleted, and reported missing
    assert not (root / "xlsa17.zip").exists()


def test_the_total_unpacked_size_is_capped(tmp_path, base_url, monkeypatch):
    monkeypatch.setattr(xfetch, "XLSA17_MAX_UNPACKED", 1000)
    _Served.files = {"/good.zip": GOOD}
    with pytest.raises(UnsafeArchiveError, match=r"more than the limit of 1,000 \(max_size\)"):
        _fetch(tmp_path / "root", f"{base_url}/good.zip")
    assert not (tmp_path / "root" / "xlsa17.zip").exists()
    monkeypatch.setattr(xfetch, "XLSA17_MAX_UNPACKED", 10 * len(GOOD))
    _assert_good(tmp_path / "root", f"{base_url}/good.zip")


def test_a_wrong_hash_saves_nothing_and_the_right_one_loads(tmp_path, base_url, monkeypatch):
    import hashlib

    url = f"{base_url}/pinned.zip"
    monkeypatch.setattr(xfetch, "XLSA17_URL", url)  # as if this server were the official one, with a pin
    monkeypatch.setattr(xfetch, "XLSA17_SHA256", "0" * 64)
    _Served.files = {"/pinned.zip": GOOD}
    with pytest.raises(ChecksumError, match="0000000000"):
        fetch_xlsa17("AWA2", tmp_path / "root", url=url, progress=False, timeout=5)
    assert not list((tmp_path / "root").glob("*.zip")) and not list((tmp_path / "root").glob(".*.part"))
    monkeypatch.setattr(xfetch, "XLSA17_SHA256", hashlib.sha256(GOOD).hexdigest())
    _assert_good(tmp_path / "root", url)


def test_archive_problem_names_a_broken_deflate_stream(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(BAD["corrupt-deflate"])
    assert "error" in archive_problem(path)  # zlib.error, reported, not raised
    with pytest.raises(zipfile.BadZipFile, match="corrupt .*nothing was extracted"):
        safe_extract(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_ratio_applies_to_large_members_only(tmp_path):
    small = _zip({"zeros_small.bin": bytes(100_000)})  # ~1000:1, but only 100 kB: harmless
    path = tmp_path / "s.zip"
    path.write_bytes(small)
    assert [p.name for p in safe_extract(path, tmp_path / "out")] == ["zeros_small.bin"]
    path.write_bytes(_zip({"zeros.bin": bytes(2 << 20)}))
    with pytest.raises(UnsafeArchiveError, match="possible zip bomb"):
        safe_extract(path, tmp_path / "out2")
    assert safe_extract(path, tmp_path / "out3", max_ratio=10_000)[0].stat().st_size == 2 << 20
    with pytest.raises(ValueError, match="max_ratio must be"):
        safe_extract(path, tmp_path / "o", max_ratio=0)
    with pytest.raises(ValueError, match="max_size must be"):
        safe_extract(path, tmp_path / "o", max_size=-1)


# --------------------------------------------------------------------------- property-based
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_damaged_archive_is_a_clear_error_or_the_right_files(data):
    """Random damage to the archive: either it loads the right files, or a clear error and no archive kept."""
    raw = bytearray(GOOD)
    n_flips = data.draw(st.integers(1, 8), label="flips")
    for _ in range(n_flips):
        i = data.draw(st.integers(0, len(raw) - 1), label="offset")
        raw[i] ^= data.draw(st.integers(1, 255), label="xor")
    cut = data.draw(st.one_of(st.none(), st.integers(0, len(raw))), label="truncate at")
    body = bytes(raw if cut is None else raw[:cut])
    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "root"
        root.mkdir()
        (root / "xlsa17.zip").write_bytes(body)  # served from disk: the same path as a download
        try:
            ds_dir = fetch_xlsa17("AWA2", root, download=False)
        except CLEAR + (FileNotFoundError,) as exc:
            assert str(root) in str(exc) or "xlsa17.zip" in str(exc)
            assert not (root / "xlsa17.zip").exists(), f"refused archive kept after {type(exc).__name__}"
        else:  # damage in a part zipfile does not check (a comment, an unused header field)
            members = _good_members()
            for f in ("res101.mat", "att_splits.mat"):
                assert (ds_dir / f).read_bytes() == members[f"xlsa17/data/AWA2/{f}"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(st.text(alphabet="ab./\\:C\x00", min_size=1, max_size=12), min_size=1, max_size=4))
def test_member_names_never_escape_the_target(names):
    with tempfile.TemporaryDirectory() as d:
        outer = Path(d)
        archive = outer / "a.zip"
        with zipfile.ZipFile(archive, "w") as zf, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duplicate names are part of what is generated
            for name in names:
                try:
                    zf.writestr(name, b"x")
                except (ValueError, OSError, IndexError):  # zipfile cannot even write the name
                    return
        target = outer / "box" / "target"
        try:
            written = safe_extract(archive, target)
        except (UnsafeArchiveError, ValueError, zipfile.BadZipFile):
            written = []
        for p in written:
            assert target.resolve() in p.resolve().parents
        escaped = [p for p in outer.rglob("*") if p.is_file() and p != archive
                   and target.resolve() not in p.resolve().parents]
        assert not escaped, f"{names} wrote {escaped}"
    assert MAX_RATIO == 100
