"""The download and cache machinery, against a local HTTP server on 127.0.0.1 (no internet)."""
from __future__ import annotations

import hashlib
import http.server
import io
import logging
import socket
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from zsl_tutorial.data import download as dl
from zsl_tutorial.data.download import (
    ChecksumError,
    DownloadError,
    OfflineError,
    TooSlowError,
    UnsafeArchiveError,
    download,
    safe_extract,
    sha256sum,
    verify_file,
)

GOOD = bytes(range(256)) * 400  # 100 KiB: several reads, still instant
GOOD_SHA = hashlib.sha256(GOOD).hexdigest()
CORRUPT = GOOD[:1000] + b"\x00" + GOOD[1001:]  # same size, one byte differs
CORRUPT_SHA = hashlib.sha256(CORRUPT).hexdigest()
SLOW_S = 3.0  # how long the slow endpoints stall; every test uses a timeout well below it


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: Counter = Counter()
    stop = threading.Event()

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def _headers(self, length: int, code: int = 200) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        path = self.path.split("?")[0]
        self.hits[path] += 1
        if path == "/good.bin":
            self._headers(len(GOOD))
            self.wfile.write(GOOD)
        elif path == "/corrupt.bin":
            self._headers(len(CORRUPT))
            self.wfile.write(CORRUPT)
        elif path == "/truncated.bin" or (path == "/flaky.bin" and self.hits[path] == 1):
            # Promise the whole file, send half, hang up: a dropped connection.
            self._headers(len(GOOD))
            self.wfile.write(GOOD[: len(GOOD) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif path == "/flaky.bin":
            self._headers(len(GOOD))
            self.wfile.write(GOOD)
        elif path == "/slow.bin":  # no answer at all within the client's timeout
            self.stop.wait(SLOW_S)
            self._headers(len(GOOD))
            self.wfile.write(GOOD)
        elif path == "/stall.bin":  # starts, then stops sending mid-body
            self._headers(len(GOOD))
            self.wfile.write(GOOD[:1000])
            self.wfile.flush()
            self.stop.wait(SLOW_S)
        elif path == "/trickle.bin":  # every read succeeds, but only ~2 kB/s arrive: no read ever times out
            self._headers(len(GOOD))
            for i in range(0, len(GOOD), 100):
                if self.stop.wait(0.05):
                    break
                try:
                    self.wfile.write(GOOD[i:i + 100])
                    self.wfile.flush()
                except OSError:  # the client gave up
                    break
        elif path == "/error500.bin":
            self._headers(0, 500)
        else:
            self.send_error(404, "Not Found")


@pytest.fixture(scope="module")
def server():
    """Base URL of a local threaded HTTP server on a free port of 127.0.0.1."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True  # stalled handlers must not keep the test run alive
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    _Handler.stop.clear()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        _Handler.stop.set()  # release stalled handlers
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _quick(monkeypatch):
    """No back-off between retries, no ZSL_OFFLINE or HF_HUB_OFFLINE from the environment, fresh hit counts."""
    monkeypatch.setattr(dl, "RETRY_BACKOFF_S", 0.0)
    monkeypatch.delenv("ZSL_OFFLINE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # it counts as offline too (scripts/test.sh sets it)
    _Handler.hits.clear()


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/file.bin"  # nothing listens there any more


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# --------------------------------------------------------------------------- success and cache
def test_download_verifies_and_caches(server, tmp_path):
    dest = tmp_path / "sub" / "good.bin"
    out = download(f"{server}/good.bin", dest, sha256=GOOD_SHA, size=len(GOOD), progress=True, timeout=5)
    assert out == dest and dest.read_bytes() == GOOD
    assert _leftovers(dest.parent) == []
    # A second call is a cache hit: no request at all.
    assert download(f"{server}/good.bin", dest, sha256=GOOD_SHA, progress=False) == dest
    assert _Handler.hits["/good.bin"] == 1


def test_cache_hit_works_offline(server, tmp_path, monkeypatch):
    dest = download(f"{server}/good.bin", tmp_path / "good.bin", sha256=GOOD_SHA, progress=False, timeout=5)
    monkeypatch.setenv("ZSL_OFFLINE", "1")
    assert download(f"{server}/good.bin", dest, sha256=GOOD_SHA, progress=False) == dest
    assert _Handler.hits["/good.bin"] == 1


def test_retry_after_dropped_connection_succeeds(server, tmp_path):
    dest = download(f"{server}/flaky.bin", tmp_path / "f.bin", sha256=GOOD_SHA, retries=1, progress=False, timeout=5)
    assert dest.read_bytes() == GOOD
    assert _Handler.hits["/flaky.bin"] == 2
    assert _leftovers(tmp_path) == []


# --------------------------------------------------------------------------- bad bytes
def test_sha256_mismatch_retries_then_fails_cleanly(server, tmp_path):
    url, dest = f"{server}/corrupt.bin", tmp_path / "data.bin"
    with pytest.raises(ChecksumError) as err:
        download(url, dest, sha256=GOOD_SHA, retries=2, progress=False, timeout=5)
    msg = str(err.value)
    assert "data.bin" in msg and url in msg
    assert GOOD_SHA in msg and CORRUPT_SHA in msg  # expected and actual
    assert _Handler.hits["/corrupt.bin"] == 3  # first try + 2 retries
    assert not dest.exists() and _leftovers(tmp_path) == []


def test_size_mismatch_is_a_checksum_error(server, tmp_path):
    with pytest.raises(ChecksumError, match="expected 12"):
        download(f"{server}/good.bin", tmp_path / "x.bin", size=12, retries=0, progress=False, timeout=5)
    assert not (tmp_path / "x.bin").exists()


def test_truncated_transfer_leaves_nothing(server, tmp_path):
    dest = tmp_path / "t.bin"
    with pytest.raises(DownloadError, match="truncated") as err:
        download(f"{server}/truncated.bin", dest, retries=1, progress=False, timeout=5)
    assert not isinstance(err.value, ChecksumError)
    assert str(dest) in str(err.value)
    assert _Handler.hits["/truncated.bin"] == 2
    assert not dest.exists() and _leftovers(tmp_path) == []


def test_stall_mid_body_times_out_and_leaves_nothing(server, tmp_path):
    dest = tmp_path / "s.bin"
    t0 = time.monotonic()
    with pytest.raises(DownloadError, match="stopped sending"):
        download(f"{server}/stall.bin", dest, retries=0, timeout=0.5, progress=False)
    assert time.monotonic() - t0 < SLOW_S
    assert not dest.exists() and _leftovers(tmp_path) == []


def test_trickle_is_stopped_by_the_deadline_then_a_good_download_succeeds(server, tmp_path):
    # Each 100-byte read arrives well within timeout=5, so only the overall deadline can stop this.
    dest = tmp_path / "t.bin"
    t0 = time.monotonic()
    with pytest.raises(TooSlowError) as err:
        download(f"{server}/trickle.bin", dest, retries=2, timeout=5, deadline=1.0, min_rate=0, progress=False)
    assert time.monotonic() - t0 < SLOW_S  # generous: the point is that it is not the ~50 s of the trickle
    msg = str(err.value)
    assert "deadline=1 s" in msg and "t.bin" in msg and str(dest) in msg and "larger deadline" in msg
    assert _Handler.hits["/trickle.bin"] == 1  # the deadline covers all attempts: no retry after it
    assert not dest.exists() and _leftovers(tmp_path) == []
    download(f"{server}/good.bin", dest, sha256=GOOD_SHA, progress=False, timeout=5, deadline=10)
    assert dest.read_bytes() == GOOD


def test_trickle_below_the_minimum_rate_is_retried_then_refused(server, tmp_path):
    dest = tmp_path / "t.bin"
    with pytest.raises(TooSlowError, match=r"min_rate=50,000 bytes/s over rate_window=0.3 s") as err:
        download(f"{server}/trickle.bin", dest, retries=1, timeout=5, min_rate=50_000, rate_window=0.3,
                 progress=False)
    assert "lower min_rate" in str(err.value)
    assert _Handler.hits["/trickle.bin"] == 2  # a slow attempt is retried, within the deadline
    assert not dest.exists() and _leftovers(tmp_path) == []


def test_a_fast_enough_download_passes_the_rate_check(server, tmp_path):
    dest = download(f"{server}/good.bin", tmp_path / "g.bin", sha256=GOOD_SHA, timeout=5, min_rate=1000,
                    rate_window=0.01, deadline=30, progress=False)
    assert dest.read_bytes() == GOOD


@pytest.mark.parametrize("kwargs, match", [
    ({"deadline": 0}, r"deadline must be .* > 0, or None"),
    ({"deadline": -1.0}, "deadline must be"),
    ({"deadline": float("nan")}, "deadline must be"),
    ({"min_rate": -5}, r"min_rate must be .*bytes/s >= 0 \(0 turns the check off\)"),
    ({"rate_window": 0}, "rate_window must be"),
    ({"timeout": "30"}, "timeout must be"),
    ({"retries": -1}, "retries must be"),
    ({"retries": 1.5}, "retries must be"),
])
def test_unusable_limits_are_named(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        download("http://127.0.0.1:9/x.bin", tmp_path / "x.bin", progress=False, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_default_deadline_follows_the_length():
    from zsl_tutorial.data import pace

    assert pace.default_deadline(None) == pace.UNKNOWN_LENGTH_DEADLINE_S
    assert pace.default_deadline(1000) == pace.DEADLINE_FLOOR_S  # small files: the floor
    assert pace.default_deadline(900_000_000) == pytest.approx(9000)  # xlsa17: 10x its time at 1 MB/s
    p = pace.Pace(None, 0, 1)
    p.learn_length(900_000_000)
    assert p.deadline == pytest.approx(9000)
    q = pace.Pace(5.0, 0, 1)
    q.learn_length(900_000_000)
    assert q.deadline == 5.0  # the caller's deadline is never changed


def test_stale_part_file_is_never_accepted(server, tmp_path):
    dest = tmp_path / "good.bin"
    # Leftovers of an interrupted run, under both naming schemes; one even holds the full good bytes.
    stale = [dest.with_suffix(".bin.part"), tmp_path / ".good.bin.abc123.part"]
    stale[0].write_bytes(GOOD)
    stale[1].write_bytes(GOOD[:10])
    with pytest.raises(OfflineError):
        download(_closed_port_url(), dest, sha256=GOOD_SHA, progress=False, timeout=1)
    assert not dest.exists()
    download(f"{server}/good.bin", dest, sha256=GOOD_SHA, progress=False, timeout=5)
    assert dest.read_bytes() == GOOD and _Handler.hits["/good.bin"] == 1  # fetched, not taken from the .part


def test_corrupt_cache_is_detected_and_refetched(server, tmp_path, caplog):
    dest = tmp_path / "good.bin"
    dest.write_bytes(CORRUPT)
    with caplog.at_level(logging.WARNING, logger="zsl_tutorial.data.download"):
        download(f"{server}/good.bin", dest, sha256=GOOD_SHA, progress=False, timeout=5)
    assert dest.read_bytes() == GOOD
    assert "corrupt" in caplog.text and str(dest) in caplog.text
    assert _Handler.hits["/good.bin"] == 1


def test_truncated_cache_is_detected_by_size(server, tmp_path):
    dest = tmp_path / "good.bin"
    dest.write_bytes(GOOD[:100])
    download(f"{server}/good.bin", dest, size=len(GOOD), progress=False, timeout=5)
    assert dest.read_bytes() == GOOD


# --------------------------------------------------------------------------- unreachable
def test_zsl_offline_fails_fast_without_network(server, tmp_path, monkeypatch):
    monkeypatch.setenv("ZSL_OFFLINE", "1")
    url, dest = f"{server}/good.bin", tmp_path / "good.bin"
    t0 = time.monotonic()
    with pytest.raises(OfflineError) as err:
        download(url, dest, progress=False, hint="or unzip it somewhere")
    assert time.monotonic() - t0 < 0.5
    msg = str(err.value)
    assert url in msg and str(dest) in msg and "ZSL_OFFLINE" in msg and "unzip it somewhere" in msg
    assert _Handler.hits["/good.bin"] == 0 and not dest.exists()


def test_closed_port_is_a_clear_offline_error(tmp_path):
    url, dest = _closed_port_url(), tmp_path / "file.bin"
    t0 = time.monotonic()
    with pytest.raises(OfflineError) as err:
        download(url, dest, retries=3, timeout=1, progress=False)
    assert time.monotonic() - t0 < 2  # not retried: unreachable is not a transient glitch
    msg = str(err.value)
    assert url in msg and str(dest) in msg and "file.bin" in msg
    assert isinstance(err.value, OSError)


def test_http_404_is_not_retried(server, tmp_path):
    url, dest = f"{server}/missing.bin", tmp_path / "missing.bin"
    with pytest.raises(OfflineError, match="404") as err:
        download(url, dest, retries=3, progress=False, timeout=5)
    assert url in str(err.value) and str(dest) in str(err.value)
    assert _Handler.hits["/missing.bin"] == 1


def test_slow_server_times_out_quickly(server, tmp_path):
    dest = tmp_path / "slow.bin"
    t0 = time.monotonic()
    with pytest.raises(OfflineError) as err:
        download(f"{server}/slow.bin", dest, retries=2, timeout=0.5, progress=False)
    assert time.monotonic() - t0 < 2.0
    assert "slow.bin" in str(err.value) and str(dest) in str(err.value)
    assert not dest.exists() and _leftovers(tmp_path) == []


def test_http_500_is_retried_then_reported(server, tmp_path):
    with pytest.raises(DownloadError, match="HTTP 500"):
        download(f"{server}/error500.bin", tmp_path / "e.bin", retries=2, progress=False, timeout=5)
    assert _Handler.hits["/error500.bin"] == 3


# --------------------------------------------------------------------------- helpers
def test_sha256sum_and_verify_file(tmp_path):
    p = tmp_path / "f.bin"
    p.write_bytes(GOOD)
    assert sha256sum(p) == GOOD_SHA
    assert verify_file(p, sha256=GOOD_SHA.upper(), size=len(GOOD)) is None
    assert "expected" in verify_file(p, sha256=CORRUPT_SHA)
    assert "bytes" in verify_file(p, size=1)
    assert "does not exist" in verify_file(tmp_path / "nope")


# --------------------------------------------------------------------------- archives
def _zip(path: Path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("evil", ["../evil.txt", "a/../../evil.txt", "/tmp/zsl_evil.txt", "..\\evil.txt",
                                  "C:/evil.txt"])
def test_zip_slip_is_refused_before_writing_anything(tmp_path, evil):
    archive = _zip(tmp_path / "evil.zip", {"ok/first.txt": b"fine", evil: b"pwned"})
    target = tmp_path / "out" / "target"
    with pytest.raises(UnsafeArchiveError, match="evil"):
        safe_extract(archive, target)
    assert not target.exists()  # not even the harmless first member
    assert not (tmp_path / "out" / "evil.txt").exists() and not (tmp_path / "evil.txt").exists()
    assert not Path("/tmp/zsl_evil.txt").exists()
    assert [p.name for p in (tmp_path / "out").iterdir()] == []  # no staging folder left


def test_safe_extract_strip_prefix_members_and_merge(tmp_path):
    archive = _zip(tmp_path / "a.zip", {"top/data/A/x.txt": b"x", "top/data/B/y.txt": b"y", "top/README": b"r"})
    target = tmp_path / "t"
    (target / "data" / "A").mkdir(parents=True)
    (target / "data" / "A" / "x.txt").write_bytes(b"old")
    (target / "keep.txt").write_bytes(b"mine")
    out = safe_extract(archive, target, ["top/data/A/x.txt", "top/data/B/y.txt"], strip_prefix="top")
    assert sorted(p.relative_to(target).as_posix() for p in out) == ["data/A/x.txt", "data/B/y.txt"]
    assert (target / "data" / "A" / "x.txt").read_bytes() == b"x"  # replaced
    assert (target / "data" / "B" / "y.txt").read_bytes() == b"y"
    assert (target / "keep.txt").read_bytes() == b"mine"  # untouched
    assert not (target / "README").exists()
    with pytest.raises(KeyError, match="nope"):
        safe_extract(archive, target, ["nope"])


def test_failed_extraction_leaves_no_half_folder(tmp_path):
    archive = _zip(tmp_path / "c.zip", {"d/a.txt": b"a" * 1000, "d/b.txt": b"b" * 1000}, zipfile.ZIP_STORED)
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("d/b.txt")
    raw = bytearray(archive.read_bytes())
    with io.BytesIO(raw) as f:  # local header: 30 bytes + name + extra, then the data
        f.seek(info.header_offset + 26)
        name_len, extra_len = int.from_bytes(f.read(2), "little"), int.from_bytes(f.read(2), "little")
    raw[info.header_offset + 30 + name_len + extra_len + 10] ^= 0xFF  # breaks b.txt's CRC
    archive.write_bytes(bytes(raw))
    target = tmp_path / "out"
    with pytest.raises(zipfile.BadZipFile, match="corrupt"):
        safe_extract(archive, target)
    assert not target.exists()  # a.txt was fine, but nothing is moved in before everything is
    assert list(tmp_path.glob(".out.extract-*")) == []


def test_safe_extract_rejects_non_zip(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(zipfile.BadZipFile, match="not a valid zip"):
        safe_extract(bad, tmp_path / "out")
