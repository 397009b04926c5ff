"""Two real processes fetching into one empty cache: both succeed, and the cache ends up whole.

Each round starts two fresh Python processes that wait for a shared "go" file, then fetch the same
thing into the same folder at the same moment: xlsa17 from a local server on 127.0.0.1 (before the
locks, one of them failed with FileNotFoundError in about half the rounds), and the Animal-MNIST cache
from the wheel.
"""
from __future__ import annotations

import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from zsl_tutorial.data.xlsa17 import write_xlsa17_fixture

ROOT = Path(__file__).resolve().parents[1]
REAL_WHEEL = Path.home() / ".cache" / "zsl-tutorial" / "wheels" / "animal_mnist-0.4-py3-none-any.whl"
ROUNDS = 3

_XLSA17 = """
import hashlib, sys, time
from pathlib import Path
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.005)
from zsl_tutorial.data.xlsa17 import fetch_xlsa17
folder = fetch_xlsa17("AWA2", sys.argv[2], url=sys.argv[3], progress=False, timeout=10, deadline=60)
print(hashlib.sha256((folder / "res101.mat").read_bytes()).hexdigest())
"""

_ANIMALS = """
import sys, time
from pathlib import Path
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.005)
from zsl_tutorial.data import animals
from zsl_tutorial._npzcache import content_sha256
images, labels = animals._load_images(Path(sys.argv[2]), verbose=False)
print(content_sha256({"images": images, "labels": labels}))
"""


class _Slow(http.server.BaseHTTPRequestHandler):
    """Serves the archive in small pieces, so that two downloads overlap in time."""

    body = b""

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        for i in range(0, len(self.body), 16 << 10):
            self.wfile.write(self.body[i:i + (16 << 10)])
            time.sleep(0.002)


@pytest.fixture(scope="module")
def release_url(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    write_xlsa17_fixture(src, "AWA2", samples_per_class=60, n_features=256)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted((src / "xlsa17").rglob("*")):
            if p.is_file() and p.name != "zsl_manifest.json":
                zf.write(p, p.relative_to(src).as_posix())
    _Slow.body = buf.getvalue()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    import hashlib
    expected = hashlib.sha256((src / "xlsa17" / "data" / "AWA2" / "res101.mat").read_bytes()).hexdigest()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/xlsa17.zip", expected
    finally:
        httpd.shutdown()
        httpd.server_close()


def _race(script: str, tmp: Path, *args: str) -> list[subprocess.CompletedProcess]:
    """Start two processes on ``script``, release them together, and return both results."""
    go = tmp / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ZSL_DATA_DIR": str(tmp / "_package_cache")}
    for var in ("ZSL_OFFLINE", "HF_HUB_OFFLINE", "ZSL_XLSA17_URL"):
        env.pop(var, None)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(go), *args], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    time.sleep(0.5)  # both interpreters are up and polling for the go file
    go.touch()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_processes_fetch_xlsa17_into_one_empty_cache(tmp_path, release_url, round_):
    url, expected = release_url
    root = tmp_path / "shared"
    results = _race(_XLSA17, tmp_path, str(root), url)
    for r in results:
        assert r.returncode == 0, r.stderr[-2000:]
        assert r.stdout.strip() == expected
    assert not (root / "xlsa17.zip").exists()
    assert not list(root.rglob("*.part")) and not list(root.glob(".xlsa17.extract-*"))


def test_two_processes_build_the_animal_cache_at_once(tmp_path):
    if not REAL_WHEEL.is_file():
        pytest.skip(f"the real animal-mnist wheel is not cached at {REAL_WHEEL}")
    from zsl_tutorial.data import animals

    home = tmp_path / "home"
    (home / "wheels").mkdir(parents=True)
    shutil.copy(REAL_WHEEL, home / "wheels" / REAL_WHEEL.name)
    results = _race(_ANIMALS, tmp_path, str(home))
    for r in results:
        assert r.returncode == 0, r.stderr[-2000:]
        assert r.stdout.strip() == animals._CACHE_SHA256
    animals._read_cache(home / animals._CACHE_NAME)


_HALF_WRITTEN = """
import sys, time
from pathlib import Path
import numpy as np
from zsl_tutorial._locks import cache_lock
from zsl_tutorial._npzcache import write_npz, write_recorded
path = Path(sys.argv[1])
arrays = {"x": np.arange(6.0)}
with cache_lock(path):
    write_npz(path, arrays)          # the file is in place, its manifest record is not yet
    Path(sys.argv[2]).touch()
    time.sleep(1.5)
    write_recorded(path, arrays)     # now it is
"""


def test_a_reader_waits_for_the_writer_instead_of_calling_its_file_damaged(tmp_path):
    """Between a writer's file and its manifest record, a reader once saw "no record" and rebuilt the cache."""
    import numpy as np

    from zsl_tutorial._npzcache import read_recorded

    path, ready = tmp_path / "cache" / "thing.npz", tmp_path / "ready"
    path.parent.mkdir()
    child = subprocess.Popen([sys.executable, "-c", _HALF_WRITTEN, str(path), str(ready)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert child.poll() is None, child.communicate()[1][-2000:]
            assert time.monotonic() < deadline, "the writer never got going"
            time.sleep(0.02)
        arrays = read_recorded(path, max_bytes=1 << 20)   # mid-write: must wait, then read the sound file
        np.testing.assert_array_equal(arrays["x"], np.arange(6.0))
    finally:
        _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err[-2000:]
