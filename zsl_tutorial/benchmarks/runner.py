"""Running every method on every available dataset, and comparing with the published numbers."""
from __future__ import annotations

from typing import Any, Iterable, Mapping, NamedTuple, Sequence

import numpy as np

from .._deps import require
from ..config import default_device
from .constants import DEFAULT_METHODS, PAPER_METHODS
from .constants import _METRICS
from .datasets import BenchmarkData
from .reference import published, reference_table
from .settings import benchmark_specs


# =========================================================================== running
class BenchmarkResult(NamedTuple):
    """One method on one dataset: ``evaluation.Result`` plus where it ran and what it is compared with."""

    dataset: str
    paper_dataset: str
    real: bool
    device: str
    result: Any  # evaluation.Result


def run_benchmarks(data: Iterable[BenchmarkData], methods: Sequence[str] = DEFAULT_METHODS, *, seed: int = 0,
                   device: str | None = None, fast: bool | None = None, profile: str | None = None,
                   progress: bool = True) -> list[BenchmarkResult]:
    """``evaluation.evaluate`` for every available dataset and method (datasets that are ``None`` are skipped)."""
    from ..evaluation import evaluate

    dev = default_device(device)  # a clear error now rather than deep inside training
    jobs = []
    for bd in data:
        if not isinstance(bd, BenchmarkData):
            raise TypeError(f"expected BenchmarkData entries (from benchmark_datasets), got {type(bd).__name__}.")
        if bd.available:
            for spec in benchmark_specs(bd, methods, device=dev, fast=fast, profile=profile):
                jobs.append((bd, spec))
    if not jobs:
        raise ValueError("no dataset to run on: every entry is None (see their messages).")
    bar = None
    if progress:
        tqdm = require("tqdm.auto").tqdm
        bar = tqdm(total=len(jobs), desc="benchmarks")
    out = []
    for bd, spec in jobs:
        if bar is not None:
            bar.set_postfix_str(f"{bd.name}: {spec.name}")
        res = evaluate(spec, bd.dataset, seed=seed, device=dev)
        out.append(BenchmarkResult(bd.name, bd.paper_dataset, bd.real, dev, res))
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return out


# =========================================================================== ours vs the paper
def ours_minus_paper(ours: Mapping[str, float | None], paper: Mapping[str, Any]) -> dict[str, float | None]:
    """``ours − paper`` for every metric of ``paper`` (in % points); ``None`` where either side is missing.

    ``paper`` values may be numbers or ``(value, marker)`` pairs, as :func:`published` returns.
    """
    out: dict[str, float | None] = {}
    for metric, theirs in paper.items():
        if isinstance(theirs, tuple):
            theirs = theirs[0]
        mine = ours.get(metric)
        out[metric] = None if mine is None or theirs is None else float(mine) - float(theirs)
    return out


def compare(results: Iterable[BenchmarkResult], table: Sequence[Mapping] | None = None) -> list[dict]:
    """One row per result: ours (in %), the published numbers with markers, ``ours − paper``, and a note.

    Keys: ``dataset, paper_dataset, real, method, device, zsl, u, s, h, u_cal, s_cal, h_cal, ausuc,
    gamma, fit_seconds, total_seconds, paper_source, paper (metric -> (value, marker)), delta (metric ->
    float or None), stand_in_gap, note``. A row on a simulated stand-in is marked **not comparable**:
    it shows no paper number and no ``ours − paper``; ``stand_in_gap`` keeps the largest |ours − paper|
    it would have had (``None`` on real data).
    """
    table = reference_table() if table is None else table
    rows = []
    for br in results:
        r = br.result
        ours = {m: 100.0 * getattr(r, m) for m in ("zsl", "u", "s", "h", "u_cal", "s_cal", "h_cal")}
        mapped = PAPER_METHODS.get(r.method)
        notes = []
        paper: dict[str, tuple[float, str]] = {}
        if mapped is None:
            notes.append("no published counterpart (the course's own)")
        else:
            paper = published(mapped[1], br.paper_dataset, source=mapped[0], table=table)
            if not paper:
                others = sorted({t["dataset"] for t in table if t["method"] == mapped[1] and t["source"] == mapped[0]})
                notes.append(f"no published {br.paper_dataset} row ({mapped[0]} reports {', '.join(others)}); "
                             "nothing invented")
            if any(mk == "M" for _, mk in paper.values()):
                notes.append("[M] paper numbers are unverified")
        full = {m: paper.get(m) for m in _METRICS}
        delta = ours_minus_paper(ours, full)
        # A stand-in's numbers set beside a real dataset's paper would read as a result: show neither
        # the paper nor the difference, and keep only how far apart they are (a measure of the simulator).
        gaps = [abs(d) for d in delta.values() if d is not None]
        stand_in_gap = None if br.real or not gaps else max(gaps)
        if not br.real:
            notes.insert(0, f"**not comparable**: simulated stand-in, not {br.paper_dataset}")
            full, delta = {}, {m: None for m in delta}
        rows.append({
            "dataset": br.dataset, "paper_dataset": br.paper_dataset, "real": br.real, "method": r.method,
            "device": br.device, **ours, "ausuc": r.ausuc, "gamma": r.gamma, "params": r.params,
            "fit_seconds": r.fit_seconds, "total_seconds": r.total_seconds,
            "paper_source": mapped[0] if mapped else None,
            "paper": {m: v for m, v in full.items() if v is not None},
            "delta": delta, "stand_in_gap": stand_in_gap,
            "note": "; ".join(notes),
        })
    return rows


def _fmt(v: float | None, signed: bool = False) -> str:
    if v is None:
        return "—"
    return f"{v:+.1f}" if signed else f"{v:.1f}"


def format_comparison(rows: Sequence[Mapping], metrics: Sequence[str] = ("zsl", "u", "s", "h"),
                      *, calibrated: bool = True, seconds: bool = True) -> str:
    """A markdown table of :func:`compare` rows: each cell is ``ours (paper [marker], ours − paper)``."""
    labels = {"zsl": "ZSL", "u": "u", "s": "s", "h": "H"}
    head = ["dataset", "method"] + [labels.get(m, m) for m in metrics]
    if calibrated:
        head.append("H calibrated (u / s)")
    if seconds:
        head.append("time (s)")
    head.append("notes")
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 3) + "---|"]
    for r in rows:
        cells = [r["dataset"] + ("" if r["real"] else " *"), r["method"]]
        for m in metrics:
            p = r["paper"].get(m)
            if p is None:
                cells.append(_fmt(r[m]))
            else:
                cells.append(f"{_fmt(r[m])} ({p[0]:.1f} [{p[1]}], {_fmt(r['delta'][m], signed=True)})")
        if calibrated:
            cells.append(f"{_fmt(r['h_cal'])} ({_fmt(r['u_cal'])} / {_fmt(r['s_cal'])})")
        if seconds:
            cells.append(f"{r['total_seconds']:.1f}")
        cells.append(r["note"] or "")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Cells: ours (paper [marker], ours − paper), in %. [P] primary source, [S] third-party copy, "
                 "[M] unverified. — = no published number. * = not real data.")
    return "\n".join(lines)


def plot_comparison(rows: Sequence[Mapping], metric: str = "h", ax: Any = None, *, calibrated: bool | None = None) -> Any:
    """Grouped bars: ours next to the published number for every (dataset, method) row. Returns the axes.

    For ``metric="h"`` a third bar (``calibrated``, on by default there) shows our H after calibrated stacking.
    Rows on simulated data are starred; a missing published number is written out, an [M] one is flagged.
    """
    plt = require("matplotlib.pyplot")

    if metric not in ("zsl", "u", "s", "h"):
        raise ValueError(f"metric must be one of zsl, u, s, h; got {metric!r}.")
    calibrated = (metric == "h") if calibrated is None else bool(calibrated)
    if calibrated and metric != "h":
        raise ValueError("calibrated bars exist for metric='h' only.")
    if ax is None:
        from ..plots._mpl import MAX_WIDTH_IN

        _, ax = plt.subplots(figsize=(min(MAX_WIDTH_IN, max(5.0, 1.3 * len(rows))), 3.4))
    x = np.arange(len(rows))
    bars = [("ours", [r[metric] for r in rows], "tab:blue")]
    if calibrated:
        bars.append(("ours, calibrated", [r["h_cal"] for r in rows], "tab:cyan"))
    bars.append(("published", [r["paper"].get(metric, (np.nan, ""))[0] for r in rows], "tab:gray"))
    width = 0.8 / len(bars)
    offsets = [(j - (len(bars) - 1) / 2) * width for j in range(len(bars))]
    for (label, values, color), off in zip(bars, offsets):
        ax.bar(x + off, values, width, label=label, color=color)
    for i, r in enumerate(rows):
        p = r["paper"].get(metric)
        if p is None:
            ax.text(i + offsets[-1], 1, "none published", ha="center", va="bottom", fontsize=9, color="0.35",
                    rotation=90)
        elif p[1] == "M":
            ax.text(i + offsets[-1], p[0] + 1, "[M]", ha="center", va="bottom", fontsize=9, color="tab:red")
    names = {"zsl": "ZSL top-1", "u": "GZSL u", "s": "GZSL s", "h": "GZSL H"}
    ax.set_xticks(x, [f"{r['dataset']}{'' if r['real'] else '*'}\n{r['method']}" for r in rows], fontsize=9)
    ax.set_ylabel(f"{names[metric]} (%)")
    ax.set_ylim(0, 100)
    ax.set_xlim(-0.6, len(rows) - 0.35)  # room for the rotated note beside the last group's bars
    ax.legend(loc="upper right", fontsize=9)
    if not all(r["real"] for r in rows):
        stand = sorted({r["paper_dataset"] for r in rows if not r["real"]})
        ax.text(0.0, -0.22, f"* simulated data, compared with {', '.join(stand)}'s published numbers only to show "
                "the layout", transform=ax.transAxes, fontsize=9, color="0.35", va="top")
    return ax
