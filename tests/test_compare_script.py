"""Self-test of scripts/compare_with_reference.py's parsing and table (the comparison itself is a
benchmark that takes minutes per run; it is not run here)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "compare_with_reference.py"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("compare_with_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REFERENCE_TAIL = """GZSL: Seen: 0.9958, Unseen: 0.2160, H: 0.3550
ZSL: Unseen: 0.2380
Dataset AWA2
The best ZSL unseen accuracy is 0.2380
The best GZSL seen accuracy is 0.9975
The best GZSL unseen accuracy is 0.2453
The best GZSL H is 0.3938
PEAK_MB=1194
"""


def test_the_reference_summary_is_read_as_it_prints_it(script):
    assert script.parse_reference(REFERENCE_TAIL) == {"zsl": 0.238, "s": 0.9975, "u": 0.2453, "h": 0.3938}
    with pytest.raises(AttributeError):
        script.parse_reference("no summary: the run stopped early")


def test_both_sides_get_the_same_cpu_scaled_settings(script, tmp_path):
    cmd = script.reference_cmd(tmp_path, tmp_path / "data", seed=2)
    flags = dict(zip(cmd[3::2], cmd[4::2]))
    assert flags["--n_epochs"] == str(script.SHARED["epochs"]) and flags["--hidden_size"] == str(script.SHARED["hidden"])
    assert flags["--features_per_class"] == str(script.SHARED["n_synth"]) and float(flags["--lr"]) == script.SHARED["lr"]
    assert flags["--seed"] == "3" and flags["--dataroot"] == str(tmp_path / "data")
    from zsl_tutorial.benchmarks import CPU_CLSWGAN

    ours = CPU_CLSWGAN["AWA"]  # ours is the package's CPU profile for AwA, not a private copy
    assert script.OURS["hidden"] == ours["hidden"] and script.OURS["lr"] == ours["lr"]
    assert script.OURS_GRID == {"epochs": ours["epochs"], "n_synth": ours["n_synth"]}


def test_the_table_gives_mean_and_spread_over_seeds(script):
    rows = [dict(side="reference", seed=s, wall_s=w, peak_mb=1000 + s, zsl=z, u=0.2, s=1.0, h=h)
            for s, (w, z, h) in enumerate([(300.0, 0.2, 0.4), (310.0, 0.3, 0.5)])]
    table = script.format_table(rows)
    assert "| reference | 25.0 ± 7.1 | 20.0 ± 0.0 | 100.0 ± 0.0 | 45.0 ± 7.1 | 305 | 1001 |" in table
