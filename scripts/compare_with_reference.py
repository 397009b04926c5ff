"""f-CLSWGAN, ours against public reference code, back to back on the same xlsa17-layout files.

A benchmark, not a test (the numbers depend on the machine). It

1. writes an AwA2-shaped simulator in the xlsa17 layout (``data.xlsa17.write_xlsa17_dataset``):
   2,048-d non-negative features, 85 attributes, 50 classes split 27/13/10, 7,500 images, and
   ``train_loc``/``val_loc`` that overlap ``test_seen_loc`` as in the real release;
2. runs the reference (``luca-rossi/grabzsl``'s ``run_clswgan.py``, unmodified, from a folder you
   give) once per seed, as a whole process, with the CPU-scaled settings;
3. runs ours once per seed, as a whole process, through ``evaluation.evaluate``: GAN epochs and
   the final softmax's synthetic features chosen by H on the class-disjoint GZSL rehearsal, never
   on test; and, for the record, ours with the reference's own settings and no choice at all.

Each run's wall time and peak memory are those of its own process. The reference reports the
best epoch and classifier epoch *on test*, which no honest protocol can; we print its numbers
as it reports them.

    python scripts/compare_with_reference.py --reference /path/to/grabzsl --seeds 0 1 2
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The CPU-scaled settings of the comparison, on both sides (the reference's AwA2 defaults otherwise).
SHARED = dict(epochs=10, hidden=1024, n_synth=300, lr=2e-4)


def _ours() -> tuple[dict, dict]:
    """Ours as the package runs AwA on a CPU (``benchmarks.CPU_CLSWGAN["AWA"]``): a larger learning rate,
    a narrower network, and the number of epochs chosen on the rehearsal from one GAN training."""
    from zsl_tutorial.benchmarks import CPU_CLSWGAN

    params = dict(CPU_CLSWGAN["AWA"])
    grid = {"epochs": list(params.pop("epochs")), "n_synth": list(params.pop("n_synth"))}
    return params, grid


OURS, OURS_GRID = _ours()

DATA = dict(n_seen=40, n_unseen=10, n_attributes=85, n_features=2048, n_per_class=150, n_val=13, noise=8.0)


def write_data(root: Path, seed: int) -> Path:
    from zsl_tutorial.data.synthetic import make_synthetic
    from zsl_tutorial.data.xlsa17 import write_xlsa17_dataset

    return write_xlsa17_dataset(root, "AWA2", make_synthetic(**DATA, seed=seed))


def run_process(cmd: list[str], cwd: str | None = None) -> tuple[str, float, float]:
    """Run ``cmd``; return its stdout, wall seconds and peak RSS in MB (of that process alone)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} ... failed ({proc.returncode}):\n{err[-2000:]}")
    peak = re.search(r"PEAK_MB=(\d+(?:\.\d+)?)", out)
    return out, wall, float(peak.group(1)) if peak else float("nan")


def reference_cmd(reference: Path, dataroot: Path, seed: int) -> list[str]:
    # A tiny wrapper prints the process's peak memory after the reference's own script has run.
    wrapper = ("import resource, runpy, sys; sys.argv = ['run_clswgan.py'] + sys.argv[1:]; "
               "runpy.run_path('run_clswgan.py', run_name='__main__'); "
               "print('PEAK_MB=%d' % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))")
    return [sys.executable, "-c", wrapper, "--dataset", "AWA2", "--dataroot", str(dataroot),
            "--n_epochs", str(SHARED["epochs"]), "--hidden_size", str(SHARED["hidden"]),
            "--features_per_class", str(SHARED["n_synth"]), "--lr", str(SHARED["lr"]), "--seed", str(seed + 1)]


def parse_reference(out: str) -> dict:
    """The reference's own summary lines (fractions), as it prints them."""
    pick = {"zsl": "best ZSL unseen accuracy", "s": "best GZSL seen accuracy", "u": "best GZSL unseen accuracy",
            "h": "best GZSL H"}
    return {k: float(re.search(rf"{label} is ([0-9.]+)", out).group(1)) for k, label in pick.items()}


def ours_one(folder: str, seed: int, mode: str) -> None:
    """One run of ours in this process; prints one JSON line (fractions) and the peak memory."""
    import resource

    from zsl_tutorial.data import read_xlsa17
    from zsl_tutorial.evaluation import evaluate
    from zsl_tutorial.methods import CLSWGAN, ClassDisjointSearch

    ds = read_xlsa17(folder)
    if mode == "chosen":
        method = ClassDisjointSearch(CLSWGAN(**OURS, progress=False), OURS_GRID, select="gzsl")
    else:  # the reference's settings, nothing chosen
        method = CLSWGAN(**SHARED, progress=False)
    r = evaluate(method, ds, seed=seed, device="cpu")
    print(json.dumps(dict(zsl=r.zsl, u=r.u, s=r.s, h=r.h, h_cal=r.h_cal, params={k: v for k, v in r.params.items()})))
    print("PEAK_MB=%d" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", type=Path, help="a checkout of luca-rossi/grabzsl (skipped when absent)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--data-seed", type=int, default=0)
    ap.add_argument("--modes", nargs="+", default=["reference", "chosen", "shared"],
                    choices=["reference", "chosen", "shared"])
    ap.add_argument("--out", type=Path, help="write every run as JSON lines here")
    ap.add_argument("--_one", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._one:
        ours_one(args._one[0], int(args._one[1]), args._one[2])
        return 0

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_data(Path(tmp), args.data_seed)
        for seed in args.seeds:  # back to back: one seed of every side, then the next
            for mode in args.modes:
                if mode == "reference":
                    if args.reference is None:
                        continue
                    (args.reference / "checkpoints").mkdir(exist_ok=True)
                    out, wall, peak = run_process(reference_cmd(args.reference, folder.parent, seed),
                                                  cwd=str(args.reference))
                    nums = parse_reference(out)
                else:
                    out, wall, peak = run_process([sys.executable, __file__, "--_one", str(folder), str(seed), mode])
                    nums = json.loads(out.splitlines()[0])
                row = dict(side=mode, seed=seed, wall_s=round(wall, 1), peak_mb=peak, **nums)
                rows.append(row)
                print(json.dumps(row), flush=True)
                if args.out:
                    with open(args.out, "a", encoding="utf-8") as fh:
                        fh.write(json.dumps(row) + "\n")
    print(format_table(rows))
    return 0


def format_table(rows: list[dict]) -> str:
    """method | ZSL, u, s, H as mean ± std over seeds (percent) | wall s | peak MB."""
    def ms(vals: list[float]) -> str:
        vals = [100 * v for v in vals]
        sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
        return f"{statistics.mean(vals):.1f} ± {sd:.1f}"

    lines = ["| side | ZSL | u | s | H | wall s | peak MB |", "|---|---|---|---|---|---|---|"]
    for side in dict.fromkeys(r["side"] for r in rows):
        rs = [r for r in rows if r["side"] == side]
        lines.append(f"| {side} | " + " | ".join(ms([r[k] for r in rs]) for k in ("zsl", "u", "s", "h"))
                     + f" | {statistics.median(r['wall_s'] for r in rs):.0f} | {max(r['peak_mb'] for r in rs):.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
