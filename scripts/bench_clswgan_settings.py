"""Choose the course's f-CLSWGAN learning rate and epochs on validation classes only.

    python scripts/bench_clswgan_settings.py            # seeds 0-2, about 3 minutes on 2 cores

For each seed, a resample of ``make_synthetic(seed=0)`` (100 samples per class, as lesson 05), and each
(lr, epochs) pair: one GAN on the GZSL rehearsal (train classes against the val classes, never the test
classes), then its best H over the ``n_synth`` grid, which is what ``ClassDisjointSearch`` would keep.
Prints one line per setting, with its H on each seed and the mean. The course's setting
(``evaluation.course``) is the one with the highest mean, and it is among the cheapest: lr 4e-3 for 8 epochs
at batch 64. Measured 2026-12-01, seeds 0-2, mean rehearsal H (GAN seconds, median, relative to 2e-3 × 10):

    1e-3 × 20, batch 64: 36.1 (2.0)     2e-3 × 10, batch 64: 48.2 (1.0)     3e-3 × 8, batch 64: 49.5 (0.8)
    3e-3 × 6,  batch 64: 40.9 (0.65)    4e-3 × 6,  batch 64: 46.3 (0.6)     4e-3 × 8, batch 64: 53.4 (0.8)
    2e-3 × 10, batch 128: 20.5 (0.7)    3e-3 × 10, batch 128: 39.8 (0.65)   4e-3 × 10, batch 128: 39.1 (0.7)

A larger batch costs more per step, so halving the steps saved only about 30%, and every batch-128 setting
lost H.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from zsl_tutorial.data import make_synthetic
from zsl_tutorial.evaluation import resample
from zsl_tutorial.evaluation.protocol import gzsl_at
from zsl_tutorial.methods import CLSWGAN

#: (learning rate, epochs, batch size) tried; the GAN's cost is proportional to epochs / batch size.
CONFIGS = ((1e-3, 20, 64), (2e-3, 10, 64), (3e-3, 8, 64), (2e-3, 10, 128), (3e-3, 10, 128), (4e-3, 10, 128),
           (3e-3, 6, 64), (4e-3, 6, 64), (4e-3, 8, 64))
N_SYNTH = (100, 300, 1000)


def rehearsal_h(lr: float, epochs: int, batch_size: int, seed: int) -> tuple[float, float]:
    """Best validation H (%) over ``N_SYNTH`` for one setting and seed, and the GAN's training seconds."""
    ds = resample(make_synthetic(seed=0, n_per_class=300), n_per_class=100, seed=seed)
    fit, val = ds.gzsl_validation(holdout=0.2, seed=seed)
    start = time.perf_counter()
    gan = CLSWGAN(hidden=256, lr=lr, epochs=epochs, batch_size=batch_size, n_synth=N_SYNTH[0], progress=False, seed=seed)
    gan.fit(fit.X, fit.y, fit.S, candidates=val.S)
    seconds = time.perf_counter() - start
    models = [gan] + [gan.refit_classifier(n_synth=n) for n in N_SYNTH[1:]]  # one GAN serves every n_synth
    return max(100 * gzsl_at(m.decision_function(val.X, val.S), val.y, val.seen_mask).h for m in models), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--configs", type=int, nargs="+", default=None,
                        help=f"indices into CONFIGS to run (default: all {len(CONFIGS)})")
    args = parser.parse_args()
    for k in args.configs if args.configs is not None else range(len(CONFIGS)):
        lr, epochs, batch_size = CONFIGS[k]
        runs = [rehearsal_h(lr, epochs, batch_size, s) for s in args.seeds]
        hs = [h for h, _ in runs]
        print(f"lr {lr:g}, {epochs:2d} epochs, batch {batch_size}: rehearsal H {' / '.join(f'{h:.1f}' for h in hs)} "
              f"(mean {np.mean(hs):.1f}), GAN {np.median([t for _, t in runs]):.1f} s (median)", flush=True)


if __name__ == "__main__":
    main()
