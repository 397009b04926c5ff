"""``set_seed`` is the course's one seeding helper: it must reach torch even when torch loads later."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import zsl_tutorial as zt

SCRIPT = """
import sys
import zsl_tutorial as zt
zt.set_seed({seed})
assert "torch" not in sys.modules, "set_seed must not import torch"
from zsl_tutorial._deps import require
torch = require("torch")
print(torch.rand(3).tolist())
"""


def run(seed: int) -> str:
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(seed=seed)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_seed_set_before_torch_is_imported_still_seeds_torch():
    a, b, c = run(3), run(3), run(4)
    assert a == b
    assert a != c


def test_set_seed_seeds_numpy_and_returns_a_generator():
    g1 = zt.set_seed(7)
    x1 = np.random.rand(3), g1.random(3)
    g2 = zt.set_seed(7)
    x2 = np.random.rand(3), g2.random(3)
    assert np.array_equal(x1[0], x2[0]) and np.array_equal(x1[1], x2[1])


@pytest.mark.parametrize("bad", [-1, 1.5, "0", True, None])
def test_set_seed_rejects_non_integers(bad):
    with pytest.raises(ValueError, match="non-negative integer"):
        zt.set_seed(bad)
