"""Which differences in H between methods are real? A paired, two-level bootstrap, with Holm's correction.

A leaderboard's mean ± std says how much a row moves between seeds; whether method A *beats* method B
needs the distribution of their difference. :func:`bootstrap_h` resamples at two levels, the same draws for
every method, so every difference is paired:

1. the seeds, with replacement (the outer factor: training randomness and the data's own draw);
2. within each seed, the test samples of every class, with replacement (per-class top-1 keeps its classes,
   so a resample never loses a class).

:func:`compare_h` then gives, for each pair, the mean difference over seeds, its percentile interval and a
two-sided bootstrap p-value, and adjusts the p-values for the number of comparisons by Holm's step-down
method (Holm 1979), which controls the chance of *any* false "real" at ``alpha``.
"""
from __future__ import annotations

from typing import Iterable, NamedTuple, Sequence

import numpy as np

from .._validation import check_int, check_seed
from ..metrics import _harmonic, calibrated_predict

__all__ = ["BootstrapH", "PairedDifference", "bootstrap_h", "compare_h", "holm"]

#: Which H a key names: "h" the plain argmax's, "h_cal" the calibrated one's (at the result's own γ).
KINDS = ("h", "h_cal")


class BootstrapH(NamedTuple):
    """Bootstrap replicates of H per ``(method, kind)``: ``samples[key]`` has shape ``(n_boot,)``.

    ``observed[key]`` is the mean H over the seeds themselves, ``seeds`` the seeds resampled.
    """

    samples: dict
    observed: dict
    seeds: tuple
    n_boot: int


class PairedDifference(NamedTuple):
    """H of ``a`` minus H of ``b`` (mean over seeds), its interval, p-values raw and Holm-adjusted."""

    a: tuple
    b: tuple
    diff: float
    low: float
    high: float
    p: float
    p_holm: float
    real: bool


def _by_seed(results: Sequence) -> dict[int, dict[str, object]]:
    table: dict[int, dict[str, object]] = {}
    for r in results:
        if r.scores is None or r.view is None:
            raise ValueError(f"the result of {r.method!r} (seed {r.seed}) has no test scores: run "
                             "leaderboard(..., keep_artefacts=True) so that the bootstrap can resample its test set.")
        row = table.setdefault(int(r.seed), {})
        if r.method in row:  # two rows under one name would silently pair the wrong results
            raise ValueError(f"two results are named {r.method!r} for seed {r.seed}; give every method its own name "
                             "(leaderboard takes a dict of names to estimators).")
        row[r.method] = r
    names = [sorted(m) for m in table.values()]
    if any(n != names[0] for n in names):
        raise ValueError("every seed must hold the same methods, so that differences are paired; got "
                         + "; ".join(f"seed {s}: {sorted(m)}" for s, m in table.items()))
    return table


def _correct(result, kind: str) -> np.ndarray:
    """Per test sample: right (True) or wrong, by the plain or the calibrated argmax."""
    view = result.view
    gamma = 0.0 if kind == "h" else float(result.gamma)
    return calibrated_predict(result.scores, view.seen_mask, gamma) == view.y


def bootstrap_h(results: Sequence, *, n_boot: int = 1000, seed: int = 0, kinds: Iterable[str] = KINDS,
                resample_seeds: bool = True) -> BootstrapH:
    """Paired bootstrap replicates of every method's H, from ``leaderboard(..., keep_artefacts=True)``.

    Each replicate draws the seeds with replacement (unless ``resample_seeds=False``) and, within each
    drawn seed, the test samples of every class with replacement; the same draws serve every method, so
    that differences between methods are paired. Cost: one matrix product per seed and class.
    """
    n_boot = check_int(n_boot, "n_boot", 100)
    rng = np.random.default_rng(check_seed(seed))
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds:
        raise ValueError(f"kinds must be taken from {KINDS}, got {list(kinds)}.")
    table = _by_seed(results)
    seeds = tuple(sorted(table))
    methods = list(next(iter(table.values())))
    keys = [(m, k) for m in methods for k in kinds]
    per_seed = {}  # seed -> key -> (n_boot,) H of that seed's resamples
    observed = {key: [] for key in keys}
    for s in seeds:
        view = table[s][methods[0]].view
        y, seen_mask = np.asarray(view.y), np.asarray(view.seen_mask)
        for m in methods[1:]:
            if not np.array_equal(table[s][m].view.y, y):
                raise ValueError(f"seed {s}: {m!r} was tested on other samples than {methods[0]!r}; a paired "
                                 "bootstrap needs one test set per seed (the same dataset_for_seed).")
        correct = {key: _correct(table[s][key[0]], key[1]).astype(float) for key in keys}
        acc_seen, acc_unseen = {key: [] for key in keys}, {key: [] for key in keys}
        for c in np.unique(y):
            idx = np.flatnonzero(y == c)
            # Bootstrap counts of each of the class's samples, shared by every method: (n_boot, n_c).
            counts = rng.multinomial(len(idx), np.full(len(idx), 1.0 / len(idx)), size=n_boot)
            for key in keys:
                acc = counts @ correct[key][idx] / len(idx)
                (acc_seen if seen_mask[c] else acc_unseen)[key].append(acc)
        per_seed[s] = {key: _harmonic(np.mean(acc_unseen[key], axis=0), np.mean(acc_seen[key], axis=0))
                       for key in keys}
        for key in keys:
            r = table[s][key[0]]
            observed[key].append(r.h if key[1] == "h" else r.h_cal)
    pick = (rng.integers(0, len(seeds), size=(n_boot, len(seeds))) if resample_seeds
            else np.tile(np.arange(len(seeds)), (n_boot, 1)))
    rows = np.arange(n_boot)[:, None]
    samples = {key: np.stack([per_seed[s][key] for s in seeds], axis=1)[rows, pick].mean(axis=1) for key in keys}
    return BootstrapH(samples, {key: float(np.mean(v)) for key, v in observed.items()}, seeds, n_boot)


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values, in the order given (each in [0, 1], never below its raw value)."""
    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1 or not np.all((p >= 0) & (p <= 1)):
        raise ValueError(f"p_values must be a 1-D list of numbers in [0, 1], got {p_values!r}.")
    order = np.argsort(p, kind="stable")
    m = len(p)
    stepped = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = stepped
    return out


def _key(item) -> tuple:
    return (item, "h") if isinstance(item, str) else tuple(item)


def compare_h(boot: BootstrapH, pairs: Iterable, *, level: float = 0.95, alpha: float = 0.05) -> list[PairedDifference]:
    """For each ``(a, b)`` in ``pairs``, H of ``a`` minus H of ``b``: the observed mean over seeds, its
    ``level`` percentile interval, the two-sided bootstrap p-value and its Holm adjustment over all pairs.

    ``a`` and ``b`` are method names (plain H) or ``(method, "h_cal")`` for the calibrated one. A
    difference is ``real`` when its Holm-adjusted p-value is below ``alpha``.
    """
    if not 0 < level < 1 or not 0 < alpha < 1:
        raise ValueError(f"level and alpha must lie strictly between 0 and 1, got {level!r} and {alpha!r}.")
    pairs = [(_key(a), _key(b)) for a, b in pairs]
    if not pairs:
        raise ValueError("pairs is empty: name at least one (a, b) to compare.")
    missing = sorted({k for pair in pairs for k in pair if k not in boot.samples})
    if missing:
        raise ValueError(f"not in the bootstrap: {missing}; it holds {sorted(boot.samples)}.")
    rows = []
    for a, b in pairs:
        d = boot.samples[a] - boot.samples[b]
        low, high = np.quantile(d, [(1 - level) / 2, (1 + level) / 2])
        # Two-sided: twice the smaller tail beyond 0, counting ties half, at least one replicate's worth.
        tail = min(np.mean(d < 0) + 0.5 * np.mean(d == 0), np.mean(d > 0) + 0.5 * np.mean(d == 0))
        rows.append((a, b, boot.observed[a] - boot.observed[b], float(low), float(high),
                     float(min(1.0, max(2 * tail, 1.0 / boot.n_boot)))))
    adjusted = holm([r[5] for r in rows])
    return [PairedDifference(a, b, diff, low, high, p, float(q), bool(q < alpha))
            for (a, b, diff, low, high, p), q in zip(rows, adjusted)]
