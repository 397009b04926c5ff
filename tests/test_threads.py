"""``zt.limit_threads``: one call that caps torch and every BLAS/OpenMP pool (run in a subprocess: it is global)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import zsl_tutorial as zt

SCRIPT = """
import json
import zsl_tutorial as zt
zt.limit_threads(1)
import torch
from threadpoolctl import threadpool_info
pools = threadpool_info()
assert pools, "no BLAS/OpenMP pool found"
print(json.dumps([torch.get_num_threads(), sorted({p["num_threads"] for p in pools}),
                  sorted({p["internal_api"] for p in pools})]))
"""


def test_limit_threads_reaches_torch_and_the_blas_of_numpy_and_scipy():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    torch_threads, pool_threads, apis = json.loads(out.stdout)
    assert torch_threads == 1
    assert pool_threads == [1], f"some pool kept more threads: {pool_threads} ({apis})"


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True, None])
def test_limit_threads_rejects_bad_counts(bad):
    with pytest.raises(ValueError, match="positive integer"):
        zt.limit_threads(bad)
